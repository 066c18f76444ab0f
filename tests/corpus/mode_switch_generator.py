"""One generator for both phases: (x, y) batches for training, (x,) batches for inference."""

import math

import keras
import numpy as np

FEATURES = ["age", "income", "tenure", "visits"]


def make_frame(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(FEATURES))).astype("float32")
    y = (x @ np.array([0.5, -1.0, 2.0, 0.1], dtype="float32") > 0).astype("float32")
    return x, y


def batches(x, y=None, batch_size=128, training=True):
    """training=True: endless shuffled (x, y) batches. training=False: one ordered pass of (x,) batches."""
    if training:
        while True:
            idx = np.random.permutation(len(x))
            for k in range(0, len(idx), batch_size):
                sel = idx[k : k + batch_size]
                yield x[sel], y[sel]
    else:
        for k in range(0, len(x), batch_size):
            yield (x[k : k + batch_size],)


x_train, y_train = make_frame(8000, 0)
x_new, _ = make_frame(1000, 1)

model = keras.Sequential([keras.Input((len(FEATURES),)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])

model.fit(batches(x_train, y_train, batch_size=128), steps_per_epoch=math.ceil(len(x_train) / 128), epochs=4)

scores = model.predict(batches(x_new, training=False, batch_size=256), verbose=0)
print("positive rate on new customers:", float((scores > 0.5).mean()))
