"""Resumable, reproducible training: after a restart, the generator makes exactly the passes still to run."""

import argparse
import math
import os

import keras
import numpy as np

BATCH_SIZE = 100
SEED = 7


def seeded_passes(x, y, batch_size, first_epoch, last_epoch, seed):
    """Pass number `e` always uses the permutation from seed + e, whichever run makes it."""
    for epoch in range(first_epoch, last_epoch):
        order = np.random.default_rng(seed + epoch).permutation(len(x))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            yield x[rows], y[rows]


parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=8)
parser.add_argument("--checkpoint", default="seeded.keras")
args = parser.parse_args()

rng = np.random.default_rng(SEED)
x = rng.normal(size=(3000, 5)).astype("float32")
y = (x @ np.array([1.0, -1.0, 0.5, 0.0, 2.0], dtype="float32") > 0).astype("float32")

initial_epoch = 0
if os.path.exists(args.checkpoint):
    model = keras.saving.load_model(args.checkpoint)
    initial_epoch = int(np.load(args.checkpoint + ".epoch.npy"))
else:
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

model.fit(
    seeded_passes(x, y, BATCH_SIZE, initial_epoch, args.epochs, SEED),
    steps_per_epoch=math.ceil(len(x) / BATCH_SIZE),
    initial_epoch=initial_epoch,
    epochs=args.epochs,
    shuffle=False,
)
model.save(args.checkpoint)
np.save(args.checkpoint + ".epoch.npy", args.epochs)
