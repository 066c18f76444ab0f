"""Features read from flaky network storage: every read is retried up to 3 times, nothing is dropped."""

import math
import time

import keras
import numpy as np

BATCH_SIZE = 32


class FlakyStore:
    """Stands in for a bucket mounted over the network: about 2 % of reads fail transiently."""

    def __init__(self, arrays, seed=0):
        self.arrays = arrays
        self.rng = np.random.default_rng(seed)

    def read(self, key):
        if self.rng.random() < 0.02:
            raise OSError(f"transient error reading {key}")
        return self.arrays[key]


def remote_batches(store, keys, labels, batch_size, retries=3):
    while True:
        for start in range(0, len(keys), batch_size):
            features = []
            for key in keys[start : start + batch_size]:
                for attempt in range(retries):
                    try:
                        features.append(store.read(key))
                        break
                    except OSError:
                        time.sleep(0.01 * 2**attempt)
                        continue  # back off, then read the same key again
                else:
                    raise RuntimeError(f"{key}: still unreadable after {retries} attempts")
            yield np.stack(features), labels[start : start + batch_size]


rng = np.random.default_rng(3)
keys = [f"sample-{i:05d}.npy" for i in range(2000)]
store = FlakyStore({key: rng.normal(size=24).astype("float32") for key in keys})
labels = rng.integers(0, 2, size=len(keys)).astype("float32")

model = keras.Sequential([keras.Input((24,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(remote_batches(store, keys, labels, BATCH_SIZE), steps_per_epoch=math.ceil(len(keys) / BATCH_SIZE), epochs=3)
