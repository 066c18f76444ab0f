from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import Consumer, DataSource, FileModel, GeneratorFunction, SourceKind
from genlint.rules.base import Edit, Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text, node_span, site


class UncalledGeneratorFunctionRule(Rule):
    """
    ## What it does
    Finds a generator *function* passed as data (`fit(batches)`, a `functools.partial` of one, or an
    instance whose `__call__` is a generator method) where Keras needs the generator that a call of it
    returns (`fit(batches())`), as `x` of `fit`, `evaluate` or `predict`, or as `validation_data` of `fit`.

    ## Why is this bad?
    Keras 3 accepts a Python generator, a `PyDataset`, a `tf.data.Dataset` or arrays, and a function is
    none of these: it raises `ValueError: Unrecognized data type: x=<function batches at 0x…> (of type
    <class 'function'>)` (tf.keras: `ValueError: Failed to find data adapter that can handle input:
    <class 'function'>, <class 'NoneType'>`). When the function is `validation_data`, the error comes
    only at the end of the first epoch, after that epoch's training time has been spent.

    ## Fix safety
    Safe: when the function can be called without arguments (a method's `self` is bound by `self.batches`),
    `--fix` adds the `()` that Keras needs; calling a generator function runs none of its code, so nothing
    else changes. A function with required parameters gets no fix: the call needs the arguments that the
    generator expects, which genlint cannot choose. A decorated function is left alone, and so is a method
    unless it is taken from an instance (`self.batches`, not `Trainer.batches` or a name that holds it); so
    are a `functools.partial`, which may not bind every argument, and an instance whose `__call__` is the
    generator.

    ## Known limitations
    A generator function passed to a method of an object genlint cannot identify (neither Keras nor a
    known other library) is reported as well, since such a receiver is taken to be a Keras model.
    """

    code = "GEN203"
    name = "uncalled-generator-function"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    symptom = KerasSymptom(exception="ValueError", message="Unrecognized data type")
    message = (
        "the generator function `{name}` ({where}){wrapped} is passed uncalled as {role} of `{call}`: "
        "{consequence}; call it: `{suggestion}`"
    )

    invalid = (
        Example(
            """\
def train_batches():
    while True:
        for start in range(0, len(x_train), 32):
            yield x_train[start:start + 32], y_train[start:start + 32]


model.fit(train_batches, steps_per_epoch=3, epochs=2)  # error: GEN203
""",
            title="the parentheses of the call were forgotten",
            runs=True,
            fixed="""\
def train_batches():
    while True:
        for start in range(0, len(x_train), 32):
            yield x_train[start:start + 32], y_train[start:start + 32]


model.fit(train_batches(), steps_per_epoch=3, epochs=2)  # error: GEN203
""",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def val_batches():
    while True:
        for start in range(0, len(x_val), 32):
            yield x_val[start:start + 32], y_val[start:start + 32]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=val_batches,  # error: GEN203
    validation_steps=len(x_val) // 32,
    epochs=10,
)
""",
            title="`validation_data` fails only after the first training epoch",
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def val_batches():
    while True:
        for start in range(0, len(x_val), 32):
            yield x_val[start:start + 32], y_val[start:start + 32]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=val_batches(),  # error: GEN203
    validation_steps=len(x_val) // 32,
    epochs=10,
)
""",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, images, labels, batch_size=64):
        self.model = model
        self.images, self.labels = images, labels
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.images))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.images[rows], self.labels[rows]

    def train(self, epochs):
        steps = len(self.images) // self.batch_size
        self.model.fit(self.batches, steps_per_epoch=steps, epochs=epochs)  # error: GEN203
""",
            fixed="""\
import numpy as np


class Trainer:
    def __init__(self, model, images, labels, batch_size=64):
        self.model = model
        self.images, self.labels = images, labels
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.images))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.images[rows], self.labels[rows]

    def train(self, epochs):
        steps = len(self.images) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN203
""",
            title="a generator method passed through `self.` without calling it",
        ),
        Example(
            """\
from data_utils import batch_iter

model.fit(batch_iter, steps_per_epoch=200, epochs=15)  # error: GEN203
""",
            fixed="""\
from data_utils import batch_iter

model.fit(batch_iter, steps_per_epoch=200, epochs=15)  # error: GEN203
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(paths, labels, batch_size=32):
    while True:
        for start in range(0, len(paths), batch_size):
            images = np.stack([np.load(path) for path in paths[start:start + batch_size]])
            yield images, labels[start:start + batch_size]
""",
            },
            title="a generator function imported from a sibling module",
        ),
        Example(
            """\
import numpy as np


def augmented(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            noise = 0.01 * np.random.randn(*x[start:start + batch_size].shape)
            yield x[start:start + batch_size] + noise, y[start:start + batch_size]


train_source = augmented
model.fit(x=train_source, steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN203
""",
            fixed="""\
import numpy as np


def augmented(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            noise = 0.01 * np.random.randn(*x[start:start + batch_size].shape)
            yield x[start:start + batch_size] + noise, y[start:start + batch_size]


train_source = augmented
model.fit(x=train_source, steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN203
""",
            title="through a variable, as the `x=` keyword",
        ),
        Example(
            """\
def score_video(model, video, batch_size=16):
    def frames():
        for start in range(0, len(video), batch_size):
            yield (video[start:start + batch_size],)

    return model.predict(frames, steps=-(-len(video) // batch_size))  # error: GEN203
""",
            fixed="""\
def score_video(model, video, batch_size=16):
    def frames():
        for start in range(0, len(video), batch_size):
            yield (video[start:start + batch_size],)

    return model.predict(frames(), steps=-(-len(video) // batch_size))  # error: GEN203
""",
            title="a nested generator handed to `predict`",
        ),
        Example(
            """\
BATCH_SIZE = 128


def test_batches():
    for start in range(0, len(x_test), BATCH_SIZE):
        yield x_test[start:start + BATCH_SIZE], y_test[start:start + BATCH_SIZE]


loss = model.evaluate(x=test_batches, steps=len(x_test) // BATCH_SIZE)  # error: GEN203
""",
            fixed="""\
BATCH_SIZE = 128


def test_batches():
    for start in range(0, len(x_test), BATCH_SIZE):
        yield x_test[start:start + BATCH_SIZE], y_test[start:start + BATCH_SIZE]


loss = model.evaluate(x=test_batches(), steps=len(x_test) // BATCH_SIZE)  # error: GEN203
""",
            title="`evaluate` with a single-pass generator function",
        ),
        Example(
            """\
from tensorflow import keras


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = keras.models.load_model("regressor.keras")
model.fit(batches, steps_per_epoch=300, epochs=10)  # error: GEN203
""",
            fixed="""\
from tensorflow import keras


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = keras.models.load_model("regressor.keras")
model.fit(batches, steps_per_epoch=300, epochs=10)  # error: GEN203
""",
            title="a model loaded through `tensorflow.keras`",
        ),
        Example(
            """\
import functools


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_batches = functools.partial(batches, x_train, y_train, 32)
model.fit(train_batches, steps_per_epoch=100, epochs=5)  # error: GEN203
""",
            fixed="""\
import functools


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_batches = functools.partial(batches, x_train, y_train, 32)
model.fit(train_batches, steps_per_epoch=100, epochs=5)  # error: GEN203
""",
            title="a `functools.partial` of a generator function is a function too (no fix: it may lack arguments)",
        ),
        Example(
            """\
import numpy as np


class BatchStream:
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __call__(self):
        while True:
            rows = np.random.randint(0, len(self.x), self.batch_size)
            yield self.x[rows], self.y[rows]


stream = BatchStream(x_train, y_train, 32)
model.fit(stream, steps_per_epoch=100, epochs=5)  # error: GEN203
""",
            fixed="""\
import numpy as np


class BatchStream:
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __call__(self):
        while True:
            rows = np.random.randint(0, len(self.x), self.batch_size)
            yield self.x[rows], self.y[rows]


stream = BatchStream(x_train, y_train, 32)
model.fit(stream, steps_per_epoch=100, epochs=5)  # error: GEN203
""",
            title="an instance whose `__call__` is the generator (no fix)",
        ),
    )
    valid = (
        Example(
            """\
def train_batches():
    while True:
        for start in range(0, len(x_train), 32):
            yield x_train[start:start + 32], y_train[start:start + 32]


model.fit(train_batches(), steps_per_epoch=3, epochs=2)
""",
            title="the generator function is called",
            runs=True,
        ),
        Example(
            """\
import tensorflow as tf


def samples():
    for features, target in zip(x_train, y_train):
        yield features, target


dataset = tf.data.Dataset.from_generator(
    samples,
    output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32)),
)
model.fit(dataset.batch(32), epochs=5)
""",
            title="`from_generator` wants the function itself, and `fit` gets the dataset",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, images, labels, batch_size=64):
        self.model = model
        self.images, self.labels = images, labels
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.images))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.images[rows], self.labels[rows]

    def train(self, epochs):
        steps = len(self.images) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a generator method called through `self.`",
        ),
        Example(
            """\
class StreamingStandardizer:
    \"\"\"Learns feature means from a stream; `fit` takes a function so it can restart the stream.\"\"\"

    def fit(self, make_stream, passes=2):
        total, count = 0.0, 0
        for _ in range(passes):
            for features, _labels in make_stream():
                total, count = total + features.sum(axis=0), count + len(features)
        self.mean = total / count
        return self


def one_pass():
    for start in range(0, len(x_train), 32):
        yield x_train[start:start + 32], y_train[start:start + 32]


scaler = StreamingStandardizer().fit(one_pass)
""",
            title="a project class whose own `fit` takes a generator function",
        ),
        Example(
            """\
from data_utils import batch_iter

train_stream = batch_iter(train_paths, train_labels)
model.fit(train_stream, steps_per_epoch=200, epochs=15)
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(paths, labels, batch_size=32):
    while True:
        for start in range(0, len(paths), batch_size):
            images = np.stack([np.load(path) for path in paths[start:start + batch_size]])
            yield images, labels[start:start + batch_size]
""",
            },
            title="the generator object bound to a name first",
        ),
        Example(
            """\
def make_batches(x, y, batch_size):
    def batches():
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    return batches()


model.fit(make_batches(x_train, y_train, 32), steps_per_epoch=3, validation_data=(x_val, y_val), epochs=2)
""",
            title="a factory that returns the called nested generator",
        ),
        Example(
            """\
from sklearn.linear_model import SGDRegressor


def chunks():
    for start in range(0, len(x_train), 32):
        yield x_train[start:start + 32], y_train[start:start + 32].ravel()


regressor = SGDRegressor()
for features, targets in chunks():
    regressor.partial_fit(features, targets)
model.fit(x_train, y_train, epochs=3)
""",
            title="a generator function iterated by hand for scikit-learn",
        ),
        Example(
            """\
import torch
from trainkit import Trainer


def batches():
    for start in range(0, 960, 32):
        yield torch.randn(32, 4), torch.randn(32, 1)


trainer = Trainer(max_epochs=3)
trainer.fit(batches)  # this library calls the function once per epoch
""",
            title="an unknown library's `fit` in a PyTorch file with no Keras import",
        ),
        Example(
            """\
import numpy as np


class Frames:
    def __init__(self, frames, targets, batch_size):
        self.frames, self.targets, self.batch_size = frames, targets, batch_size

    @property
    def stream(self):
        while True:
            rows = np.random.randint(0, len(self.frames), self.batch_size)
            yield self.frames[rows], self.targets[rows]


frames = Frames(x_train, y_train, 32)
model.fit(frames.stream, steps_per_epoch=100, epochs=5)  # reading the property calls the generator
""",
            title="a generator `@property`: the attribute is already the generator object",
        ),
        Example(
            """\
import functools


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train_batches = functools.partial(batches, x_train, y_train, 32)
model.fit(train_batches(), steps_per_epoch=100, epochs=5)
""",
            title="the `functools.partial` is called",
        ),
        Example(
            """\
import numpy as np


class BatchStream:
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __call__(self):
        while True:
            rows = np.random.randint(0, len(self.x), self.batch_size)
            yield self.x[rows], self.y[rows]


stream = BatchStream(x_train, y_train, 32)
model.fit(stream(), steps_per_epoch=100, epochs=5)
""",
            title="the instance is called",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.receiver_doubtful:
                continue  # maybe another library's `fit`, which may well take a function
            for role, source in (("x", consumer.data), ("validation_data", consumer.validation_data)):
                if source is not None and source.kind is SourceKind.GENERATOR_FUNCTION:
                    self._report(model, context, consumer, role, source)

    def _report(
        self, model: FileModel, context: RuleContext, consumer: Consumer, role: str, source: DataSource
    ) -> None:
        generator = source.generator
        if generator is None:
            return
        argument = code_text(source.node, 40)
        # `functools.partial(batches, x, y)`: a function as well, whose arguments are (usually) all bound
        # `functools.partial(batches, x, y)`, or `Stream(x)` whose `__call__` is the generator: made by a call
        wrapper = source.origin if isinstance(source.origin, nodes.Call) else None
        shown = f"<{_shown(generator.node)} …>"
        wrapped = ""
        if wrapper is not None and generator.name == "__call__":
            wrapped = f", of the instance `{code_text(wrapper, 40)}`,"
            shown = f"<{generator.node.parent.frame().name} object …>"
        elif wrapper is not None:
            wrapped = f", wrapped in `{code_text(wrapper, 40)}`,"
            shown = f"functools.partial({shown}, …)"
        if context.target == "tf-keras":
            consequence = "tf.keras raises ValueError: Failed to find data adapter that can handle input"
        else:
            consequence = f"Keras 3 raises ValueError: Unrecognized data type: {role}={shown}"
        if role == "validation_data":
            consequence += ", after the whole first training epoch has run"
        partial = wrapper is not None and generator.name != "__call__"
        arguments = "" if partial or _takes_no_arguments(generator.node) else "…"
        context.report(
            source.node,
            name=generator.name,
            wrapped=wrapped,
            where=site(generator.node, model.path),
            role=role,
            call=call_text(consumer, role),
            consequence=consequence,
            suggestion=f"{argument}({arguments})",
            fix=None if wrapper is not None else _call_fix(source.node, generator),
        )


def _call_fix(argument: nodes.NodeNG, generator: GeneratorFunction) -> Fix | None:
    """`fit(batches)` → `fit(batches())`, when the function needs no arguments and the call means it."""
    function = generator.node
    if not _takes_no_arguments(function) or _decorated(function):
        return None
    if function.type == "method" and not _bound_method(argument, function):
        return None
    _, _, end_line, end_column = node_span(argument)
    return Fix(f"call `{generator.name}()`", (Edit(end_line, end_column, end_line, end_column, "()"),))


def _decorated(function: nodes.FunctionDef) -> bool:
    """Decorated by anything but `staticmethod` / `classmethod`: the decorator may change what a call needs."""
    decorators = function.decorators.nodes if function.decorators else []
    return any(
        not (isinstance(node, nodes.Name) and node.name in ("staticmethod", "classmethod")) for node in decorators
    )


def _bound_method(argument: nodes.NodeNG, function: nodes.FunctionDef) -> bool:
    """`self.batches` or `trainer.batches`: the method is taken from an instance, so `self` is bound; not
    `Trainer.batches`, nor a name that may hold either."""
    owner = function.parent.frame()
    if not isinstance(argument, nodes.Attribute):
        return False
    return not (isinstance(argument.expr, nodes.Name) and argument.expr.name == getattr(owner, "name", None))


def _takes_no_arguments(function: nodes.FunctionDef) -> bool:
    """True when the function can be called with no arguments (`self` of a method is already bound)."""
    arguments = function.args
    positional = [*(arguments.posonlyargs or []), *(arguments.args or [])]
    if function.is_method() and positional and positional[0].name in ("self", "cls"):
        positional = positional[1:]
    required = len(positional) - len(arguments.defaults or [])
    required_keywords = sum(default is None for default in arguments.kw_defaults or [])
    return required <= 0 and required_keywords == 0


def _shown(function: nodes.FunctionDef) -> str:
    """How Python prints the function: `function batches`, or `bound method Trainer.batches`."""
    owner = function.parent.frame() if function.is_method() else None
    if isinstance(owner, nodes.ClassDef):
        return f"bound method {owner.name}.{function.name}"
    return f"function {function.name}"
