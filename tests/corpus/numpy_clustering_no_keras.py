"""No Keras here: two hand-written streaming clusterers that share a fit(batches, epochs) interface."""

import argparse

import numpy as np


class StreamingKMeans:
    def __init__(self, k, lr=0.1, seed=0):
        self.k, self.lr = k, lr
        self.rng = np.random.default_rng(seed)

    def fit(self, batches, epochs=1):
        data = list(batches)  # materialise the stream once, then iterate it per epoch
        first = data[0]
        self.centers = first[self.rng.choice(len(first), self.k, replace=False)].copy()
        for _ in range(epochs):
            for chunk in data:
                nearest = ((chunk[:, None, :] - self.centers[None]) ** 2).sum(-1).argmin(1)
                for j in np.unique(nearest):
                    self.centers[j] += self.lr * (chunk[nearest == j].mean(0) - self.centers[j])
        return self

    def predict(self, x):
        return ((x[:, None, :] - self.centers[None]) ** 2).sum(-1).argmin(1)


class RunningMedoid:
    def fit(self, batches, epochs=1):
        data = np.concatenate(list(batches))
        self.center = data[np.abs(data - np.median(data, axis=0)).sum(1).argmin()]
        return self

    def predict(self, x):
        return np.zeros(len(x), dtype=int)


def make_model(name, k):
    if name == "kmeans":
        return StreamingKMeans(k)
    return RunningMedoid()


def chunks(x, size):
    for start in range(0, len(x), size):
        yield x[start : start + size]


parser = argparse.ArgumentParser()
parser.add_argument("--model", choices=["kmeans", "medoid"], default="kmeans")
parser.add_argument("--k", type=int, default=3)
parser.add_argument("--passes", type=int, default=5)
args = parser.parse_args()

rng = np.random.default_rng(0)
points = np.concatenate([rng.normal(loc=c, scale=0.3, size=(500, 2)) for c in ((0, 0), (3, 3), (0, 4))])
rng.shuffle(points)

model = make_model(args.model, args.k)
model.fit(chunks(points, 250), epochs=args.passes)
print(np.bincount(model.predict(points)))
