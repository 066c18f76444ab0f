from __future__ import annotations

import re

from genlint.analysis.model import Consumer, DataSource, ElementKind, FileModel, SourceKind, YieldFact, YieldShape
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, site

STEP_OF = {"fit": "train_step", "evaluate": "test_step", "predict": "predict_step"}
# Data passed at the call under a name like these holds batches or groups: `samples(x_batches, y_batches)`.
BATCHED_DATA = re.compile(r"(^|[_.])(batch|chunk|group|shard|split|bucket)|_(by|per)_", re.IGNORECASE)


class UnbatchedYieldRule(Rule):
    """
    ## What it does
    Finds a generator that yields one sample per step, such as `yield x[i], y[i]` with `i` from
    `for i in range(len(x))`, `for image, label in zip(images, labels)` or `random.randint(…)`, while it
    feeds `fit`, `evaluate` or `predict` directly.

    ## Why is this bad?
    Keras never batches what a Python generator yields: every yield is one whole batch. A single sample
    has no batch axis, so the model sees an input of the wrong rank and Keras 3 raises at the first
    batch: `ValueError: … Invalid input shape for input … Expected shape (None, 4), but input has
    incompatible shape (4,)` (for images, `Expected shape (None, 8, 8, 3), but input has incompatible
    shape (8, 8, 3)`). tf.keras fails with `expected min_ndim=2, found ndim=1`, or, for images, takes the
    image rows as the batch. Yield slices of `batch_size` samples (`x[start:start + batch_size]`), or
    give a per-sample generator to `tf.data.Dataset.from_generator(…)` and call `.batch(…)` on it.

    ## Known limitations
    The rule fires only when both the index and the container are certain: the index is a scalar (a
    `range` loop variable, an `enumerate` counter, an element of a permutation, `random.randint`), and
    the container is a parameter or a loaded array whose name does not suggest batches or groups
    (`x_batches[i]`, `features_by_query[q]` are left alone), nor do the names of the data passed to the
    generator (`samples(x_batches, y_batches)`). A list of precomputed batches passed under neutral
    names all the way (`gen(xs, ys)`) is reported wrongly; rename it or suppress the finding. A generator
    fed to `tf.data` is never reported.
    """

    code = "GEN107"
    name = "unbatched-yield"
    severity = Severity.ERROR
    message = "`{source}` yields one sample per step (`{value}`, {where}) to `{call}` ({call_site}): {consequence}"
    help = "Yield batches, `x[start:start + batch_size]`, or batch a per-sample generator with `tf.data`."
    symptom = KerasSymptom(exception="ValueError", message="Invalid input shape")

    invalid = (
        Example(
            """\
def samples(x, y):
    while True:
        for i in range(len(x)):
            yield x[i], y[i]  # error: GEN107


model.fit(samples(x_train, y_train), steps_per_epoch=len(x_train), epochs=2)
""",
            title="one row per step from a `range` index",
            runs=True,
        ),
        Example(
            """\
def train(model, images, labels, epochs=10):
    def pairs():
        while True:
            for image, label in zip(images, labels):
                yield image / 255.0, label  # error: GEN107

    model.fit(pairs(), steps_per_epoch=len(images), epochs=epochs)
    return model
""",
            title="a nested generator walks `zip(images, labels)`",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, x, y):
        self.model = model
        self.x = x
        self.y = y

    def samples(self):
        while True:
            order = np.random.permutation(len(self.x))
            for i in order:
                yield self.x[i], self.y[i]  # error: GEN107

    def run(self, epochs):
        self.model.fit(self.samples(), steps_per_epoch=len(self.x), epochs=epochs)
""",
            title="a method walks a shuffled permutation one index at a time",
        ),
        Example(
            """\
from data_utils import image_stream

IMAGE_SIZE = 128
model.fit(image_stream(train_paths, train_labels, IMAGE_SIZE), steps_per_epoch=len(train_paths), epochs=20)
""",
            files={
                "data_utils.py": """\
import cv2


def image_stream(paths, labels, size):
    while True:
        for path, label in zip(paths, labels):
            image = cv2.resize(cv2.imread(path), (size, size))
            yield image.astype("float32") / 255.0, label  # error: GEN107
"""
            },
            title="one image read with OpenCV per step, in a sibling module",
        ),
        Example(
            """\
import random


def random_samples(x, y):
    while True:
        i = random.randint(0, len(x) - 1)
        yield x[i], y[i]  # error: GEN107


model.fit(x=random_samples(x_train, y_train), steps_per_epoch=1000, epochs=5)
""",
            title="a random sample per step",
        ),
        Example(
            """\
import itertools

import numpy as np

x_train = np.load("features.npy")
y_train = np.load("targets.npy")
rows = itertools.cycle(range(len(x_train)))
model.fit(((x_train[i], y_train[i]) for i in rows), steps_per_epoch=len(x_train), epochs=3)  # error: GEN107
""",
            title="a generator expression over cycled row numbers",
        ),
        Example(
            """\
def one_at_a_time(x):
    for i in range(len(x)):
        yield (x[i],)  # error: GEN107


predictions = model.predict(one_at_a_time(x_test))
""",
            title="`predict` fed one sample at a time",
        ),
        Example(
            """\
def clicks_stream(users, items, clicks):
    while True:
        for k, clicked in enumerate(clicks):
            yield {"user": users[k], "item": items[k]}, clicked  # error: GEN107


recommender.fit(clicks_stream(user_ids, item_ids, labels), steps_per_epoch=len(labels), epochs=4)
""",
            title="named inputs indexed with an `enumerate` counter",
        ),
        Example(
            """\
import numpy as np

features = np.random.rand(600, 10).astype("float32")
labels = np.random.randint(0, 4, 600)


def sample_stream():
    while True:
        for i in range(len(features)):
            yield features[i], labels[i]  # error: GEN107


model.fit(sample_stream(), steps_per_epoch=600, epochs=3)
""",
            title="module arrays made by numpy and converted with `astype`",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="slices of `batch_size` samples",
            runs=True,
        ),
        Example(
            """\
import tensorflow as tf


def samples(x, y):
    for i in range(len(x)):
        yield x[i], y[i]


dataset = tf.data.Dataset.from_generator(
    lambda: samples(x_train, y_train),
    output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
)
model.fit(dataset.shuffle(1024).batch(32), epochs=5)
""",
            title="a per-sample generator batched by `tf.data`",
        ),
        Example(
            """\
import numpy as np


def precomputed(x, y, n_batches):
    x_batches = np.array_split(x, n_batches)
    y_batches = np.array_split(y, n_batches)
    while True:
        for i in range(n_batches):
            yield x_batches[i], y_batches[i]


model.fit(precomputed(x_train, y_train, 30), steps_per_epoch=30, epochs=8)
""",
            title="indexing a list of precomputed batches",
        ),
        Example(
            """\
import numpy as np


def online(x, y):
    while True:
        for i in range(len(x)):
            yield x[i:i + 1], np.expand_dims(y[i], 0)


model.fit(online(x_train, y_train), steps_per_epoch=len(x_train), epochs=1)
""",
            title="batches of one sample keep the batch axis",
        ),
        Example(
            """\
import numpy as np


def sampled(x, y, batch_size):
    while True:
        rows = np.random.choice(len(x), batch_size)
        yield x[rows], y[rows]


model.fit(sampled(x_train, y_train, 64), steps_per_epoch=200, epochs=10)
""",
            title="a fancy index draws a whole batch of rows",
        ),
        Example(
            """\
def query_lists(features_by_query, relevance_by_query):
    while True:
        for q in range(len(features_by_query)):
            yield features_by_query[q], relevance_by_query[q]


ranker.fit(query_lists(train_features, train_relevance), steps_per_epoch=n_queries, epochs=20)
""",
            title="one query's documents per step: each step is a group of samples",
        ),
        Example(
            """\
class RunningMean:
    def fit(self, rows):
        total, count = 0.0, 0
        for features, _ in rows:
            total, count = total + features, count + 1
        self.mean_ = total / count
        return self


def samples(x, y):
    for i in range(len(x)):
        yield x[i], y[i]


scaler = RunningMean().fit(samples(x_train, y_train))
""",
            title="a project class with its own `fit` takes one sample at a time",
        ),
        Example(
            """\
import numpy as np


def batches(x, y, index_batches):
    while True:
        for rows in index_batches:
            yield x[rows], y[rows]


index_batches = np.array_split(np.random.permutation(len(x_train)), 24)
model.fit(batches(x_train, y_train, index_batches), steps_per_epoch=24, epochs=6)
""",
            title="each index drawn from a list of index arrays is a whole batch",
        ),
        Example(
            """\
import numpy as np


def endless(xs, ys):
    while True:
        for i in range(len(xs)):
            yield xs[i], ys[i]


x_batches = np.array_split(x_train, 12)
y_batches = np.array_split(y_train, 12)
model.fit(endless(x_batches, y_batches), steps_per_epoch=len(x_batches), epochs=5)
""",
            title="the caller passes lists of precomputed batches",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                if source.kind is SourceKind.DATASET:
                    continue  # `tf.data` batches per-sample generators itself
                step = "test_step" if role == "validation_data" else STEP_OF.get(consumer.base_method, "")
                if step in consumer.custom_steps:
                    continue  # the model's own step may add the batch axis
                if any(BATCHED_DATA.search(name) for name in source.built_from):
                    continue  # the caller passes precomputed batches: each index picks a whole batch
                for fact in _sample_yields(source):
                    self._report(model, context, consumer, role, source, fact)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        source: DataSource,
        fact: YieldFact,
    ) -> None:
        context.report(
            fact.node,
            source=source.generator.name if source.generator else source.text,
            value=fact.text if len(fact.text) <= 40 else fact.text[:39] + "…",
            where=site(fact.node, model.path),
            call=call_text(consumer, role=role),
            call_site=site(consumer.node, fact.node.root().file or model.path),
            consequence=(
                "Keras uses every yield as a whole batch, so the model gets inputs without their batch axis "
                "and Keras 3 raises ValueError: Invalid input shape … Expected shape (None, …)"
            ),
        )


def _sample_yields(source: DataSource) -> list[YieldFact]:
    """Every yield of the source, when each one certainly holds a single sample as its inputs."""
    yields = list(source.yields)
    single = [fact for fact in yields if fact.shape is YieldShape.TUPLE and _is_single_sample(fact)]
    return single if single and len(single) == len(yields) else []


def _is_single_sample(fact: YieldFact) -> bool:
    elements = fact.elements
    return bool(elements) and elements[0] is ElementKind.SAMPLE and ElementKind.BATCH not in elements
