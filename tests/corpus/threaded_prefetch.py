"""A background thread prepares batches while the model trains; the generator drains its queue."""

import math
import queue
import threading

import keras
import numpy as np

BATCH_SIZE = 64


class Prefetcher:
    def __init__(self, x, y, batch_size, depth=8):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.queue = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._fill, daemon=True)
        self.thread.start()

    def _fill(self):
        while not self.stop.is_set():
            order = np.random.permutation(len(self.x))
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                batch = (self.x[rows] + np.random.normal(scale=0.01, size=self.x[rows].shape)).astype("float32")
                self.queue.put((batch, self.y[rows]))

    def batches(self):
        while True:
            try:
                item = self.queue.get(timeout=1.0)
            except queue.Empty:
                continue  # the producer is still busy: wait again, nothing is lost
            yield item


rng = np.random.default_rng(1)
x = rng.normal(size=(6400, 32)).astype("float32")
y = rng.integers(0, 3, size=6400)

model = keras.Sequential([keras.Input((32,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(3)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

prefetcher = Prefetcher(x, y, BATCH_SIZE)
try:
    model.fit(prefetcher.batches(), steps_per_epoch=math.ceil(len(x) / BATCH_SIZE), epochs=3)
finally:
    prefetcher.stop.set()
