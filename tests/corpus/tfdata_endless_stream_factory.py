"""A masked autoencoder fed by `tf.data` over an endless generator that a factory builds per array.

The pipeline never ends (the generator loops forever), so every consumer passes its step count; the
stream of single windows has no partial batch, so the floor division loses nothing.
"""

import numpy as np
import tensorflow as tf
from autoencoders import build_masked_autoencoder

windows = np.load("windows.npy")
np.random.shuffle(windows)
split = int(len(windows) * 0.2)
val_windows, train_windows = windows[:split], windows[split:]

BATCH = 256
train_steps = len(train_windows) // BATCH
val_steps = len(val_windows) // BATCH


def endless_pairs(rows):
    def stream():
        while True:
            for row in rows:
                yield row, row

    return stream


signature = (tf.TensorSpec((128, 4), tf.float32), tf.TensorSpec((128, 4), tf.float32))
train_ds = (
    tf.data.Dataset.from_generator(endless_pairs(train_windows), output_signature=signature)
    .shuffle(4096)
    .batch(BATCH)
    .prefetch(tf.data.AUTOTUNE)
)
val_ds = tf.data.Dataset.from_generator(endless_pairs(val_windows), output_signature=signature).batch(BATCH)

model = build_masked_autoencoder(input_shape=(128, 4))
model.compile(optimizer="adam", loss="mse")
model.fit(
    x=train_ds,
    y=None,
    epochs=100,
    steps_per_epoch=train_steps,
    validation_data=val_ds,
    validation_steps=val_steps,
)
model.evaluate(val_ds, steps=val_steps)
