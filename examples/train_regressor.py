"""Fit a small MLP that predicts house prices from tabular features."""

from __future__ import annotations

import math

import keras
import numpy as np
from data_utils import inputs_only, single_pass_batches
from keras import layers

BATCH_SIZE = 64


def standardized_batches(features, prices, batch_size):
    """Endless batches of standardized features and log prices."""
    mean = features.mean(axis=0)
    std = features.std(axis=0) + 1e-8
    while True:
        for start in range(0, len(features), batch_size):
            batch = (features[start : start + batch_size] - mean) / std
            yield [batch, np.log1p(prices[start : start + batch_size])]


def build_model(num_features):
    inputs = keras.Input(shape=(num_features,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    hidden = layers.Dense(64, activation="relu")(hidden)
    outputs = layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return model


def main():
    data = np.load("data/houses.npz")
    x_train, y_train = data["x_train"], data["y_train"]
    x_val, y_val = data["x_val"], data["y_val"]
    model = build_model(x_train.shape[1])

    # Warm-up on the raw data, then the real run on standardized batches.
    model.fit(
        single_pass_batches(x_train, y_train, BATCH_SIZE),
        steps_per_epoch=len(x_train) // BATCH_SIZE,
        epochs=5,
    )
    model.fit(
        standardized_batches(x_train, y_train, BATCH_SIZE),
        validation_data=standardized_batches(x_val, y_val, BATCH_SIZE),
        validation_steps=math.ceil(len(x_val) / BATCH_SIZE),
        epochs=30,
    )

    predictions = model.predict(inputs_only(x_val, BATCH_SIZE), steps=math.ceil(len(x_val) / BATCH_SIZE))
    print("mean absolute error:", np.abs(np.expm1(predictions[:, 0]) - y_val).mean())


if __name__ == "__main__":
    main()
