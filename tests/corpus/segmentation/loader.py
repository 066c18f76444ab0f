"""Tile loader for the toy segmentation project: generator methods on a data-loader class."""

import math

import numpy as np


class TileLoader:
    def __init__(self, n_tiles=600, tile=32, batch_size=16, val_fraction=0.2, seed=0):
        rng = np.random.default_rng(seed)
        self.batch_size = batch_size
        images = rng.random((n_tiles, tile, tile, 1)).astype("float32")
        masks = (images > 0.7).astype("float32")  # the "objects" are the bright pixels
        cut = int(n_tiles * (1 - val_fraction))
        self.train = (images[:cut], masks[:cut])
        self.val = (images[cut:], masks[cut:])
        self.rng = rng

    @property
    def steps_per_epoch(self):
        return math.ceil(len(self.train[0]) / self.batch_size)

    @property
    def validation_steps(self):
        return math.ceil(len(self.val[0]) / self.batch_size)

    def train_batches(self):
        images, masks = self.train
        while True:
            order = self.rng.permutation(len(images))
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                yield images[rows], masks[rows]

    def val_batches(self):
        images, masks = self.val
        while True:
            for start in range(0, len(images), self.batch_size):
                yield images[start : start + self.batch_size], masks[start : start + self.batch_size]
