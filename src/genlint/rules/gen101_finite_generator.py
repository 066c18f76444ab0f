from __future__ import annotations

from collections.abc import Iterator, Sequence

from astroid import nodes
from astroid.exceptions import NoDefault

from genlint.analysis.model import Consumer, DataSource, FileModel, GeneratorFunction, SourceKind, ValueType
from genlint.rules.base import Edit, Example, Fix, FixSafety, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text, site
from genlint.rules.reindent import layout_of

# Calls that build a new list, tuple… (or a range) from their arguments: iterable again and again.
COLLECTING_CALLS = frozenset({"range", "list", "tuple", "sorted", "set", "frozenset", "dict"})
# Calls that return a one-pass iterator: fine when the pass creates it anew from re-iterable arguments.
ITERATOR_CALLS = frozenset({"enumerate", "zip", "reversed", "iter"})
ARRAY_MODULES = ("np.", "numpy.")  # numpy functions return arrays, which can be iterated again


class FiniteGeneratorRule(Rule):
    """
    ## What it does
    Finds a generator that runs out, because it has no unbounded loop (`while True`, `while 1`,
    `itertools.cycle` / `itertools.count`) or because a `return` or `break` leaves that loop, while it
    feeds `fit` for more than one epoch, as `x` or as `validation_data`. One generator object made before
    a loop that calls `fit(epochs=1)` on every pass (`for epoch in range(epochs): model.fit(gen, epochs=1)`)
    counts as several epochs. A generator expression over finite data (`(x[i:i + b] for i in range(…))`) runs
    out the same way. A `while` loop ends when it only counts a variable up to a bound that it leaves alone
    (`while start < len(x): …; start += batch_size`).

    ## Why is this bad?
    Keras pulls one generator object through every epoch. Once it is exhausted, Keras 3 prints
    `UserWarning: Your input ran out of data; interrupting training` but does not stop: later epochs train
    on 0 to 2 replayed batches, silently, while the progress bar and `History` still show every epoch
    (a 10-batch generator with `steps_per_epoch=5, epochs=5` trained 5, 5, 0, 2, 2 steps). A finite
    validation generator is validated in full only once; later epochs validate the same 2 replayed
    batches. tf.keras stops training early instead. A loop that calls `fit` again hands it the object the
    first call used up: Keras 3 raises `ValueError: When passing a Python generator to a Keras model, the
    generator must yield at least one batch. Received an empty generator.`

    ## Fix safety
    Unsafe: `--fix --unsafe-fixes` wraps the pass over the data in `while True:`, one indentation level
    deeper (comments and blank lines kept, the text of multi-line strings untouched). The pass is the final
    batch loop with the setup statements before it that can run again, so each pass starts as a fresh call
    of the generator would (a permutation drawn there is drawn anew; a file loaded there is loaded again).
    The generator then never ends: a caller that relied on its end (`evaluate` or `predict` without
    `steps`, a plain `for` loop in another module) would run forever, which genlint checks only in the
    linted file and the generator's module. The fix is offered only for the plain shape "setup; `for …:
    yield`" with no `return`, when every statement of the pass may run again (none rebinds a parameter or
    a name set before it), when what the loop iterates can be iterated again (`range(…)`, a list, an
    argument the caller builds as a list, not an iterator made once), and when every use of the generator
    in sight passes `steps_per_epoch` (or `validation_steps`). A `break` or `return` in `while True` has
    no fix.

    ## Known limitations
    A generator whose loop length genlint cannot see (a `while` loop with another condition, or one whose
    counter a `continue` may skip, a loop over an iterator it cannot resolve) is left alone. A generator of
    `n` draws (`for _ in range(n)`) is taken to be sized for the whole run only when its call is given the
    name that `fit` takes its `epochs` from (`draws(x, STEPS * EPOCHS)` with `epochs=EPOCHS`); with
    literal numbers it is reported even when `n` covers every epoch's steps.
    """

    code = "GEN101"
    name = "finite-generator"
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    message = "`{name}` ({where}) {problem} but feeds {role}`{call}` ({call_site}): {consequence}"

    invalid = (
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):  # error: GEN101
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            fixed="""\
import numpy as np


def batches(x, y, batch_size):  # error: GEN101
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="a single pass over the data",
        ),
        Example(
            """\
def batches(x, y, batch_size):  # error: GEN101
    start = 0
    while True:
        if start >= len(x):
            return
        yield x[start:start + batch_size], y[start:start + batch_size]
        start += batch_size


model.fit(batches(x_train, y_train, 64), steps_per_epoch=len(x_train) // 64, epochs=5)
""",
            fixed="""\
def batches(x, y, batch_size):  # error: GEN101
    start = 0
    while True:
        if start >= len(x):
            return
        yield x[start:start + batch_size], y[start:start + batch_size]
        start += batch_size


model.fit(batches(x_train, y_train, 64), steps_per_epoch=len(x_train) // 64, epochs=5)
""",
            title="`return` inside `while True` ends the generator after one pass",
        ),
        Example(
            """\
import numpy as np


def chunk_batches(path, batch_size):  # error: GEN101
    reader = np.load(path, mmap_mode="r")
    position = 0
    while True:
        chunk = reader[position:position + batch_size]
        if len(chunk) == 0:
            break
        position += batch_size
        yield chunk[:, :-1], chunk[:, -1]


model.fit(chunk_batches("train.npy", 128), steps_per_epoch=400, epochs=12)
""",
            fixed="""\
import numpy as np


def chunk_batches(path, batch_size):  # error: GEN101
    reader = np.load(path, mmap_mode="r")
    position = 0
    while True:
        chunk = reader[position:position + batch_size]
        if len(chunk) == 0:
            break
        position += batch_size
        yield chunk[:, :-1], chunk[:, -1]


model.fit(chunk_batches("train.npy", 128), steps_per_epoch=400, epochs=12)
""",
            title="`break` out of `while True` when the file is read to the end",
        ),
        Example(
            """\
def train_batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def val_batches(x, y, batch_size):  # error: GEN101
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    train_batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=val_batches(x_val, y_val, 32),
    validation_steps=len(x_val) // 32,
    epochs=20,
)
""",
            fixed="""\
def train_batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def val_batches(x, y, batch_size):  # error: GEN101
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    train_batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=val_batches(x_val, y_val, 32),
    validation_steps=len(x_val) // 32,
    epochs=20,
)
""",
            title="a finite validation generator over 20 epochs",
        ),
        Example(
            """\
EPOCHS = 8
BATCH_SIZE = 16


def batches(x, y, batch_size=BATCH_SIZE):  # error: GEN101
    indices = list(range(0, len(x), batch_size))
    for start in indices:
        yield x[start:start + batch_size], y[start:start + batch_size]


steps = len(x_train) // BATCH_SIZE
model.fit(x=batches(x_train, y_train), steps_per_epoch=steps, epochs=EPOCHS)
""",
            fixed="""\
EPOCHS = 8
BATCH_SIZE = 16


def batches(x, y, batch_size=BATCH_SIZE):  # error: GEN101
    while True:
        indices = list(range(0, len(x), batch_size))
        for start in indices:
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = len(x_train) // BATCH_SIZE
model.fit(x=batches(x_train, y_train), steps_per_epoch=steps, epochs=EPOCHS)
""",
            title="epochs through a module constant, data passed as `x=`",
        ),
        Example(
            """\
from data_utils import batch_iter

from model_zoo import build_model

model = build_model()
model.fit(batch_iter(x_train, y_train, 64), steps_per_epoch=len(x_train) // 64, epochs=30)
""",
            fixed="""\
from data_utils import batch_iter

from model_zoo import build_model

model = build_model()
model.fit(batch_iter(x_train, y_train, 64), steps_per_epoch=len(x_train) // 64, epochs=30)
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(x, y, batch_size):  # error: GEN101
    order = np.random.permutation(len(x))
    for start in range(0, len(x), batch_size):
        rows = order[start:start + batch_size]
        yield x[rows], y[rows]
""",
            },
            fixed_files={
                "data_utils.py": """\
import numpy as np


def batch_iter(x, y, batch_size):  # error: GEN101
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]
""",
            },
            title="a generator imported from a sibling module (reported where it is defined)",
        ),
        Example(
            """\
import keras


class Trainer:
    def __init__(self, model: keras.Model, images, labels, batch_size=32):
        self.model = model
        self.images = images
        self.labels = labels
        self.batch_size = batch_size

    def batches(self):  # error: GEN101
        for start in range(0, len(self.images), self.batch_size):
            end = start + self.batch_size
            yield self.images[start:end], self.labels[start:end]

    def train(self, epochs):
        steps = len(self.images) // self.batch_size
        return self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            fixed="""\
import keras


class Trainer:
    def __init__(self, model: keras.Model, images, labels, batch_size=32):
        self.model = model
        self.images = images
        self.labels = labels
        self.batch_size = batch_size

    def batches(self):  # error: GEN101
        while True:
            for start in range(0, len(self.images), self.batch_size):
                end = start + self.batch_size
                yield self.images[start:end], self.labels[start:end]

    def train(self, epochs):
        steps = len(self.images) // self.batch_size
        return self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a generator method used through `self.`, epochs unknown",
        ),
        Example(
            """\
import argparse


def run(model, x, y, batch_size, epochs):
    def batches():  # error: GEN101
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]

    model.fit(batches(), steps_per_epoch=len(x) // batch_size, epochs=epochs)


parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()
run(model, x_train, y_train, 32, args.epochs)
""",
            fixed="""\
import argparse


def run(model, x, y, batch_size, epochs):
    def batches():  # error: GEN101
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    model.fit(batches(), steps_per_epoch=len(x) // batch_size, epochs=epochs)


parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()
run(model, x_train, y_train, 32, args.epochs)
""",
            title="a generator nested in the training function",
        ),
        Example(
            """\
import glob

import numpy as np


def image_batches(paths, labels, batch_size):  # error: GEN101
    images, targets = [], []
    for path in paths:
        images.append(np.load(path))
        targets.append(labels[path])
        if len(images) == batch_size:
            yield np.stack(images), np.array(targets)
            images, targets = [], []


train_paths = sorted(glob.glob("data/train/*.npy"))
labels = {path: int("/dog_" in path) for path in train_paths}
model.fit(image_batches(train_paths, labels, 32), steps_per_epoch=len(train_paths) // 32, epochs=15)
""",
            fixed="""\
import glob

import numpy as np


def image_batches(paths, labels, batch_size):  # error: GEN101
    while True:
        images, targets = [], []
        for path in paths:
            images.append(np.load(path))
            targets.append(labels[path])
            if len(images) == batch_size:
                yield np.stack(images), np.array(targets)
                images, targets = [], []


train_paths = sorted(glob.glob("data/train/*.npy"))
labels = {path: int("/dog_" in path) for path in train_paths}
model.fit(image_batches(train_paths, labels, 32), steps_per_epoch=len(train_paths) // 32, epochs=15)
""",
            title="a loop over a parameter that the caller fills with a finite list",
        ),
        Example(
            """\
from functools import partial


def batches(x, y, batch_size):  # error: GEN101
    chunks = [(x[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(x), batch_size)]
    yield from chunks


make_batches = partial(batches, batch_size=128)
model.fit(make_batches(x_train, y_train), steps_per_epoch=len(x_train) // 128, epochs=6)
""",
            fixed="""\
from functools import partial


def batches(x, y, batch_size):  # error: GEN101
    chunks = [(x[i:i + batch_size], y[i:i + batch_size]) for i in range(0, len(x), batch_size)]
    yield from chunks


make_batches = partial(batches, batch_size=128)
model.fit(make_batches(x_train, y_train), steps_per_epoch=len(x_train) // 128, epochs=6)
""",
            title="`yield from` a precomputed list, called through `functools.partial`",
        ),
        Example(
            """\
import glob

import numpy as np


def image_batches(paths, labels, batch_size):  # error: GEN101
    images, targets = [], []
    for path, label in zip(paths, labels):
        images.append(np.load(path))
        targets.append(label)
        if len(images) == batch_size:
            yield np.stack(images), np.array(targets)
            images, targets = [], []


train_paths = sorted(glob.glob("data/train/*.npy"))
train_labels = [int("/dog_" in path) for path in train_paths]
model.fit(image_batches(train_paths, train_labels, 32), steps_per_epoch=len(train_paths) // 32, epochs=15)
""",
            fixed="""\
import glob

import numpy as np


def image_batches(paths, labels, batch_size):  # error: GEN101
    while True:
        images, targets = [], []
        for path, label in zip(paths, labels):
            images.append(np.load(path))
            targets.append(label)
            if len(images) == batch_size:
                yield np.stack(images), np.array(targets)
                images, targets = [], []


train_paths = sorted(glob.glob("data/train/*.npy"))
train_labels = [int("/dog_" in path) for path in train_paths]
model.fit(image_batches(train_paths, train_labels, 32), steps_per_epoch=len(train_paths) // 32, epochs=15)
""",
            title="`zip` over parameters that the caller fills with finite lists",
        ),
        Example(
            """\
from keras.models import load_model


def batches(x, y, batch_size):  # error: GEN101
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model = load_model("pretrained.h5")
model.fit_generator(batches(x_train, y_train, 32), len(x_train) // 32, 25)
""",
            fixed="""\
from keras.models import load_model


def batches(x, y, batch_size):  # error: GEN101
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = load_model("pretrained.h5")
model.fit_generator(batches(x_train, y_train, 32), len(x_train) // 32, 25)
""",
            title="legacy `fit_generator` with positional steps and epochs",
        ),
        Example(
            """\
import glob

import numpy as np


def volume_batches(paths, masks, batch_size):  # error: GEN101
    pairs = zip(paths, masks)
    volumes, targets = [], []
    for path, mask in pairs:
        volumes.append(np.load(path))
        targets.append(np.load(mask))
        if len(volumes) == batch_size:
            yield np.stack(volumes), np.stack(targets)
            volumes, targets = [], []


scan_paths = sorted(glob.glob("scans/*.npy"))
mask_paths = sorted(glob.glob("masks/*.npy"))
model.fit(volume_batches(scan_paths, mask_paths, 4), steps_per_epoch=len(scan_paths) // 4, epochs=30)
""",
            fixed="""\
import glob

import numpy as np


def volume_batches(paths, masks, batch_size):  # error: GEN101
    while True:
        pairs = zip(paths, masks)
        volumes, targets = [], []
        for path, mask in pairs:
            volumes.append(np.load(path))
            targets.append(np.load(mask))
            if len(volumes) == batch_size:
                yield np.stack(volumes), np.stack(targets)
                volumes, targets = [], []


scan_paths = sorted(glob.glob("scans/*.npy"))
mask_paths = sorted(glob.glob("masks/*.npy"))
model.fit(volume_batches(scan_paths, mask_paths, 4), steps_per_epoch=len(scan_paths) // 4, epochs=30)
""",
            title="the `zip` over parameters is bound to a name before the loop",
        ),
        Example(
            """\
class TileStream:
    def __init__(self, tiles, masks):
        self.tiles, self.masks = tiles, masks

    def __call__(self, batch_size):  # error: GEN101
        for start in range(0, len(self.tiles), batch_size):
            yield self.tiles[start:start + batch_size], self.masks[start:start + batch_size]


train_stream = TileStream(train_tiles, train_masks)
model.fit(train_stream(16), steps_per_epoch=len(train_tiles) // 16, epochs=40)
""",
            fixed="""\
class TileStream:
    def __init__(self, tiles, masks):
        self.tiles, self.masks = tiles, masks

    def __call__(self, batch_size):  # error: GEN101
        while True:
            for start in range(0, len(self.tiles), batch_size):
                yield self.tiles[start:start + batch_size], self.masks[start:start + batch_size]


train_stream = TileStream(train_tiles, train_masks)
model.fit(train_stream(16), steps_per_epoch=len(train_tiles) // 16, epochs=40)
""",
            title="a generator `__call__` method, run by calling an instance",
        ),
        Example(
            """\
import cv2
import numpy as np


def segmentation_batches(pairs, batch_size):  # error: GEN101
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start:start + batch_size]
        images = [cv2.imread(image) for image, _ in chunk]
        masks = [cv2.imread(mask, 0) for _, mask in chunk]
        yield np.array(images), np.array(masks)


def train(model, pairs, epochs, steps_per_epoch):
    train_gen = segmentation_batches(pairs, 8)
    for epoch in range(epochs):
        model.fit(train_gen, steps_per_epoch=steps_per_epoch, epochs=1)
        model.save_weights(f"checkpoints/weights.{epoch}.h5")
""",
            fixed="""\
import cv2
import numpy as np


def segmentation_batches(pairs, batch_size):  # error: GEN101
    while True:
        for start in range(0, len(pairs), batch_size):
            chunk = pairs[start:start + batch_size]
            images = [cv2.imread(image) for image, _ in chunk]
            masks = [cv2.imread(mask, 0) for _, mask in chunk]
            yield np.array(images), np.array(masks)


def train(model, pairs, epochs, steps_per_epoch):
    train_gen = segmentation_batches(pairs, 8)
    for epoch in range(epochs):
        model.fit(train_gen, steps_per_epoch=steps_per_epoch, epochs=1)
        model.save_weights(f"checkpoints/weights.{epoch}.h5")
""",
            title="one generator object made before a loop that calls `fit(epochs=1)` on every pass",
        ),
        Example(
            """\
from settings import TrainSettings


def batches(x, y):  # error: GEN101
    for start in range(0, len(x), 32):
        yield x[start:start + 32], y[start:start + 32]


settings = TrainSettings(epochs=20)
model.fit(batches(x_train, y_train), steps_per_epoch=len(x_train) // 32, epochs=settings.epochs)
""",
            fixed="""\
from settings import TrainSettings


def batches(x, y):  # error: GEN101
    while True:
        for start in range(0, len(x), 32):
            yield x[start:start + 32], y[start:start + 32]


settings = TrainSettings(epochs=20)
model.fit(batches(x_train, y_train), steps_per_epoch=len(x_train) // 32, epochs=settings.epochs)
""",
            files={
                "settings.py": """\
from dataclasses import dataclass


@dataclass
class TrainSettings:
    epochs: int = 1
""",
            },
            title="a dataclass field whose default the constructor call overrides",
        ),
        Example(
            """\
import functools


def batches(x, y, batch_size):  # error: GEN101
    start = 0
    while start < len(x):
        yield x[start:start + batch_size], y[start:start + batch_size]
        start += batch_size


make_batches = functools.partial(batches, x_train, y_train)
model.fit(make_batches(batch_size=64), steps_per_epoch=10, epochs=4)
""",
            fixed="""\
import functools


def batches(x, y, batch_size):  # error: GEN101
    start = 0
    while start < len(x):
        yield x[start:start + batch_size], y[start:start + batch_size]
        start += batch_size


make_batches = functools.partial(batches, x_train, y_train)
model.fit(make_batches(batch_size=64), steps_per_epoch=10, epochs=4)
""",
            title="a `while` loop that counts up to the end of the data",
        ),
        Example(
            """\
BATCH = 16
batches = ((x_train[i:i + BATCH], y_train[i:i + BATCH]) for i in range(0, len(x_train), BATCH))  # error: GEN101
model.fit(batches, steps_per_epoch=len(x_train) // BATCH, epochs=8)
""",
            fixed="""\
BATCH = 16
batches = ((x_train[i:i + BATCH], y_train[i:i + BATCH]) for i in range(0, len(x_train), BATCH))  # error: GEN101
model.fit(batches, steps_per_epoch=len(x_train) // BATCH, epochs=8)
""",
            title="a generator expression over the data, for 8 epochs",
        ),
        Example(
            """\
BATCH = 16
val_batches = ((x_val[i:i + BATCH], y_val[i:i + BATCH]) for i in range(0, len(x_val), BATCH))  # error: GEN101
stream = ((x_train[i:i + BATCH], y_train[i:i + BATCH]) for i in range(0, len(x_train), BATCH))  # error: GEN101
for epoch in range(5):
    model.fit(stream, validation_data=val_batches, epochs=1)
""",
            fixed="""\
BATCH = 16
val_batches = ((x_val[i:i + BATCH], y_val[i:i + BATCH]) for i in range(0, len(x_val), BATCH))  # error: GEN101
stream = ((x_train[i:i + BATCH], y_train[i:i + BATCH]) for i in range(0, len(x_train), BATCH))  # error: GEN101
for epoch in range(5):
    model.fit(stream, validation_data=val_batches, epochs=1)
""",
            title="generator expressions made once, before a loop that calls `fit` on every pass",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
        ),
        Example(
            """\
def train_batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(train_batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
loss, accuracy = model.evaluate(one_pass(x_test, y_test, 32))
probabilities = model.predict(one_pass(x_test, y_test, 32))
""",
            title="a single-pass generator fed to `evaluate` and `predict`",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


EPOCHS = 5
for epoch in range(EPOCHS):
    model.fit(one_pass(x_train, y_train, 32), epochs=1)
    model.save(f"checkpoints/epoch_{epoch:02d}.keras")
""",
            title="a fresh single-pass generator for each `fit(epochs=1)`",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


train_gen = one_pass(x_train, y_train, 32)
for epoch in range(5):
    model.fit(train_gen, epochs=1)
    train_gen = one_pass(x_train, y_train, 32)  # a new object for the next pass
""",
            title="the loop makes a new generator object for the next `fit(epochs=1)`",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


def passes(x, y, batch_size, epochs):
    for _ in range(epochs):
        yield from one_pass(x, y, batch_size)


EPOCHS = 10
steps = -(-len(x_train) // 32)
model.fit(passes(x_train, y_train, 32, EPOCHS), steps_per_epoch=steps, epochs=EPOCHS)
""",
            title="`yield from` one pass per epoch, `range(epochs)` times",
        ),
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):
    while 1:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="`while 1` is as unbounded as `while True`",
        ),
        Example(
            """\
import itertools


def batches(x, y, batch_size):
    starts = range(0, len(x), batch_size)
    for start in itertools.cycle(starts):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="`itertools.cycle` over the batch starts",
        ),
        Example(
            """\
import numpy as np


def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


def forever(x, y, batch_size):
    while True:
        yield from one_pass(x, y, batch_size)


def augmented(x, y, batch_size):
    for images, labels in forever(x, y, batch_size):
        yield np.flip(images, axis=2), labels


model.fit(augmented(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="`yield from` a single pass inside `while True`, wrapped by another generator",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


def forever(x, y, batch_size):
    while True:
        yield from one_pass(x, y, batch_size)


def curriculum(easy, hard, batch_size):
    yield from one_pass(easy[0], easy[1], batch_size)  # the easy examples once
    yield from forever(hard[0], hard[1], batch_size)  # then the hard ones, endlessly


model.fit(curriculum((x_easy, y_easy), (x_hard, y_hard), 32), steps_per_epoch=200, epochs=10)
""",
            title="`yield from` an endless generator",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


for epoch in range(10):
    model.fit(one_pass(x_train, y_train, 32), epochs=epoch + 1, initial_epoch=epoch)
    model.save(f"checkpoints/epoch_{epoch:02d}.keras")
""",
            title="one epoch per `fit` call through `initial_epoch`",
        ),
        Example(
            """\
import threading

import numpy as np

stop_event = threading.Event()


def sensor_batches(source, batch_size):
    while not stop_event.is_set():
        window = source.read(batch_size)
        yield window[:, :-1], window[:, -1]


model.fit(sensor_batches(stream, 64), steps_per_epoch=100, epochs=50)
""",
            title="a loop whose length genlint cannot know stays silent",
        ),
        Example(
            """\
import tensorflow as tf


def one_pass():
    for start in range(0, len(x_train), 32):
        yield x_train[start:start + 32], y_train[start:start + 32]


dataset = tf.data.Dataset.from_generator(
    one_pass,
    output_signature=(
        tf.TensorSpec(shape=(None, 28, 28), dtype=tf.float32),
        tf.TensorSpec(shape=(None,), dtype=tf.int32),
    ),
)
model.fit(dataset.prefetch(tf.data.AUTOTUNE), epochs=10)
""",
            title="`from_generator` calls the single-pass function anew for every epoch",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), validation_data=Batches(x_val, y_val, 32), epochs=10)
""",
            title="a `PyDataset` is finite by design: Keras indexes it again every epoch",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            if start + batch_size > len(x):
                break  # drop the partial last batch, then start the next pass
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=(x_val, y_val),
    epochs=10,
)
""",
            title="`break` leaves only the inner loop; validation data is an `(x_val, y_val)` tuple",
        ),
        Example(
            """\
from functools import partial

from data_utils import batch_iter

train_batches = partial(batch_iter, batch_size=64)
model.fit(x=train_batches(x_train, y_train), steps_per_epoch=len(x_train) // 64, epochs=30)
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(x, y, batch_size):
    def load(rows):
        return x[rows], y[rows]

    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            yield load(order[start:start + batch_size])
""",
            },
            title="an endless sibling-module generator through `functools.partial`; `return` is in a helper",
        ),
        Example(
            """\
import itertools


class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model = model
        self.x, self.y = x, y
        self.batch_size = batch_size

    def batches(self):
        for _ in itertools.count():
            for start in range(0, len(self.x), self.batch_size):
                yield self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]

    def train(self, epochs):
        steps = len(self.x) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a generator method through `self.`, endless by `itertools.count()`",
        ),
        Example(
            """\
import numpy as np


class RunningScaler:
    def __init__(self):
        self.mean = 0.0

    def fit(self, batches, epochs=1):
        cached = list(batches)  # the stream is read once and reused for every epoch
        for _ in range(epochs):
            for features, _labels in cached:
                self.mean = 0.9 * self.mean + 0.1 * np.mean(features)
        return self


def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


scaler = RunningScaler().fit(one_pass(x_train, y_train, 256), epochs=3)
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
import itertools

BATCH = 16
starts = itertools.cycle(range(0, len(x_train), BATCH))
batches = ((x_train[i:i + BATCH], y_train[i:i + BATCH]) for i in starts)
model.fit(batches, steps_per_epoch=len(x_train) // BATCH, epochs=8)
first_pass = ((x_val[i:i + BATCH], y_val[i:i + BATCH]) for i in range(0, len(x_val), BATCH))
model.fit(first_pass, epochs=1)
""",
            title="a generator expression over an endless cycle, and one for a single epoch",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    start = 0
    while start < len(x):
        if start % 1000 == 0:
            continue  # a pass that a `continue` skips may never count up: not known to end
        yield x[start:start + batch_size], y[start:start + batch_size]
        start += batch_size


def forever(x, y, batch_size):
    start = 0
    while start < len(x):
        yield x[start:start + batch_size], y[start:start + batch_size]
        start += batch_size
        if start >= len(x):
            start = 0


model.fit(batches(x_train, y_train, 64), steps_per_epoch=10, epochs=4)
model.fit(forever(x_train, y_train, 64), steps_per_epoch=10, epochs=4)
""",
            title="`while` loops with a counter that is not known to end",
        ),
        Example(
            """\
import numpy as np

EPOCHS = 10
STEPS = 50


def random_batches(x, y, batch_size, total_steps):
    step = 0
    while step < total_steps:
        rows = np.random.randint(0, len(x), batch_size)
        yield x[rows], y[rows]
        step += 1


model.fit(random_batches(x_train, y_train, 32, STEPS * EPOCHS), steps_per_epoch=STEPS, epochs=EPOCHS)
""",
            title="a generator given the epoch count is sized for the whole run",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.base_method != "fit":
                continue
            several = _more_than_one_epoch(consumer)
            for role, source in consumer.fed_sources():
                expression = source.kind is SourceKind.GENERATOR_EXPRESSION
                # a tf.data pipeline calls its generator function afresh every epoch: it never runs dry
                if not (source.is_finite and (source.generator is not None or expression)):
                    continue
                if source.kind is SourceKind.DATASET or _sized_for_epochs(consumer, source):
                    continue
                # one generator object, made before a loop that calls `fit` again on every pass
                loop = None if several else _loop_reusing(consumer, source)
                if not several and loop is None:
                    continue
                if role == "validation_data" and loop is None and _validates_once(consumer):
                    continue
                if source.generator is None:
                    self._report_expression(model, context, consumer, role, source, loop)
                else:
                    self._report(model, context, consumer, role, source, source.generator, loop)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        source: DataSource,
        generator: GeneratorFunction,
        loop: nodes.For | nodes.While | None = None,
    ) -> None:
        if generator.loop_exits:
            exit_node = generator.loop_exits[0]
            keyword = "return" if exit_node.__class__.__name__ == "Return" else "break"
            problem = f"leaves its unbounded loop with `{keyword}` ({site(exit_node, generator.path)})"
        else:
            problem = "has no unbounded loop (`while True`)"
        context.report(
            generator.node,
            name=generator.name,
            where=site(generator.node, model.path),
            problem=problem,
            role="validation_data of " if role == "validation_data" else "",
            call=call_text(consumer, "epochs", "initial_epoch"),
            call_site=site(consumer.node, generator.path),
            consequence=_consequence(consumer, role, loop, generator.path),
            fix=_while_true_fix(generator, model),
        )

    def _report_expression(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        source: DataSource,
        loop: nodes.For | nodes.While | None,
    ) -> None:
        """A generator expression over finite data: one pass, and no loop a fix could wrap it in."""
        expression = source.origin if isinstance(source.origin, nodes.GeneratorExp) else source.node
        context.report(
            expression,
            name=code_text(expression, 40),
            where=site(expression, model.path),
            problem="is a generator expression over finite data, used up after one pass,",
            role="validation_data of " if role == "validation_data" else "",
            call=call_text(consumer, "epochs", "initial_epoch"),
            call_site=site(consumer.node, model.path),
            consequence=_consequence(consumer, role, loop, model.path),
        )


def _consequence(consumer: Consumer, role: str, loop: nodes.For | nodes.While | None, home: str) -> str:
    """What Keras does with a source that runs out: in the loop that calls `fit` again, in validation, in training."""
    if loop is not None:
        return (
            f"the loop at {site(loop, home)} calls `{consumer.method}` again on the one generator object made "
            "before it: once a call has used it up, Keras 3 raises ValueError in the next (the generator must "
            "yield at least one batch)"
        )
    if role == "validation_data":
        return (
            "it is exhausted after the first validation, and Keras 3 validates every later epoch "
            "on the same 2 replayed batches"
        )
    consequence = (
        "Keras 3 warns 'Your input ran out of data' after the first pass and trains the later "
        "epochs on 0-2 replayed batches"
    )
    epochs = consumer.value("epochs")
    if epochs is None or epochs.type is ValueType.UNKNOWN:
        consequence = "if epochs > 1, " + consequence
    return consequence


def _sized_for_epochs(consumer: Consumer, source: DataSource) -> bool:
    """The call that makes the generator is given the epoch count that `fit` is given (`batches(x, y,
    total_steps=steps * EPOCHS)` with `epochs=EPOCHS`): it is sized for the whole run, however it ends."""
    epochs = consumer.arguments.get("epochs")
    if not isinstance(source.origin, nodes.Call) or epochs is None:
        return False
    if not isinstance(epochs.node, (nodes.Name, nodes.Attribute)):
        return False
    written = epochs.node.as_string()
    call = source.origin
    given = [*call.args, *(keyword.value for keyword in call.keywords or [])]
    return any(
        node.as_string() == written for value in given for node in value.nodes_of_class((nodes.Name, nodes.Attribute))
    )


def _loop_reusing(consumer: Consumer, source: DataSource) -> nodes.For | nodes.While | None:
    """The loop around `consumer` (in its function) that does not contain the call making the generator
    object it is given: every pass calls `fit` again on the one object made before the loop."""
    origin = source.origin
    if not isinstance(origin, (nodes.Call, nodes.GeneratorExp)):
        return None
    if origin is source.node or origin.frame() is not consumer.node.frame():
        return None
    child, parent = consumer.node, consumer.node.parent
    while parent is not None and parent is not consumer.node.frame():
        if isinstance(parent, (nodes.For, nodes.While)) and child in parent.body:
            if parent.parent_of(origin) or _rebinds(parent, source.node):
                return None  # the object is made anew inside this loop
            return parent
        child, parent = parent, parent.parent
    return None


def _rebinds(loop: nodes.For | nodes.While, argument: nodes.NodeNG) -> bool:
    """The loop assigns the name (or `self.` attribute) that the consumer is given: a new object each pass."""
    if isinstance(argument, nodes.Name):
        targets = (node for node in loop.nodes_of_class(nodes.AssignName) if node.name == argument.name)
    elif isinstance(argument, nodes.Attribute):
        targets = (node for node in loop.nodes_of_class(nodes.AssignAttr) if node.attrname == argument.attrname)
    else:
        return False
    return any(target.frame() is loop.frame() for target in targets)


def _validates_once(consumer: Consumer) -> bool:
    """`validation_freq=[3]`, or a frequency above half the epochs: the validation data is read once."""
    argument = consumer.arguments.get("validation_freq")
    if argument is None:
        return False
    if isinstance(argument.node, (nodes.List, nodes.Tuple, nodes.Set)):
        return len(argument.node.elts) <= 1
    frequency, epochs = consumer.value("validation_freq"), consumer.value("epochs")
    if frequency is None or epochs is None or frequency.number is None or epochs.number is None:
        return False
    return frequency.number * 2 > epochs.number


def _more_than_one_epoch(consumer: Consumer) -> bool:
    """True when `epochs` (minus `initial_epoch`) is more than one, or unknown."""
    epochs = consumer.value("epochs")
    if epochs is None:
        return consumer.unresolved_extras
    initial = consumer.value("initial_epoch")
    if initial is not None:
        epochs_base, epochs_offset = _offset(epochs.node)
        initial_base, initial_offset = _offset(initial.node)
        if epochs_base == initial_base and epochs_base is not None:
            # `fit(epochs=epoch + 1, initial_epoch=epoch)`: a fixed number of epochs per call
            return epochs_offset - initial_offset > 1
    if epochs.number is None:
        return epochs.type is not ValueType.NONE
    start = initial.number if initial is not None and initial.number is not None else 0
    return epochs.number - start > 1


def _offset(node: nodes.NodeNG) -> tuple[str | None, int]:
    """`epoch - 1` → ("epoch", -1); `epoch` → ("epoch", 0); anything else → (None, 0)."""
    if isinstance(node, nodes.BinOp) and node.op in ("+", "-") and isinstance(node.right, nodes.Const):
        step = node.right.value
        if isinstance(step, int) and not isinstance(step, bool):
            return node.left.as_string(), step if node.op == "+" else -step
    if isinstance(node, (nodes.Name, nodes.Attribute)):
        return node.as_string(), 0
    return None, 0


def _while_true_fix(generator: GeneratorFunction, model: FileModel) -> Fix | None:
    """Wrap the pass over the data (the final batch loop and the setup before it) in `while True:`.

    Offered only for the plain shape "setup; for …: yield" when it is clearly right: no `return`, every
    statement of the wrapped block may run again (it rebinds no parameter and nothing set before it), the
    loop iterates something that can be iterated once per pass, and every call of the generator in sight
    feeds a consumer that bounds the epoch with a steps argument (an endless generator would hang the rest).
    """
    function = generator.node
    if generator.unbounded_loop is not None or generator.loop_exits:
        return None
    calls = _bounded_calls(generator, model)
    block = _pass_block(function)
    if calls is None or block is None or not _Iterables(function, block, calls).fresh_pass(block[-1]):
        return None
    layout = layout_of(function)
    if layout is None or not layout.starts_line(block[0]) or not layout.ends_line(block[-1]):
        return None
    first, last = block[0].lineno or 0, block[-1].end_lineno or 0
    anchor, outer = layout.indentation(first), layout.indentation(function.lineno or 0)
    unit = anchor[len(outer) :]
    if not anchor.startswith(outer) or not unit:
        return None
    while layout.text(last + 1).lstrip().startswith("#") and len(layout.indentation(last + 1)) > len(anchor):
        last += 1  # comments that close the loop's body move with it
    edits = layout.indent_edits(first, last, anchor, unit)
    if edits is None:
        return None
    opening = Edit(first, 1, first, 1, f"{anchor}while True:{layout.ending(first)}")
    return Fix("wrap the pass over the data in `while True:`", (opening, *edits))


def _pass_block(function: nodes.FunctionDef) -> list[nodes.NodeNG] | None:
    """The statements to repeat: the longest tail of the body that ends with the batch loop (a `for` holding
    every yield, or a final `yield from`) and rebinds no parameter and no name bound before it."""
    body = function.body
    if not body or not _is_pass(body[-1]):
        return None
    if any(isinstance(node, (nodes.Return, nodes.Global, nodes.Nonlocal)) for node in _own_nodes(function)):
        return None
    setup = [node for statement in body[:-1] for node in _own_nodes(statement)]
    if any(isinstance(node, (nodes.Yield, nodes.YieldFrom, nodes.For, nodes.While)) for node in setup):
        return None  # several loops, or yields outside the last one
    parameters = set(function.argnames())
    for start in range(len(body)):
        if not _bound_names(body[start:], function) & (parameters | _bound_names(body[:start], function)):
            return body[start:]
    return None


def _is_pass(statement: nodes.NodeNG) -> bool:
    if isinstance(statement, nodes.Expr):
        return isinstance(statement.value, nodes.YieldFrom)
    return isinstance(statement, nodes.For) and not isinstance(statement, nodes.AsyncFor) and not statement.orelse


def _own_nodes(node: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    """`node` and the nodes below it, not descending into nested functions, classes or lambdas."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is node or not isinstance(current, (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)):
            stack.extend(current.get_children())


def _bound_names(statements: Sequence[nodes.NodeNG], function: nodes.FunctionDef) -> set[str]:
    """The local names of `function` that `statements` bind or delete."""
    names = set()
    for statement in statements:
        for node in _own_nodes(statement):
            if (isinstance(node, (nodes.AssignName, nodes.DelName)) and node.scope() is function) or (
                isinstance(node, (nodes.FunctionDef, nodes.ClassDef)) and node is not function
            ):
                names.add(node.name)
            elif isinstance(node, (nodes.Import, nodes.ImportFrom)):
                names.update(alias or name.split(".")[0] for name, alias in node.names)
    return names


def _bounded_calls(generator: GeneratorFunction, model: FileModel) -> list[nodes.Call] | None:
    """The calls that create the generator object, when every use of its name (in the linted file and the
    generator's module) is a consumer argument bounded by steps; None otherwise."""
    uses: list[nodes.NodeNG] = []
    for consumer in model.consumers:
        for role, source in consumer.fed_sources():
            if source.generator is None or source.generator.node is not generator.node:
                continue
            steps = "validation_steps" if role == "validation_data" else consumer.steps_name
            value = consumer.value(steps)
            if steps not in consumer.arguments or (value is not None and value.is_zero_or_none):
                return None
            uses.extend(node for node in (source.node, source.origin) if node is not None)
    modules = {id(node.root()): node.root() for node in (generator.node, *(c.node for c in model.consumers))}
    for module in modules.values():
        for node in module.nodes_of_class((nodes.Name, nodes.Attribute)):
            name = node.name if isinstance(node, nodes.Name) else node.attrname
            if name == generator.name and not any(use is node or use in node.node_ancestors() for use in uses):
                return None
    return [use for use in uses if isinstance(use, nodes.Call) and _callee_name(use) == generator.name]


def _callee_name(call: nodes.Call) -> str:
    if isinstance(call.func, nodes.Name):
        return call.func.name
    return call.func.attrname if isinstance(call.func, nodes.Attribute) else ""


class _Iterables:
    """Whether what the pass iterates can be iterated again in the next pass: a loop over a one-pass
    iterator made outside the block (a parameter given a generator, `it = iter(x)` before it) would find
    it exhausted and spin forever without yielding."""

    def __init__(self, function: nodes.FunctionDef, block: list[nodes.NodeNG], calls: list[nodes.Call]) -> None:
        self.function = function
        self.block_start = block[0].lineno or 0
        self.calls = calls

    def fresh_pass(self, statement: nodes.NodeNG) -> bool:
        iterable = statement.iter if isinstance(statement, nodes.For) else statement.value.value
        return self.reiterable(iterable, per_pass=True)

    def reiterable(self, node: nodes.NodeNG | None, per_pass: bool, depth: int = 0) -> bool:
        """`per_pass`: the expression is evaluated anew in each pass (inside the block), not once."""
        if node is None or depth > 8:
            return False
        if isinstance(node, (nodes.List, nodes.Tuple, nodes.Set, nodes.Dict, nodes.Const)):
            return True
        if isinstance(node, (nodes.ListComp, nodes.SetComp, nodes.DictComp, nodes.GeneratorExp)):
            if not per_pass:
                return not isinstance(node, nodes.GeneratorExp)
            return all(self.reiterable(part.iter, True, depth + 1) for part in node.generators)
        if isinstance(node, nodes.Call):
            return self._call(node, per_pass, depth)
        if isinstance(node, nodes.Name):
            return self._name(node, depth)
        return False

    def _call(self, call: nodes.Call, per_pass: bool, depth: int) -> bool:
        name = call.func.name if isinstance(call.func, nodes.Name) else ""
        if name == "range" or call.func.as_string().startswith(ARRAY_MODULES):
            return True
        if name in COLLECTING_CALLS and not per_pass:
            return True
        if name in COLLECTING_CALLS or (name in ITERATOR_CALLS and per_pass):
            arguments = [*call.args, *(keyword.value for keyword in call.keywords or [])]
            return all(self.reiterable(argument, True, depth + 1) for argument in arguments)
        return False

    def _name(self, name: nodes.Name, depth: int) -> bool:
        if name.scope() is self.function and name.name in self.function.argnames():
            if name.name in _bound_names(self.function.body, self.function):
                return False  # rebound before the loop: `paths = iter(paths)`
            bound = [self._argument(call, name.name) for call in self.calls]
            return bool(bound) and all(self.reiterable(value, False, depth + 1) for value in bound)
        _, assignments = name.lookup(name.name)
        if len(assignments) != 1 or not isinstance(assignments[0].parent, nodes.Assign):
            return False
        assign = assignments[0].parent
        if assign.targets != [assignments[0]]:
            return False
        in_block = assign.scope() is self.function and (assign.lineno or 0) >= self.block_start
        return self.reiterable(assign.value, in_block, depth + 1)

    def _argument(self, call: nodes.Call, parameter: str) -> nodes.NodeNG | None:
        """What `call` passes for `parameter` (its default when it passes nothing)."""
        if any(isinstance(argument, nodes.Starred) for argument in call.args):
            return None
        for keyword in call.keywords or []:
            if keyword.arg == parameter:
                return keyword.value
            if keyword.arg is None:
                return None
        positional = [argument.name for argument in [*self.function.args.posonlyargs, *self.function.args.args]]
        if self.function.type in ("method", "classmethod") and isinstance(call.func, nodes.Attribute):
            positional = positional[1:]
        if parameter in positional and positional.index(parameter) < len(call.args):
            return call.args[positional.index(parameter)]
        try:
            return self.function.args.default_value(parameter)
        except NoDefault:  # the caller passed nothing for a parameter that needs a value: unknown
            return None
