# Housing-style regression. Old habits: `while 1`, globals, full batches only.
import numpy as np
import keras
from keras import layers

np.random.seed(42)

N_FEATURES = 13
BATCH = 32
EPOCHS = 30

X = np.random.rand(2048, N_FEATURES).astype("float32")
w = np.random.rand(N_FEATURES, 1).astype("float32")
Y = X @ w + 0.05 * np.random.randn(2048, 1).astype("float32")

split = int(0.8 * len(X))
X_train, Y_train = X[:split], Y[:split]
X_val, Y_val = X[split:], Y[split:]

mean = X_train.mean(axis=0)
std = X_train.std(axis=0)


def generate_arrays(x, y, batch_size):
    # only full batches: the remainder is reshuffled into the next pass
    while 1:
        p = np.random.permutation(len(x))
        x, y = x[p], y[p]
        for i in range(0, len(x) - batch_size + 1, batch_size):
            yield (x[i:i + batch_size] - mean) / std, y[i:i + batch_size]


model = keras.Sequential()
model.add(keras.Input(shape=(N_FEATURES,)))
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(64, activation="relu"))
model.add(layers.Dense(1))
model.compile(loss="mse", optimizer=keras.optimizers.RMSprop(1e-3), metrics=["mae"])

steps_per_epoch = len(X_train) // BATCH  # every batch is full, so floor is exact
validation_steps = len(X_val) // BATCH

model.fit(generate_arrays(X_train, Y_train, BATCH),
          steps_per_epoch=steps_per_epoch,
          epochs=EPOCHS,
          validation_data=generate_arrays(X_val, Y_val, BATCH),
          validation_steps=validation_steps,
          verbose=2)

print(model.evaluate((X_val - mean) / std, Y_val, verbose=0))
