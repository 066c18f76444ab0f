from __future__ import annotations

from genlint.analysis.model import FileModel, SourceKind
from genlint.rules.base import Example, Rule, RuleContext, Severity
from genlint.rules.messages import code_text, site

PLAIN_GENERATORS = (SourceKind.GENERATOR_CALL, SourceKind.GENERATOR_EXPRESSION)


class SharedGeneratorObjectRule(Rule):
    """
    ## What it does
    Finds one generator object passed to `fit` both as `x` and as `validation_data`: the same name bound
    once to a generator call (`gen = batches(); fit(gen, validation_data=gen)`). Two separate calls,
    `fit(batches(), validation_data=batches())`, make two objects and are not reported.

    ## Why is this bad?
    A generator is a single stream. Every validation step pulls the next batch out of the training stream,
    so training skips the batches that were used for validation, and the validation loss is computed on
    training data. Keras 3 also replays the first 2 batches it peeked at whenever validation starts, so
    every validation sees the same 2 batches first (in the oracle, 8 batches were drawn for 6 training
    and 4 validation steps). Nothing warns about it, in Keras 3 or tf.keras.

    ## Known limitations
    A generator object reached through a name that is bound more than once, or through a container,
    is not followed.
    """

    code = "GEN207"
    name = "shared-generator-object"
    severity = Severity.WARNING
    message = (
        "`{name}` is one generator object (`{origin}`, {where}) passed to `{call}` as both x and "
        "validation_data: validation steps pull batches out of the training stream, so training skips them "
        "and validation scores training data, silently; pass a separate generator over the validation data"
    )

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_gen = batches(x_train, y_train, 32)
model.fit(
    train_gen,
    steps_per_epoch=len(x_train) // 32,
    validation_data=train_gen,  # error: GEN207
    validation_steps=2,
    epochs=5,
)
""",
            title="the training generator is also the validation generator",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, x, y, batch_size=64):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size
        self.stream = self.batches()

    def batches(self):
        while True:
            order = np.random.permutation(len(self.x))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.x[rows], self.y[rows]

    def train(self, epochs):
        steps = len(self.x) // self.batch_size
        self.model.fit(
            self.stream,
            steps_per_epoch=steps,
            validation_data=self.stream,  # error: GEN207
            validation_steps=4,
            epochs=epochs,
        )
""",
            title="one generator kept in `self.stream`",
        ),
        Example(
            """\
from data_utils import stream

model.fit(stream, steps_per_epoch=500, validation_data=stream, validation_steps=50, epochs=10)  # error: GEN207
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(path, batch_size):
    data = np.load(path)
    while True:
        for start in range(0, len(data["x"]), batch_size):
            yield data["x"][start:start + batch_size], data["y"][start:start + batch_size]


stream = batch_iter("train.npz", 64)
""",
            },
            title="a generator object created in a sibling module",
        ),
        Example(
            """\
import itertools

BATCH = 32
starts = itertools.cycle(range(0, len(x_train), BATCH))
pairs = ((x_train[s:s + BATCH], y_train[s:s + BATCH]) for s in starts)

model.fit(x=pairs, steps_per_epoch=3, validation_data=pairs, validation_steps=1, epochs=4)  # error: GEN207
""",
            title="a generator expression bound to a name, passed by keyword",
        ),
        Example(
            """\
def fold_batches(x, y, fold, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            if (start // batch_size) % 5 != fold:
                yield x[start:start + batch_size], y[start:start + batch_size]


for fold in range(5):
    gen = fold_batches(x_train, y_train, fold)
    model.fit(gen, steps_per_epoch=10, validation_data=gen, validation_steps=2, epochs=3)  # error: GEN207
""",
            title="inside a cross-validation loop",
        ),
        Example(
            """\
from tensorflow import keras


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


generator = batches(x_train, y_train, 16)
model = keras.models.load_model("model.h5")
model.fit_generator(generator, 100, 10, validation_data=generator, validation_steps=10)  # error: GEN207
""",
            title="legacy `fit_generator`",
        ),
        Example(
            """\
from functools import partial


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


make_batches = partial(batches, batch_size=128)
shared = make_batches(x_train, y_train)
model.fit(
    shared,
    steps_per_epoch=len(x_train) // 128,
    epochs=6,
    validation_data=shared,  # error: GEN207
    validation_steps=5,
)
""",
            title="a generator object made through `functools.partial`",
        ),
        Example(
            """\
def train(model, x, y, epochs=10):
    def batches():
        while True:
            for start in range(0, len(x), 64):
                yield x[start:start + 64], y[start:start + 64]

    stream = batches()
    return model.fit(
        stream,
        steps_per_epoch=len(x) // 64,
        validation_data=stream,  # error: GEN207
        validation_steps=3,
        epochs=epochs,
    )
""",
            title="a nested generator shared inside the training function",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=batches(x_val, y_val, 32),
    validation_steps=len(x_val) // 32,
    epochs=5,
)
""",
            title="one generator per role",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=3,
    validation_data=batches(x_train, y_train, 32),
    validation_steps=3,
    epochs=2,
)
""",
            title="two calls over the same arrays make two generator objects",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


data = Batches(x_train, y_train, 32)
model.fit(data, validation_data=data, epochs=3)
""",
            title="a `PyDataset` is indexed, not consumed: sharing it interleaves nothing",
        ),
        Example(
            """\
import tensorflow as tf


def samples():
    for features, target in zip(x_train, y_train):
        yield features, target


dataset = tf.data.Dataset.from_generator(
    samples, output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
).batch(32)
model.fit(dataset, validation_data=dataset, epochs=3)
""",
            title="a `tf.data` pipeline starts a fresh iteration for each role",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def make_stream(split):
    x, y = (x_train, y_train) if split == "train" else (x_val, y_val)
    return batches(x, y, 32)


model.fit(make_stream("train"), steps_per_epoch=3, validation_data=make_stream("val"), validation_steps=1)
""",
            title="a factory called once per role",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_gen = batches(x_train, y_train, 32)
model.fit(train_gen, steps_per_epoch=3, validation_data=(x_val, y_val), epochs=2)
model.evaluate(train_gen, steps=3)
""",
            title="validation arrays, and the training generator reused later by `evaluate`",
        ),
        Example(
            """\
from data_utils import batch_iter

train_stream = batch_iter("train.npz", 64)
val_stream = batch_iter("val.npz", 64)
model.fit(train_stream, steps_per_epoch=500, validation_data=val_stream, validation_steps=50, epochs=10)
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(path, batch_size):
    data = np.load(path)
    while True:
        for start in range(0, len(data["x"]), batch_size):
            yield data["x"][start:start + batch_size], data["y"][start:start + batch_size]
""",
            },
            title="two names, two generator objects",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


stream = batches(x_train, y_train, 32)
model.fit(stream, steps_per_epoch=3, epochs=2)
stream = batches(x_val, y_val, 32)
model.evaluate(stream, steps=1)
""",
            title="one name rebound to a new generator for each call",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            data, validation = consumer.data, consumer.validation_data
            if data is None or validation is None or consumer.base_method != "fit":
                continue
            if data.kind not in PLAIN_GENERATORS or validation.kind not in PLAIN_GENERATORS:
                continue
            origin = data.origin
            if origin is None or origin is not validation.origin or data.node is origin:
                continue  # `fit(batches(), validation_data=batches())`: two calls, two objects
            context.report(
                validation.node,
                name=code_text(validation.node, 30),
                origin=code_text(origin, 50),
                where=site(origin, model.path),
                call=consumer.method,
            )
