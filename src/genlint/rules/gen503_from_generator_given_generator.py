from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import DataSource, FileModel
from genlint.rules.base import Edit, Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import wrapping
from genlint.rules.messages import code_text, node_span, site

# Calls that make a one-shot iterator: a generator built over one in a lambda is empty from the second epoch.
ONE_SHOT = frozenset(
    {
        "iter", "zip", "map", "filter", "enumerate", "reversed",
        "cycle", "islice", "chain", "zip_longest", "starmap", "tee", "count", "accumulate", "pairwise", "batched",
    }
)  # fmt: skip
# Values that can be iterated again and again: displays, comprehensions and the calls that build them.
COLLECTIONS = (nodes.List, nodes.Tuple, nodes.Set, nodes.Dict, nodes.ListComp, nodes.SetComp, nodes.DictComp)
MATERIALISED = frozenset({"list", "tuple", "set", "dict", "sorted"})
LOOPS = (nodes.For, nodes.While, nodes.Comprehension)


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
    Safe, for a generator object created right in the call (`from_generator(samples(…), …)`): a call
    without arguments, `samples()`, becomes the function itself, `samples`; a call with arguments, or a
    generator expression, is wrapped in a `lambda`, so that tf.data creates a new generator for every pass.
    The code stops raising TypeError and nothing else runs differently: creating a generator runs none of
    its code. Inside the `lambda`, the function and its arguments are read when tf.data calls it, not when
    the dataset is built, so the lambda is offered only when that reads the same values: each is a
    constant or a name (or its attribute, `self.rows`) bound once, before the call and outside any loop,
    not in a class body, and not to a one-shot iterator (`iter(…)`, `zip(…)`…) that a second pass would
    find empty. A generator expression must run over such a name bound to a list, tuple or dict, or over
    `range(…)`. A call among the arguments, `args=` given to `from_generator`, and a name bound to the
    generator object elsewhere (`stream`, `lambda: stream`) get no fix.
    """

    code = "GEN503"
    name = "from-generator-given-generator"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
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
            fixed="""\
import tensorflow as tf


def samples(x, y):
    for features, target in zip(x, y):
        yield features, target


train_ds = tf.data.Dataset.from_generator(
    lambda: samples(x_train, y_train),  # error: GEN503
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
            fixed="""\
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
            fixed="""\
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
            fixed="""\
import tensorflow as tf


class CsvData:
    def __init__(self, rows):
        self.rows = rows

    def samples(self):
        for row in self.rows:
            yield row[:-1], row[-1:]

    def dataset(self):
        return tf.data.Dataset.from_generator(
            self.samples,  # error: GEN503
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
            fixed="""\
import tensorflow as tf

from data_utils import read_images

images = tf.data.Dataset.from_generator(
    lambda: read_images("train/"),  # error: GEN503
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
            fixed="""\
import tensorflow as tf

rows = list(zip(x_train, y_train))
train_ds = tf.data.Dataset.from_generator(
    generator=lambda: ((features, target) for features, target in rows),  # error: GEN503
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
            fixed="""\
from tensorflow.data import Dataset


def windows(series, size):
    for end in range(size, len(series)):
        yield series[end - size:end], series[end]


def make_dataset(series, size=24):
    return Dataset.from_generator(lambda: windows(series, size), output_types=("float32", "float32"))  # error: GEN503
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
            fixed="""\
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
                self._report_object(model, context, given, dataset.node)

    def _report_object(self, model: FileModel, context: RuleContext, given: DataSource, dataset: nodes.NodeNG) -> None:
        origin = given.origin if given.origin is not None else given.node
        context.report(
            given.node,
            argument=code_text(given.node, 40),
            problem=(
                f"a generator object ({_made_by(given, model.path)}), where it needs a callable that returns one: "
                "TensorFlow raises TypeError: `generator` must be a Python callable"
            ),
            remedy=_callable_fix(origin),
            fix=callable_fix(given, dataset) if given.origin is given.node else None,
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


def callable_fix(given: DataSource, dataset: nodes.NodeNG) -> Fix | None:
    """`samples()` → `samples`; `samples(x, y)` → `lambda: samples(x, y)`; `(… for … in rows)` → `lambda: (…)`,
    when the lambda reads the same values when tf.data calls it as the call reads now."""
    argument = given.node
    if not isinstance(dataset, nodes.Call) or _passes_args(dataset):
        return None
    if isinstance(argument, nodes.GeneratorExp):
        return _generator_expression_fix(argument, dataset)
    generator = given.generator
    if not isinstance(argument, nodes.Call) or generator is None or _callee_name(argument) != generator.name:
        return None  # a factory or a `partial` runs code when called: that code is not moved into every epoch
    if not argument.args and not argument.keywords:
        _, _, end_line, end_column = node_span(argument)
        return Fix(f"pass `{generator.name}` itself", (Edit(end_line, end_column - 2, end_line, end_column, ""),))
    values = [argument.func, *argument.args, *(keyword.value for keyword in argument.keywords or [])]
    if not all(_settled(value, dataset) for value in values):
        return None
    return Fix("create the generator in a `lambda`", wrapping(argument, "lambda: ", ""))


def _generator_expression_fix(expression: nodes.GeneratorExp, dataset: nodes.Call) -> Fix | None:
    """`(… for … in rows)` → `lambda: (… for … in rows)`: only `rows` is read at another time than before."""
    if not _reiterable(expression.generators[0].iter, dataset):
        return None
    description = "create the generator in a `lambda`"
    line, column, end_line, end_column = node_span(expression)
    if (end_line, end_column) == node_span(dataset)[2:]:  # the call's only argument: the parentheses are the call's
        opening = Edit(line, column + 1, line, column + 1, "lambda: (")
        return Fix(description, (opening, Edit(end_line, end_column - 1, end_line, end_column - 1, ")")))
    return Fix(description, wrapping(expression, "lambda: ", ""))


def _passes_args(dataset: nodes.Call) -> bool:
    """`from_generator(g, …, args=(…))`: tf.data calls the callable with arguments (`args` is the 4th)."""
    return len(dataset.args) > 3 or any(keyword.arg in ("args", None) for keyword in dataset.keywords or [])


def _callee_name(call: nodes.Call) -> str:
    function = call.func
    if isinstance(function, nodes.Attribute):
        return function.attrname
    return function.name if isinstance(function, nodes.Name) else ""


def _settled(value: nodes.NodeNG, dataset: nodes.Call) -> bool:
    """A constant, or a name (or an attribute of one) that holds the same value when tf.data calls the lambda
    as it does at `dataset`, and not a one-shot iterator."""
    if isinstance(value, nodes.Const) or (isinstance(value, nodes.UnaryOp) and isinstance(value.operand, nodes.Const)):
        return True
    if isinstance(value, nodes.Attribute):
        return _settled(value.expr, dataset)
    if not isinstance(value, nodes.Name):
        return False
    settled, binding = _binding(value, dataset)
    return settled and not (binding is not None and _one_shot(_assigned_value(binding)))


def _binding(name: nodes.Name, dataset: nodes.Call) -> tuple[bool, nodes.NodeNG | None]:
    """Whether `name` keeps its value from `dataset` on, and its one binding in the file (None when the file
    never binds it, e.g. a notebook's earlier cell: taken to be settled). It does not when it is bound more than
    once, after `dataset`, in a loop, from another scope (`global`), or in a class body, which a lambda
    cannot see."""
    scope, _ = name.lookup(name.name)
    if isinstance(scope, nodes.ClassDef):
        return False, None
    bindings = scope.locals.get(name.name, []) if scope.root() is name.root() else []
    if not bindings:
        return True, None
    binding = bindings[0]
    defined = binding.parent if isinstance(binding, (nodes.FunctionDef, nodes.ClassDef)) else binding
    settled = (
        len(bindings) == 1
        and defined.scope() is scope
        and (binding.lineno or 0) <= (dataset.lineno or 0)
        and not _in_loop(binding, scope)
    )
    return settled, binding


def _in_loop(node: nodes.NodeNG, scope: nodes.NodeNG) -> bool:
    parent = node.parent
    while parent is not None and parent is not scope:
        if isinstance(parent, LOOPS):
            return True
        parent = parent.parent
    return False


def _assigned_value(binding: nodes.NodeNG) -> nodes.NodeNG | None:
    """What `name = value` assigns; None for a parameter, an import or an unpacking."""
    statement = binding.parent
    if isinstance(statement, nodes.Assign) and binding in statement.targets:
        return statement.value
    if isinstance(statement, nodes.AnnAssign) and binding is statement.target:
        return statement.value
    return None


def _one_shot(value: nodes.NodeNG | None) -> bool:
    """An iterator that a second pass finds empty: `iter(…)`, `zip(…)`, an `itertools` object, a generator."""
    if isinstance(value, nodes.GeneratorExp):
        return True
    if not isinstance(value, nodes.Call):
        return False
    return _callee_name(value) in ONE_SHOT or value.func.as_string().startswith("itertools.")


def _reiterable(iterable: nodes.NodeNG, dataset: nodes.Call) -> bool:
    """What a generator expression runs over can be run over again and means the same inside a lambda:
    `range(…)` of settled values, or a settled name bound to a list, tuple, set or dict."""
    if isinstance(iterable, nodes.Call):
        arguments = [*iterable.args, *(keyword.value for keyword in iterable.keywords or [])]
        ranged = isinstance(iterable.func, nodes.Name) and iterable.func.name == "range"
        return ranged and all(_settled(argument, dataset) for argument in arguments)
    if not isinstance(iterable, nodes.Name):
        return False
    settled, binding = _binding(iterable, dataset)
    value = _assigned_value(binding) if settled and binding is not None else None
    if isinstance(value, COLLECTIONS):
        return True
    return isinstance(value, nodes.Call) and isinstance(value.func, nodes.Name) and value.func.name in MATERIALISED
