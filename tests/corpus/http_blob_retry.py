"""Training rows fetched from a (simulated) HTTP blob service: a failed request is simply retried."""

import io
import math

import keras
import numpy as np

BATCH_SIZE = 64
MAX_RETRIES = 5


class BlobClient:
    """Stands in for an HTTP client; roughly one request in fifty times out."""

    def __init__(self, blobs, seed=0):
        self.blobs = blobs
        self.rng = np.random.default_rng(seed)

    def get(self, key):
        if self.rng.random() < 0.02:
            raise ConnectionError(f"timeout fetching {key}")
        return self.blobs[key]


def fetch_batches(client, keys, labels, batch_size):
    while True:
        for start in range(0, len(keys), batch_size):
            rows = []
            for key in keys[start : start + batch_size]:
                for _ in range(MAX_RETRIES):
                    try:
                        payload = client.get(key)
                    except ConnectionError:
                        continue  # transient: ask for the same blob again
                    break
                else:
                    raise RuntimeError(f"{key} failed {MAX_RETRIES} times")
                rows.append(np.load(io.BytesIO(payload)))
            yield np.stack(rows), labels[start : start + batch_size]


def encode(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


rng = np.random.default_rng(5)
keys = [f"rows/{i:05d}.npy" for i in range(2560)]
client = BlobClient({key: encode(rng.normal(size=12).astype("float32")) for key in keys})
labels = rng.integers(0, 2, size=len(keys)).astype("float32")

model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(fetch_batches(client, keys, labels, BATCH_SIZE), steps_per_epoch=math.ceil(len(keys) / BATCH_SIZE), epochs=3)
