"""Digit-like classification with an endless batch generator (the classic Keras 2 style, ported to Keras 3)."""

import math

import keras
import numpy as np

NUM_CLASSES = 10
BATCH_SIZE = 128
EPOCHS = 8


def load_data(seed=0):
    # Stand-in for mnist.load_data(): 28x28 "images" whose class decides the mean brightness.
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, NUM_CLASSES, size=6000)
    images = rng.normal(loc=labels[:, None, None] / 10.0, scale=0.3, size=(6000, 28, 28))
    return images.astype("float32"), labels


def batch_generator(images, labels, batch_size, shuffle=True):
    n = len(images)
    while True:
        order = np.random.permutation(n) if shuffle else np.arange(n)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            x = images[idx].reshape(len(idx), -1)
            y = keras.utils.to_categorical(labels[idx], NUM_CLASSES)
            yield x, y


def build_model():
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


if __name__ == "__main__":
    images, labels = load_data()
    x_train, y_train = images[:5000], labels[:5000]
    x_test, y_test = images[5000:], labels[5000:]

    train_gen = batch_generator(x_train, y_train, BATCH_SIZE)
    val_gen = batch_generator(x_test, y_test, BATCH_SIZE, shuffle=False)
    train_steps = math.ceil(len(x_train) / BATCH_SIZE)
    val_steps = math.ceil(len(x_test) / BATCH_SIZE)

    model = build_model()
    model.summary()
    history = model.fit(
        train_gen,
        steps_per_epoch=train_steps,
        epochs=EPOCHS,
        validation_data=val_gen,
        validation_steps=val_steps,
        shuffle=False,
    )
    score = model.evaluate(batch_generator(x_test, y_test, BATCH_SIZE, shuffle=False), steps=val_steps, verbose=0)
    print("Test loss:", score[0])
    print("Test accuracy:", score[1])
