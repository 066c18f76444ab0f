"""Fixed-size records read from a gzip file; at the end of the file the inner loop breaks and the outer one
reopens it, so the stream never ends."""

import gzip
import math

import keras
import numpy as np

RECORD = 64
BATCH_SIZE = 128
N_TRAIN = 50_000


def record_batches(path, batch_size):
    features, labels = [], []
    while True:
        with gzip.open(path) as stream:
            while True:
                raw = stream.read(RECORD + 1)
                if len(raw) != RECORD + 1:
                    break  # end of file: reopen it in the outer loop
                record = np.frombuffer(raw, dtype=np.uint8)
                features.append(record[:RECORD] / 255.0)
                labels.append(record[RECORD])
                if len(features) == batch_size:
                    yield np.array(features, dtype="float32"), np.array(labels)
                    features, labels = [], []


model = keras.Sequential([keras.Input((RECORD,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(
    record_batches("train.bin.gz", BATCH_SIZE),
    steps_per_epoch=math.ceil(N_TRAIN / BATCH_SIZE),
    epochs=12,
)
