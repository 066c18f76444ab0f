"""Churn scoring with pandas + scikit-learn only (no Keras): chunked CSV reading with a generator."""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure", "monthly_charges"]
CATEGORICAL = ["contract", "payment"]
TARGET = "churn"


def write_fake_csv(path, n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(0, 72, n),
            "monthly_charges": rng.uniform(20, 120, n).round(2),
            "contract": rng.choice(["monthly", "yearly", "two_year"], n),
            "payment": rng.choice(["card", "bank", "check"], n),
        }
    )
    frame[TARGET] = ((frame.contract == "monthly") & (frame.tenure < 12)).astype(int)
    frame.to_csv(path, index=False)


def read_in_chunks(path, chunksize=5_000):
    for chunk in pd.read_csv(path, chunksize=chunksize):
        yield chunk.drop(columns=[TARGET]), chunk[TARGET]


with tempfile.TemporaryDirectory() as tmp:
    csv_path = Path(tmp) / "customers.csv"
    write_fake_csv(csv_path)
    frame = pd.read_csv(csv_path)

    preprocess = ColumnTransformer(
        [("num", StandardScaler(), NUMERIC), ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL)]
    )
    pipeline = Pipeline([("prep", preprocess), ("clf", LogisticRegression(max_iter=500))])
    pipeline.fit(frame.drop(columns=[TARGET]), frame[TARGET])

    # Score the file chunk by chunk, as a nightly job would, and keep an online model up to date.
    online = SGDClassifier(loss="log_loss")
    prep = pipeline.named_steps["prep"]
    scored = []
    for features, target in read_in_chunks(csv_path):
        scored.append(pd.Series(pipeline.predict_proba(features)[:, 1], index=features.index))
        online.partial_fit(prep.transform(features), target, classes=[0, 1])
    scores = pd.concat(scored)
    print("mean churn score:", round(scores.mean(), 3))
    print("online model agrees on", float((online.predict(prep.transform(frame)) == pipeline.predict(frame)).mean()))
