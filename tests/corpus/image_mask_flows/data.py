"""Image/mask pairs for a segmentation model, from two Keras image iterators that share a seed."""

import numpy as np
from keras.preprocessing.image import ImageDataGenerator


def scale_pair(images, masks):
    masks = (masks / 255.0 > 0.5).astype("float32")
    return images / 255.0, masks


def paired_batches(folder, batch_size, augment, size=(128, 128), seed=7):
    # Each `flow_from_directory` iterator starts a new pass when one ends, so the zip never runs out.
    image_flow = ImageDataGenerator(**augment).flow_from_directory(
        folder, classes=["images"], class_mode=None, target_size=size, batch_size=batch_size, seed=seed
    )
    mask_flow = ImageDataGenerator(**augment).flow_from_directory(
        folder, classes=["masks"], class_mode=None, color_mode="grayscale", target_size=size,
        batch_size=batch_size, seed=seed,
    )
    for images, masks in zip(image_flow, mask_flow):
        yield scale_pair(images, masks)


def unlabeled_batches(images, batch_size):
    flow = ImageDataGenerator(rescale=1 / 255.0).flow(images, batch_size=batch_size, shuffle=False)
    for batch in flow:
        yield (np.asarray(batch, dtype="float32"),)


def pairs_from(image_flow, mask_flow):
    pairs = zip(image_flow, mask_flow)
    for images, masks in pairs:
        yield scale_pair(images, masks)
