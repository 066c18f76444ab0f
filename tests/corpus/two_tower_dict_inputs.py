"""Two-input click model: the generator yields ({"user": ..., "item": ...}, label)."""

import math

import keras
import numpy as np
from keras import layers

N_USERS, N_ITEMS = 500, 800
BATCH_SIZE = 256

rng = np.random.default_rng(5)
users = rng.integers(0, N_USERS, size=50_000)
items = rng.integers(0, N_ITEMS, size=50_000)
clicked = ((users % 7) == (items % 7)).astype("float32")


def interactions(user_ids, item_ids, labels, batch_size):
    n = len(labels)
    while True:
        perm = rng.permutation(n)
        for i in range(0, n, batch_size):
            sel = perm[i : i + batch_size]
            yield {"user": user_ids[sel], "item": item_ids[sel]}, labels[sel]


user_in = keras.Input(shape=(), dtype="int32", name="user")
item_in = keras.Input(shape=(), dtype="int32", name="item")
u = layers.Embedding(N_USERS, 16)(user_in)
v = layers.Embedding(N_ITEMS, 16)(item_in)
score = layers.Dot(axes=1)([u, v])
prob = layers.Activation("sigmoid")(score)
model = keras.Model(inputs={"user": user_in, "item": item_in}, outputs=prob)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["auc"])

train_n = 45_000
model.fit(
    interactions(users[:train_n], items[:train_n], clicked[:train_n], BATCH_SIZE),
    steps_per_epoch=math.ceil(train_n / BATCH_SIZE),
    epochs=5,
    validation_data=interactions(users[train_n:], items[train_n:], clicked[train_n:], BATCH_SIZE),
    validation_steps=math.ceil((len(users) - train_n) / BATCH_SIZE),
)

probe = {"user": np.array([1, 2, 3]), "item": np.array([8, 9, 10])}
print(model.predict(probe, verbose=0).ravel())
