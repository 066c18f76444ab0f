from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import Consumer, DataSource, FileModel, SourceKind
from genlint.rules.base import Example, Fix, FixSafety, Rule, RuleContext, Severity
from genlint.rules.edits import argument_removal
from genlint.rules.messages import code_text

NOUNS = {
    SourceKind.GENERATOR_CALL: "generator",
    SourceKind.GENERATOR_EXPRESSION: "generator expression",
    SourceKind.SEQUENCE: "Sequence",
    SourceKind.DATASET: "tf.data pipeline",
}
# Where each kind of source sets its batch size, for the message (a `tf.data` pipeline: its `.batch()` call,
# when the analysis found the one that makes its batches).
BATCHED_BY = {
    SourceKind.SEQUENCE: "its `__getitem__`",
}


class BatchSizeWithGeneratorRule(Rule):
    """
    ## What it does
    Finds `batch_size=` passed to `fit`, `evaluate` or `predict` whose `x` is a data source (a generator,
    a `Sequence` / `PyDataset`, a `tf.data` pipeline), and `validation_batch_size=` passed to `fit` whose
    `validation_data` is one.

    ## Why is this bad?
    The source already yields whole batches, and Keras uses them as they come: the argument is ignored
    without a warning, in Keras 3 and tf.keras alike (a generator yielding batches of 8 trained on batches
    of 8 with `batch_size=32`, and `predict` returned 24 rows for 3 batches). A reader, or a learning-rate
    schedule tuned for the stated batch size, is misled about the batch size the model really trains on.

    ## Fix safety
    Safe: `--fix` removes the argument (with its comma; the rest of the call stays as written): it changes
    nothing at run time. A value that calls something, and a positional argument, are left alone. Set the
    batch size where the batches are built instead.

    ## Known limitations
    A `batch_size` that may be `None` (a parameter with a `None` default) is left alone.
    """

    code = "GEN205"
    name = "batch-size-with-generator"
    fix_safety = FixSafety.SAFE
    severity = Severity.WARNING
    message = (
        "`{argument}={value}` is ignored by `{call}`: its {role} is the {kind} `{source}`, whose batch size is "
        "set by {batched_by}; {keras} uses the batches as they come, silently; remove the argument"
    )

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), batch_size=64, steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN205
""",
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN205
""",
            title="the call claims 64, the generator yields 32",
        ),
        Example(
            """\
BATCH_SIZE = 256


def frames(video):
    for start in range(0, len(video), BATCH_SIZE):
        yield (video[start:start + BATCH_SIZE],)


scores = model.predict(frames(clip), batch_size=BATCH_SIZE)  # error: GEN205
""",
            fixed="""\
BATCH_SIZE = 256


def frames(video):
    for start in range(0, len(video), BATCH_SIZE):
        yield (video[start:start + BATCH_SIZE],)


scores = model.predict(frames(clip))  # error: GEN205
""",
            title="`predict` with a module constant",
        ),
        Example(
            """\
import math

import keras


class TestBatches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


loss = model.evaluate(TestBatches(x_test, y_test), batch_size=512)  # error: GEN205
""",
            fixed="""\
import math

import keras


class TestBatches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size=128, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


loss = model.evaluate(TestBatches(x_test, y_test))  # error: GEN205
""",
            title="`evaluate` of a `PyDataset`",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model, self.x, self.y = model, x, y
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.x))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.x[rows], self.y[rows]

    def train(self, epochs):
        self.model.fit(
            self.batches(),
            batch_size=self.batch_size,  # error: GEN205
            steps_per_epoch=len(self.x) // self.batch_size,
            epochs=epochs,
        )
""",
            fixed="""\
import numpy as np


class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model, self.x, self.y = model, x, y
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.x))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.x[rows], self.y[rows]

    def train(self, epochs):
        self.model.fit(
            self.batches(),
            steps_per_epoch=len(self.x) // self.batch_size,
            epochs=epochs,
        )
""",
            title="`self.batch_size` repeated in a method's `fit`",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=batches(x_val, y_val, 64),
    validation_steps=len(x_val) // 64,
    validation_batch_size=16,  # error: GEN205
    epochs=8,
)
""",
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=batches(x_val, y_val, 64),
    validation_steps=len(x_val) // 64,
    epochs=8,
)
""",
            title="`validation_batch_size` with a validation generator",
        ),
        Example(
            """\
from data_utils import stream

predictions = model.predict(stream("test.npy", 64), 64, steps=50)  # error: GEN205
""",
            fixed="""\
from data_utils import stream

predictions = model.predict(stream("test.npy", 64), 64, steps=50)  # error: GEN205
""",
            files={
                "data_utils.py": """\
import numpy as np


def stream(path, batch_size):
    data = np.load(path, mmap_mode="r")
    for start in range(0, len(data), batch_size):
        yield (np.asarray(data[start:start + batch_size]),)
""",
            },
            title="a positional batch size after a generator from a sibling module",
        ),
        Example(
            """\
import tensorflow as tf


def samples():
    for features, target in zip(x_train, y_train):
        yield features, target


train_ds = tf.data.Dataset.from_generator(
    samples, output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
).batch(32)
model.fit(train_ds, batch_size=32, epochs=3)  # error: GEN205
""",
            fixed="""\
import tensorflow as tf


def samples():
    for features, target in zip(x_train, y_train):
        yield features, target


train_ds = tf.data.Dataset.from_generator(
    samples, output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
).batch(32)
model.fit(train_ds, epochs=3)  # error: GEN205
""",
            title="a `from_generator` pipeline batched by `.batch()`",
        ),
        Example(
            """\
BATCH = 48
starts = range(0, len(x_train), BATCH)

model.fit(
    ((x_train[s:s + BATCH], y_train[s:s + BATCH]) for s in starts),
    batch_size=BATCH,  # error: GEN205
    epochs=1,
)
""",
            fixed="""\
BATCH = 48
starts = range(0, len(x_train), BATCH)

model.fit(
    ((x_train[s:s + BATCH], y_train[s:s + BATCH]) for s in starts),
    epochs=1,
)
""",
            title="a generator expression",
        ),
        Example(
            """\
import tensorflow as tf

BATCH_SIZE = 32
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(BATCH_SIZE)
model.fit(train_ds, batch_size=BATCH_SIZE, epochs=3)  # error: GEN205
""",
            fixed="""\
import tensorflow as tf

BATCH_SIZE = 32
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(BATCH_SIZE)
model.fit(train_ds, epochs=3)  # error: GEN205
""",
            title="a `tf.data` pipeline with no `.repeat()`",
        ),
        Example(
            """\
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=64)
args = parser.parse_args()


def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.evaluate(batches(x_test, y_test, args.batch_size), batch_size=args.batch_size)  # error: GEN205
""",
            fixed="""\
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=64)
args = parser.parse_args()


def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.evaluate(batches(x_test, y_test, args.batch_size))  # error: GEN205
""",
            title="an `argparse` option with a default",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="the generator alone sets the batch size",
        ),
        Example(
            """\
BATCH_SIZE = 32

model.fit(x_train, y_train, batch_size=BATCH_SIZE, validation_data=(x_val, y_val), epochs=5)
test_loss = model.evaluate(x_test, y_test, batch_size=BATCH_SIZE * 4)
predictions = model.predict(x_test, batch_size=256)
""",
            title="arrays are batched by `batch_size`",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=(x_val, y_val),
    validation_batch_size=64,
    epochs=5,
)
""",
            title="`validation_batch_size` batches validation arrays",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def train(model, epochs, batch_size=None):
    return model.fit(batches(x_train, y_train, 32), batch_size=batch_size, steps_per_epoch=3, epochs=epochs)


train(model, 4)
""",
            title="a forwarded `batch_size` that defaults to `None`",
        ),
        Example(
            """\
class StreamTrainer:
    def __init__(self, learning_rate=0.01):
        self.learning_rate = learning_rate
        self.weights = None

    def fit(self, stream, batch_size=32, steps=100):
        for _, (features, targets) in zip(range(steps), stream):
            for start in range(0, len(features), batch_size):
                self.weights = features[start:start + batch_size].mean(axis=0)
        return self


def batches():
    while True:
        yield x_train, y_train


StreamTrainer().fit(batches(), batch_size=16)
""",
            title="a project class with its own `fit(batch_size=…)`",
        ),
        Example(
            """\
import tensorflow as tf

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(96)
model.fit(train_ds.batch(32), epochs=3)
""",
            title="the `tf.data` pipeline is batched once, in `.batch()`",
        ),
        Example(
            """\
from data_utils import stream

BATCH_SIZE = 64
predictions = model.predict(stream("test.npy", BATCH_SIZE), steps=50)
""",
            files={
                "data_utils.py": """\
import numpy as np


def stream(path, batch_size):
    data = np.load(path, mmap_mode="r")
    for start in range(0, len(data), batch_size):
        yield (np.asarray(data[start:start + batch_size]),)
""",
            },
            title="the batch size goes to the sibling module's generator",
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


model.fit(Batches(x_train, y_train, batch_size=32), epochs=3)
""",
            title="`batch_size=` given to the `PyDataset`, not to `fit`",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.is_legacy:
                continue  # Keras 2's `*_generator` methods have no batch size arguments
            for name, role, source in (
                ("batch_size", "x", consumer.data),
                ("validation_batch_size", "validation_data", consumer.validation_data),
            ):
                if source is not None and source.is_data_source and name in consumer.not_none:
                    self._report(context, consumer, name, role, source)

    def _report(self, context: RuleContext, consumer: Consumer, name: str, role: str, source: DataSource) -> None:
        argument = consumer.arguments[name]
        context.report(
            argument.node,
            argument=name,
            value=code_text(argument.node, 30),
            call=consumer.method,
            role=role,
            kind=NOUNS.get(source.kind, "data source"),
            source=code_text(source.node, 50),
            batched_by=(
                f"its `{code_text(source.batch_call, 40)}`"
                if source.batch_call is not None
                else BATCHED_BY.get(source.kind, "the batches it yields")
            ),
            keras="tf.keras" if context.target == "tf-keras" else "Keras 3",
            fix=removal_fix(consumer.node, argument.node, f"remove `{name}=`"),
        )


def removal_fix(call: nodes.Call, value: nodes.NodeNG, description: str) -> Fix | None:
    """Remove a keyword argument whose value calls and assigns nothing (`f()`, `(size := 64)`), so that
    dropping it drops no side effect."""
    if next(value.nodes_of_class((nodes.Call, nodes.NamedExpr)), None) is not None:
        return None
    edit = argument_removal(call, value)
    return Fix(description, (edit,)) if edit is not None else None
