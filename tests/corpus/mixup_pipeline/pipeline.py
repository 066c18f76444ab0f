"""tf.data input pipelines for the mixup experiment."""

import numpy as np
import tensorflow as tf

NUM_CLASSES = 4


def synthetic(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, NUM_CLASSES, size=n)
    x = rng.normal(size=(n, 16)).astype("float32") + y[:, None].astype("float32")
    return x, tf.keras.utils.to_categorical(y, NUM_CLASSES).astype("float32")


def train_dataset(x, y, batch_size):
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    ds = ds.shuffle(len(x), reshuffle_each_iteration=True)
    ds = ds.batch(batch_size).repeat()
    return ds.prefetch(tf.data.AUTOTUNE)


def eval_dataset(x, y, batch_size):
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size)
