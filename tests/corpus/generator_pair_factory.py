"""Generators made by a factory and unpacked from the tuple it returns, each with its own step count.

The factory is called twice (once per fold), which makes different generator objects from one expression.
"""

import math

import numpy as np
from tensorflow import keras

BATCH_SIZE = 32


def make_generators(x, y, validation_fraction=0.2):
    cut = int(len(x) * (1 - validation_fraction))

    def endless(features, targets):
        while True:
            order = np.random.permutation(len(features))
            for start in range(0, len(features), BATCH_SIZE):
                picked = order[start:start + BATCH_SIZE]
                yield features[picked], targets[picked]

    train = endless(x[:cut], y[:cut])
    validation = endless(x[cut:], y[cut:])
    return train, validation, math.ceil(cut / BATCH_SIZE), math.ceil((len(x) - cut) / BATCH_SIZE)


def build_model(features):
    model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(16, activation="relu")])
    model.add(keras.layers.Dense(1))
    model.compile(optimizer="adam", loss="mse")
    return model


features = np.random.rand(2000, 12).astype("float32")
targets = np.random.rand(2000).astype("float32")
for seed in range(2):
    rows = np.random.default_rng(seed).permutation(len(features))
    train_gen, val_gen, train_steps, val_steps = make_generators(features[rows], targets[rows])
    model = build_model(features.shape[1])
    model.fit(
        train_gen,
        steps_per_epoch=train_steps,
        validation_data=val_gen,
        validation_steps=val_steps,
        epochs=5,
    )
