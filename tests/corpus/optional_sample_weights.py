"""A data module that packs batches with keras.utils.pack_x_y_sample_weight (weights are optional)."""

import math

import keras
import numpy as np

BATCH_SIZE = 128


def batch_stream(x, y, sample_weight=None, batch_size=BATCH_SIZE, seed=0):
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(x))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            weights = None if sample_weight is None else sample_weight[rows]
            yield keras.utils.pack_x_y_sample_weight(x[rows], y[rows], weights)


rng = np.random.default_rng(1)
x_train = rng.normal(size=(5000, 12)).astype("float32")
y_train = rng.integers(0, 3, size=5000)
x_val = rng.normal(size=(1000, 12)).astype("float32")
y_val = rng.integers(0, 3, size=1000)
# rarer classes count more during training; validation is unweighted
freq = np.bincount(y_train) / len(y_train)
w_train = (1.0 / freq[y_train]).astype("float32")

model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(3)])
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    weighted_metrics=["accuracy"],
)
model.fit(
    batch_stream(x_train, y_train, w_train),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    validation_data=batch_stream(x_val, y_val, seed=1),
    validation_steps=math.ceil(len(x_val) / BATCH_SIZE),
    epochs=4,
)
