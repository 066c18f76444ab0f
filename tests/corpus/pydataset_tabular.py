"""Tabular regression fed by a keras.utils.PyDataset that reshuffles every epoch."""

import math

import keras
import numpy as np


class TabularBatches(keras.utils.PyDataset):
    def __init__(self, features, targets, batch_size=256, shuffle=True, **kwargs):
        super().__init__(**kwargs)
        self.features = features
        self.targets = targets
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.indices = np.arange(len(features))
        self.on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.features) / self.batch_size)

    def __getitem__(self, index):
        rows = self.indices[index * self.batch_size : (index + 1) * self.batch_size]
        return self.features[rows], self.targets[rows]

    def on_epoch_end(self):
        if self.shuffle:
            np.random.shuffle(self.indices)


def make_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 8)).astype("float32")
    y = (np.sin(3 * x[:, 0]) + x[:, 1] ** 2 - x[:, 2]).reshape(-1, 1).astype("float32")
    return x, y


def main():
    x_train, y_train = make_data(10_000, seed=0)
    x_val, y_val = make_data(1_000, seed=1)

    train_data = TabularBatches(x_train, y_train, batch_size=256, workers=2)
    val_data = TabularBatches(x_val, y_val, batch_size=512, shuffle=False)

    inputs = keras.Input(shape=(8,))
    h = keras.layers.Dense(64, activation="gelu")(inputs)
    h = keras.layers.Dense(64, activation="gelu")(h)
    outputs = keras.layers.Dense(1)(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse", metrics=[keras.metrics.RootMeanSquaredError()])

    model.fit(
        train_data,
        validation_data=val_data,
        epochs=15,
        callbacks=[keras.callbacks.ReduceLROnPlateau(patience=2)],
    )
    print(model.evaluate(val_data, return_dict=True))


if __name__ == "__main__":
    main()
