"""Finite generators where they are fine: evaluate, predict, and one epoch per fit() call."""

import keras
import numpy as np

BATCH_SIZE = 50
EPOCHS = 5


def load_split(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("int32")
    return x, y


def one_pass(x, y, batch_size):
    """Yields every sample exactly once, in order."""
    for start in range(0, len(x), batch_size):
        yield x[start : start + batch_size], y[start : start + batch_size]


def inputs_only(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start : start + batch_size],)


x_train, y_train = load_split(3000, 0)
x_test, y_test = load_split(500, 1)

model = keras.Sequential(
    [keras.Input((6,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(2, activation="softmax")]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

# A fresh single-pass generator per epoch; fit() runs exactly one epoch each time.
for epoch in range(EPOCHS):
    perm = np.random.permutation(len(x_train))
    logs = model.fit(one_pass(x_train[perm], y_train[perm], BATCH_SIZE), epochs=1, verbose=0)
    print(f"epoch {epoch + 1}: loss={logs.history['loss'][-1]:.4f}")

# evaluate() and predict() read a single pass, so a finite generator is exactly right.
loss, accuracy = model.evaluate(one_pass(x_test, y_test, BATCH_SIZE), verbose=0)
print(f"test accuracy {accuracy:.3f}")

probabilities = model.predict(inputs_only(x_test, BATCH_SIZE), verbose=0)
labels = probabilities.argmax(axis=1)
print("agreement:", float((labels == y_test).mean()))

# A generator expression works too, as long as it yields tuples.
more = model.predict(((x_test[i : i + 100],) for i in range(0, len(x_test), 100)), verbose=0)
assert more.shape == (len(x_test), 2)
