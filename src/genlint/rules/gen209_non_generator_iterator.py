from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, SourceKind
from genlint.rules.base import Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import wrapping
from genlint.rules.messages import code_text, site


class NonGeneratorIteratorRule(Rule):
    """
    ## What it does
    Finds an iterator that is not a generator passed as data to `fit`, `evaluate` or `predict` (or as
    `validation_data`): a `zip(...)`, `map(...)`, `filter(...)` or `iter(...)` object, an `itertools`
    object such as `islice` or `cycle`, or an instance of a project class with `__next__`, including the
    `@threadsafe_generator` recipe that wraps a generator in such a class.

    ## Why is this bad?
    Keras 3 recognises a Python generator by its type (`types.GeneratorType`), not by the iterator
    protocol, so anything else that yields batches fails before training starts: `ValueError: Unrecognized
    data type: x=<zip object at 0x…> (of type <class 'zip'>)`; as `validation_data`, only after the first
    training epoch. tf.keras accepted any object with `__next__` and `__iter__`, so this breaks code that
    is moved from tf.keras to Keras 3. With the target `tf-keras`, the finding is `info`.

    ## Fix safety
    Unsafe: `--fix --unsafe-fixes` wraps the argument in a generator expression,
    `(batch for batch in zip(x_batches, y_batches))`. Keras 3 accepts that, since it is a generator, and it
    yields the very batches of the iterator, in order, as Keras asks for them; the iterator itself is
    still created where it was. What the wrapper hides is everything else about the object: Keras sees no
    `__len__` and no other method of a project iterator class, and a generator may not be advanced from two
    threads at once, where the `@threadsafe_generator` recipe's lock allowed that. Keras 3 reads a generator
    from one thread, but check code that relied on more. A project iterator class can instead turn its
    `__next__` logic into a generator method.
    """

    code = "GEN209"
    name = "non-generator-iterator"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    symptom = KerasSymptom(exception="ValueError", message="Unrecognized data type")
    message = "`{source}` is {what}, not a generator, passed as {role} of `{call}`: {consequence}; {remedy}"

    invalid = (
        Example(
            """\
import numpy as np

x_batches = np.array_split(x_train, 3)
y_batches = np.array_split(y_train, 3)
model.fit(zip(x_batches, y_batches), steps_per_epoch=3, epochs=1)  # error: GEN209
""",
            fixed="""\
import numpy as np

x_batches = np.array_split(x_train, 3)
y_batches = np.array_split(y_train, 3)
model.fit((batch for batch in zip(x_batches, y_batches)), steps_per_epoch=3, epochs=1)  # error: GEN209
""",
            title="a `zip` of precomputed batches",
            runs=True,
        ),
        Example(
            """\
class BatchIterator:
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.position = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.position >= len(self.x):
            self.position = 0
        rows = slice(self.position, self.position + self.batch_size)
        self.position += self.batch_size
        return self.x[rows], self.y[rows]


model.fit(BatchIterator(x_train, y_train, 32), steps_per_epoch=3, epochs=5)  # error: GEN209
""",
            fixed="""\
class BatchIterator:
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.position = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.position >= len(self.x):
            self.position = 0
        rows = slice(self.position, self.position + self.batch_size)
        self.position += self.batch_size
        return self.x[rows], self.y[rows]


model.fit((batch for batch in BatchIterator(x_train, y_train, 32)), steps_per_epoch=3, epochs=5)  # error: GEN209
""",
            title="a project iterator class with `__next__`",
        ),
        Example(
            """\
from data_utils import batch_iter

model.fit(batch_iter(x_train, y_train, 32), steps_per_epoch=100, epochs=10)  # error: GEN209
""",
            fixed="""\
from data_utils import batch_iter

model.fit((batch for batch in batch_iter(x_train, y_train, 32)), steps_per_epoch=100, epochs=10)  # error: GEN209
""",
            files={
                "data_utils.py": """\
import threading


class ThreadSafeIterator:
    def __init__(self, iterator):
        self.iterator = iterator
        self.lock = threading.Lock()

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            return next(self.iterator)


def threadsafe_generator(function):
    def wrapper(*args, **kwargs):
        return ThreadSafeIterator(function(*args, **kwargs))

    return wrapper


@threadsafe_generator
def batch_iter(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="the `@threadsafe_generator` recipe from Keras 2 days",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def augment(batch):
    images, labels = batch
    return images[:, ::-1], labels


model.fit(map(augment, batches(x_train, y_train, 32)), steps_per_epoch=3)  # error: GEN209
""",
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def augment(batch):
    images, labels = batch
    return images[:, ::-1], labels


model.fit((batch for batch in map(augment, batches(x_train, y_train, 32))), steps_per_epoch=3)  # error: GEN209
""",
            title="`map` over a generator is no longer a generator",
        ),
        Example(
            """\
import itertools

val_batches = [(x_val[i:i + 8], y_val[i:i + 8]) for i in range(0, len(x_val), 8)]
model.fit(
    x_train,
    y_train,
    epochs=10,
    validation_data=itertools.cycle(val_batches),  # error: GEN209
    validation_steps=len(val_batches),
)
""",
            fixed="""\
import itertools

val_batches = [(x_val[i:i + 8], y_val[i:i + 8]) for i in range(0, len(x_val), 8)]
model.fit(
    x_train,
    y_train,
    epochs=10,
    validation_data=(batch for batch in itertools.cycle(val_batches)),  # error: GEN209
    validation_steps=len(val_batches),
)
""",
            title="`itertools.cycle` as validation data fails after the first epoch",
        ),
        Example(
            """\
import numpy as np

test_batches = [x_test[i:i + 16] for i in range(0, len(x_test), 16)]
predictions = model.predict(iter(test_batches), steps=len(test_batches))  # error: GEN209
np.save("predictions.npy", predictions)
""",
            fixed="""\
import numpy as np

test_batches = [x_test[i:i + 16] for i in range(0, len(x_test), 16)]
predictions = model.predict((batch for batch in iter(test_batches)), steps=len(test_batches))  # error: GEN209
np.save("predictions.npy", predictions)
""",
            title="`iter()` over a list of batches",
        ),
        Example(
            """\
from itertools import islice


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


scores = model.evaluate(islice(batches(x_test, y_test, 32), 4))  # error: GEN209
""",
            fixed="""\
from itertools import islice


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


scores = model.evaluate((batch for batch in islice(batches(x_test, y_test, 32), 4)))  # error: GEN209
""",
            title="`islice` of a generator, imported from `itertools`",
        ),
        Example(
            """\
class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model = model
        self.pairs = zip(
            (x[i:i + batch_size] for i in range(0, len(x), batch_size)),
            (y[i:i + batch_size] for i in range(0, len(y), batch_size)),
        )

    def train(self):
        return self.model.fit(self.pairs, epochs=1)  # error: GEN209
""",
            fixed="""\
class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model = model
        self.pairs = zip(
            (x[i:i + batch_size] for i in range(0, len(x), batch_size)),
            (y[i:i + batch_size] for i in range(0, len(y), batch_size)),
        )

    def train(self):
        return self.model.fit((batch for batch in self.pairs), epochs=1)  # error: GEN209
""",
            title="a `zip` object kept in `self.`",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np

x_batches = np.array_split(x_train, 3)
y_batches = np.array_split(y_train, 3)
model.fit(((x, y) for x, y in zip(x_batches, y_batches)), steps_per_epoch=3, epochs=1)
""",
            title="a generator expression over the `zip`",
            runs=True,
        ),
        Example(
            """\
import numpy as np


def batches(x_batches, y_batches):
    while True:
        for x, y in zip(x_batches, y_batches):
            yield x, y


model.fit(batches(np.array_split(x_train, 3), np.array_split(y_train, 3)), steps_per_epoch=3, epochs=2)
""",
            title="`zip` inside a generator function",
        ),
        Example(
            """\
class Batches:
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __iter__(self):
        while True:
            for start in range(0, len(self.x), self.batch_size):
                yield self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]


model.fit(iter(Batches(x_train, y_train, 32)), steps_per_epoch=3, epochs=2)
""",
            title="`iter()` of a class whose `__iter__` is a generator gives a generator",
        ),
        Example(
            """\
import tensorflow as tf

features = tf.data.Dataset.from_tensor_slices(x_train)
targets = tf.data.Dataset.from_tensor_slices(y_train)
model.fit(tf.data.Dataset.zip((features, targets)).batch(32), epochs=3)
""",
            title="`tf.data.Dataset.zip` builds a dataset",
        ),
        Example(
            """\
import itertools


def batches(x, y, batch_size):
    for start in itertools.cycle(range(0, len(x), batch_size)):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="`itertools.cycle` inside a generator",
        ),
        Example(
            """\
import numpy as np


def normalise(row):
    return (row - row.mean()) / (row.std() + 1e-6)


features = np.stack(list(map(normalise, x_train)))
model.fit(features, y_train, epochs=2)
""",
            title="`map` used to build an array",
        ),
        Example(
            """\
class RunningMean:
    def fit(self, pairs):
        total = count = 0
        for features, _target in pairs:
            total, count = total + features.sum(), count + features.size
        self.mean = total / count
        return self


stats = RunningMean().fit(zip(x_train, y_train))
""",
            title="a project class whose own `fit` takes a `zip`",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(iter(batches(x_train, y_train, 32)), steps_per_epoch=3, epochs=2)
""",
            title="`iter()` of a generator is that generator",
        ),
        Example(
            """\
from curvefit import BezierCurve
from sklearn.metrics import mean_squared_error

curve = BezierCurve(degree=3)
curve.fit(zip(x_points, y_points))
print(mean_squared_error(y_points, curve.predict(x_points)))
""",
            title="an unknown library's model in a file that imports scikit-learn and no Keras",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.receiver_doubtful:
                continue  # maybe another library's `fit`, which may well take any iterable
            for role, source in (("x", consumer.data), ("validation_data", consumer.validation_data)):
                if source is not None and source.kind is SourceKind.ITERATOR:
                    self._report(model, context, consumer, role, source)

    def _report(
        self, model: FileModel, context: RuleContext, consumer: Consumer, role: str, source: DataSource
    ) -> None:
        type_name = source.iterator_type
        if source.iterator_class is not None:
            where = site(source.iterator_class, model.path)
            what = f"an instance of `{type_name}` (a class with `__next__`, {where})"
        elif type_name == "iter":
            what = "an iterator made by `iter()`"
        else:
            what = f"{'an' if type_name[0] in 'aeiou' else 'a'} `{type_name}` object"
        later = ", after the first training epoch has run" if role == "validation_data" else ""
        if context.target == "tf-keras":
            consequence = "tf.keras accepts it, but Keras 3 accepts only generators and raises ValueError: "
            consequence += "Unrecognized data type"
            severity = Severity.INFO
        else:
            consequence = f"Keras 3 accepts only generators and raises ValueError: Unrecognized data type{later}"
            severity = Severity.ERROR
        written = code_text(source.node, 60)
        context.report(
            source.node,
            severity=severity,
            source=written,
            what=what,
            role=role,
            call=consumer.method,
            consequence=consequence,
            remedy=f"wrap it in a generator expression: `(batch for batch in {written})`",
            fix=Fix("wrap it in a generator expression", wrapping(source.node, "(batch for batch in ", ")")),
        )
