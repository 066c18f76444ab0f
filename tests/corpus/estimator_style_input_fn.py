"""A port of a tf.estimator project: input_fn(num_epochs=None) repeats forever, num_epochs=1 is one pass."""

import math

import keras
import numpy as np

BATCH_SIZE = 128
TRAIN_EPOCHS = 6


def input_fn(features, labels, batch_size, num_epochs=None, shuffle=True):
    """Yields (features, labels) batches for `num_epochs` passes, or forever when num_epochs is None."""
    completed = 0
    while True:
        order = np.random.permutation(len(features)) if shuffle else np.arange(len(features))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            yield features[rows], labels[rows]
        completed += 1
        if num_epochs is not None and completed >= num_epochs:
            return


rng = np.random.default_rng(0)
x = rng.normal(size=(10_000, 14)).astype("float32")
y = (x[:, 0] - x[:, 5] + 0.5 * x[:, 9] > 0).astype("int32")
x_train, y_train, x_eval, y_eval = x[:8000], y[:8000], x[8000:], y[8000:]

model = keras.Sequential([keras.Input((14,)), keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

model.fit(
    input_fn(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    epochs=TRAIN_EPOCHS,
)
results = model.evaluate(input_fn(x_eval, y_eval, BATCH_SIZE, num_epochs=1, shuffle=False), return_dict=True)
print(results)
