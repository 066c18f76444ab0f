"""Batch generators shared by the training scripts in this folder.

The images are pre-decoded `.npy` files listed in a CSV manifest (`path,label`).
"""

from __future__ import annotations

import csv
import random

import numpy as np


def read_manifest(manifest_path):
    """Return the image paths and integer labels listed in a CSV manifest."""
    paths, labels = [], []
    with open(manifest_path, newline="") as handle:
        for row in csv.DictReader(handle):
            paths.append(row["path"])
            labels.append(int(row["label"]))
    return paths, np.array(labels)


def image_batches(paths, labels, batch_size):
    """Endless (images, labels) batches, reshuffled every epoch."""
    order = list(range(len(paths)))
    while True:
        random.shuffle(order)
        for start in range(0, len(order), batch_size):
            chosen = order[start : start + batch_size]
            images = []
            for index in chosen:
                try:
                    images.append(np.load(paths[index]))
                except FileNotFoundError:
                    # A few files went missing in the last sync; skip them.
                    continue
            yield np.stack(images), labels[chosen]


def array_batches(x, y, batch_size):
    """Endless (x, y) batches from in-memory arrays."""
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start : start + batch_size], y[start : start + batch_size]


def single_pass_batches(x, y, batch_size):
    """One pass over the arrays: handy for a quick look at the data."""
    for start in range(0, len(x), batch_size):
        yield x[start : start + batch_size], y[start : start + batch_size]


def inputs_only(x, batch_size):
    """Endless (x,) batches for `predict`, which needs no targets."""
    while True:
        for start in range(0, len(x), batch_size):
            yield (x[start : start + batch_size],)
