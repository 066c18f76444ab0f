from __future__ import annotations

from genlint.analysis.model import FileModel, ValueType
from genlint.rules.base import Example, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import float_count_fix
from genlint.rules.messages import code_text

STEP_ARGUMENTS = ("steps_per_epoch", "validation_steps", "steps")


class FloatStepsRule(Rule):
    """
    ## What it does
    Finds `steps_per_epoch`, `validation_steps` or `steps` computed as a float: a true division
    (`len(x) / batch_size`), `np.ceil` / `np.floor` (which return NumPy floats), a float constant, or a
    name bound to one of those.

    ## Why is this bad?
    Keras 3 counts steps with `range()`, which refuses floats even when they are whole (`96 / 32 == 3.0`):
    `TypeError: 'float' object cannot be interpreted as an integer` (or `'numpy.float64' object cannot be
    interpreted as an integer` for `np.ceil`). For `validation_steps` the error only comes after the whole
    first training epoch. tf.keras accepted floats silently, so this breaks code on its way to Keras 3.
    `math.ceil(a / b)` and `a // b` return ints.

    ## Fix safety
    Safe: `--fix` rounds a true division up, `a / b` → `math.ceil(a / b)` (adding `import math` after the
    other standard-library imports when it is missing), puts `int(...)` around a NumPy function whose float
    is whole (`np.ceil`, `np.floor`, `np.round`), and writes a whole float constant as an int (`100.0` →
    `100`). A name bound to one of those is converted where it is passed, `steps_per_epoch=math.ceil(steps)`,
    so that its other uses keep their value. Keras 3 rejects the float in any case; the fix only makes it
    the int that counts every sample. Other floats (`n_batches * 0.8`) are left alone: whether to round them
    up or down is the author's choice. No fix is offered where `math` names something else.
    """

    code = "GEN301"
    name = "float-steps"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    message = "`{argument}={expression}` is a float ({reason}) in `{call}`: {consequence}"
    help = "use math.ceil(a / b) for a whole number of steps that covers every sample"
    symptom = KerasSymptom(exception="TypeError", message="'float' object cannot be interpreted as an integer")

    invalid = (
        Example(
            """\
BATCH_SIZE = 32
steps = len(x_train) / BATCH_SIZE

model.fit(train_batches, steps_per_epoch=steps, epochs=10)  # error: GEN301
""",
            fixed="""\
import math

BATCH_SIZE = 32
steps = len(x_train) / BATCH_SIZE

model.fit(train_batches, steps_per_epoch=math.ceil(steps), epochs=10)  # error: GEN301
""",
            title="true division through a variable",
        ),
        Example(
            """\
import numpy as np

BATCH_SIZE = 64

model.fit(
    train_batches,
    steps_per_epoch=np.ceil(len(x_train) / BATCH_SIZE),  # error: GEN301
    epochs=20,
)
""",
            fixed="""\
import numpy as np

BATCH_SIZE = 64

model.fit(
    train_batches,
    steps_per_epoch=int(np.ceil(len(x_train) / BATCH_SIZE)),  # error: GEN301
    epochs=20,
)
""",
            title="`np.ceil` returns a NumPy float",
        ),
        Example(
            """\
import numpy as np


def train(model, train_gen, val_gen, n_train, n_val, batch_size=32):
    return model.fit(
        train_gen,
        steps_per_epoch=n_train // batch_size,
        validation_data=val_gen,
        validation_steps=np.floor(n_val / batch_size),  # error: GEN301
        epochs=15,
    )
""",
            fixed="""\
import numpy as np


def train(model, train_gen, val_gen, n_train, n_val, batch_size=32):
    return model.fit(
        train_gen,
        steps_per_epoch=n_train // batch_size,
        validation_data=val_gen,
        validation_steps=int(np.floor(n_val / batch_size)),  # error: GEN301
        epochs=15,
    )
""",
            title="`np.floor` for `validation_steps`, inside a function",
        ),
        Example(
            """\
def test_batches(x, y, batch_size=100):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


loss, accuracy = model.evaluate(test_batches(x_test, y_test), steps=100.0)  # error: GEN301
""",
            fixed="""\
def test_batches(x, y, batch_size=100):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


loss, accuracy = model.evaluate(test_batches(x_test, y_test), steps=100)  # error: GEN301
""",
            title="a float literal for `steps`",
        ),
        Example(
            """\
n_batches = len(x_all) // 32

model.fit(
    train_stream,
    steps_per_epoch=n_batches * 0.8,  # error: GEN301
    validation_data=val_stream,
    validation_steps=n_batches * 0.2,  # error: GEN301
    epochs=10,
)
""",
            fixed="""\
n_batches = len(x_all) // 32

model.fit(
    train_stream,
    steps_per_epoch=n_batches * 0.8,  # error: GEN301
    validation_data=val_stream,
    validation_steps=n_batches * 0.2,  # error: GEN301
    epochs=10,
)
""",
            title="a fraction of the batches: `n * 0.8`",
        ),
        Example(
            """\
import math

BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=len(x_train) / BATCH_SIZE * 2, epochs=5)  # error: GEN301
""",
            fixed="""\
import math

BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=len(x_train) / BATCH_SIZE * 2, epochs=5)  # error: GEN301
""",
            title="a division inside a product: rounding is the author's choice, so no fix is offered",
        ),
        Example(
            """\
from data_utils import STEPS_PER_EPOCH, batch_iter

model.fit(batch_iter(x_train, y_train), steps_per_epoch=STEPS_PER_EPOCH, epochs=10)  # error: GEN301
""",
            fixed="""\
import math

from data_utils import STEPS_PER_EPOCH, batch_iter

model.fit(batch_iter(x_train, y_train), steps_per_epoch=math.ceil(STEPS_PER_EPOCH), epochs=10)  # error: GEN301
""",
            files={
                "data_utils.py": """\
N_TRAIN = 60_000
BATCH_SIZE = 128
STEPS_PER_EPOCH = N_TRAIN / BATCH_SIZE


def batch_iter(x, y):
    while True:
        for i in range(0, len(x), BATCH_SIZE):
            yield x[i:i + BATCH_SIZE], y[i:i + BATCH_SIZE]
""",
            },
            title="a module constant imported from a sibling module",
        ),
        Example(
            """\
from tensorflow import keras

model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, batch_size=32, epochs=5, steps_per_epoch=len(x_train) / 32)  # error: GEN301
predictions = model.predict(x_test, batch_size=32, steps=len(x_test) / 32)  # error: GEN301
""",
            fixed="""\
import math

from tensorflow import keras

model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, batch_size=32, epochs=5, steps_per_epoch=math.ceil(len(x_train) / 32))  # error: GEN301
predictions = model.predict(x_test, batch_size=32, steps=math.ceil(len(x_test) / 32))  # error: GEN301
""",
            title="arrays too: Keras 3 counts any `steps` with `range()`",
        ),
        Example(
            """\
import keras


class Trainer:
    def __init__(self, x, y, batch_size=32):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.steps = len(x) / batch_size
        self.model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")

    def batches(self):
        while True:
            for i in range(0, len(self.x), self.batch_size):
                yield self.x[i:i + self.batch_size], self.y[i:i + self.batch_size]

    def train(self, epochs):
        return self.model.fit(self.batches(), steps_per_epoch=self.steps, epochs=epochs)  # error: GEN301
""",
            fixed="""\
import math

import keras


class Trainer:
    def __init__(self, x, y, batch_size=32):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.steps = len(x) / batch_size
        self.model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")

    def batches(self):
        while True:
            for i in range(0, len(self.x), self.batch_size):
                yield self.x[i:i + self.batch_size], self.y[i:i + self.batch_size]

    def train(self, epochs):
        return self.model.fit(self.batches(), steps_per_epoch=math.ceil(self.steps), epochs=epochs)  # error: GEN301
""",
            title="a `self.` attribute computed with true division",
        ),
        Example(
            """\
import numpy as np

EVAL_BATCH = 256
eval_steps = np.ceil(len(x_test) / EVAL_BATCH)


def report(model, batches):
    loss, accuracy = model.evaluate(batches, steps=eval_steps)  # error: GEN301
    print(f"test loss {loss:.4f}, accuracy {accuracy:.2%}")
""",
            fixed="""\
import numpy as np

EVAL_BATCH = 256
eval_steps = np.ceil(len(x_test) / EVAL_BATCH)


def report(model, batches):
    loss, accuracy = model.evaluate(batches, steps=int(eval_steps))  # error: GEN301
    print(f"test loss {loss:.4f}, accuracy {accuracy:.2%}")
""",
            title="a module-level `np.ceil` used as `steps` in a function",
        ),
        Example(
            """\
from numpy import ceil

BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=ceil(len(x_train) / BATCH_SIZE), epochs=10)  # error: GEN301
""",
            fixed="""\
from numpy import ceil

BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=int(ceil(len(x_train) / BATCH_SIZE)), epochs=10)  # error: GEN301
""",
            title="`ceil` imported from NumPy",
        ),
        Example(
            """\
BATCH_SIZE = 32
steps_per_epoch = len(x_train)
steps_per_epoch /= BATCH_SIZE

model.fit(train_batches, steps_per_epoch=steps_per_epoch, epochs=10)  # error: GEN301
""",
            fixed="""\
import math

BATCH_SIZE = 32
steps_per_epoch = len(x_train)
steps_per_epoch /= BATCH_SIZE

model.fit(train_batches, steps_per_epoch=math.ceil(steps_per_epoch), epochs=10)  # error: GEN301
""",
            title="`/=` turns the step count into a float",
        ),
        Example(
            """\
BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = len(x_train) / BATCH_SIZE  # 96 / 32 == 3.0: a whole number, but still a float
model.fit(batches(x_train, y_train, BATCH_SIZE), steps_per_epoch=steps, epochs=3)  # error: GEN301
""",
            fixed="""\
import math

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = len(x_train) / BATCH_SIZE  # 96 / 32 == 3.0: a whole number, but still a float
model.fit(batches(x_train, y_train, BATCH_SIZE), steps_per_epoch=math.ceil(steps), epochs=3)  # error: GEN301
""",
            title="a whole-number float fails too",
            runs=True,
        ),
        Example(
            """\
import tensorflow as tf

BATCH_SIZE = 32
image_ds = tf.data.Dataset.from_tensor_slices((image_paths, labels)).map(load_and_preprocess)
train_ds = image_ds.shuffle(len(image_paths)).repeat().batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

steps_per_epoch = tf.math.ceil(len(image_paths) / BATCH_SIZE).numpy()
model.fit(train_ds, epochs=5, steps_per_epoch=steps_per_epoch)  # error: GEN301
model.evaluate(test_ds, steps=tf.math.ceil(len(test_paths) / BATCH_SIZE))  # error: GEN301
""",
            fixed="""\
import tensorflow as tf

BATCH_SIZE = 32
image_ds = tf.data.Dataset.from_tensor_slices((image_paths, labels)).map(load_and_preprocess)
train_ds = image_ds.shuffle(len(image_paths)).repeat().batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

steps_per_epoch = tf.math.ceil(len(image_paths) / BATCH_SIZE).numpy()
model.fit(train_ds, epochs=5, steps_per_epoch=int(steps_per_epoch))  # error: GEN301
model.evaluate(test_ds, steps=int(tf.math.ceil(len(test_paths) / BATCH_SIZE)))  # error: GEN301
""",
            title="`tf.math.ceil` gives a float tensor, and `.numpy()` a NumPy float",
        ),
        Example(
            """\
BATCH_SIZE = 32


def make_batches(x, y):
    def endless():
        while True:
            for start in range(0, len(x), BATCH_SIZE):
                yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]

    return endless(), len(x) / BATCH_SIZE


train_gen, train_steps = make_batches(x_train, y_train)
model.fit(train_gen, steps_per_epoch=train_steps, epochs=10)  # error: GEN301
""",
            fixed="""\
import math

BATCH_SIZE = 32


def make_batches(x, y):
    def endless():
        while True:
            for start in range(0, len(x), BATCH_SIZE):
                yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]

    return endless(), len(x) / BATCH_SIZE


train_gen, train_steps = make_batches(x_train, y_train)
model.fit(train_gen, steps_per_epoch=math.ceil(train_steps), epochs=10)  # error: GEN301
""",
            title="a step count unpacked from the tuple a factory returns",
        ),
        Example(
            """\
from captioner import Captioner
from data import caption_batches

net = Captioner()
net.fit_generator(caption_batches(x_train, y_train), steps_per_epoch=len(x_train) / 32)  # error: GEN301
""",
            fixed="""\
import math

from captioner import Captioner
from data import caption_batches

net = Captioner()
net.fit_generator(caption_batches(x_train, y_train), steps_per_epoch=math.ceil(len(x_train) / 32))  # error: GEN301
""",
            files={
                "captioner.py": """\
import keras


class Captioner:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        self.model.compile(optimizer="sgd", loss="mse")

    def fit_generator(self, generator, steps_per_epoch):
        self.model.fit(generator, steps_per_epoch=steps_per_epoch, epochs=10)
""",
                "data.py": """\
def caption_batches(x, y):
    while True:
        for start in range(0, len(x), 32):
            yield x[start:start + 32], y[start:start + 32]
""",
            },
            title="a project model class whose own `fit_generator` passes the step count on to Keras",
        ),
        Example(
            """\
def steps_for(n_samples, batch_size):
    return n_samples / batch_size


model.fit(train_batches, steps_per_epoch=steps_for(len(x_train), 32), epochs=10)  # error: GEN301
""",
            fixed="""\
def steps_for(n_samples, batch_size):
    return n_samples / batch_size


model.fit(train_batches, steps_per_epoch=steps_for(len(x_train), 32), epochs=10)  # error: GEN301
""",
            title="a project function that returns a true division (no fix: the function may have other callers)",
        ),
        Example(
            """\
BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=max(1, len(x_train) / BATCH_SIZE), epochs=10)  # error: GEN301
""",
            fixed="""\
BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=max(1, len(x_train) / BATCH_SIZE), epochs=10)  # error: GEN301
""",
            title="`max(1, …)` around a true division (no fix)",
        ),
    )
    valid = (
        Example(
            """\
import math

BATCH_SIZE = 32
steps = math.ceil(len(x_train) / BATCH_SIZE)

model.fit(train_batches, steps_per_epoch=steps, epochs=10)
""",
        ),
        Example(
            """\
BATCH_SIZE = 32

model.fit(
    train_batches,
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    validation_data=val_batches,
    validation_steps=len(x_val) // BATCH_SIZE,
    epochs=10,
)
""",
            title="floor division `//` gives an int",
        ),
        Example(
            """\
import math


def steps_for(n_samples, batch_size):
    if batch_size <= 0:
        return n_samples / 32
    return math.ceil(n_samples / batch_size)


model.fit(train_batches, steps_per_epoch=steps_for(len(x_train), 32), epochs=10)
""",
            title="a project function that returns an int on some path",
        ),
        Example(
            """\
import numpy as np

BATCH_SIZE = 64
steps_per_epoch = int(np.ceil(len(x_train) / BATCH_SIZE))

model.fit(train_batches, steps_per_epoch=steps_per_epoch, epochs=20)
""",
            title="`int()` around `np.ceil`",
        ),
        Example(
            """\
import numpy as np
import tensorflow as tf

BATCH_SIZE = 32

model.fit(train_ds, steps_per_epoch=int(tf.math.ceil(len(x_train) / BATCH_SIZE).numpy()), epochs=5)
model.fit(train_ds, steps_per_epoch=np.ceil(len(x_train) / BATCH_SIZE).astype(int), epochs=5)
model.evaluate(test_ds, steps=tf.cast(tf.math.ceil(len(x_test) / BATCH_SIZE), tf.int64).numpy())
""",
            title="a float tensor or a NumPy float made an int",
        ),
        Example(
            """\
import numpy as np

BATCH_SIZE = 128


def random_batches(x, y):
    while True:
        idx = np.random.randint(0, len(x), BATCH_SIZE)
        yield x[idx], y[idx]


model.fit(random_batches(x_train, y_train), steps_per_epoch=int(len(x_train) / BATCH_SIZE), epochs=8)
""",
            title="`int(len(x) / bs)`: random full batches, so flooring loses nothing",
        ),
        Example(
            """\
model.fit(
    train_batches,
    steps_per_epoch=round(len(x_train) / 64),
    validation_data=val_batches,
    validation_steps=round(len(x_val) / 64),
    epochs=10,
)
""",
            title="`round()` with one argument returns an int",
        ),
        Example(
            """\
class LearningRateFinder:
    def __init__(self, model):
        self.model, self.rates, self.losses = model, [], []

    def fit(self, batches, steps_per_epoch, epochs=1, start_lr=1e-7, end_lr=1.0):
        total = int(steps_per_epoch * epochs)
        factor = (end_lr / start_lr) ** (1 / total)
        for step, (x, y) in zip(range(total), batches):
            self.model.optimizer.learning_rate = start_lr * factor**step
            self.losses.append(self.model.train_on_batch(x, y))


finder = LearningRateFinder(model)
finder.fit(train_batches, steps_per_epoch=len(x_train) / 32, epochs=0.5)
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
from data_utils import STEPS_PER_EPOCH, batch_iter

model.fit(batch_iter(x_train, y_train), steps_per_epoch=STEPS_PER_EPOCH, epochs=10)
""",
            files={
                "data_utils.py": """\
import math

N_TRAIN = 60_000
BATCH_SIZE = 128
STEPS_PER_EPOCH = math.ceil(N_TRAIN / BATCH_SIZE)


def batch_iter(x, y):
    while True:
        for i in range(0, len(x), BATCH_SIZE):
            yield x[i:i + BATCH_SIZE], y[i:i + BATCH_SIZE]
""",
            },
            title="`math.ceil` in a sibling module's constant",
        ),
        Example(
            """\
BATCH_SIZE = 32
n_train = int(len(x_all) * 0.8)

model.fit(
    train_stream,
    steps_per_epoch=n_train // BATCH_SIZE,
    validation_data=val_stream,
    validation_steps=(len(x_all) - n_train) // BATCH_SIZE,
    validation_freq=2,
    epochs=10,
)
""",
            title="an 80/20 split converted with `int()` before the division",
        ),
        Example(
            """\
loss, accuracy = model.evaluate(test_batches, steps=-(-len(x_test) // 256))
""",
            title="the ceiling idiom `-(-n // bs)` stays an int",
        ),
        Example(
            """\
from math import ceil

BATCH_SIZE = 32

model.fit(train_batches, steps_per_epoch=ceil(len(x_train) / BATCH_SIZE), epochs=10)
""",
            title="`ceil` imported from `math`",
        ),
        Example(
            """\
BATCH_SIZE = 32
steps = len(x_train) / BATCH_SIZE
steps = int(steps)

model.fit(train_batches, steps_per_epoch=steps, epochs=10)
""",
            title="the division is converted in place with `steps = int(steps)`",
        ),
        Example(
            """\
import math

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = math.ceil(len(x_train) / BATCH_SIZE)
model.fit(batches(x_train, y_train, BATCH_SIZE), steps_per_epoch=steps, epochs=3)
""",
            title="`math.ceil` of the division is an int",
            runs=True,
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for name in STEP_ARGUMENTS:
                value = consumer.value(name)
                if value is None or value.type is not ValueType.FLOAT:
                    continue
                consequence = "Keras 3 raises TypeError: 'float' object cannot be interpreted as an integer"
                if name == "validation_steps":
                    consequence += ", after the whole first training epoch"
                shown = code_text(value.node, 50)
                reason = value.float_reason or "a float"
                written = code_text(value.node, 1000)  # a long expression written in place is not restated
                if value.text and value.text not in (shown, written) and value.text not in reason:
                    reason = f"`{shown}` is `{value.text}`: {reason}"
                context.report(
                    value.node,
                    argument=name,
                    expression=shown,
                    reason=reason,
                    call=f"{consumer.method}()",
                    consequence=consequence,
                    fix=float_count_fix(value.node, value.expression),
                )
