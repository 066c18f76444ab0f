"""The classic `iterate_minibatches` helper, with a `forever` switch for Keras' fit()."""

import math

import keras
import numpy as np


def iterate_minibatches(inputs, targets, batchsize, shuffle=False, forever=False):
    assert len(inputs) == len(targets)
    while True:
        indices = np.arange(len(inputs))
        if shuffle:
            np.random.shuffle(indices)
        for start_idx in range(0, len(inputs), batchsize):
            excerpt = indices[start_idx : start_idx + batchsize]
            yield inputs[excerpt], targets[excerpt]
        if not forever:
            break


def load_dataset():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3000, 2)).astype("float32")
    y = ((x[:, 0] ** 2 + x[:, 1] ** 2) < 1.0).astype("int32")
    return x[:2400], y[:2400], x[2400:], y[2400:]


X_train, y_train, X_test, y_test = load_dataset()
BATCHSIZE = 50
NUM_EPOCHS = 12

network = keras.Sequential(
    [
        keras.Input((2,)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ]
)
network.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

network.fit(
    iterate_minibatches(X_train, y_train, BATCHSIZE, shuffle=True, forever=True),
    steps_per_epoch=math.ceil(len(X_train) / BATCHSIZE),
    epochs=NUM_EPOCHS,
    verbose=2,
)

# One ordered pass for the final numbers.
test_loss, test_acc = network.evaluate(iterate_minibatches(X_test, y_test, 500), verbose=0)
print("Final results:")
print(f"  test loss:\t\t\t{test_loss:.6f}")
print(f"  test accuracy:\t\t{test_acc * 100:.2f} %")
