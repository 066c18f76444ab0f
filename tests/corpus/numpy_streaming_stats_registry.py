"""No Keras: streaming statistics estimators picked from a registry, each fit on a chunk generator."""

import argparse

import numpy as np


class StreamingMean:
    def fit(self, chunks, epochs=1):
        data = list(chunks)  # read the stream once, reuse it for every pass
        self.mean_ = np.zeros(data[0].shape[1])
        for _ in range(epochs):
            for chunk in data:
                self.mean_ += 0.1 * (chunk.mean(axis=0) - self.mean_)
        return self


class StreamingRange:
    def fit(self, chunks, epochs=1):
        stacked = np.concatenate(list(chunks))
        self.min_, self.max_ = stacked.min(axis=0), stacked.max(axis=0)
        return self


ESTIMATORS = {"mean": StreamingMean, "range": StreamingRange}


def read_chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


parser = argparse.ArgumentParser()
parser.add_argument("--chunk-size", type=int, default=500)
parser.add_argument("--passes", type=int, default=3)
args = parser.parse_args()

measurements = np.random.default_rng(0).normal(loc=[1.0, -2.0, 0.5], size=(10_000, 3))
for name, estimator_class in ESTIMATORS.items():
    estimator = estimator_class()
    estimator.fit(read_chunks(measurements, args.chunk_size), epochs=args.passes)
    print(name, {key: np.round(value, 3).tolist() for key, value in vars(estimator).items()})
