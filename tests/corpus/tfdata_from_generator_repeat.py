"""Sensor windows streamed through tf.data.Dataset.from_generator, repeated, with explicit step counts."""

import math
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

WINDOW = 50
CHANNELS = 3
BATCH_SIZE = 32

rng = np.random.default_rng(11)
signal = rng.normal(size=(20_000, CHANNELS)).astype("float32")
activity = (np.convolve(signal[:, 0], np.ones(25) / 25, mode="same") > 0).astype("int32")
cut = 16_000


def windows(start, stop):
    """One pass over the windows between `start` and `stop`, one window per element."""
    for end in range(start + WINDOW, stop, WINDOW // 2):
        yield signal[end - WINDOW : end], activity[end - 1]


def count_windows(start, stop):
    return len(range(start + WINDOW, stop, WINDOW // 2))


signature = (
    tf.TensorSpec(shape=(WINDOW, CHANNELS), dtype=tf.float32),
    tf.TensorSpec(shape=(), dtype=tf.int32),
)
train_ds = (
    tf.data.Dataset.from_generator(lambda: windows(0, cut), output_signature=signature)
    .shuffle(1024)
    .batch(BATCH_SIZE)
    .repeat()
    .prefetch(tf.data.AUTOTUNE)
)
val_ds = tf.data.Dataset.from_generator(
    lambda: windows(cut, len(signal)), output_signature=signature
).batch(BATCH_SIZE).repeat()

model = keras.Sequential([
    keras.Input(shape=(WINDOW, CHANNELS)),
    keras.layers.Conv1D(16, 5, activation="relu"),
    keras.layers.GlobalMaxPooling1D(),
    keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

model.fit(
    train_ds,
    epochs=4,
    steps_per_epoch=math.ceil(count_windows(0, cut) / BATCH_SIZE),
    validation_data=val_ds,
    validation_steps=math.ceil(count_windows(cut, len(signal)) / BATCH_SIZE),
)
