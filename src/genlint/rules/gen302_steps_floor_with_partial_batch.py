from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, GeneratorFunction
from genlint.rules.base import Example, FixSafety, Rule, RuleContext, Severity
from genlint.rules.edits import floor_count_fix
from genlint.rules.messages import call_text, code_text, site


class StepsFloorWithPartialBatchRule(Rule):
    """
    ## What it does
    Finds a step count that rounds down (`len(x) // batch_size`, `int(len(x) / batch_size)`,
    `math.floor(...)`) for an endless generator whose batch loop serves a partial last batch: it slices
    `x[start:start + batch_size]` for every `start` in `range(0, len(x), batch_size)`, or numbers its batches
    with `math.ceil(len(x) / batch_size)`. It checks `steps_per_epoch`, `validation_steps` and the `steps` of
    `evaluate` / `predict`.

    ## Why is this bad?
    The generator serves `ceil(n / batch_size)` batches per pass, but Keras stops each epoch after
    `floor(n / batch_size)` of them. Nothing fails: the next epoch simply starts with the short batch that
    was left over, so epoch boundaries drift through the data. In Keras 3 a generator of 100 samples in
    batches of 32 with `steps_per_epoch=100 // 32` trained the batch sizes `[32, 32, 32]`, then
    `[4, 32, 32]`, `[32, 4, 32]`, `[32, 32, 4]`: an "epoch" is no longer one pass, per-epoch metrics and
    callbacks (early stopping, checkpoints, learning-rate schedules) count something else, and `evaluate`
    or `predict` with a floored `steps` silently leaves the last samples out. With `math.ceil` Keras 3 ran
    `[32, 32, 32, 4]` every epoch.

    ## Fix safety
    Unsafe (`--fix --unsafe-fixes`): the count is rewritten where it is computed, `len(x) // batch_size`,
    `int(len(x) / batch_size)` or `math.floor(len(x) / batch_size)` → `math.ceil(len(x) / batch_size)`
    (adding `import math` after the other standard-library imports when it is missing). Each epoch then takes
    one more, short batch, which changes what an epoch, its metrics and its callbacks count; a name bound to
    the count (`train_steps = …`) changes for every other use of it too. A count computed in another module,
    or from a name (`int(n_over_b)`), is left alone.

    ## Known limitations
    Only batch loops genlint recognises are judged: a `for` loop over `range(...)` whose variable slices the
    data, `np.array_split` chunks, or a `yield from` / `for` over another such generator. A generator that
    drops the short batch (`range(0, n - bs + 1, bs)`, `range(n // bs)`, `if start + bs > n: break`) or
    draws random batches of a fixed size is correct with a floored count and is left alone. A finite
    generator is left to GEN101. When the code states both the number of samples (`np.random.rand(3200, 28)`,
    `np.zeros((n, 4))`, a list display) and the batch size, and they divide evenly, nothing is dropped and
    nothing is reported; a size read from a file or a configuration dictionary is not known.
    """

    code = "GEN302"
    name = "steps-floor-with-partial-batch"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    message = (
        "`{argument}={expression}`{computed} in `{call}` rounds down, but `{source}` ({where}) never ends and "
        "serves a partial last batch in every pass: {consequence}"
    )
    help = "use math.ceil(n / batch_size) steps, which count the short last batch, so that one run is one pass"

    invalid = (
        Example(
            """\
import numpy as np

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(
    batches(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,  # error: GEN302
    epochs=10,
)
""",
            fixed="""\
import math

import numpy as np

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(
    batches(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),  # error: GEN302
    epochs=10,
)
""",
            title="floor division for a generator that serves the short last batch",
        ),
        Example(
            """\
def stream(features, targets, batch_size=64):
    while True:
        for i in range(0, len(features), batch_size):
            yield features[i:i + batch_size], targets[i:i + batch_size]


train_steps = int(len(x_train) / 64)
val_steps = int(len(x_val) / 64)
model.fit(
    stream(x_train, y_train),
    steps_per_epoch=train_steps,  # error: GEN302
    validation_data=stream(x_val, y_val),
    validation_steps=val_steps,  # error: GEN302
    epochs=25,
)
""",
            fixed="""\
import math

def stream(features, targets, batch_size=64):
    while True:
        for i in range(0, len(features), batch_size):
            yield features[i:i + batch_size], targets[i:i + batch_size]


train_steps = math.ceil(len(x_train) / 64)
val_steps = math.ceil(len(x_val) / 64)
model.fit(
    stream(x_train, y_train),
    steps_per_epoch=train_steps,  # error: GEN302
    validation_data=stream(x_val, y_val),
    validation_steps=val_steps,  # error: GEN302
    epochs=25,
)
""",
            title="`int(n / bs)` through variables, for training and validation",
        ),
        Example(
            """\
from data_utils import BATCH_SIZE, batch_iter

n_train = x_train.shape[0]
model.fit(batch_iter(x_train, y_train), steps_per_epoch=n_train // BATCH_SIZE, epochs=40)  # error: GEN302
""",
            fixed="""\
import math

from data_utils import BATCH_SIZE, batch_iter

n_train = x_train.shape[0]
model.fit(batch_iter(x_train, y_train), steps_per_epoch=math.ceil(n_train / BATCH_SIZE), epochs=40)  # error: GEN302
""",
            files={
                "data_utils.py": """\
BATCH_SIZE = 128


def batch_iter(x, y):
    while True:
        for start in range(0, len(x), BATCH_SIZE):
            end = min(start + BATCH_SIZE, len(x))
            yield x[start:end], y[start:end]
""",
            },
            title="a generator and its batch size imported from a sibling module",
        ),
        Example(
            """\
import math

import keras


class Trainer:
    def __init__(self, model: keras.Model, x, y, batch_size=32):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size

    def batches(self):
        n_batches = math.ceil(len(self.x) / self.batch_size)
        while True:
            for b in range(n_batches):
                part = slice(b * self.batch_size, (b + 1) * self.batch_size)
                yield self.x[part], self.y[part]

    def train(self, epochs):
        steps = math.floor(len(self.x) / self.batch_size)
        return self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN302
""",
            fixed="""\
import math

import keras


class Trainer:
    def __init__(self, model: keras.Model, x, y, batch_size=32):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size

    def batches(self):
        n_batches = math.ceil(len(self.x) / self.batch_size)
        while True:
            for b in range(n_batches):
                part = slice(b * self.batch_size, (b + 1) * self.batch_size)
                yield self.x[part], self.y[part]

    def train(self, epochs):
        steps = math.ceil(len(self.x) / self.batch_size)
        return self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN302
""",
            title="a generator method through `self.`, numbered batches and `math.floor` steps",
        ),
        Example(
            """\
from tensorflow import keras


def evaluate_in_batches(model: keras.Model, x, y, batch_size=256):
    def forever():
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    return model.evaluate(forever(), steps=len(x) // batch_size)  # error: GEN302
""",
            fixed="""\
import math

from tensorflow import keras


def evaluate_in_batches(model: keras.Model, x, y, batch_size=256):
    def forever():
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    return model.evaluate(forever(), steps=math.ceil(len(x) / batch_size))  # error: GEN302
""",
            title="a nested generator: `evaluate` never sees the last samples",
        ),
        Example(
            """\
import itertools

BATCH_SIZE = 50


def cycled(x, batch_size):
    starts = range(0, len(x), batch_size)
    for start in itertools.cycle(starts):
        yield x[start:start + batch_size]


predictions = model.predict(cycled(x_test, BATCH_SIZE), steps=len(x_test) // BATCH_SIZE)  # error: GEN302
""",
            fixed="""\
import itertools
import math

BATCH_SIZE = 50


def cycled(x, batch_size):
    starts = range(0, len(x), batch_size)
    for start in itertools.cycle(starts):
        yield x[start:start + batch_size]


predictions = model.predict(cycled(x_test, BATCH_SIZE), steps=math.ceil(len(x_test) / BATCH_SIZE))  # error: GEN302
""",
            title="`predict` over `itertools.cycle`: the predictions miss the tail",
        ),
        Example(
            """\
import math

import numpy as np


def chunks(x, y, batch_size):
    n_chunks = math.ceil(len(x) / batch_size)
    while True:
        for xb, yb in zip(np.array_split(x, n_chunks), np.array_split(y, n_chunks)):
            yield xb, yb


model.fit(chunks(x_train, y_train, 32), steps_per_epoch=max(1, len(x_train) // 32), epochs=5)  # error: GEN302
""",
            fixed="""\
import math

import numpy as np


def chunks(x, y, batch_size):
    n_chunks = math.ceil(len(x) / batch_size)
    while True:
        for xb, yb in zip(np.array_split(x, n_chunks), np.array_split(y, n_chunks)):
            yield xb, yb


model.fit(chunks(x_train, y_train, 32), steps_per_epoch=max(1, math.ceil(len(x_train) / 32)), epochs=5)  # error: GEN302
""",
            title="`np.array_split` into `ceil(n / bs)` chunks, with `max(1, n // bs)` steps",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


def forever(x, y, batch_size):
    while True:
        yield from one_pass(x, y, batch_size)


model.fit_generator(forever(x_train, y_train, 16), len(x_train) // 16, 10)  # error: GEN302
""",
            fixed="""\
import math

def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


def forever(x, y, batch_size):
    while True:
        yield from one_pass(x, y, batch_size)


model.fit_generator(forever(x_train, y_train, 16), math.ceil(len(x_train) / 16), 10)  # error: GEN302
""",
            title="`yield from` a single pass, legacy `fit_generator` with positional steps",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np
from tensorflow import keras

BATCH_SIZE = 32
images = np.random.rand(3200, 28, 28, 1).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 10, 3200), 10)


def batches(x, y, batch_size=BATCH_SIZE):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


model.fit(batches(images, labels), steps_per_epoch=len(images) // BATCH_SIZE, epochs=10)
""",
            title="3,200 samples in batches of 32: the floor drops nothing",
        ),
        Example(
            """\
import math

import numpy as np

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(
    batches(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    epochs=10,
)
""",
            title="`math.ceil` counts the short last batch",
        ),
        Example(
            """\
import numpy as np


def full_batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x) - batch_size + 1, batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(full_batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="only full batches: the starts stop at `n - batch_size + 1`",
        ),
        Example(
            """\
import numpy as np

BATCH_SIZE = 128


def random_batches(x, y):
    while True:
        idx = np.random.choice(len(x), BATCH_SIZE)
        yield x[idx], y[idx]


model.fit(random_batches(x_train, y_train), steps_per_epoch=len(x_train) // BATCH_SIZE, epochs=8)
""",
            title="random batches of a fixed size are always full",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for i in range(len(x) // batch_size):
            part = slice(i * batch_size, (i + 1) * batch_size)
            yield x[part], y[part]


steps = len(x_train) // 64
model.fit(batches(x_train, y_train, 64), steps_per_epoch=steps, epochs=12)
""",
            title="the generator itself counts `n // batch_size` batches",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            if start + batch_size > len(x):
                break  # the short tail is dropped
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=int(len(x_train) / 32), epochs=10)
""",
            title="a guard drops the short batch before it is yielded",
        ),
        Example(
            """\
N_TRAIN = 60_000
BATCH_SIZE = 100


def batches(x, y):
    while True:
        for start in range(0, N_TRAIN, BATCH_SIZE):
            yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]


model.fit(batches(x_train, y_train), steps_per_epoch=N_TRAIN // BATCH_SIZE, epochs=10)
""",
            title="the batch size divides the known number of samples",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate(one_pass(x_test, y_test, 32), steps=len(x_test) // 32)
""",
            title="a finite generator is not this rule's business",
        ),
        Example(
            """\
class Distiller:
    def __init__(self, teacher, student):
        self.teacher, self.student = teacher, student

    def fit(self, batches, steps_per_epoch, epochs=1):
        for _ in range(epochs * steps_per_epoch):
            x, _ = next(batches)
            self.student.train_on_batch(x, self.teacher.predict_on_batch(x))


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


Distiller(teacher, student).fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32)
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
import math


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=-(-len(x_train) // 32),
    validation_data=batches(x_val, y_val, 32),
    validation_steps=(len(x_val) + 31) // 32,
    epochs=10,
)
""",
            title="the integer ceiling idioms `-(-n // bs)` and `(n + bs - 1) // bs`",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                argument = "validation_steps" if role == "validation_data" else consumer.steps_name
                value = consumer.value(argument)
                generator = source.generator
                if value is None or not value.floors or generator is None:
                    continue
                if source.is_infinite and generator.serves_partial_batch is True:
                    self._report(model, context, consumer, role, argument, source, generator)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        argument: str,
        source: DataSource,
        generator: GeneratorFunction,
    ) -> None:
        value = consumer.value(argument)
        assert value is not None
        shown = code_text(value.node, 50)
        context.report(
            value.node,
            argument=argument,
            expression=shown,
            computed=f" (`{value.text}`)" if value.text and value.text != shown else "",
            source=generator.name,
            where=site(generator.node, model.path),
            consequence=_consequence(consumer, role),
            call=call_text(consumer, role=role),
            fix=floor_count_fix(value.expression, value.node),
        )


def _consequence(consumer: Consumer, role: str) -> str:
    if role == "validation_data":
        return "each validation stops before that batch and the next one starts mid-pass, silently"
    if consumer.base_method == "fit":
        return "each epoch stops short of a full pass, so epoch boundaries drift through the data, silently"
    return f"`{consumer.base_method}` silently leaves the last samples out"
