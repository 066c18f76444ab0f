"""An autoencoder script from the Keras 2 days, not yet ported to Keras 3."""

from __future__ import annotations

import numpy as np
from data_utils import array_batches
from tensorflow import keras

BATCH_SIZE = 128


def noisy_images(images, batch_size):
    """Endless batches of noisy images; the autoencoder learns to restore them."""
    while True:
        for start in range(0, len(images), batch_size):
            clean = images[start : start + batch_size]
            noise = np.random.normal(0.0, 0.1, clean.shape)
            yield np.clip(clean + noise, 0.0, 1.0)


def build_autoencoder():
    inputs = keras.Input(shape=(784,))
    code = keras.layers.Dense(32, activation="relu")(inputs)
    outputs = keras.layers.Dense(784, activation="sigmoid")(code)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def main():
    (x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

    autoencoder = build_autoencoder()
    autoencoder.fit_generator(
        noisy_images(x_train, BATCH_SIZE),
        steps_per_epoch=len(x_train) // BATCH_SIZE,
        epochs=20,
        workers=4,
    )
    test_steps = len(x_test) // BATCH_SIZE
    loss = autoencoder.evaluate_generator(array_batches(x_test, x_test, BATCH_SIZE), steps=test_steps)
    restored = autoencoder.predict_generator(array_batches(x_test, x_test, BATCH_SIZE), steps=test_steps)
    print(f"reconstruction loss {loss:.4f}, restored {len(restored)} images")


if __name__ == "__main__":
    main()
