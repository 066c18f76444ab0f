"""Augmentation that wraps any (image, mask) batch stream."""

import numpy as np


def flip_and_rotate(batches, seed=None):
    rng = np.random.default_rng(seed)
    for images, masks in batches:
        if rng.random() < 0.5:
            images, masks = images[:, :, ::-1], masks[:, :, ::-1]
        k = int(rng.integers(0, 4))
        yield np.rot90(images, k, axes=(1, 2)), np.rot90(masks, k, axes=(1, 2))
