"""Small sentiment model: batches are padded once up front, then cycled forever."""

import math
from itertools import cycle

import keras
import numpy as np

VOCAB = 5000
MAXLEN = 80
BATCH_SIZE = 64


def fake_reviews(n, seed):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(10, 200, size=n)
    labels = rng.integers(0, 2, size=n)
    docs = [list(rng.integers(1 + 100 * lab, VOCAB, size=length)) for length, lab in zip(lengths, labels)]
    return docs, labels


def make_batches(docs, labels, batch_size):
    batches = []
    for start in range(0, len(docs), batch_size):
        x = keras.utils.pad_sequences(docs[start : start + batch_size], maxlen=MAXLEN)
        y = np.asarray(labels[start : start + batch_size], dtype="float32")
        batches.append((x, y))
    return batches


def endless(batches):
    for x, y in cycle(batches):
        yield x, y


train_docs, train_labels = fake_reviews(3000, seed=1)
val_docs, val_labels = fake_reviews(600, seed=2)
train_batches = make_batches(train_docs, train_labels, BATCH_SIZE)
val_batches = make_batches(val_docs, val_labels, BATCH_SIZE)

model = keras.Sequential(
    [
        keras.Input(shape=(MAXLEN,), dtype="int32"),
        keras.layers.Embedding(VOCAB, 32),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

model.fit(
    endless(train_batches),
    steps_per_epoch=len(train_batches),
    epochs=5,
    validation_data=endless(val_batches),
    validation_steps=math.ceil(len(val_docs) / BATCH_SIZE),
    shuffle=False,
)
