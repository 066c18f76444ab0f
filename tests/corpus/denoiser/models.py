"""Model code for the denoiser project (TensorFlow backend: the train_step uses GradientTape)."""

import keras
import tensorflow as tf
from keras import layers


class Denoiser(keras.Model):
    """Learns to remove gaussian noise; it makes its own noisy inputs, so batches carry clean images only."""

    def __init__(self, encoder, decoder, noise_std=0.1, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.noise_std = noise_std
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, images, training=False):
        return self.decoder(self.encoder(images, training=training), training=training)

    def _loss(self, clean, training):
        noisy = clean + tf.random.normal(tf.shape(clean), stddev=self.noise_std)
        return tf.reduce_mean(tf.abs(clean - self(noisy, training=training)))

    def train_step(self, data):
        (clean,) = data
        with tf.GradientTape() as tape:
            loss = self._loss(clean, training=True)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        (clean,) = data
        self.loss_tracker.update_state(self._loss(clean, training=False))
        return {"loss": self.loss_tracker.result()}


def build_model(image_size=28, width=16, noise_std=0.1, learning_rate=1e-3):
    encoder = keras.Sequential(
        [
            keras.Input((image_size, image_size, 1)),
            layers.Conv2D(width, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(width * 2, 3, strides=2, padding="same", activation="relu"),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            layers.Conv2DTranspose(width * 2, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(width, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
        ],
        name="decoder",
    )
    model = Denoiser(encoder, decoder, noise_std=noise_std)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate))
    return model
