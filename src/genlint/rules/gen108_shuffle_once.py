from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import Consumer, FileModel, Finiteness, GeneratorFunction, ValueType
from genlint.rules.base import Edit, Example, Fix, FixSafety, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text, site
from genlint.rules.reindent import layout_of


class ShuffleOnceRule(Rule):
    """
    ## What it does
    Finds an endless generator that shuffles its sample order once, before its unbounded loop
    (`np.random.shuffle(idx)`, `random.shuffle(samples)`, `idx = np.random.permutation(n)`,
    `x, y = sklearn.utils.shuffle(x, y)`, `df = df.sample(frac=1)`), and never again inside it, while it
    feeds `fit` for more than one epoch.

    ## Why is this bad?
    The generator object lives through the whole of `fit`, so the code before its loop runs once: every
    epoch walks the samples in the same order and builds the same batches. Nothing fails and no warning
    points at it; `fit(shuffle=True)` cannot help, since Keras ignores it for a generator ("The generator
    is expected to yield already-shuffled data"). Training runs, but every epoch repeats one sequence of
    gradient steps, which gives up what reshuffling each epoch is for.

    ## Fix safety
    Unsafe: `--fix --unsafe-fixes` moves the shuffle into the unbounded loop, as its first statement, so
    that each pass draws a new order. This changes the batches every epoch after the first (the point of
    the fix), and a seeded run no longer repeats the batches of the unfixed code. It is offered only when
    that is clearly where the shuffle belongs: the shuffle is the generator's only one, a statement of its
    own right before a `while True` loop, and the loop's body makes whole passes over the data (every yield
    sits in a `for` loop in it). Otherwise (a shuffle followed by code that uses its result, a loop over
    `itertools.cycle`) there is no fix.

    ## Known limitations
    Shuffles outside the generator (in the caller, or in `__init__` for a method) are not seen. Any call
    in the loop that shuffles or samples (`choice`, `randint`, a project helper that shuffles) silences
    the rule, even when it reorders something else.
    """

    code = "GEN108"
    name = "shuffle-once"
    severity = Severity.WARNING
    default_enabled = False
    fix_safety = FixSafety.UNSAFE
    message = (
        "`{name}` shuffles the sample order once, before its unbounded loop (`{shuffle}`, {where}), and never "
        "inside it: every epoch of `{call}` ({call_site}) sees the samples in the same order"
    )
    help = "Move the shuffle inside the unbounded loop, before each pass over the data."

    invalid = (
        Example(
            """\
import math

import numpy as np


def batches(x, y, batch_size):
    order = np.random.permutation(len(x))  # error: GEN108
    while True:
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=20)
""",
            fixed="""\
import math

import numpy as np


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))  # error: GEN108
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=20)
""",
            title="a permutation drawn once, before `while True`",
        ),
        Example(
            """\
import math

import numpy as np


def train(model, x, y, epochs=30, batch_size=64):
    def shuffled_batches():
        indices = np.arange(len(x))
        np.random.shuffle(indices)  # error: GEN108
        while True:
            for start in range(0, len(indices), batch_size):
                rows = indices[start:start + batch_size]
                yield x[rows], y[rows]

    model.fit(shuffled_batches(), steps_per_epoch=math.ceil(len(x) / batch_size), epochs=epochs)
""",
            fixed="""\
import math

import numpy as np


def train(model, x, y, epochs=30, batch_size=64):
    def shuffled_batches():
        indices = np.arange(len(x))
        while True:
            np.random.shuffle(indices)  # error: GEN108
            for start in range(0, len(indices), batch_size):
                rows = indices[start:start + batch_size]
                yield x[rows], y[rows]

    model.fit(shuffled_batches(), steps_per_epoch=math.ceil(len(x) / batch_size), epochs=epochs)
""",
            title="a nested generator shuffles its indices in place once",
        ),
        Example(
            """\
import math
import random

import numpy as np


class Trainer:
    def __init__(self, model, paths, labels, batch_size=16):
        self.model = model
        self.paths = paths
        self.labels = labels
        self.batch_size = batch_size

    def batches(self):
        pairs = list(zip(self.paths, self.labels))
        random.shuffle(pairs)  # error: GEN108
        while True:
            for start in range(0, len(pairs), self.batch_size):
                chunk = pairs[start:start + self.batch_size]
                yield np.stack([np.load(p) for p, _ in chunk]), np.array([label for _, label in chunk])

    def run(self, epochs):
        steps = math.ceil(len(self.paths) / self.batch_size)
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            fixed="""\
import math
import random

import numpy as np


class Trainer:
    def __init__(self, model, paths, labels, batch_size=16):
        self.model = model
        self.paths = paths
        self.labels = labels
        self.batch_size = batch_size

    def batches(self):
        pairs = list(zip(self.paths, self.labels))
        while True:
            random.shuffle(pairs)  # error: GEN108
            for start in range(0, len(pairs), self.batch_size):
                chunk = pairs[start:start + self.batch_size]
                yield np.stack([np.load(p) for p, _ in chunk]), np.array([label for _, label in chunk])

    def run(self, epochs):
        steps = math.ceil(len(self.paths) / self.batch_size)
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a method shuffles its (path, label) pairs once",
        ),
        Example(
            """\
import math

from data_utils import endless_batches

EPOCHS = 12
model.fit(endless_batches(x_train, y_train, 128), steps_per_epoch=math.ceil(len(x_train) / 128), epochs=EPOCHS)
""",
            fixed="""\
import math

from data_utils import endless_batches

EPOCHS = 12
model.fit(endless_batches(x_train, y_train, 128), steps_per_epoch=math.ceil(len(x_train) / 128), epochs=EPOCHS)
""",
            files={
                "data_utils.py": """\
from sklearn.utils import shuffle


def endless_batches(x, y, batch_size):
    x, y = shuffle(x, y)  # error: GEN108
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
"""
            },
            fixed_files={
                "data_utils.py": """\
from sklearn.utils import shuffle


def endless_batches(x, y, batch_size):
    while True:
        x, y = shuffle(x, y)  # error: GEN108
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="`sklearn.utils.shuffle` once, in a sibling module, with epochs from a constant",
        ),
        Example(
            """\
import math

import numpy as np


def seeded_batches(x, y, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    order = np.arange(len(x))
    rng.shuffle(order)  # error: GEN108
    while 1:
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(x=seeded_batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=8)
""",
            fixed="""\
import math

import numpy as np


def seeded_batches(x, y, batch_size, seed=0):
    rng = np.random.default_rng(seed)
    order = np.arange(len(x))
    while 1:
        rng.shuffle(order)  # error: GEN108
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(x=seeded_batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=8)
""",
            title="a seeded `default_rng` shuffles once, keyword `x=`",
        ),
        Example(
            """\
import math


def frame_batches(frame, features, target, batch_size):
    frame = frame.sample(frac=1.0).reset_index(drop=True)  # error: GEN108
    while True:
        for start in range(0, len(frame), batch_size):
            part = frame.iloc[start:start + batch_size]
            yield part[features].to_numpy("float32"), part[target].to_numpy("float32")


steps = math.ceil(len(train_frame) / 256)
model.fit(frame_batches(train_frame, FEATURES, "price", 256), steps_per_epoch=steps, epochs=15)
""",
            fixed="""\
import math


def frame_batches(frame, features, target, batch_size):
    while True:
        frame = frame.sample(frac=1.0).reset_index(drop=True)  # error: GEN108
        for start in range(0, len(frame), batch_size):
            part = frame.iloc[start:start + batch_size]
            yield part[features].to_numpy("float32"), part[target].to_numpy("float32")


steps = math.ceil(len(train_frame) / 256)
model.fit(frame_batches(train_frame, FEATURES, "price", 256), steps_per_epoch=steps, epochs=15)
""",
            title="a pandas frame shuffled with `sample(frac=1.0)` once",
        ),
        Example(
            """\
import itertools
import random


def cycled(batches):
    random.shuffle(batches)  # error: GEN108
    for inputs, targets in itertools.cycle(batches):
        yield inputs, targets


model.fit(cycled(train_batches), steps_per_epoch=len(train_batches), epochs=10)
""",
            fixed="""\
import itertools
import random


def cycled(batches):
    random.shuffle(batches)  # error: GEN108
    for inputs, targets in itertools.cycle(batches):
        yield inputs, targets


model.fit(cycled(train_batches), steps_per_epoch=len(train_batches), epochs=10)
""",
            title="precomputed batches shuffled once, then cycled",
        ),
        Example(
            """\
import functools
import math

import numpy as np


def batches(x, y, batch_size):
    rows = np.random.permutation(len(x))  # error: GEN108
    x, y = x[rows], y[rows]
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def main(args):
    stream = functools.partial(batches, batch_size=args.batch_size)
    steps = math.ceil(len(x_train) / args.batch_size)
    model.fit(stream(x_train, y_train), steps_per_epoch=steps, epochs=args.epochs)
""",
            fixed="""\
import functools
import math

import numpy as np


def batches(x, y, batch_size):
    rows = np.random.permutation(len(x))  # error: GEN108
    x, y = x[rows], y[rows]
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def main(args):
    stream = functools.partial(batches, batch_size=args.batch_size)
    steps = math.ceil(len(x_train) / args.batch_size)
    model.fit(stream(x_train, y_train), steps_per_epoch=steps, epochs=args.epochs)
""",
            title="the arrays reordered once through `functools.partial`, epochs from the command line",
        ),
    )
    valid = (
        Example(
            """\
import math

import numpy as np


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=20)
""",
            title="a new permutation at the start of every pass",
        ),
        Example(
            """\
import math

import numpy as np


def batches(x, y, batch_size):
    indices = np.arange(len(x))
    np.random.shuffle(indices)
    while True:
        for start in range(0, len(indices), batch_size):
            rows = indices[start:start + batch_size]
            yield x[rows], y[rows]
        np.random.shuffle(indices)


model.fit(batches(x_train, y_train, 64), steps_per_epoch=math.ceil(len(x_train) / 64), epochs=10)
""",
            title="shuffled before the loop and again after every pass",
        ),
        Example(
            """\
import numpy as np


def sampled(x, y, batch_size):
    order = np.random.permutation(len(x))
    while True:
        rows = order[np.random.randint(0, len(order), batch_size)]
        yield x[rows], y[rows]


model.fit(sampled(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="every batch draws new random rows",
        ),
        Example(
            """\
import math

import numpy as np


def batches(x, y, batch_size):
    order = np.random.permutation(len(x))
    while True:
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32))
""",
            title="a single epoch (the default) sees the order once",
        ),
        Example(
            """\
import math

import numpy as np


def batches(x, y, batch_size, shuffle=True):
    while True:
        order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


def validation(x, y, batch_size):
    order = np.random.permutation(len(x))
    while True:
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=math.ceil(len(x_train) / 32),
    epochs=10,
    validation_data=validation(x_val, y_val, 32),
    validation_steps=math.ceil(len(x_val) / 32),
)
""",
            title="validation order does not matter",
        ),
        Example(
            """\
import math
import random


class Stream:
    def __init__(self, model, samples, batch_size=32):
        self.model = model
        self.samples = list(samples)
        self.batch_size = batch_size

    def _reorder(self):
        random.shuffle(self.samples)

    def batches(self):
        self._reorder()
        while True:
            for start in range(0, len(self.samples), self.batch_size):
                yield self.collate(self.samples[start:start + self.batch_size])
            self._reorder()

    def run(self, epochs):
        self.model.fit(self.batches(), steps_per_epoch=math.ceil(len(self.samples) / self.batch_size), epochs=epochs)
""",
            title="a helper method reshuffles after every pass",
        ),
        Example(
            """\
import numpy as np


class OnlineKMeans:
    def fit(self, batches, epochs=1, steps=100):
        for _ in range(epochs * steps):
            self.update(next(batches))
        return self


def batches(x, batch_size):
    order = np.random.permutation(len(x))
    while True:
        for start in range(0, len(x), batch_size):
            yield x[order[start:start + batch_size]]


clusters = OnlineKMeans().fit(batches(x_train, 256), epochs=5)
""",
            title="a project class with its own `fit`",
        ),
        Example(
            """\
import numpy as np


def one_pass(x, y, batch_size):
    order = np.random.permutation(len(x))
    for start in range(0, len(x), batch_size):
        rows = order[start:start + batch_size]
        yield x[rows], y[rows]


for epoch in range(20):
    model.fit(one_pass(x_train, y_train, 32), epochs=1)
""",
            title="a fresh one-pass generator for every epoch",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.base_method != "fit" or not _several_epochs(consumer):
                continue
            source = consumer.data
            generator = source.generator if source is not None and source.is_data_source else None
            if generator is None or generator.finiteness is not Finiteness.INFINITE:
                continue
            if generator.reshuffled_in_loop:
                continue
            for shuffle in generator.shuffled_before_loop:
                self._report(model, context, consumer, generator, shuffle)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        generator: GeneratorFunction,
        shuffle: nodes.Call,
    ) -> None:
        context.report(
            shuffle,
            name=generator.name,
            shuffle=code_text(shuffle, 50),
            where=site(shuffle, model.path),
            call=call_text(consumer, "epochs"),
            call_site=site(consumer.node, generator.path),
            fix=_move_fix(generator, shuffle),
        )


def _several_epochs(consumer: Consumer) -> bool:
    """`epochs` is known to be more than one, or computed at run time; absent means Keras's default of 1."""
    epochs = consumer.value("epochs")
    if epochs is None:
        return False
    initial = consumer.value("initial_epoch")
    if initial is not None:  # `fit(epochs=e + 1, initial_epoch=e)` in a loop runs one epoch per call
        return epochs.number is not None and initial.number is not None and epochs.number - initial.number > 1
    if epochs.number is not None:
        return epochs.number > 1
    return epochs.type is ValueType.UNKNOWN


def _move_fix(generator: GeneratorFunction, shuffle: nodes.Call) -> Fix | None:
    """Move the shuffle into the loop, as its first statement, when that is clearly right: the shuffle is
    the generator's only one and a statement of its own right before `while True`, whose body makes whole
    passes over the data (every yield sits in a `for` loop directly in it), so it runs once per pass."""
    loop = generator.unbounded_loop
    statement = shuffle.statement()
    if len(generator.shuffled_before_loop) != 1 or not isinstance(loop, nodes.While) or not loop.body:
        return None
    if not isinstance(statement, (nodes.Expr, nodes.Assign)) or statement.next_sibling() is not loop:
        return None
    if not _passes_in_body(loop):
        return None
    layout = layout_of(statement)
    first_statement = loop.body[0]
    if layout is None or not (layout.starts_line(statement) and layout.ends_line(statement)):
        return None
    if not layout.starts_line(first_statement) or first_statement.lineno == loop.lineno:
        return None
    first, last = statement.lineno or 0, statement.end_lineno or 0
    anchor, inner = layout.indentation(first), layout.indentation(first_statement.lineno or 0)
    unit = inner[len(anchor) :]
    if not inner.startswith(anchor) or not unit:
        return None
    moved = layout.indented_text(first, last, anchor, unit)
    if moved is None:
        return None
    # right below a one-line `while True:` header, above any comment that opens the body
    target = loop.lineno + 1 if loop.test.end_lineno == loop.lineno else first_statement.lineno
    return Fix(
        "move the shuffle into the loop",
        (Edit(first, 1, last + 1, 1, ""), Edit(target or 0, 1, target or 0, 1, moved)),
    )


def _passes_in_body(loop: nodes.While) -> bool:
    """Every yield in the loop lies in a `for` loop that is a statement of the loop's own body."""
    passes = [statement for statement in loop.body if isinstance(statement, nodes.For)]
    yields = [node for node in loop.nodes_of_class((nodes.Yield, nodes.YieldFrom)) if node.frame() is loop.frame()]
    return bool(yields) and all(any(part in node.node_ancestors() for part in passes) for node in yields)
