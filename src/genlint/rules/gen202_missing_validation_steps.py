from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import endless_reason, missing_count


class MissingValidationStepsRule(Rule):
    """
    ## What it does
    Finds an infinite data source passed as `validation_data=` to `fit` without `validation_steps`, or with
    `validation_steps` set to `0` or `None`.

    ## Why is this bad?
    After the first training epoch Keras starts validating and never stops: the endless validation
    generator is drawn until the job is killed, with no message (Keras 3 ran 232,160 validation steps in
    60 seconds). The whole first epoch of training is spent before the hang. Keras 2 used to raise
    "you must specify a value for validation_steps"; Keras 3 and tf.keras don't.

    ## Known limitations
    Calls that pass `**kwargs` are left alone, since `validation_steps` may be inside them.
    """

    code = "GEN202"
    name = "missing-validation-steps"
    severity = Severity.ERROR
    message = (
        "`{source}` never ends ({why}) and is the validation_data of `{call}`, and the call {problem}: {consequence}"
    )
    help = "pass validation_steps=math.ceil(number_of_validation_samples / batch_size)"

    symptom = KerasSymptom(hang=True)

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(  # error: GEN202
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=batches(x_val, y_val, 32),
    epochs=10,
)
""",
            title="an endless validation generator",
            runs=True,
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


N_VAL = 200
BATCH_SIZE = 256
VAL_STEPS = N_VAL // BATCH_SIZE

model.fit(
    batches(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    validation_data=batches(x_val, y_val, BATCH_SIZE),
    validation_steps=VAL_STEPS,  # error: GEN202
    epochs=10,
)
""",
            title="`validation_steps` computed as 0: a validation set smaller than one batch",
        ),
        Example(
            """\
import numpy as np


def patches(volume, labels, size, batch_size):
    while 1:
        corners = np.random.randint(0, len(volume) - size, batch_size)
        yield np.stack([volume[c:c + size] for c in corners]), labels[corners]


model.fit(
    patches(train_volume, train_labels, 32, 8),
    steps_per_epoch=500,
    validation_data=patches(val_volume, val_labels, 32, 8),
    validation_steps=None,  # error: GEN202
    epochs=40,
)
""",
            title="`validation_steps=None` written out, with a `while 1` generator",
        ),
        Example(
            """\
def batches(x, y, batch_size=64):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


train_gen = batches(x_train, y_train)
val_gen = batches(x_val, y_val)
callbacks = [checkpoint, early_stopping]
model.fit(train_gen, None, None, 40, 2, callbacks, 0.0, val_gen, steps_per_epoch=300)  # error: GEN202
""",
            title="the validation generator as the 8th positional argument of `fit`",
        ),
        Example(
            """\
import math

import keras


class Experiment:
    def __init__(self, data, batch_size=32):
        self.data, self.batch_size = data, batch_size
        self.model = keras.models.load_model("baseline.keras")

    def batches(self, split):
        x, y = self.data[split]
        while True:
            for i in range(0, len(x), self.batch_size):
                yield x[i:i + self.batch_size], y[i:i + self.batch_size]

    def run(self, epochs):
        steps = math.ceil(len(self.data["train"][0]) / self.batch_size)
        return self.model.fit(  # error: GEN202
            self.batches("train"),
            steps_per_epoch=steps,
            validation_data=self.batches("val"),
            epochs=epochs,
        )
""",
            title="a generator method as `validation_data` through `self.`",
        ),
        Example(
            """\
from data_utils import batch_iter

history = model.fit(  # error: GEN202
    x=batch_iter(x_train, y_train, 128),
    steps_per_epoch=len(x_train) // 128,
    validation_data=batch_iter(x_val, y_val, 128),
    epochs=25,
)
""",
            files={
                "data_utils.py": """\
import itertools


def batch_iter(x, y, batch_size):
    starts = range(0, len(x), batch_size)
    for start in itertools.cycle(starts):
        yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="an `itertools.cycle` generator imported from a sibling module",
        ),
        Example(
            """\
import itertools

val_batches = [(x_val[i:i + 64], y_val[i:i + 64]) for i in range(0, len(x_val), 64)]

model.fit(  # error: GEN202
    train_stream,
    steps_per_epoch=1000,
    validation_data=((x, y) for x, y in itertools.cycle(val_batches)),
    epochs=12,
)
""",
            title="a generator expression over `itertools.cycle` as `validation_data`",
        ),
        Example(
            """\
import functools

import numpy as np


def sequences(tokens, length, batch_size):
    while True:
        starts = np.random.randint(0, len(tokens) - length - 1, batch_size)
        x = np.stack([tokens[s:s + length] for s in starts])
        yield x, np.stack([tokens[s + 1:s + length + 1] for s in starts])


make_batches = functools.partial(sequences, length=128, batch_size=16)
model.fit(make_batches(train_tokens), steps_per_epoch=2000, epochs=4,  # error: GEN202
          validation_data=make_batches(val_tokens))
""",
            title="an endless validation generator through `functools.partial`",
        ),
        Example(
            """\
import itertools


def replay(batches):
    yield from itertools.cycle(batches)


model.fit(replay(train_batches), steps_per_epoch=len(train_batches), epochs=5,  # error: GEN202
          validation_data=replay(val_batches))
""",
            title="`yield from itertools.cycle(...)` as `validation_data`",
        ),
        Example(
            """\
import tensorflow as tf


def val_batches():
    while True:
        for start in range(0, len(x_val), 32):
            yield x_val[start:start + 32], y_val[start:start + 32]


val_ds = tf.data.Dataset.from_generator(
    val_batches, output_signature=(tf.TensorSpec((None, 8)), tf.TensorSpec((None, 1)))
).prefetch(2)
model.fit(train_ds, epochs=5, validation_data=val_ds)  # error: GEN202
""",
            title="a `from_generator` pipeline over an endless generator as `validation_data`",
        ),
        Example(
            """\
import numpy as np


def make_stream(x, y, batch_size):
    def stream():
        while True:
            rows = np.random.randint(0, len(x), batch_size)
            yield x[rows], y[rows]

    return stream


train_stream = make_stream(x_train, y_train, 32)
val_stream = make_stream(x_val, y_val, 32)
model.fit(  # error: GEN202
    train_stream(),
    steps_per_epoch=200,
    validation_data=val_stream(),
    epochs=5,
)
""",
            title="the generator function a factory returns, called later",
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
    epochs=10,
)
""",
            runs=True,
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
    epochs=10,
)
""",
            title="a `(x_val, y_val)` tuple has a known length",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


holdout = (x_val, y_val, val_weights)
model.fit(batches(x_train, y_train, 64), steps_per_epoch=len(x_train) // 64, validation_data=holdout, epochs=8)
""",
            title="a `(x, y, sample_weight)` tuple through a variable",
        ),
        Example(
            """\
def val_batches(x, y, batch_size=256):
    for i in range(0, len(x), batch_size):
        yield x[i:i + batch_size], y[i:i + batch_size]


model.fit(
    train_stream,
    steps_per_epoch=500,
    validation_data=val_batches(x_val, y_val),
    epochs=1,
)
""",
            title="a finite validation generator ends by itself",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = {"steps_per_epoch": len(x_train) // 32, "validation_steps": len(x_val) // 32}
model.fit(batches(x_train, y_train, 32), validation_data=batches(x_val, y_val, 32), epochs=10, **steps)
""",
            title="`validation_steps` may come in `**kwargs`",
        ),
        Example(
            """\
import itertools


class DistillationLoop:
    def __init__(self, teacher, student):
        self.teacher, self.student = teacher, student

    def fit(self, batches, validation_data=None, epochs=1, steps=100):
        for _ in range(epochs):
            for x, _ in itertools.islice(batches, steps):
                self.student.train_on_batch(x, self.teacher.predict_on_batch(x))


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


DistillationLoop(teacher, student).fit(batches(x_train, y_train, 32), validation_data=batches(x_val, y_val, 32))
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
import math

import numpy as np

BATCH_SIZE = 64
VAL_STEPS = math.ceil(len(x_val) / BATCH_SIZE)


def stream(x, y):
    while 1:
        idx = np.random.randint(0, len(x), BATCH_SIZE)
        yield x[idx], y[idx]


model.fit(stream(x_train, y_train), steps_per_epoch=400, validation_data=stream(x_val, y_val),
          validation_steps=VAL_STEPS, epochs=30)
""",
            title="`validation_steps` from a module constant, with a `while 1` generator",
        ),
        Example(
            """\
import math

import keras


class Experiment:
    def __init__(self, data, batch_size=32):
        self.data, self.batch_size = data, batch_size
        self.model = keras.models.load_model("baseline.keras")

    def batches(self, split):
        x, y = self.data[split]
        while True:
            for i in range(0, len(x), self.batch_size):
                yield x[i:i + self.batch_size], y[i:i + self.batch_size]

    def steps(self, split):
        return math.ceil(len(self.data[split][0]) / self.batch_size)

    def run(self, epochs):
        return self.model.fit(self.batches("train"), steps_per_epoch=self.steps("train"),
                              validation_data=self.batches("val"), validation_steps=self.steps("val"),
                              epochs=epochs)
""",
            title="a generator method with `validation_steps` from a method",
        ),
        Example(
            """\
from data_utils import VAL_STEPS, batch_iter

model.fit(
    batch_iter(x_train, y_train, 128),
    steps_per_epoch=len(x_train) // 128,
    validation_data=batch_iter(x_val, y_val, 128),
    validation_steps=VAL_STEPS,
    epochs=25,
)
""",
            files={
                "data_utils.py": """\
import math

import numpy as np

x_val = np.load("x_val.npy")
VAL_STEPS = math.ceil(len(x_val) / 128)


def batch_iter(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="the generator and `validation_steps` imported from a sibling module",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            source = consumer.validation_data
            if consumer.base_method != "fit" or source is None or not source.is_infinite:
                continue
            missing = missing_count(consumer, "validation_steps")
            if missing is None:
                continue
            problem, node = missing
            context.report(
                node,
                source=source.text,
                why=endless_reason(source, model.path),
                call=f"{consumer.method}()",
                problem=problem,
                consequence="the first validation never ends; Keras hangs after a full epoch of training",
            )
