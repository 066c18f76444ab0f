from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import Consumer, FileModel, GeneratorFunction
from genlint.rules.base import Edit, Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, node_span, site


class StopIterationInGeneratorRule(Rule):
    """
    ## What it does
    Finds `raise StopIteration` (or `raise StopIteration(…)`) inside a generator function that feeds
    `fit`, `evaluate` or `predict`, or inside a project generator it delegates to with `yield from`.

    ## Why is this bad?
    Since Python 3.7 (PEP 479) a `StopIteration` raised inside a generator does not end it: Python turns
    it into `RuntimeError: generator raised StopIteration`. Keras stops the data pass on `StopIteration`
    but not on that `RuntimeError`, so training crashes the moment the generator reaches the `raise`,
    often deep into an epoch. On the TensorFlow backend the same error arrives wrapped in
    `UnknownError: Graph execution error`. A generator ends with `return`, or by running off its end.

    ## Fix safety
    Safe: `--fix` replaces `raise StopIteration` and `raise StopIteration()` with `return`, when the raise is
    in the generator's own body and nothing around it could see the exception: not in the body of a `try` with
    handlers, in a `finally` block or under `with suppress(...)` (an `except` handler is fine). A
    `StopIteration` with arguments or a cause is left to you.

    ## Known limitations
    A `StopIteration` raised by a plain function that the generator calls, or by a bare `next(…)` on an
    exhausted iterator, ends the same way but is not reported. A `raise StopIteration` inside a `try`
    whose handler catches it in the same generator is left alone.

    ## References
    - [PEP 479: Change StopIteration handling inside generators](https://peps.python.org/pep-0479/)
    """

    code = "GEN106"
    name = "stop-iteration-in-generator"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    message = "`{name}` raises StopIteration ({where}) while it feeds `{call}` ({call_site}): {consequence}"
    help = "End a generator with `return`, not `raise StopIteration`."
    symptom = KerasSymptom(exception="RuntimeError", message="generator raised StopIteration")

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
    raise StopIteration  # error: GEN106


model.fit(batches(x_train, y_train, 32), epochs=1)
""",
            fixed="""\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
    return  # error: GEN106


model.fit(batches(x_train, y_train, 32), epochs=1)
""",
            title="the end of the data signalled the Python 2 way",
            runs=True,
        ),
        Example(
            """\
import numpy as np

MAX_BATCHES = 5000


def sampled_batches(x, y, batch_size):
    drawn = 0
    while True:
        if drawn >= MAX_BATCHES:
            raise StopIteration()  # error: GEN106
        rows = np.random.randint(0, len(x), batch_size)
        drawn += 1
        yield x[rows], y[rows]


model.fit(x=sampled_batches(x_train, y_train, 64), steps_per_epoch=500, epochs=20)
""",
            fixed="""\
import numpy as np

MAX_BATCHES = 5000


def sampled_batches(x, y, batch_size):
    drawn = 0
    while True:
        if drawn >= MAX_BATCHES:
            return  # error: GEN106
        rows = np.random.randint(0, len(x), batch_size)
        drawn += 1
        yield x[rows], y[rows]


model.fit(x=sampled_batches(x_train, y_train, 64), steps_per_epoch=500, epochs=20)
""",
            title="a batch budget ends the stream with `raise StopIteration()`",
        ),
        Example(
            """\
import json

import numpy as np


def train(model, path, epochs=3, steps=1000):
    def records():
        with open(path) as stream:
            while True:
                line = stream.readline()
                if not line:
                    raise StopIteration  # error: GEN106
                row = json.loads(line)
                yield np.asarray([row["features"]]), np.asarray([row["label"]])

    model.fit(records(), steps_per_epoch=steps, epochs=epochs)
""",
            fixed="""\
import json

import numpy as np


def train(model, path, epochs=3, steps=1000):
    def records():
        with open(path) as stream:
            while True:
                line = stream.readline()
                if not line:
                    return  # error: GEN106
                row = json.loads(line)
                yield np.asarray([row["features"]]), np.asarray([row["label"]])

    model.fit(records(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a nested generator reading a JSON-lines file stops at the end of the file",
        ),
        Example(
            """\
import math


class ShardTrainer:
    def __init__(self, model, shards, batch_size=32):
        self.model = model
        self.shards = shards
        self.batch_size = batch_size

    def stream(self):
        for shard in self.shards:
            for start in range(0, len(shard.x), self.batch_size):
                yield shard.x[start:start + self.batch_size], shard.y[start:start + self.batch_size]
        raise StopIteration("all shards read")  # error: GEN106

    def run(self):
        total = sum(math.ceil(len(shard.x) / self.batch_size) for shard in self.shards)
        self.model.fit(self.stream(), steps_per_epoch=total, epochs=1)
""",
            fixed="""\
import math


class ShardTrainer:
    def __init__(self, model, shards, batch_size=32):
        self.model = model
        self.shards = shards
        self.batch_size = batch_size

    def stream(self):
        for shard in self.shards:
            for start in range(0, len(shard.x), self.batch_size):
                yield shard.x[start:start + self.batch_size], shard.y[start:start + self.batch_size]
        raise StopIteration("all shards read")  # error: GEN106

    def run(self):
        total = sum(math.ceil(len(shard.x) / self.batch_size) for shard in self.shards)
        self.model.fit(self.stream(), steps_per_epoch=total, epochs=1)
""",
            title="a method raises after the last shard, fed to `self.model.fit`",
        ),
        Example(
            """\
from data_utils import csv_batches

model.fit(csv_batches("train.csv", 128), steps_per_epoch=400, epochs=1)
""",
            fixed="""\
from data_utils import csv_batches

model.fit(csv_batches("train.csv", 128), steps_per_epoch=400, epochs=1)
""",
            files={
                "data_utils.py": """\
import pandas as pd


def csv_batches(path, batch_size):
    reader = pd.read_csv(path, chunksize=batch_size)
    for chunk in reader:
        yield chunk.drop(columns=["label"]).to_numpy("float32"), chunk["label"].to_numpy("float32")
    raise StopIteration  # error: GEN106
"""
            },
            fixed_files={
                "data_utils.py": """\
import pandas as pd


def csv_batches(path, batch_size):
    reader = pd.read_csv(path, chunksize=batch_size)
    for chunk in reader:
        yield chunk.drop(columns=["label"]).to_numpy("float32"), chunk["label"].to_numpy("float32")
    return  # error: GEN106
""",
            },
            title="a CSV reader imported from a sibling module",
        ),
        Example(
            """\
import math


def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
    raise StopIteration  # error: GEN106


def validation_stream(x, y, batch_size):
    while True:
        yield from one_pass(x, y, batch_size)


model.fit(
    x_train,
    y_train,
    epochs=10,
    validation_data=validation_stream(x_val, y_val, 64),
    validation_steps=math.ceil(len(x_val) / 64),
)
""",
            fixed="""\
import math


def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
    return  # error: GEN106


def validation_stream(x, y, batch_size):
    while True:
        yield from one_pass(x, y, batch_size)


model.fit(
    x_train,
    y_train,
    epochs=10,
    validation_data=validation_stream(x_val, y_val, 64),
    validation_steps=math.ceil(len(x_val) / 64),
)
""",
            title="`yield from` a pass that raises, as `validation_data`",
        ),
        Example(
            """\
def labelled(paths, labels, load, batch_size):
    batch = []
    for path in paths:
        try:
            batch.append((load(path), labels[path]))
        except KeyError:
            raise StopIteration  # error: GEN106
        if len(batch) == batch_size:
            images, targets = zip(*batch)
            yield list(images), list(targets)
            batch = []


loss = model.evaluate(labelled(test_paths, test_labels, read_image, 32), steps=40)
""",
            fixed="""\
def labelled(paths, labels, load, batch_size):
    batch = []
    for path in paths:
        try:
            batch.append((load(path), labels[path]))
        except KeyError:
            return  # error: GEN106
        if len(batch) == batch_size:
            images, targets = zip(*batch)
            yield list(images), list(targets)
            batch = []


loss = model.evaluate(labelled(test_paths, test_labels, read_image, 32), steps=40)
""",
            title="a missing label ends `evaluate` from inside an `except` handler",
        ),
        Example(
            """\
import functools


def frames(video, batch_size, limit):
    for count, start in enumerate(range(0, len(video), batch_size)):
        if count == limit:
            raise StopIteration  # error: GEN106
        yield (video[start:start + batch_size],)


first_frames = functools.partial(frames, batch_size=16, limit=10)
scores = model.predict(first_frames(clip))
""",
            fixed="""\
import functools


def frames(video, batch_size, limit):
    for count, start in enumerate(range(0, len(video), batch_size)):
        if count == limit:
            return  # error: GEN106
        yield (video[start:start + batch_size],)


first_frames = functools.partial(frames, batch_size=16, limit=10)
scores = model.predict(first_frames(clip))
""",
            title="a frame limit in a `predict` generator, through `functools.partial`",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
    return


model.fit(batches(x_train, y_train, 32), epochs=1)
""",
            title="`return` ends the generator",
            runs=True,
        ),
        Example(
            """\
import random


def clips(paths, labels):
    while True:
        order = list(range(len(paths)))
        random.shuffle(order)
        for index in order:
            yield load_clip(paths[index])[None], labels[index][None]

    raise StopIteration()


model.fit(clips(train_paths, train_labels), steps_per_epoch=len(train_paths), epochs=5)
""",
            title="a `raise StopIteration()` after an endless `while True` never runs",
        ),
        Example(
            """\
import numpy as np

MAX_BATCHES = 5000


def sampled_batches(x, y, batch_size):
    for _ in range(MAX_BATCHES):
        rows = np.random.randint(0, len(x), batch_size)
        yield x[rows], y[rows]


model.fit(sampled_batches(x_train, y_train, 64), steps_per_epoch=MAX_BATCHES, epochs=1)
""",
            title="the batch budget is the loop bound: the generator runs off its end",
        ),
        Example(
            """\
def paired(images, masks):
    while True:
        try:
            image = next(images)
            mask = next(masks)
        except StopIteration:
            return
        yield image, mask


loss = model.evaluate(paired(iter(test_images), iter(test_masks)))
""",
            title="`except StopIteration: return` around `next()`, the PEP 479 idiom",
        ),
        Example(
            """\
class ShardReader:
    def __init__(self, shards):
        self.shards = list(shards)

    def __iter__(self):
        return self

    def __next__(self):
        if not self.shards:
            raise StopIteration
        return self.shards.pop(0)


def batches(shards):
    while True:
        for x, y in ShardReader(shards):
            yield x, y


model.fit(batches(train_shards), steps_per_epoch=300, epochs=5)
""",
            title="an iterator class's `__next__` raises StopIteration, as it should",
        ),
        Example(
            """\
def cycling(x, y, batch_size):
    start = 0
    while True:
        try:
            if start >= len(x):
                raise StopIteration
            yield x[start:start + batch_size], y[start:start + batch_size]
            start += batch_size
        except StopIteration:
            start = 0


model.fit(cycling(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=4)
""",
            title="the end of a pass raised and caught inside the generator",
        ),
        Example(
            """\
def windows(series, width, stride):
    start = 0
    while True:
        end = start + width
        if end > len(series):
            break
        yield series[start:end][None, :-1], series[start:end][None, -1:]
        start += stride


model.evaluate(windows(test_series, 65, 8))
""",
            title="`break` leaves the loop and the generator ends",
        ),
        Example(
            """\
import tensorflow as tf


def samples(x, y):
    for i in range(len(x)):
        yield x[i], y[i]


dataset = tf.data.Dataset.from_generator(
    samples,
    args=(x_train, y_train),
    output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
)
model.fit(dataset.batch(32), epochs=3)
""",
            title="`tf.data` calls the generator afresh for each epoch; it just ends",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                generator = source.generator
                if generator is None:
                    continue
                for raise_node in generator.stop_iteration_raises:
                    self._report(model, context, consumer, role, generator, raise_node)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        generator: GeneratorFunction,
        raise_node: nodes.Raise,
    ) -> None:
        owner = raise_node.frame()
        context.report(
            raise_node,
            name=owner.name if isinstance(owner, nodes.FunctionDef) else generator.name,
            where=site(raise_node, model.path),
            call=call_text(consumer, role=role),
            call_site=site(consumer.node, raise_node.root().file or model.path),
            consequence=(
                "PEP 479 turns it into RuntimeError: generator raised StopIteration, which Keras does not "
                "catch, so the run crashes when the generator gets there; use `return`"
            ),
            fix=_return_fix(raise_node),
        )


def _return_fix(raise_node: nodes.Raise) -> Fix | None:
    """`raise StopIteration` → `return`, where it means "end the generator" and nothing could catch it."""
    exception = raise_node.exc
    if isinstance(exception, nodes.Call) and not exception.args and not exception.keywords:
        exception = exception.func
    if raise_node.cause is not None or not (isinstance(exception, nodes.Name) and exception.name == "StopIteration"):
        return None
    owner = raise_node.frame()
    if not isinstance(owner, nodes.FunctionDef) or not owner.is_generator() or _may_be_caught(raise_node, owner):
        return None
    line, column, end_line, end_column = node_span(raise_node)
    return Fix("end the generator with `return`", (Edit(line, column, end_line, end_column, "return"),))


def _may_be_caught(raise_node: nodes.Raise, owner: nodes.FunctionDef) -> bool:
    """Whether something between the raise and its generator could see the exception, so that `return`
    would act differently: the handlers of a `try` around it, a `finally` (where `return` would swallow an
    exception in flight), or `contextlib.suppress`. Other context managers do not swallow exceptions."""
    child, parent = raise_node, raise_node.parent
    while parent is not None and parent is not owner:
        if isinstance(parent, (nodes.Try, nodes.TryStar)) and _guards(parent, child):
            return True
        if isinstance(parent, nodes.With) and any(_suppresses(manager) for manager, _ in parent.items):
            return True
        child, parent = parent, parent.parent
    return False


def _guards(statement: nodes.Try | nodes.TryStar, child: nodes.NodeNG) -> bool:
    """`child` is in the body of a `try` with handlers, or in its `finally` block."""
    return (bool(statement.handlers) and child in statement.body) or child in statement.finalbody


def _suppresses(manager: nodes.NodeNG) -> bool:
    """`suppress(...)` / `contextlib.suppress(...)`, by name."""
    if not isinstance(manager, nodes.Call):
        return False
    function = manager.func
    name = function.name if isinstance(function, nodes.Name) else getattr(function, "attrname", "")
    return name == "suppress"
