"""One pass over a large JSONL file, cut into "virtual epochs" of 200 steps for checkpoints and logging.

The file holds far more batches than steps_per_epoch * epochs, so the stream never runs dry.
"""

import json
import os
import tempfile

import keras
import numpy as np

BATCH_SIZE = 64
STEPS_PER_EPOCH = 200
EPOCHS = 5
N_FEATURES = 16


def write_fake_jsonl(path, rows=80_000, seed=0):
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=N_FEATURES)
    with open(path, "w") as handle:
        for _ in range(rows):
            x = rng.normal(size=N_FEATURES)
            handle.write(json.dumps({"x": x.round(4).tolist(), "y": float(x @ weights > 0)}) + "\n")


def jsonl_batches(path, batch_size):
    """Reads the file once, front to back."""
    xs, ys = [], []
    with open(path) as handle:
        for line in handle:
            record = json.loads(line)
            xs.append(record["x"])
            ys.append(record["y"])
            if len(xs) == batch_size:
                yield np.asarray(xs, dtype="float32"), np.asarray(ys, dtype="float32")
                xs, ys = [], []


with tempfile.TemporaryDirectory() as tmp:
    data_path = os.path.join(tmp, "train.jsonl")
    write_fake_jsonl(data_path)  # 80 000 rows = 1 250 full batches; the run needs 1 000

    model = keras.Sequential([keras.Input((N_FEATURES,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(
        jsonl_batches(data_path, BATCH_SIZE),
        steps_per_epoch=STEPS_PER_EPOCH,
        epochs=EPOCHS,
        callbacks=[keras.callbacks.ModelCheckpoint(os.path.join(tmp, "epoch{epoch:02d}.keras"))],
        verbose=2,
    )
