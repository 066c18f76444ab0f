import numpy as np


def blob_images(n, size=28, seed=0):
    """Grey-level images with one soft blob each."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    centers = rng.uniform(6, size - 6, size=(n, 2))
    radius = rng.uniform(2, 6, size=(n, 1, 1))
    dist2 = (yy - centers[:, 0, None, None]) ** 2 + (xx - centers[:, 1, None, None]) ** 2
    return np.exp(-dist2 / (2 * radius**2)).astype("float32")[..., None]


def clean_batches(images, batch_size):
    """Endless (images,) batches: no targets, the model corrupts its own inputs."""
    while True:
        np.random.shuffle(images)
        for i in range(0, len(images), batch_size):
            yield (images[i : i + batch_size],)
