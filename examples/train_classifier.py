"""Train a small CNN that sorts 64x64 product photos into ten categories."""

from __future__ import annotations

import math

import keras
from data_utils import array_batches, image_batches, read_manifest
from keras import layers

BATCH_SIZE = 32
EPOCHS = 15


def build_model(num_classes):
    model = keras.Sequential(
        [
            keras.Input(shape=(64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    train_paths, train_labels = read_manifest("data/train.csv")
    val_paths, val_labels = read_manifest("data/val.csv")
    model = build_model(num_classes=10)

    steps = len(train_paths) / BATCH_SIZE
    model.fit(
        image_batches(train_paths, train_labels, BATCH_SIZE),
        steps_per_epoch=steps,
        validation_data=image_batches(val_paths, val_labels, BATCH_SIZE),
        epochs=EPOCHS,
    )

    test_x, test_y = keras.datasets.cifar10.load_data()[1]
    loss, accuracy = model.evaluate(
        array_batches(test_x, test_y, BATCH_SIZE),
        steps=math.ceil(len(test_x) / BATCH_SIZE),
    )
    print(f"test loss {loss:.3f}, accuracy {accuracy:.3f}")
    model.save("classifier.keras")


if __name__ == "__main__":
    main()
