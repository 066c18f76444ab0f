"""Frozen records that describe a Keras input pipeline. Rules query these, never the raw tree."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations name astroid's nodes: the model loads without astroid (a warm run)
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


class ElementKind(enum.Enum):
    """What one element of a yielded tuple holds along the batch axis."""

    SAMPLE = "sample"  # one sample, no batch axis: `x[i]` with a scalar index, an element of `zip(x, y)`
    BATCH = "batch"  # a batch slice `x[i:i + bs]` or a fancy index `x[rows]`
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class YieldFact:
    """One `yield` (or `yield from`) in a generator body."""

    node: nodes.NodeNG
    shape: YieldShape
    arity: int | None  # number of tuple/list elements when known
    text: str  # the yielded expression as written
    elements: tuple[ElementKind, ...] = ()  # per element of a yielded tuple of known arity; () otherwise
    # The `if` tests, fixed for one generator object (a parameter, a `self.` attribute, a name set before
    # the loop), that must be true (True) or false (False) for this yield to run. Two yields of one function
    # with opposite outcomes of one test never both run in one stream: `if weights is None: yield x, y`.
    mode_conditions: tuple[tuple[nodes.If, bool], ...] = ()


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
    serves_partial_batch: bool | None = None  # True: the batch loop can yield a short last batch; None: unknown
    # `raise StopIteration` in the body or in a project generator it delegates to with `yield from`, not
    # caught there: PEP 479 turns it into RuntimeError
    stop_iteration_raises: tuple[nodes.Raise, ...] = ()
    # calls before the unbounded loop that shuffle what the loop reads (`np.random.shuffle(idx)`,
    # `idx = np.random.permutation(n)`, `x, y = sklearn.utils.shuffle(x, y)`); () without an unbounded loop
    shuffled_before_loop: tuple[nodes.Call, ...] = ()
    reshuffled_in_loop: bool = False  # the unbounded loop shuffles or samples the order again

    @property
    def line(self) -> int:
        return self.node.lineno or 1


class Rounding(enum.Enum):
    """How a batch count divides samples by the batch size."""

    FLOOR = "floor"  # `n // b`, `int(n / b)`, `math.floor(n / b)`: a partial last batch is left out
    FLOOR_PLUS_ONE = "floor plus one"  # `n // b + 1`: one batch too many when `b` divides `n`
    OTHER = "other"  # `math.ceil(n / b)`, `(n + b - 1) // b`, a constant, anything else


@dataclass(frozen=True)
class BatchCount:
    """One `return` of `__len__` (or of the `num_batches` property): the number of batches Keras asks for."""

    node: nodes.Return
    value: Value  # its type (a float fails `len()`), its number when known, the expression it computes
    rounding: Rounding
    samples_text: str = ""  # `n` in `n // b`, as written
    batch_size_text: str = ""  # `b` in `n // b`, as written
    remainder: int | None = None  # `n % b` when both are known numbers
    matches_slice: bool = False  # `b` is the batch size that `__getitem__` slices by


@dataclass(frozen=True)
class IndexSlice:
    """How `__getitem__` picks batch `index`: a contiguous slice such as `x[index * bs:(index + 1) * bs]`."""

    node: nodes.NodeNG  # the subscript or `slice(…)` call
    batch_size_text: str  # `bs`, with a name local to `__getitem__` replaced by what it holds
    # False when a short batch would not be served as it is: the batch is preallocated with `bs` rows and
    # filled in place, or a size guard skips it
    serves_partial_batch: bool


@dataclass(frozen=True)
class SequenceClass:
    """A project subclass of `keras.utils.Sequence` / `PyDataset` and the methods Keras calls on it."""

    name: str
    path: str
    node: nodes.ClassDef
    getitem: nodes.FunctionDef | None
    swallowed_handlers: tuple[nodes.ExceptHandler, ...]  # `except …: pass` in `__getitem__`
    keras_base: str = ""  # the Keras class it derives from, e.g. `keras.utils.PyDataset`
    # True: certainly Keras 3's PyDataset (the name exists only there); None: `keras.utils.Sequence` or
    # `tf.keras.utils.Sequence`, which are PyDataset in Keras 3 but Keras 2's Sequence otherwise (the target
    # decides); False: a `tf_keras` Sequence or another Keras 2 path
    pydataset: bool | None = None
    # `__len__` (standing for `__len__` or `num_batches`) and `__getitem__` when neither the class nor its
    # bases define them; empty as well when an installed mixin, a metaclass or `__getattr__` may supply them
    missing_methods: frozenset[str] = frozenset()
    length: nodes.FunctionDef | None = None  # the `num_batches` property Keras 3 reads, else `__len__`
    batch_counts: tuple[BatchCount, ...] = ()  # one per `return` of `length`
    returns: tuple[YieldFact, ...] = ()  # what `__getitem__` returns, described like yields (node: the `return`)
    index_slice: IndexSlice | None = None  # how `__getitem__` slices batch `index`, when it does
    init_without_super: nodes.FunctionDef | None = None  # an `__init__` in the chain that never calls its base's
    reshuffles: bool = False  # `on_epoch_end` reshuffles the sample order, so a dropped tail differs per epoch


class SourceKind(enum.Enum):
    GENERATOR_CALL = "generator call"
    GENERATOR_EXPRESSION = "generator expression"
    GENERATOR_FUNCTION = "generator function"  # the function itself, not called
    DATASET = "tf.data pipeline"
    SEQUENCE = "Sequence / PyDataset"
    # An iterator that is not a generator: `zip`/`map`/`filter`/`iter(…)`/`itertools` objects, or an instance
    # of a project class with `__next__`. tf.keras accepted it; Keras 3 raises "Unrecognized data type".
    ITERATOR = "iterator"
    # `ImageDataGenerator(…).flow(x, y, batch_size=b)`: Keras's own iterator over batches of `x` (32 rows by
    # default). Not a data source for the other rules: only its batching (`batch_call`, `built_from`) is used.
    IMAGE_ITERATOR = "Keras image iterator"
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
    # The expression that creates the object, reached by following names only (not calls): two arguments
    # with the same origin are one object, e.g. `gen = batches(); fit(gen, validation_data=gen)`.
    origin: nodes.NodeNG | None = None
    iterator_type: str = ""  # ITERATOR: `zip`, `itertools.islice`, or the project class name
    iterator_class: nodes.ClassDef | None = None  # ITERATOR: the project class with `__next__`
    # DATASET built by `from_generator` given a generator object where a callable belongs: that object, with
    # `node` the argument as written (a call or a name), or the `lambda` that returns one shared object.
    generator_object: DataSource | None = None
    # data names passed to the generator / Sequence call: ("x_val", "y_val"); for a DATASET with `batch_call`,
    # the data its origin streams one element at a time: `from_tensor_slices((x, y))`, `from_generator(lambda: rows)`
    built_from: tuple[str, ...] = ()
    # DATASET: the one `.batch(b)` that groups the origin's elements, when the pipeline's other steps keep
    # elements one for one (`map`, `shuffle`, `cache`, `prefetch`, `repeat`); IMAGE_ITERATOR: the `flow(…)`
    # call; None otherwise
    batch_call: nodes.Call | None = None

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
    # rounds a division down and may drop a remainder: `n // bs`, `int(n / bs)`, `math.floor(n / bs)`
    floors: bool = False
    counts_samples: bool = False  # a plain sample count: `len(x)`, `x.shape[0]`, a name bound to one
    counted_names: tuple[str, ...] = ()  # the data whose length it counts: `len(x_val) // 32` → ("x_val",)
    # the node that computes it, after following names (`text` is its source): where a fix rewrites it
    expression: nodes.NodeNG | None = field(default=None, compare=False)

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
    # Arguments whose value is certainly not None (Keras treats `y=None` as not passed); names bound to
    # parameters, or to None on some path, are left out.
    not_none: frozenset[str] = frozenset()
    flags: Mapping[str, bool] = field(default_factory=dict)  # `shuffle`, `use_multiprocessing`… followed to a bool
    # An unknown receiver in a file that imports another model library (sklearn, torch…) and nothing from
    # Keras: rules that fire on an argument alone (`fit(zip(a, b))`, `workers=`) leave such calls alone.
    receiver_doubtful: bool = False

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
    # Every `tf.data.Dataset.from_generator(…)` call in the file, consumed or not (node: the call).
    generator_datasets: tuple[DataSource, ...] = ()
    # The Keras 3 backend the file selects (`os.environ["KERAS_BACKEND"] = "jax"`, `%env KERAS_BACKEND=torch`):
    # "jax", "torch" or "numpy"; "" when it selects none, and Keras 3 then runs on TensorFlow, its default.
    keras_backend: str = ""


def source_text(node: nodes.NodeNG, limit: int = 0) -> str:
    """A node's source on one line, for messages; cut to `limit` characters when one is given."""
    try:
        text = " ".join(node.as_string().split())
    except Exception:  # astroid cannot render some synthetic nodes
        return "…"
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"
