from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import DataSource, FileModel
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity, code_text, site


class FromGeneratorGivenGeneratorRule(Rule):
    """
    ## What it does
    Finds `tf.data.Dataset.from_generator(...)` given a generator object (a call of a generator function,
    a generator expression, or a name bound to one) where it needs a callable, and a `lambda` that returns
    one and the same finite generator object every time (`from_generator(lambda: gen, …)`). The call is
    reported wherever it is, whether or not the dataset reaches `fit`.

    ## Why is this bad?
    tf.data calls the callable again for every pass over the dataset, so that each epoch gets a fresh
    generator. A generator object is not callable, and TensorFlow refuses it when the dataset is built:
    `TypeError: `generator` must be a Python callable.` A `lambda` that returns one shared generator object
    passes that check but hands the exhausted object back at the second epoch: in the oracle, training ran
    5, 0 and 0 steps over 3 epochs, with only the "Your input ran out of data" warning that a correct
    pipeline prints as well. That second form is reported as a `warning`, and only when the generator
    ends: an endless one simply goes on where the previous epoch stopped.

    ## Fix safety
    No automatic fix yet. When the generator function takes no arguments, passing the function itself
    is safe; otherwise wrap the call in a `lambda` (or pass the arguments through `args=`), so that each
    pass creates a new generator.
    """

    code = "GEN503"
    name = "from-generator-given-generator"
    severity = Severity.ERROR
    symptom = KerasSymptom(exception="TypeError", message="`generator` must be a Python callable")
    message = "`from_generator` is given `{argument}`, {problem}; {remedy}"

    invalid = (
        Example(
            """\
import tensorflow as tf


def samples(x, y):
    for features, target in zip(x, y):
        yield features, target


train_ds = tf.data.Dataset.from_generator(
    samples(x_train, y_train),  # error: GEN503
    output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
).batch(32)
model.fit(train_ds, epochs=3)
""",
            title="the generator function is called instead of passed",
        ),
        Example(
            """\
import tensorflow as tf


def samples():
    for features, target in zip(x_train, y_train):
        yield features, target


stream = samples()
signature = (tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
train_ds = tf.data.Dataset.from_generator(stream, output_signature=signature)  # error: GEN503
""",
            title="a name bound to the generator object",
        ),
        Example(
            """\
import tensorflow as tf


def samples(x, y):
    for row in range(len(x)):
        yield x[row], y[row]


stream = samples(x_train, y_train)
signature = (tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
train_ds = tf.data.Dataset.from_generator(lambda: stream, output_signature=signature)  # error: GEN503
model.fit(train_ds.batch(32), epochs=5)
""",
            title="a `lambda` returning one shared generator: every epoch after the first is empty",
        ),
        Example(
            """\
import tensorflow as tf


class CsvData:
    def __init__(self, rows):
        self.rows = rows

    def samples(self):
        for row in self.rows:
            yield row[:-1], row[-1:]

    def dataset(self):
        return tf.data.Dataset.from_generator(
            self.samples(),  # error: GEN503
            output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
        )
""",
            title="a generator method called through `self.`; the dataset is only returned",
        ),
        Example(
            """\
import tensorflow as tf

from data_utils import read_images

images = tf.data.Dataset.from_generator(
    read_images("train/"),  # error: GEN503
    output_signature=tf.TensorSpec((64, 64, 3), tf.uint8),
)
""",
            files={
                "data_utils.py": """\
import os

import numpy as np


def read_images(folder):
    for name in sorted(os.listdir(folder)):
        yield np.load(os.path.join(folder, name))
""",
            },
            title="a generator function from a sibling module",
        ),
        Example(
            """\
import tensorflow as tf

rows = list(zip(x_train, y_train))
train_ds = tf.data.Dataset.from_generator(
    generator=((features, target) for features, target in rows),  # error: GEN503
    output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
)
""",
            title="a generator expression passed as `generator=`",
        ),
        Example(
            """\
from tensorflow.data import Dataset


def windows(series, size):
    for end in range(size, len(series)):
        yield series[end - size:end], series[end]


def make_dataset(series, size=24):
    return Dataset.from_generator(windows(series, size), output_types=("float32", "float32"))  # error: GEN503
""",
            title="`Dataset` imported from `tensorflow.data`, inside a factory",
        ),
        Example(
            """\
import tensorflow as tf


class Pipeline:
    def __init__(self, rows):
        self.stream = self.samples(rows)

    def samples(self, rows):
        for row in rows:
            yield row[:-1], row[-1:]

    def dataset(self):
        return tf.data.Dataset.from_generator(self.stream, output_types=(tf.float32, tf.float32))  # error: GEN503
""",
            title="a generator object kept in `self.stream`",
        ),
    )
    valid = (
        Example(
            """\
import tensorflow as tf


def samples():
    for features, target in zip(x_train, y_train):
        yield features, target


train_ds = tf.data.Dataset.from_generator(
    samples,
    output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
).batch(32)
model.fit(train_ds, epochs=3)
""",
            title="the generator function itself",
        ),
        Example(
            """\
import tensorflow as tf


def samples(x, y):
    for features, target in zip(x, y):
        yield features, target


signature = (tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
train_ds = tf.data.Dataset.from_generator(lambda: samples(x_train, y_train), output_signature=signature)
model.fit(train_ds.batch(32), epochs=5)
""",
            title="a `lambda` that creates a new generator for every epoch",
        ),
        Example(
            """\
import tensorflow as tf


def records(path, limit):
    with open(path) as handle:
        for number, line in enumerate(handle):
            if number == limit:
                return
            yield line.strip()


lines = tf.data.Dataset.from_generator(
    records, args=("train.txt", 10_000), output_signature=tf.TensorSpec((), tf.string)
)
""",
            title="the arguments passed through `args=`",
        ),
        Example(
            """\
import functools

import tensorflow as tf


def samples(x, y):
    for features, target in zip(x, y):
        yield features, target


signature = (tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
train_ds = tf.data.Dataset.from_generator(functools.partial(samples, x_train, y_train), output_signature=signature)
""",
            title="`functools.partial` is a callable",
        ),
        Example(
            """\
import tensorflow as tf


def sample_source(split):
    x, y = (x_train, y_train) if split == "train" else (x_val, y_val)

    def samples():
        for features, target in zip(x, y):
            yield features, target

    return samples


signature = (tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
val_ds = tf.data.Dataset.from_generator(sample_source("val"), output_signature=signature)
""",
            title="a factory that returns the generator function, uncalled",
        ),
        Example(
            """\
class Corpus:
    def __init__(self, lines):
        self.lines = list(lines)

    @classmethod
    def from_generator(cls, lines):
        return cls(lines)


def read_lines(path):
    with open(path) as handle:
        for line in handle:
            yield line.rstrip("\\n")


corpus = Corpus.from_generator(read_lines("corpus.txt"))
""",
            title="a project class's own `from_generator` that takes an iterable",
        ),
        Example(
            """\
import tensorflow as tf


class CsvData:
    def __init__(self, rows):
        self.rows = rows

    def samples(self):
        for row in self.rows:
            yield row[:-1], row[-1:]

    def dataset(self):
        return tf.data.Dataset.from_generator(
            self.samples,
            output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
        )
""",
            title="a bound generator method is a callable",
        ),
        Example(
            """\
import tensorflow as tf


def endless(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


stream = endless(x_train, y_train, 32)
signature = (tf.TensorSpec((None, 4), tf.float32), tf.TensorSpec((None, 1), tf.float32))
train_ds = tf.data.Dataset.from_generator(lambda: stream, output_signature=signature)
model.fit(train_ds, steps_per_epoch=3, epochs=5)
""",
            title="a `lambda` over one endless generator: each epoch goes on where the last one stopped",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for dataset in model.generator_datasets:
            given = dataset.generator_object
            if given is None:
                continue
            if isinstance(given.node, nodes.Lambda):
                if given.is_finite:  # an endless generator just goes on where the last epoch stopped
                    self._report_shared(model, context, given)
            else:
                self._report_object(model, context, given)

    def _report_object(self, model: FileModel, context: RuleContext, given: DataSource) -> None:
        origin = given.origin if given.origin is not None else given.node
        context.report(
            given.node,
            argument=code_text(given.node, 40),
            problem=(
                f"a generator object ({_made_by(given, model.path)}), where it needs a callable that returns one: "
                "TensorFlow raises TypeError: `generator` must be a Python callable"
            ),
            remedy=_callable_fix(origin),
        )

    def _report_shared(self, model: FileModel, context: RuleContext, given: DataSource) -> None:
        origin = given.origin if given.origin is not None else given.node
        context.report(
            given.node,
            severity=Severity.WARNING,
            argument=code_text(given.node, 40),
            problem=(
                f"which returns one and the same generator object ({_made_by(given, model.path)}) each time "
                "tf.data calls it: the first epoch uses it up and every later epoch is empty, silently"
            ),
            remedy=f"create the generator inside the lambda: `lambda: {code_text(origin, 50)}`",
        )


def _made_by(given: DataSource, home: str) -> str:
    """`made by `samples()`, line 9, a call of the generator function `samples` (line 4)`."""
    origin = given.origin if given.origin is not None else given.node
    parts = []
    if origin is not given.node:
        parts.append(f"made by `{code_text(origin, 40)}`, {site(origin, home)}")
    if given.generator is not None:
        parts.append(f"a call of the generator function `{given.generator.name}` ({site(given.generator.node, home)})")
    elif isinstance(origin, nodes.GeneratorExp):
        parts.append("a generator expression")
    return ", ".join(parts)


def _callable_fix(origin: nodes.NodeNG) -> str:
    if isinstance(origin, nodes.Call) and not origin.args and not origin.keywords:
        return f"pass the function itself: `{code_text(origin.func, 40)}`"
    return f"pass a callable that creates it: `lambda: {code_text(origin, 50)}`"
