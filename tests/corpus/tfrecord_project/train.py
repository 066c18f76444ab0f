"""Endless interleaved TFRecord pipeline, then feature dropout in NumPy before each step."""

import math
import os
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from records import FEATURES, parse, write_shards  # noqa: E402

BATCH_SIZE = 64
SAMPLES = 4 * 1000


def feature_dropout(batches, rate=0.1, seed=0):
    """Zeroes a random `rate` of the input features of every batch."""
    rng = np.random.default_rng(seed)
    for x, y in batches.as_numpy_iterator():
        keep = rng.random(x.shape) >= rate
        yield x * keep / (1 - rate), y


with tempfile.TemporaryDirectory() as tmp:
    files = tf.data.Dataset.from_tensor_slices(write_shards(tmp))
    train_ds = (
        files.shuffle(4)
        .repeat()
        .interleave(tf.data.TFRecordDataset, cycle_length=2, num_parallel_calls=tf.data.AUTOTUNE)
        .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
        .shuffle(2048)
        .batch(BATCH_SIZE)
        .prefetch(tf.data.AUTOTUNE)
    )
    model = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(feature_dropout(train_ds), steps_per_epoch=math.ceil(SAMPLES / BATCH_SIZE), epochs=4)
