"""Train a small encoder-decoder on paired image/mask folders (the U-Net tutorial layout)."""

import math

import keras
import numpy as np
from data import paired_batches, pairs_from, unlabeled_batches
from keras import layers
from keras.preprocessing.image import ImageDataGenerator

BATCH_SIZE = 4
AUGMENT = dict(rotation_range=10, horizontal_flip=True, fill_mode="nearest")


def small_unet(size=128):
    inputs = keras.Input((size, size, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.UpSampling2D()(x)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


val_images = ImageDataGenerator().flow_from_directory(
    "data/val", classes=["images"], class_mode=None, target_size=(128, 128), batch_size=BATCH_SIZE, seed=3
)
val_masks = ImageDataGenerator().flow_from_directory(
    "data/val", classes=["masks"], class_mode=None, color_mode="grayscale", target_size=(128, 128),
    batch_size=BATCH_SIZE, seed=3,
)
model = small_unet()
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(
    paired_batches("data/train", BATCH_SIZE, AUGMENT),
    steps_per_epoch=300,
    epochs=20,
    validation_data=pairs_from(val_images, val_masks),
    validation_steps=20,
)

unseen = np.zeros((10, 128, 128, 3), dtype="float32")
masks = model.predict(unlabeled_batches(unseen, BATCH_SIZE), steps=math.ceil(len(unseen) / BATCH_SIZE))
