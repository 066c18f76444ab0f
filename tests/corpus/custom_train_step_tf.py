"""Denoising autoencoder with a custom train_step (TensorFlow backend): batches carry inputs only."""

import math
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


class DenoisingAutoencoder(keras.Model):
    def __init__(self, dim, code_size=8, noise=0.2):
        super().__init__()
        self.noise = noise
        self.encoder = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(code_size)])
        self.decoder = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(dim)])
        self.loss_tracker = keras.metrics.Mean(name="loss")

    def call(self, inputs, training=False):
        return self.decoder(self.encoder(inputs))

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, data):
        clean = data[0] if isinstance(data, tuple) else data
        noisy = clean + tf.random.normal(tf.shape(clean), stddev=self.noise)
        with tf.GradientTape() as tape:
            reconstruction = self(noisy, training=True)
            loss = tf.reduce_mean(tf.square(clean - reconstruction))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


def clean_signals(n, dim, seed=0):
    t = np.linspace(0, 1, dim, dtype="float32")
    freqs = np.random.default_rng(seed).uniform(1, 5, size=(n, 1)).astype("float32")
    return np.sin(2 * np.pi * freqs * t)


def unlabeled_batches(x, batch_size):
    while True:
        np.random.shuffle(x)
        for i in range(0, len(x), batch_size):
            yield (x[i : i + batch_size],)


DIM, BATCH = 64, 128
signals = clean_signals(8000, DIM)
autoencoder = DenoisingAutoencoder(DIM)
autoencoder.compile(optimizer=keras.optimizers.Adam(1e-3))
autoencoder.fit(unlabeled_batches(signals, BATCH), steps_per_epoch=math.ceil(len(signals) / BATCH), epochs=5)

restored = autoencoder.predict(signals[:4] + 0.2 * np.random.randn(4, DIM).astype("float32"), verbose=0)
print("reconstruction error:", float(np.mean((restored - signals[:4]) ** 2)))
