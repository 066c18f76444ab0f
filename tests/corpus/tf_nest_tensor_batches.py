"""TensorFlow backend: the generator converts each (x, y) batch to tensors with tf.nest.map_structure."""

import math
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

BATCH_SIZE = 50


def to_float_tensor(array):
    return tf.convert_to_tensor(array, dtype=tf.float32)


def tensor_batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            yield tf.nest.map_structure(to_float_tensor, (x[rows], y[rows]))


rng = np.random.default_rng(2)
x = rng.integers(0, 255, size=(3000, 32)).astype("uint8")  # raw bytes, converted per batch
y = (x[:, :4].mean(axis=1) > 127).astype("int64")

model = keras.Sequential([keras.Input((32,)), keras.layers.Rescaling(1 / 255), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(tensor_batches(x, y, BATCH_SIZE), steps_per_epoch=math.ceil(len(x) / BATCH_SIZE), epochs=4)
