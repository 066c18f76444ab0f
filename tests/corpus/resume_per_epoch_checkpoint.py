"""Resumable training: one fit() call per epoch (1-based), a fresh single-pass generator each time."""

import json
import os

import keras
import numpy as np

EPOCHS = 5
BATCH = 64
WORKDIR = os.environ.get("RUN_DIR", "runs/latest")
os.makedirs(WORKDIR, exist_ok=True)
STATE = os.path.join(WORKDIR, "state.json")
WEIGHTS = os.path.join(WORKDIR, "last.weights.h5")


def one_epoch_of_batches(x, y, batch_size, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    for i in range(0, len(order), batch_size):
        rows = order[i : i + batch_size]
        yield x[rows], y[rows]


rng = np.random.default_rng(0)
x = rng.normal(size=(4000, 10)).astype("float32")
y = (x[:, :2].sum(axis=1) > 0).astype("float32")

model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

done = 0
if os.path.exists(STATE):
    with open(STATE) as handle:
        done = json.load(handle)["epochs_done"]
    model.load_weights(WEIGHTS)

for epoch in range(done + 1, EPOCHS + 1):
    history = model.fit(
        one_epoch_of_batches(x, y, BATCH, seed=epoch),
        initial_epoch=epoch - 1,
        epochs=epoch,
        verbose=2,
    )
    model.save_weights(WEIGHTS)
    with open(STATE, "w") as handle:
        json.dump({"epochs_done": epoch, "loss": history.history["loss"][-1]}, handle)
