"""A hand-written training loop: the script pulls batches itself with next() and train_on_batch()."""

import time

import keras
import numpy as np

BATCH_SIZE = 64
STEPS_PER_EPOCH = 40
EPOCHS = 6


def sample_batches(x, y, batch_size):
    while True:
        idx = np.random.randint(0, len(x), size=batch_size)
        yield x[idx], y[idx]


def val_batches(x, y, batch_size):
    for i in range(0, len(x), batch_size):
        yield x[i : i + batch_size], y[i : i + batch_size]


rng = np.random.default_rng(0)
x_train = rng.normal(size=(5000, 12)).astype("float32")
y_train = (x_train.sum(axis=1, keepdims=True) > 0).astype("float32")
x_val = rng.normal(size=(640, 12)).astype("float32")
y_val = (x_val.sum(axis=1, keepdims=True) > 0).astype("float32")

model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(24, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))

stream = sample_batches(x_train, y_train, BATCH_SIZE)
best = float("inf")
for epoch in range(EPOCHS):
    start = time.time()
    losses = []
    for step in range(STEPS_PER_EPOCH):
        xb, yb = next(stream)
        losses.append(model.train_on_batch(xb, yb))
    val_losses = [model.test_on_batch(xb, yb) for xb, yb in val_batches(x_val, y_val, BATCH_SIZE)]
    val_loss = float(np.mean(val_losses))
    print(f"epoch {epoch}: loss={np.mean(losses):.4f} val_loss={val_loss:.4f} ({time.time() - start:.1f}s)")
    if val_loss < best:
        best = val_loss
        model.save_weights("best.weights.h5")

logits = model.predict_on_batch(x_val[:8])
print(keras.ops.sigmoid(logits))
