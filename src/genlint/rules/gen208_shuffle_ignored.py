from __future__ import annotations

from genlint.analysis.model import FileModel, SourceKind
from genlint.rules.base import Example, FixSafety, Rule, RuleContext, Severity
from genlint.rules.gen205_batch_size_with_generator import removal_fix
from genlint.rules.messages import code_text

PLAIN_GENERATORS = (SourceKind.GENERATOR_CALL, SourceKind.GENERATOR_EXPRESSION)


class ShuffleIgnoredRule(Rule):
    """
    ## What it does
    Finds `shuffle=True` written out in a `fit` call whose `x` is a plain Python generator (a generator
    function's call or a generator expression), directly or through a name bound to `True`.

    ## Why is this bad?
    Keras can only shuffle data it can index. A generator hands out batches in its own order, so Keras
    ignores the argument: Keras 3 prints `UserWarning: `shuffle=True` was passed, but will be ignored since
    the data `x` was provided as a generator. The generator is expected to yield already-shuffled data.`,
    and tf.keras ignores it silently. The argument suggests that the batches are shuffled when they may not
    be. A `Sequence` / `PyDataset` is different: Keras does shuffle its batch order, and it is not reported.

    ## Fix safety
    Safe: `--fix` removes the argument (with its comma; the rest of the call stays as written): it has no
    effect. Shuffle inside the generator, once per pass over the data.

    ## Known limitations
    `fit`'s default is `shuffle=True`, so Keras 3 prints the same warning when the argument is left out;
    that case is not reported, since the code does not claim anything.
    """

    code = "GEN208"
    name = "shuffle-ignored"
    fix_safety = FixSafety.SAFE
    severity = Severity.INFO
    message = (
        "`shuffle={value}` has no effect on `{call}`, whose x is the generator `{source}`: {consequence}; "
        "shuffle inside the generator, and remove the argument"
    )

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2, shuffle=True)  # error: GEN208
""",
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2)  # error: GEN208
""",
            title="`shuffle=True` with a generator",
        ),
        Example(
            """\
SHUFFLE = True
BATCH_SIZE = 64


def batches(x, y):
    while True:
        for start in range(0, len(x), BATCH_SIZE):
            yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]


model.fit(
    batches(x_train, y_train),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    shuffle=SHUFFLE,  # error: GEN208
    epochs=10,
)
""",
            fixed="""\
SHUFFLE = True
BATCH_SIZE = 64


def batches(x, y):
    while True:
        for start in range(0, len(x), BATCH_SIZE):
            yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]


model.fit(
    batches(x_train, y_train),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    epochs=10,
)
""",
            title="through a module constant",
        ),
        Example(
            """\
import itertools

starts = itertools.cycle(range(0, len(x_train), 32))
model.fit(
    ((x_train[s:s + 32], y_train[s:s + 32]) for s in starts),
    steps_per_epoch=3,
    shuffle=True,  # error: GEN208
)
""",
            fixed="""\
import itertools

starts = itertools.cycle(range(0, len(x_train), 32))
model.fit(
    ((x_train[s:s + 32], y_train[s:s + 32]) for s in starts),
    steps_per_epoch=3,
)
""",
            title="a generator expression",
        ),
        Example(
            """\
class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size

    def batches(self):
        while True:
            for start in range(0, len(self.x), self.batch_size):
                yield self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]

    def train(self, epochs):
        steps = len(self.x) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs, shuffle=True)  # error: GEN208
""",
            fixed="""\
class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size

    def batches(self):
        while True:
            for start in range(0, len(self.x), self.batch_size):
                yield self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]

    def train(self, epochs):
        steps = len(self.x) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN208
""",
            title="a generator method through `self.`",
        ),
        Example(
            """\
from tensorflow import keras


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = keras.models.load_model("model.h5")
model.fit_generator(batches(x_train, y_train, 32), 100, 10, shuffle=True)  # error: GEN208
""",
            fixed="""\
from tensorflow import keras


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = keras.models.load_model("model.h5")
model.fit_generator(batches(x_train, y_train, 32), 100, 10)  # error: GEN208
""",
            title="legacy `fit_generator`, where it only ever applied to a `Sequence`",
        ),
        Example(
            """\
from data_utils import batch_iter

model.fit(batch_iter("train.npz", 64), steps_per_epoch=500, epochs=3, shuffle=True)  # error: GEN208
""",
            fixed="""\
from data_utils import batch_iter

model.fit(batch_iter("train.npz", 64), steps_per_epoch=500, epochs=3)  # error: GEN208
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
            title="a generator from a sibling module",
        ),
        Example(
            """\
def run(model, x, y, epochs, batch_size=32):
    def batches():
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    return model.fit(batches(), steps_per_epoch=len(x) // batch_size, epochs=epochs, shuffle=True)  # error: GEN208


run(model, x_train, y_train, 5)
""",
            fixed="""\
def run(model, x, y, epochs, batch_size=32):
    def batches():
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    return model.fit(batches(), steps_per_epoch=len(x) // batch_size, epochs=epochs)  # error: GEN208


run(model, x_train, y_train, 5)
""",
            title="a nested generator",
        ),
        Example(
            """\
from functools import partial


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_stream = partial(batches, batch_size=64)
model.fit(train_stream(x_train, y_train), steps_per_epoch=3, epochs=4, shuffle=True)  # error: GEN208
""",
            fixed="""\
from functools import partial


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_stream = partial(batches, batch_size=64)
model.fit(train_stream(x_train, y_train), steps_per_epoch=3, epochs=4)  # error: GEN208
""",
            title="a generator made through `functools.partial`",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2, shuffle=False)
""",
            title="the generator shuffles; `shuffle=False` silences Keras's warning",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="the default is not reported",
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


model.fit(Batches(x_train, y_train, 32), epochs=3, shuffle=True)
""",
            title="Keras shuffles the batch order of a `PyDataset`",
        ),
        Example(
            """\
history = model.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=3,
    shuffle=True,
)
""",
            title="arrays are shuffled",
        ),
        Example(
            """\
import numpy as np


def batches(x, y, batch_size, shuffle=True):
    while True:
        order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32, shuffle=True), steps_per_epoch=3, epochs=2)
""",
            title="`shuffle=True` given to the generator, not to `fit`",
        ),
        Example(
            """\
import argparse


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


parser = argparse.ArgumentParser()
parser.add_argument("--shuffle", action="store_true")
args = parser.parse_args()
model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, shuffle=args.shuffle)
""",
            title="a flag read from the command line stays unknown",
        ),
        Example(
            """\
class OnlineKMeans:
    def __init__(self, k):
        self.k = k

    def fit(self, stream, steps=100, shuffle=True):
        for _, (features, _labels) in zip(range(steps), stream):
            self.centers = features[: self.k]
        return self


def batches():
    while True:
        yield x_train, y_train


OnlineKMeans(3).fit(batches(), shuffle=True)
""",
            title="a project class with its own `fit(shuffle=…)`",
        ),
        Example(
            """\
from data_utils import TileBatches

model.fit(TileBatches("tiles/train", batch_size=16), epochs=20, shuffle=True)
""",
            files={
                "data_utils.py": """\
import math

import keras
import numpy as np


class TileBatches(keras.utils.PyDataset):
    def __init__(self, folder, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.tiles = np.load(f"{folder}/tiles.npy", mmap_mode="r")
        self.masks = np.load(f"{folder}/masks.npy", mmap_mode="r")
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.tiles) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.asarray(self.tiles[rows]), np.asarray(self.masks[rows])
""",
            },
            title="a sibling module's `PyDataset`: Keras shuffles its batch order",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            source = consumer.data
            if consumer.base_method != "fit" or source is None or source.kind not in PLAIN_GENERATORS:
                continue
            if consumer.flags.get("shuffle") is not True:
                continue
            if context.target == "tf-keras":
                consequence = "tf.keras can only shuffle data it can index, and ignores it silently"
            else:
                consequence = (
                    "Keras 3 can only shuffle data it can index, and warns 'shuffle=True was passed, but will be "
                    "ignored since the data x was provided as a generator'"
                )
            argument = consumer.arguments["shuffle"]
            context.report(
                argument.node,
                value=code_text(argument.node, 20),
                call=consumer.method,
                source=code_text(source.node, 50),
                consequence=consequence,
                fix=removal_fix(consumer.node, argument.node, "remove `shuffle=`"),
            )
