"""Per-epoch checkpoints: one endless generator object, one `fit(epochs=1)` call per loop pass."""

import glob
import os

import keras
from seglib.data.pairs import segmentation_batches

SIZE = 64
N_CLASSES = 3
EPOCHS = 20
STEPS = 256


def list_pairs(root):
    images = sorted(glob.glob(os.path.join(root, "images", "*.npy")))
    return [(path, path.replace("images", "masks")) for path in images]


def build(size, n_classes):
    inputs = keras.Input((size, size, 3))
    x = keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(n_classes, 1, activation="softmax")(x)
    outputs = keras.layers.Reshape((size * size, n_classes))(x)
    return keras.Model(inputs, outputs)


def train(model, train_root, val_root, checkpoints, epochs=EPOCHS, batch_size=4, validate=True):
    model.compile(optimizer="adadelta", loss="categorical_crossentropy", metrics=["accuracy"])
    train_gen = segmentation_batches(list_pairs(train_root), batch_size, SIZE, N_CLASSES)
    val_gen = segmentation_batches(list_pairs(val_root), batch_size, SIZE, N_CLASSES) if validate else None
    for epoch in range(epochs):
        print("Starting epoch", epoch)
        if val_gen is None:
            model.fit(train_gen, steps_per_epoch=STEPS, epochs=1)
        else:
            model.fit(train_gen, steps_per_epoch=STEPS, validation_data=val_gen, validation_steps=50, epochs=1)
        model.save_weights(f"{checkpoints}.{epoch}.weights.h5")


if __name__ == "__main__":
    train(build(SIZE, N_CLASSES), "data/train", "data/val", "checkpoints/segmenter")
