"""A PyDataset that decodes each batch once and serves it from an in-memory cache afterwards."""

import math
import zlib

import keras
import numpy as np


def compress_rows(x):
    return [zlib.compress(row.tobytes()) for row in x]


class CachedBatches(keras.utils.PyDataset):
    def __init__(self, blobs, labels, n_features, batch_size=64, **kwargs):
        super().__init__(**kwargs)
        self.blobs, self.labels = blobs, labels
        self.n_features = n_features
        self.batch_size = batch_size
        self._cache = {}

    def __len__(self):
        return math.ceil(len(self.blobs) / self.batch_size)

    def __getitem__(self, index):
        try:
            return self._cache[index]
        except KeyError:
            pass  # first time this batch is asked for: decode it below
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        x = np.stack([np.frombuffer(zlib.decompress(b), dtype="float32") for b in self.blobs[rows]])
        batch = (x.reshape(-1, self.n_features), self.labels[rows])
        self._cache[index] = batch
        return batch


rng = np.random.default_rng(12)
features = rng.normal(size=(3000, 20)).astype("float32")
labels = (features[:, 3] > 0.2).astype("float32")
train = CachedBatches(compress_rows(features[:2500]), labels[:2500], 20)
val = CachedBatches(compress_rows(features[2500:]), labels[2500:], 20, batch_size=250)

model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train, validation_data=val, epochs=6)
