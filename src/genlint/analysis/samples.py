"""Whether a yielded element is one sample (no batch axis) or a batch: `x[i]` versus `x[i:i + bs]`.

Keras never batches what a Python generator yields, so an element indexed with a scalar reaches the model
without its batch axis. The element counts as a sample only when both halves are certain: the index is a
scalar (a `range` loop variable, an `enumerate` counter, `random.randint(…)`, an element of a permutation)
and the indexed container holds samples, not precomputed batches (`x_batches[i]`, `np.array_split(…)[i]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from astroid import nodes

from genlint.analysis.model import ElementKind
from genlint.analysis.resolve import External, Parameter, Resolver, assigned_value

MAX_DEPTH = 6
# Calls that return one int: `len(x)`, `int(…)`, `random.randint(a, b)`, `random.randrange(n)`.
SCALAR_CALLS = frozenset({"len", "int", "random.randint", "random.randrange"})
# numpy calls that return one int without `size=` and more arguments than these: `np.random.randint(n)`.
NUMPY_SCALAR_DRAWS = {"randint": 2, "choice": 1, "integers": 2}
# Calls whose result is a 1-D array of ints; iterating one, or indexing it with a scalar, gives an int.
INDEX_RANGES = frozenset({"range", "numpy.arange", "numpy.random.permutation"})
# Calls whose items are the items of their first argument: `itertools.cycle(range(n))` gives ints.
INT_PASS_THROUGH = frozenset({"list", "reversed", "sorted", "itertools.cycle", "tqdm.tqdm", "tqdm.auto.tqdm"})
# Readers that return one image, never a batch of them.
SINGLE_IMAGE_READERS = frozenset({"imread", "img_to_array", "load_img"})
IMAGE_MODULES = frozenset({"cv2", "imageio", "skimage", "matplotlib", "keras", "tensorflow", "tf_keras", "PIL"})
# Calls that keep the kind of their first argument: dtype conversions, copies, single-image resizes.
KIND_PRESERVING_METHODS = frozenset({"astype", "copy"})
KIND_PRESERVING_FUNCTIONS = frozenset({"numpy.asarray", "numpy.array", "numpy.float32", "cv2.resize", "cv2.cvtColor"})
# Words in a container's name that say it holds whole batches, groups of samples or a stream of batches:
# `x_batches[i]`, `features_by_query[q]`, `zip(image_flow, mask_flow)` give batches, not samples.
BATCH_WORD_PREFIXES = (
    "batch", "chunk", "group", "shard", "split", "bucket", "generator", "flow", "iterator", "loader", "stream",
    "dataset", "reader", "queries", "sessions", "graphs",
)  # fmt: skip
BATCH_WORDS = frozenset({"gen", "gens", "it", "iter", "ds", "by", "per", "seq"})
# Calls that cut an array into batches: indexing their result gives a batch.
BATCH_MAKERS = frozenset({"reshape", "split", "array_split", "vsplit", "hsplit"})
RANDOM_GENERATORS = frozenset({"numpy.random.default_rng", "numpy.random.RandomState"})
# Libraries whose functions load or make sample arrays: `x = np.load("x.npy")`.
ARRAY_LIBRARIES = frozenset({"numpy", "pandas", "h5py", "scipy", "sklearn"})
NUMERIC_OPERATORS = frozenset({"+", "-", "*", "/", "//", "%", "**"})


class SampleClassifier:
    """Classifies yielded elements as one sample, a batch, or unknown."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def element_kinds(self, value: nodes.NodeNG) -> tuple[ElementKind, ...]:
        """One kind per element of a yielded tuple of known arity; () for anything else."""
        if not isinstance(value, nodes.Tuple) or any(isinstance(item, nodes.Starred) for item in value.elts):
            return ()
        return tuple(self.kind(item) for item in value.elts)

    def kind(self, element: nodes.NodeNG, depth: int = 0, visiting: frozenset[str] = frozenset()) -> ElementKind:
        if depth > MAX_DEPTH:
            return ElementKind.UNKNOWN
        if isinstance(element, nodes.Subscript):
            return self._subscript_kind(element, depth)
        if isinstance(element, nodes.Name):
            return self._name_kind(element, depth, visiting)
        if isinstance(element, (nodes.Tuple, nodes.Dict)):
            return self._nested_kind(element, depth, visiting)
        if isinstance(element, nodes.BinOp):
            return self._arithmetic_kind(element, depth, visiting)
        if isinstance(element, nodes.Call):
            return self._call_kind(element, depth, visiting)
        return ElementKind.UNKNOWN

    # --- elements -------------------------------------------------------------------------------

    def _subscript_kind(self, subscript: nodes.Subscript, depth: int) -> ElementKind:
        index = subscript.slice
        if isinstance(index, nodes.Slice):
            return ElementKind.BATCH
        if isinstance(index, nodes.Tuple):  # `x[i, :]` is one row; `x[:, i]` is a column of every row
            if not index.elts or not all(isinstance(rest, nodes.Slice) for rest in index.elts[1:]):
                return ElementKind.UNKNOWN
            index = index.elts[0]
            if isinstance(index, nodes.Slice):
                return ElementKind.BATCH
        if isinstance(index, nodes.Const):
            return ElementKind.UNKNOWN  # `batch[0]` may pick x out of an `(x, y)` tuple
        scalar = self.scalar_index(index, depth + 1)
        if scalar is None:
            return ElementKind.UNKNOWN
        if not scalar:
            return ElementKind.BATCH  # a fancy index: `x[rows]`
        return ElementKind.SAMPLE if self.holds_samples(subscript.value) else ElementKind.UNKNOWN

    def _name_kind(self, name: nodes.Name, depth: int, visiting: frozenset[str]) -> ElementKind:
        """A yielded local: an element of `zip(x, y)`, or every assignment of it agrees."""
        if name.name in visiting:
            return ElementKind.UNKNOWN
        function = name.frame()
        kinds = set()
        for assign in _assignments(function, name.name):
            origin = loop_origin(assign)
            if origin is not None:
                taken, container = origin
                holds = taken == "element" and container is not None and self.holds_samples(container, iterated=True)
                kinds.add(ElementKind.SAMPLE if holds else ElementKind.UNKNOWN)
                continue
            value = assigned_value(assign)
            if value is None:
                return ElementKind.UNKNOWN
            kind = self.kind(value, depth + 1, visiting | {name.name})
            if kind is not ElementKind.UNKNOWN or not _refers_to(value, name.name):
                kinds.add(kind)  # `img = img / 255.0` keeps what `img` already was
        if isinstance(function, (nodes.FunctionDef, nodes.Lambda)) and name.name in function.argnames():
            return ElementKind.UNKNOWN
        return kinds.pop() if len(kinds) == 1 else ElementKind.UNKNOWN

    def _nested_kind(self, element: nodes.Tuple | nodes.Dict, depth: int, visiting: frozenset[str]) -> ElementKind:
        """Several inputs, `(x1[i], x2[i])` or `{"a": a[i], "b": b[i]}`: one kind when all agree."""
        parts = element.elts if isinstance(element, nodes.Tuple) else [value for _, value in element.items]
        kinds = {self.kind(part, depth + 1, visiting) for part in parts}
        return kinds.pop() if len(kinds) == 1 else ElementKind.UNKNOWN

    def _arithmetic_kind(self, operation: nodes.BinOp, depth: int, visiting: frozenset[str]) -> ElementKind:
        """`x[i] / 255.0`: arithmetic with a number keeps the kind; with an array it may add a batch axis."""
        if operation.op not in NUMERIC_OPERATORS:
            return ElementKind.UNKNOWN
        sides = (operation.left, operation.right)
        numbers = [side for side in sides if _is_number(side)]
        if len(numbers) != 1:
            return ElementKind.UNKNOWN
        other = operation.right if numbers[0] is operation.left else operation.left
        return self.kind(other, depth + 1, visiting)

    def _call_kind(self, call: nodes.Call, depth: int, visiting: frozenset[str]) -> ElementKind:
        callee = self.resolver.follow(call.func)
        if isinstance(callee, External):
            if callee.last in SINGLE_IMAGE_READERS and callee.root in IMAGE_MODULES:
                return ElementKind.SAMPLE
            if callee.qualname in KIND_PRESERVING_FUNCTIONS and len(call.args) >= 1:
                first = call.args[0]
                if isinstance(first, (nodes.List, nodes.ListComp, nodes.Tuple)):
                    return ElementKind.UNKNOWN  # `np.array([x[i]])` builds a batch of one
                return self.kind(first, depth + 1, visiting)
            return ElementKind.UNKNOWN
        if isinstance(call.func, nodes.Attribute) and call.func.attrname in KIND_PRESERVING_METHODS:
            return self.kind(call.func.expr, depth + 1, visiting)
        return ElementKind.UNKNOWN

    # --- indices --------------------------------------------------------------------------------

    def scalar_index(self, index: nodes.NodeNG, depth: int = 0) -> bool | None:
        """True: certainly one int; False: certainly an array of indices (a fancy index); None: unknown."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(index, nodes.Const):
            return True if isinstance(index.value, int) and not isinstance(index.value, bool) else None
        if isinstance(index, nodes.Name):
            return self._name_index(index, depth)
        if isinstance(index, nodes.BinOp) and index.op in ("+", "-", "*", "//", "%"):
            left = self.scalar_index(index.left, depth + 1)
            right = self.scalar_index(index.right, depth + 1)
            return True if left and right else None
        if isinstance(index, nodes.Subscript):
            return self._subscripted_index(index, depth)
        if isinstance(index, nodes.Call):
            return self._call_index(index)
        if isinstance(index, (nodes.List, nodes.ListComp)):
            return False
        return None

    def _name_index(self, name: nodes.Name, depth: int) -> bool | None:
        bound = self.resolver.binding(name, name.name)
        if not isinstance(bound, nodes.AssignName):
            return None
        origin = loop_origin(bound)
        if origin is not None:
            kind, iterable = origin
            if kind == "counter":
                return True
            return True if iterable is not None and self._yields_ints(iterable, depth) else None
        if isinstance(bound.parent, nodes.Arguments):
            return None
        value = assigned_value(bound)
        return None if value is None else self.scalar_index(value, depth + 1)

    def _subscripted_index(self, index: nodes.Subscript, depth: int) -> bool | None:
        """`order[k:k + bs]` is an array of indices; `order[k]` of a permutation is one index."""
        if isinstance(index.slice, nodes.Slice):
            return False
        if isinstance(index.value, nodes.Attribute) and index.value.attrname == "shape":
            return True if isinstance(index.slice, nodes.Const) else None  # `x.shape[0]`
        if self.scalar_index(index.slice, depth + 1) and self._yields_ints(index.value, depth + 1):
            return True
        return None

    def _call_index(self, call: nodes.Call) -> bool | None:
        name = self._qualified_call(call)
        if name is None:
            return None
        if name in SCALAR_CALLS:
            return True
        last = name.rsplit(".", 1)[-1]
        if name.startswith("numpy.random.") and last in NUMPY_SCALAR_DRAWS:
            drawn_many = len(call.args) > NUMPY_SCALAR_DRAWS[last] or any(
                keyword.arg == "size" for keyword in call.keywords or []
            )
            return not drawn_many
        if name.startswith("numpy.random.") and last == "permutation":
            return False
        return None

    def _yields_ints(self, iterable: nodes.NodeNG, depth: int) -> bool:
        """Iterating `iterable` gives ints: `range(…)`, `np.arange(…)`, `np.random.permutation(len(x))`."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(iterable, nodes.Name):
            bound = self.resolver.binding(iterable, iterable.name)
            value = assigned_value(bound) if isinstance(bound, nodes.AssignName) else None
            return value is not None and self._yields_ints(value, depth + 1)
        if not isinstance(iterable, nodes.Call):
            return False
        name = self._qualified_call(iterable)
        if name in INT_PASS_THROUGH and iterable.args:
            return self._yields_ints(iterable.args[0], depth + 1)
        if name == "numpy.random.permutation":
            # a permutation of an int is 1-D; a permutation of an array shuffles its rows
            return len(iterable.args) == 1 and bool(self.scalar_index(iterable.args[0], depth + 1))
        return name in INDEX_RANGES

    def _qualified_call(self, call: nodes.Call) -> str | None:
        """`numpy.random.permutation` for `np.random.permutation(…)`, and for `rng.permutation(…)` on a
        `np.random.default_rng(…)` / `RandomState(…)` object; None for project and unknown calls."""
        callee = self.resolver.follow(call.func)
        if isinstance(callee, External):
            return callee.qualname
        if isinstance(call.func, nodes.Attribute):
            target = self.resolver.follow(call.func.expr)
            if isinstance(target, nodes.Call):
                maker = self.resolver.follow(target.func)
                if isinstance(maker, External) and maker.qualname in RANDOM_GENERATORS:
                    return f"numpy.random.{call.func.attrname}"
        return None

    # --- containers -----------------------------------------------------------------------------

    def holds_samples(self, container: nodes.NodeNG, depth: int = 0, iterated: bool = False) -> bool:
        """A parameter, a `self.` attribute set from one, or an array loaded by numpy & co., whose name does
        not say it holds batches. Anything else (a project call, which may be a stream of batches) is unknown.
        An `iterated` parameter (`zip(a, b)`) must also be measured or indexed somewhere (`len(a)`, `a[k]`):
        a stream of batches, such as an image generator's `flow(…)`, is iterated but rarely measured."""
        if depth > MAX_DEPTH or not isinstance(container, (nodes.Name, nodes.Attribute)):
            return False
        written = container.name if isinstance(container, nodes.Name) else container.attrname
        if _names_batches(written):
            return False
        target = self.resolver.follow(container)
        if isinstance(target, Parameter):
            return not iterated or _measured(container, target)
        return isinstance(target, nodes.Call) and self._makes_samples(target, depth)

    def _makes_samples(self, target: nodes.Call, depth: int) -> bool:
        """A call that loads or makes sample arrays: `np.load(…)`, `np.random.rand(…).astype("float32")`."""
        callee = self.resolver.follow(target.func)
        if isinstance(callee, External):
            # `np.stack(x_batches)` stacks batches: the name of what goes in counts too
            named_batches = any(_names_batches(name.name) for name in target.nodes_of_class(nodes.Name))
            return callee.root in ARRAY_LIBRARIES and callee.last not in BATCH_MAKERS and not named_batches
        if isinstance(target.func, nodes.Attribute) and target.func.attrname in KIND_PRESERVING_METHODS:
            made = target.func.expr  # `x = x.astype("float32")`, or `np.random.rand(n, d).astype(…)`
            if isinstance(made, nodes.Call):
                return depth <= MAX_DEPTH and self._makes_samples(made, depth + 1)
            return self.holds_samples(made, depth + 1)
        return False


def _names_batches(written: str) -> bool:
    words = [word for word in re.split(r"_|(?<=[a-z])(?=[A-Z])", written) if word]
    return any(word.lower() in BATCH_WORDS or word.lower().startswith(BATCH_WORD_PREFIXES) for word in words)


def _measured(container: nodes.Name | nodes.Attribute, parameter: Parameter) -> bool:
    """`len(x)`, `x[…]` or `x.shape` where the container is in scope: an array or a list, not an iterator."""
    key = container.as_string()
    scope: nodes.NodeNG = parameter.function
    if isinstance(container, nodes.Attribute):
        method = container.frame()
        scope = method.parent.frame() if isinstance(method, nodes.FunctionDef) and method.is_method() else method
    for node in scope.nodes_of_class((nodes.Call, nodes.Subscript, nodes.Attribute)):
        if isinstance(node, nodes.Call):
            measured = _call_name(node) == "len" and len(node.args) == 1 and node.args[0].as_string() == key
        elif isinstance(node, nodes.Subscript):
            measured = node.value.as_string() == key
        else:
            measured = node.attrname in ("shape", "ndim") and node.expr.as_string() == key
        if measured:
            return True
    return False


def loop_origin(assign: nodes.AssignName) -> tuple[str, nodes.NodeNG | None] | None:
    """What a loop target takes from its iterable: ("counter", None) for an `enumerate` counter,
    ("element", a) for one element of `a` in `zip(a, b)`, ("item", iterable) for a whole item.
    None when `assign` is not a loop target, or takes apart something else."""
    path: list[int] = []  # positions in the target's tuples, innermost first
    node: nodes.NodeNG = assign
    while isinstance(node.parent, nodes.Tuple):
        path.append(node.parent.elts.index(node))
        node = node.parent
    loop = node.parent
    if not (isinstance(loop, (nodes.For, nodes.Comprehension)) and loop.target is node):
        return None
    iterable: nodes.NodeNG = loop.iter
    positions = list(reversed(path))
    while positions:
        position = positions.pop(0)
        name = _call_name(iterable) if isinstance(iterable, nodes.Call) else ""
        if name == "enumerate" and iterable.args:
            if position == 0:
                return ("counter", None) if not positions else None
            iterable = iterable.args[0]
        elif name == "zip" and position < len(iterable.args) and not positions:
            return "element", iterable.args[position]
        else:
            return None
    return "item", iterable


def _assignments(function: nodes.NodeNG, name: str) -> Iterator[nodes.AssignName]:
    for assign in function.nodes_of_class(nodes.AssignName):
        if assign.name == name and assign.frame() is function:
            yield assign


def _refers_to(value: nodes.NodeNG, name: str) -> bool:
    return any(node.name == name for node in value.nodes_of_class(nodes.Name))


def _is_number(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def _call_name(call: nodes.Call) -> str:
    func = call.func
    if isinstance(func, nodes.Name):
        return func.name
    return func.attrname if isinstance(func, nodes.Attribute) else ""
