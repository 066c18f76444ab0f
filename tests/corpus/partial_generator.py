"""Binary classifier whose batch streams are built with functools.partial."""

import functools
import math

import keras
import numpy as np

rng = np.random.default_rng(7)
x_all = rng.normal(size=(4000, 20)).astype("float32")
y_all = (x_all[:, :3].sum(axis=1) > 0).astype("float32")
x_train, x_val = x_all[:3200], x_all[3200:]
y_train, y_val = y_all[:3200], y_all[3200:]


def batch_stream(features, targets, batch_size=32, noise=0.0, seed=None):
    """Endless stream of (x, y) batches, optionally with gaussian input noise."""
    local_rng = np.random.default_rng(seed)
    while True:
        order = local_rng.permutation(len(features))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            x = features[idx]
            if noise:
                x = x + local_rng.normal(scale=noise, size=x.shape).astype("float32")
            yield x, targets[idx]


train_stream = functools.partial(batch_stream, x_train, y_train, noise=0.1, seed=0)
val_stream = functools.partial(batch_stream, x_val, y_val, seed=1)

batch_size = 64
model = keras.Sequential(
    [
        keras.Input(shape=(20,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["auc"])

model.fit(
    train_stream(batch_size=batch_size),
    steps_per_epoch=math.ceil(len(x_train) / batch_size),
    validation_data=val_stream(batch_size=batch_size),
    validation_steps=math.ceil(len(x_val) / batch_size),
    epochs=10,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_auc", mode="max", patience=3)],
)
