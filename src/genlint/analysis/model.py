"""Frozen records that describe a Keras input pipeline. Rules query these, never the raw tree."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from astroid import nodes


class Finiteness(enum.Enum):
    """Whether a data source ends: known infinite, known finite, or not known."""

    INFINITE = "infinite"
    FINITE = "finite"
    UNKNOWN = "unknown"


class YieldShape(enum.Enum):
    """The structure of one yielded value, as far as the source text shows it."""

    TUPLE = "tuple"
    LIST = "list"
    DICT = "dict"
    BARE = "bare"  # a single array-like value, certainly not a tuple
    DELEGATED = "delegated"  # `yield from` another iterable
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class YieldFact:
    """One `yield` (or `yield from`) in a generator body."""

    node: nodes.NodeNG
    shape: YieldShape
    arity: int | None  # number of tuple/list elements when known
    text: str  # the yielded expression as written


@dataclass(frozen=True)
class GeneratorFunction:
    """Facts about the body of a function that contains `yield`."""

    name: str
    path: str
    node: nodes.FunctionDef
    finiteness: Finiteness
    unbounded_loop: nodes.NodeNG | None  # the `while True` / `for … in cycle(…)` that makes it infinite
    loop_exits: tuple[nodes.NodeNG, ...]  # `return` / `break` statements that leave the unbounded loop
    yields: tuple[YieldFact, ...]
    swallowed_handlers: tuple[nodes.ExceptHandler, ...]  # `except …: pass` handlers
    iterated_parameters: tuple[str, ...] = ()  # parameters whose loops decide finiteness at the call site

    @property
    def line(self) -> int:
        return self.node.lineno or 1


@dataclass(frozen=True)
class SequenceClass:
    """A project subclass of `keras.utils.Sequence` / `PyDataset` and the methods Keras calls on it."""

    name: str
    path: str
    node: nodes.ClassDef
    getitem: nodes.FunctionDef | None
    swallowed_handlers: tuple[nodes.ExceptHandler, ...]  # `except …: pass` in `__getitem__`


class SourceKind(enum.Enum):
    GENERATOR_CALL = "generator call"
    GENERATOR_EXPRESSION = "generator expression"
    GENERATOR_FUNCTION = "generator function"  # the function itself, not called
    DATASET = "tf.data pipeline"
    SEQUENCE = "Sequence / PyDataset"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DataSource:
    """What a data argument of a consumer resolves to."""

    kind: SourceKind
    node: nodes.NodeNG  # the argument expression as written at the call
    text: str  # the source text of the resolved expression, e.g. `batch_iter(x, y, 32)`
    generator: GeneratorFunction | None = None
    finiteness: Finiteness = Finiteness.UNKNOWN
    yields: tuple[YieldFact, ...] = ()  # what each batch looks like: the generator's yields, or a genexp's element
    sequence: SequenceClass | None = None

    @property
    def is_data_source(self) -> bool:
        return self.kind in (
            SourceKind.GENERATOR_CALL,
            SourceKind.GENERATOR_EXPRESSION,
            SourceKind.DATASET,
            SourceKind.SEQUENCE,
        )

    @property
    def is_infinite(self) -> bool:
        return self.is_data_source and self.finiteness is Finiteness.INFINITE

    @property
    def is_finite(self) -> bool:
        return self.is_data_source and self.finiteness is Finiteness.FINITE


class ValueType(enum.Enum):
    INT = "int"
    FLOAT = "float"
    NONE = "None"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Value:
    """A constant-like argument (epochs, steps) followed through simple assignments."""

    node: nodes.NodeNG  # the argument expression as written at the call
    type: ValueType
    number: int | float | None = None  # the value, when it is known
    text: str = ""  # the expression that computes it, after following names
    float_reason: str | None = None  # why it is a float: "true division", "np.ceil", …

    @property
    def is_zero_or_none(self) -> bool:
        return self.type is ValueType.NONE or (self.number is not None and self.number == 0)


@dataclass(frozen=True)
class Argument:
    """One argument of a consumer call, bound to its Keras parameter name."""

    name: str
    node: nodes.NodeNG
    keyword: bool


@dataclass(frozen=True)
class Consumer:
    """A `fit` / `evaluate` / `predict` (or legacy `*_generator`) call and its bound arguments."""

    method: str
    node: nodes.Call
    receiver: str  # the receiver as written, e.g. `model`
    arguments: Mapping[str, Argument]
    data: DataSource | None  # `x` (or `generator=` for the legacy methods)
    validation_data: DataSource | None
    values: Mapping[str, Value] = field(default_factory=dict)  # epochs, steps…, followed to constants
    unresolved_extras: bool = False  # `*args` / `**kwargs` hide some arguments
    custom_steps: frozenset[str] = frozenset()  # `train_step` / `test_step` overridden by the model's class

    @property
    def line(self) -> int:
        return self.node.lineno or 1

    @property
    def is_legacy(self) -> bool:
        return self.method.endswith("_generator")

    @property
    def base_method(self) -> str:
        """`fit_generator` → `fit`."""
        return self.method.removesuffix("_generator")

    @property
    def steps_name(self) -> str:
        return "steps_per_epoch" if self.base_method == "fit" else "steps"

    def fed_sources(self) -> list[tuple[str, DataSource]]:
        """The resolved data sources of this call with their role: `x` and, for fit, `validation_data`."""
        fed = []
        if self.data is not None and self.data.is_data_source:
            fed.append(("x", self.data))
        if self.validation_data is not None and self.validation_data.is_data_source:
            fed.append(("validation_data", self.validation_data))
        return fed

    def value(self, name: str) -> Value | None:
        return self.values.get(name)

    def has_argument(self, name: str) -> bool:
        return name in self.arguments


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a file could not be read or parsed."""

    message: str
    line: int
    column: int


@dataclass(frozen=True)
class FileModel:
    """Everything the rules may ask about one linted file."""

    path: str
    display_path: str
    consumers: tuple[Consumer, ...] = ()
    syntax_problem: SyntaxProblem | None = None
