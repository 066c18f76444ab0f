"""Tokenised news headlines as a keras.utils.PyDataset."""

import math
import re

import numpy as np
from keras.utils import PyDataset

TOPICS = ["sport", "politics", "science"]
WORDS = {
    "sport": "match goal team league coach season player score".split(),
    "politics": "vote election party minister law senate policy debate".split(),
    "science": "study cells data theory energy lab quantum research".split(),
}


def fake_headlines(n, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(TOPICS), size=n)
    texts = [" ".join(rng.choice(WORDS[TOPICS[k]], size=rng.integers(3, 9))) for k in labels]
    return texts, labels


class HeadlineBatches(PyDataset):
    def __init__(self, texts, labels, vocab, batch_size=32, maxlen=12, **kwargs):
        super().__init__(**kwargs)
        self.vocab = vocab
        self.maxlen = maxlen
        self.batch_size = batch_size
        self.tokens = np.stack([self.encode(t) for t in texts])
        self.labels = np.asarray(labels)

    def encode(self, text):
        ids = [self.vocab.get(w, 1) for w in re.findall(r"[a-z]+", text.lower())][: self.maxlen]
        return np.pad(ids, (0, self.maxlen - len(ids)))

    def __len__(self):
        return math.ceil(len(self.labels) / self.batch_size)

    def __getitem__(self, idx):
        batch = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self.tokens[batch], self.labels[batch]


def build_vocab(texts, max_size=1000):
    counts = {}
    for text in texts:
        for word in re.findall(r"[a-z]+", text.lower()):
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts, key=counts.get, reverse=True)[: max_size - 2]
    return {word: i + 2 for i, word in enumerate(ranked)}  # 0 = padding, 1 = unknown
