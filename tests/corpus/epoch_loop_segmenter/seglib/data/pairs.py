"""Image/mask pairs streamed forever: `itertools.cycle` over the shuffled pairs, batch after batch."""

import itertools
import random

import numpy as np


def load_pair(image_path, mask_path, size):
    image = np.load(image_path).astype("float32")[:size, :size] / 255.0
    mask = np.load(mask_path).astype("int64")[:size, :size]
    return image, mask


def segmentation_batches(pairs, batch_size, size, n_classes):
    pairs = list(pairs)
    random.shuffle(pairs)
    cycled = itertools.cycle(pairs)
    while True:
        images, masks = [], []
        for _ in range(batch_size):
            image_path, mask_path = next(cycled)
            image, mask = load_pair(image_path, mask_path, size)
            images.append(image)
            masks.append(np.eye(n_classes, dtype="float32")[mask].reshape(size * size, n_classes))
        yield np.array(images), np.array(masks)
