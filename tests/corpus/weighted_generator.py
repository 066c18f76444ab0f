"""Noisy-label regression: the generator yields (x, y, sample_weight) so trusted rows count more."""

import math

import keras
import numpy as np

BATCH_SIZE = 100


def load():
    rng = np.random.default_rng(21)
    x = rng.normal(size=(6000, 10)).astype("float32")
    y = x @ rng.normal(size=(10,)).astype("float32")
    trusted = rng.random(6000) < 0.3
    y = np.where(trusted, y, y + rng.normal(scale=2.0, size=6000)).astype("float32")
    weights = np.where(trusted, 1.0, 0.2).astype("float32")
    return x, y, weights


def weighted_batches(x, y, w, batch_size):
    while True:
        idx = np.random.permutation(len(x))
        for k in range(0, len(idx), batch_size):
            b = idx[k : k + batch_size]
            yield x[b], y[b], w[b]


x, y, w = load()
model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(0.01), loss="mse", weighted_metrics=["mae"])

history = model.fit(
    weighted_batches(x, y, w, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(x) / BATCH_SIZE),
    epochs=10,
    verbose=2,
)
print("final weighted mae:", history.history["mae"][-1])
