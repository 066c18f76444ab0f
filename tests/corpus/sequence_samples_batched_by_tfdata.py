"""A `tf.keras.utils.Sequence` that returns one (image, mask) sample per index, batched by `tf.data`.

`from_generator(lambda: samples)` walks the Sequence once per epoch; `.batch()` groups its samples, so
the step counts divide the number of samples by the batch size.
"""

import math

import numpy as np
import tensorflow as tf

BATCH = 8


class MaskSamples(tf.keras.utils.Sequence):
    def __init__(self, paths):
        self.paths = list(paths)

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        pair = np.load(self.paths[index])
        return pair["image"].astype("float32") / 255.0, pair["mask"].astype("float32")


def pipeline(samples, training):
    ds = tf.data.Dataset.from_generator(
        lambda: samples,
        output_signature=(tf.TensorSpec((256, 256, 3), tf.float32), tf.TensorSpec((256, 256, 1), tf.float32)),
    )
    if training:
        ds = ds.shuffle(64)
    return ds.batch(BATCH).repeat()


train_samples = MaskSamples(sorted(np.loadtxt("splits/train.txt", dtype=str)))
val_samples = MaskSamples(sorted(np.loadtxt("splits/val.txt", dtype=str)))
train_ds = (
    tf.data.Dataset.from_generator(
        lambda: train_samples,
        output_signature=(tf.TensorSpec((256, 256, 3), tf.float32), tf.TensorSpec((256, 256, 1), tf.float32)),
    )
    .batch(BATCH)
    .repeat()
)

model = tf.keras.Sequential([tf.keras.Input((256, 256, 3)), tf.keras.layers.Conv2D(1, 3, padding="same")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(
    train_ds,
    epochs=40,
    steps_per_epoch=math.ceil(len(train_samples) / BATCH),
    validation_data=pipeline(val_samples, training=False),
    validation_steps=math.ceil(len(val_samples) / BATCH),
)
