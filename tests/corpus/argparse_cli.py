#!/usr/bin/env python
"""Command-line trainer: epochs, batch size and steps come from argparse."""

import argparse
import math

import keras
import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--steps-per-epoch", type=int, default=None, help="default: one pass over the data")
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--samples", type=int, default=4096)
    parser.add_argument("--out", default="model.keras")
    return parser.parse_args()


def data_stream(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for i in range(0, len(order), batch_size):
            j = order[i : i + batch_size]
            yield x[j], y[j]


def main():
    args = parse_args()
    x = np.random.rand(args.samples, 16).astype("float32")
    y = np.random.randint(0, 4, size=args.samples)

    steps = args.steps_per_epoch or math.ceil(args.samples / args.batch_size)

    model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(4)])
    model.compile(
        optimizer=keras.optimizers.Adam(args.lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(
        data_stream(x, y, args.batch_size),
        epochs=args.epochs,
        steps_per_epoch=steps,
        callbacks=[keras.callbacks.ModelCheckpoint(args.out)],
    )


if __name__ == "__main__":
    main()
