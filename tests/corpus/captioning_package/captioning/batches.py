"""Endless (image, partial caption) → next word batches."""

import os

import numpy as np


def count_pairs(folder):
    return len(os.listdir(folder))


def caption_batches(folder, batch_size):
    names = sorted(os.listdir(folder))
    while True:
        np.random.shuffle(names)
        for start in range(0, len(names) - batch_size + 1, batch_size):
            chunk = [np.load(os.path.join(folder, name)) for name in names[start:start + batch_size]]
            images = np.stack([item["image"] for item in chunk])
            contexts = np.stack([item["context"] for item in chunk])
            next_words = np.stack([item["next_word"] for item in chunk])
            yield (images, contexts), next_words
