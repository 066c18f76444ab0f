"""Tabular + metadata model: each batch joins optional per-patient metadata, imputing what is missing."""

import math

import keras
import numpy as np

BATCH_SIZE = 32
DEFAULT_AGE = 50.0


def build_cohort(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    ids = [f"P{i:05d}" for i in range(n)]
    labs = rng.normal(size=(n, 6)).astype("float32")
    outcome = (labs[:, 0] + rng.normal(scale=0.5, size=n) > 0).astype("float32")
    # metadata exists for roughly two patients in three
    metadata = {pid: {"age": float(rng.integers(18, 90))} for pid in ids if rng.random() < 0.66}
    return ids, labs, outcome, metadata


def patient_batches(ids, labs, outcome, metadata, batch_size):
    while True:
        for start in range(0, len(ids), batch_size):
            ages = np.full(len(ids[start : start + batch_size]), DEFAULT_AGE, dtype="float32")
            for k, pid in enumerate(ids[start : start + batch_size]):
                try:
                    ages[k] = metadata[pid]["age"]
                except KeyError:
                    pass  # no metadata for this patient: keep the imputed default age
            features = np.concatenate([labs[start : start + batch_size], ages[:, None] / 100.0], axis=1)
            yield features, outcome[start : start + batch_size]


ids, labs, outcome, metadata = build_cohort()
model = keras.Sequential([keras.Input((7,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["auc"])
model.fit(
    patient_batches(ids, labs, outcome, metadata, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(ids) / BATCH_SIZE),
    epochs=5,
)
