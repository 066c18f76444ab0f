"""Mixup in NumPy on top of a repeated tf.data pipeline."""

import math
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from pipeline import NUM_CLASSES, eval_dataset, synthetic, train_dataset  # noqa: E402

BATCH_SIZE = 64
ALPHA = 0.2


def mixup(dataset, alpha, seed=0):
    """Wraps a (repeated) tf.data dataset; mixes each batch with a shuffled copy of itself."""
    rng = np.random.default_rng(seed)
    for x, y in dataset.as_numpy_iterator():
        lam = rng.beta(alpha, alpha)
        perm = rng.permutation(len(x))
        yield lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm]


x_train, y_train = synthetic(6000, seed=0)
x_val, y_val = synthetic(1000, seed=1)

model = keras.Sequential(
    [keras.Input((16,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(NUM_CLASSES, activation="softmax")]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(
    mixup(train_dataset(x_train, y_train, BATCH_SIZE), ALPHA),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    validation_data=eval_dataset(x_val, y_val, 256),
    epochs=6,
)
