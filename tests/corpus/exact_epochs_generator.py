"""Reproducible training: the generator makes exactly `epochs` seeded passes, one per Keras epoch."""

import math

import keras
import numpy as np

SEED = 1234
EPOCHS = 6
BATCH_SIZE = 100


def seeded_passes(x, y, batch_size, epochs, seed):
    """Pass `e` uses the permutation from seed + e, so a rerun sees the very same batches."""
    for epoch in range(epochs):
        order = np.random.default_rng(seed + epoch).permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start : start + batch_size]
            yield x[rows], y[rows]


keras.utils.set_random_seed(SEED)
rng = np.random.default_rng(SEED)
x = rng.normal(size=(2500, 8)).astype("float32")
y = (np.abs(x).sum(axis=1) > 6.4).astype("float32")

model = keras.Sequential(
    [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

steps = math.ceil(len(x) / BATCH_SIZE)
model.fit(
    seeded_passes(x, y, BATCH_SIZE, EPOCHS, SEED),
    steps_per_epoch=steps,
    epochs=EPOCHS,
    shuffle=False,
)
