"""Image classifier from .npy files on disk; unreadable files are logged and skipped together with their label."""

import logging
import math
import tempfile
from pathlib import Path

import keras
import numpy as np

log = logging.getLogger("train")
logging.basicConfig(level=logging.INFO)

IMG_SHAPE = (16, 16, 1)
BATCH_SIZE = 32


def write_dataset(folder, n=400, corrupt_every=37):
    rng = np.random.default_rng(0)
    paths, labels = [], []
    for i in range(n):
        label = int(rng.integers(0, 2))
        path = Path(folder) / f"img_{i:04d}.npy"
        if i % corrupt_every == 0:
            path.write_bytes(b"not an array")
        else:
            np.save(path, rng.normal(loc=label, size=IMG_SHAPE).astype("float32"))
        paths.append(str(path))
        labels.append(label)
    return paths, np.array(labels, dtype="float32")


def image_batches(paths, labels, batch_size):
    """Endless batches; a file that fails to load is dropped with its label, so x and y stay aligned."""
    while True:
        order = np.random.permutation(len(paths))
        images, targets = [], []
        for i in order:
            try:
                image = np.load(paths[i])
            except (OSError, ValueError) as err:
                log.warning("skipping %s: %s", paths[i], err)
                continue
            images.append(image)
            targets.append(labels[i])
            if len(images) == batch_size:
                yield np.stack(images), np.array(targets)
                images, targets = [], []
        if images:
            yield np.stack(images), np.array(targets)


with tempfile.TemporaryDirectory() as tmp:
    paths, labels = write_dataset(tmp)
    model = keras.Sequential([
        keras.Input(IMG_SHAPE),
        keras.layers.Conv2D(8, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(image_batches(paths, labels, BATCH_SIZE), steps_per_epoch=math.ceil(len(paths) / BATCH_SIZE), epochs=3)
