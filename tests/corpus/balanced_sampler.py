"""Class-balanced batches from a sampler object, in the style of PyTorch samplers."""

import math

import keras
import numpy as np


class BalancedSampler:
    """Endless stream of row indices that alternates between the classes."""

    def __init__(self, labels, seed=0):
        self.by_class = [np.flatnonzero(labels == c) for c in np.unique(labels)]
        self.rng = np.random.default_rng(seed)

    def __iter__(self):
        while True:
            for rows in self.by_class:
                yield int(self.rng.choice(rows))


def balanced_batches(x, y, batch_size, seed=0):
    rows = []
    for index in BalancedSampler(y, seed):
        rows.append(index)
        if len(rows) == batch_size:
            yield x[rows], y[rows]
            rows = []


rng = np.random.default_rng(8)
n = 10_000
y = (rng.random(n) < 0.05).astype("int32")  # 5 % positives
x = rng.normal(size=(n, 16)).astype("float32") + y[:, None] * 0.8

model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["auc"])
model.fit(
    balanced_batches(x, y, batch_size=64),
    steps_per_epoch=math.ceil(2 * y.sum() / 64),  # one epoch ~ every positive seen once
    epochs=8,
)
print(model.evaluate(x, y, batch_size=1024, verbose=0))
