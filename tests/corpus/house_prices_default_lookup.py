"""House prices: each batch joins a per-district lookup table, falling back to the median when a district is unknown."""

import math

import keras
import numpy as np

BATCH_SIZE = 64


def load(n=6000, seed=0):
    rng = np.random.default_rng(seed)
    districts = rng.choice([f"D{i:02d}" for i in range(40)], size=n)
    area = rng.uniform(30, 200, size=n).astype("float32")
    rooms = rng.integers(1, 7, size=n).astype("float32")
    # the survey only covers 30 of the 40 districts
    income = {f"D{i:02d}": float(rng.uniform(20, 120)) for i in range(30)}
    price = area * 3 + rooms * 10 + np.array([income.get(d, 60.0) for d in districts]) + rng.normal(0, 5, n)
    return districts, np.stack([area / 100, rooms / 5], axis=1), price.astype("float32"), income


def housing_batches(districts, numeric, price, income, batch_size):
    median_income = float(np.median(list(income.values())))
    while True:
        order = np.random.permutation(len(price))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            district_income = []
            for district in districts[rows]:
                value = median_income
                try:
                    value = income[district]
                except KeyError:
                    pass  # district not surveyed: keep the median
                district_income.append(value / 100)
            features = np.concatenate([numeric[rows], np.array(district_income, dtype="float32")[:, None]], axis=1)
            yield features, price[rows]


districts, numeric, price, income = load()
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
model.fit(
    housing_batches(districts, numeric, price, income, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(price) / BATCH_SIZE),
    epochs=10,
    verbose=2,
)
