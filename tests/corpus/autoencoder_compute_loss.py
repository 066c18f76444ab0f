"""Backend-agnostic autoencoder: the model overrides compute_loss, so batches are (x,) and compile() has no loss."""

import math

import keras
import numpy as np
from keras import layers, ops


class AutoEncoder(keras.Model):
    def __init__(self, dim, bottleneck=4, **kwargs):
        super().__init__(**kwargs)
        self.encoder = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(bottleneck)])
        self.decoder = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(dim)])

    def call(self, inputs):
        return self.decoder(self.encoder(inputs))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return ops.mean(ops.square(x - y_pred))


def unlabeled(x, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield (x[start : start + batch_size],)


rng = np.random.default_rng(9)
latent = rng.normal(size=(5000, 4)).astype("float32")
data = np.tanh(latent @ rng.normal(size=(4, 20)).astype("float32"))

model = AutoEncoder(dim=20)
model.compile(optimizer=keras.optimizers.Adam(2e-3))
model.fit(unlabeled(data, 64), steps_per_epoch=math.ceil(len(data) / 64), epochs=8)

codes = model.encoder.predict(data[:10], verbose=0)
print(codes.shape)
