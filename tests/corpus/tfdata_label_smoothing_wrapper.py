"""A Python generator that post-processes a repeated tf.data pipeline (label noise for robustness)."""

import math
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

NUM_CLASSES = 5
BATCH_SIZE = 128


def make_arrays(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, NUM_CLASSES, size=n)
    x = rng.normal(size=(n, 24)).astype("float32")
    x[:, :NUM_CLASSES] += np.eye(NUM_CLASSES, dtype="float32")[y] * 2
    return x, y


def with_flipped_labels(dataset, flip_prob=0.05, seed=0):
    """Replaces a few labels at random in every batch of `dataset`."""
    rng = np.random.default_rng(seed)
    for features, labels in dataset:
        labels = labels.numpy()
        flip = rng.random(len(labels)) < flip_prob
        labels[flip] = rng.integers(0, NUM_CLASSES, size=int(flip.sum()))
        yield features, labels


x_train, y_train = make_arrays(20_000, seed=0)
x_val, y_val = make_arrays(2_000, seed=1)

train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(10_000)
    .batch(BATCH_SIZE)
    .repeat()
    .prefetch(tf.data.AUTOTUNE)
)

model = keras.Sequential([keras.Input((24,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(NUM_CLASSES, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(
    with_flipped_labels(train_ds),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    validation_data=(x_val, y_val),
    epochs=5,
)
