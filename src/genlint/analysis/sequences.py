"""Facts about project subclasses of `keras.utils.Sequence` / `keras.utils.PyDataset`.

Keras calls four things on such a class: `__len__` (or the Keras 3 `num_batches` property) for the number of
batches, `__getitem__(index)` for batch `index`, `on_epoch_end` between epochs, and, in Keras 3, the
`workers` / `use_multiprocessing` attributes that `PyDataset.__init__` sets. This module records what the
project's code does in each, following the class's project bases; installed packages are never read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from astroid import nodes

from genlint.analysis.batches import BatchTake, batch_take
from genlint.analysis.generators import GeneratorAnalyzer, function_body_nodes, is_generator_function, swallows
from genlint.analysis.model import (
    BatchCount,
    IndexSlice,
    Rounding,
    SequenceClass,
    YieldFact,
    YieldShape,
    source_text,
)
from genlint.analysis.resolve import KERAS_ROOTS, MAX_DEPTH, External, Resolver, assigned_value, is_property
from genlint.analysis.values import ValueEvaluator, expression, floor_operands, is_ceil_count

SEQUENCE_BASES = frozenset({"Sequence", "PyDataset"})
# The Sequence that is Keras 3's PyDataset or Keras 2's Sequence as the target says: `tf.keras` is Keras 3 from
# TensorFlow 2.16 on, Keras 2 (tf-keras) with TF_USE_LEGACY_KERAS=1 or before 2.16.
TARGET_SEQUENCES = frozenset({"keras.utils.Sequence", "tensorflow.keras.utils.Sequence"})
# Installed base classes that add no `__len__` / `__getitem__` of their own.
INERT_BASES = frozenset({"object", "abc.ABC", "typing.Generic", "typing.Protocol"})
# Calls that build an array of a given shape, to be filled in place.
PREALLOCATORS = frozenset({"empty", "zeros", "ones", "full", "ndarray"})
# What draws a new sample order, as a function or as a method of a random generator or a data frame.
RANDOM_CALLS = frozenset({"shuffle", "permutation", "permuted", "sample", "choice", "randperm"})


class SequenceAnalyzer:
    """Builds (and caches) `SequenceClass` facts for project classes that derive from a Keras Sequence."""

    def __init__(self, resolver: Resolver, generators: GeneratorAnalyzer) -> None:
        self.resolver = resolver
        self.generators = generators
        self.values = ValueEvaluator(resolver)
        self._cache: dict[int, SequenceClass | None] = {}

    def facts(self, classdef: nodes.ClassDef) -> SequenceClass | None:
        """The facts of a Keras Sequence / PyDataset subclass; None when the class is not one."""
        key = id(classdef)
        if key not in self._cache:
            base = self.keras_base(classdef)
            self._cache[key] = None if base is None else self._build(classdef, base)
        return self._cache[key]

    def keras_base(self, classdef: nodes.ClassDef) -> External | None:
        for base in self.resolver.external_bases(classdef):
            if base.last in SEQUENCE_BASES and base.root in KERAS_ROOTS:
                return base
        return None

    def _build(self, classdef: nodes.ClassDef, base: External) -> SequenceClass:
        getitem = self._method(classdef, "__getitem__")
        length = self._length_method(classdef)
        index_slice = self._index_slice(getitem) if getitem is not None else None
        counts = self._batch_counts(length, index_slice) if length is not None else ()
        return SequenceClass(
            name=classdef.name,
            path=classdef.root().file or "",
            node=classdef,
            getitem=getitem,
            swallowed_handlers=_swallowed_handlers(getitem),
            keras_base=base.qualname,
            pydataset=_is_pydataset(base),
            missing_methods=self._missing_methods(classdef),
            length=length,
            batch_counts=counts,
            returns=self._returns(getitem) if getitem is not None else (),
            index_slice=index_slice,
            init_without_super=self._init_without_super(classdef),
            reshuffles=self._reshuffles(classdef),
        )

    # --- which methods the class has ----------------------------------------------------------

    def _method(self, classdef: nodes.ClassDef, name: str) -> nodes.FunctionDef | None:
        member = self.resolver.class_member(classdef, name)
        return member if isinstance(member, nodes.FunctionDef) else None

    def _length_method(self, classdef: nodes.ClassDef) -> nodes.FunctionDef | None:
        """Keras 3 reads the `num_batches` property, whose default calls `len()`; Keras 2 calls `__len__`."""
        num_batches = self._method(classdef, "num_batches")
        if num_batches is not None and is_property(num_batches):
            return num_batches
        if self.resolver.class_member(classdef, "num_batches") is not None:
            return None  # `num_batches = 12` or a property built some other way: defined, but not a method
        return self._method(classdef, "__len__")

    def _missing_methods(self, classdef: nodes.ClassDef) -> frozenset[str]:
        """The methods Keras needs that the class lacks, as far as the project text shows every method."""
        if not self._members_known(classdef, 0):
            return frozenset()
        missing = set()
        if not self._has(classdef, "__getitem__"):
            missing.add("__getitem__")
        if not self._has(classdef, "__len__") and not self._has(classdef, "num_batches"):
            missing.add("__len__")
        return frozenset(missing)

    def _has(self, classdef: nodes.ClassDef, name: str, depth: int = 0) -> bool:
        """Whether the class or a project base binds `name` in any way (method, property, assignment)."""
        if name in classdef.locals:
            return True
        return depth < MAX_DEPTH and any(
            self._has(base, name, depth + 1) for base in self.resolver.project_bases(classdef)
        )

    def _members_known(self, classdef: nodes.ClassDef, depth: int) -> bool:
        """Whether every base is a project class or the Keras base, so that the project text shows every
        method the class has. A mixin from an installed package, or a base genlint cannot find, may add any."""
        if depth > MAX_DEPTH:
            return False
        for base in classdef.bases:
            resolved = self.resolver.follow(base)
            if isinstance(resolved, External):
                keras = resolved.last in SEQUENCE_BASES and resolved.root in KERAS_ROOTS
                if not keras and resolved.qualname not in INERT_BASES:
                    return False
                continue
            if not isinstance(resolved, nodes.ClassDef) or resolved is classdef:
                return False
            if not self._members_known(resolved, depth + 1):
                return False
        # a metaclass or `__getattr__` can supply methods the text does not show
        metaclass = any(keyword.arg == "metaclass" for keyword in classdef.keywords or [])
        return not metaclass and "__getattr__" not in classdef.locals

    # --- __len__ / num_batches -------------------------------------------------------------------

    def _batch_counts(self, length: nodes.FunctionDef, index_slice: IndexSlice | None) -> tuple[BatchCount, ...]:
        counts = []
        for node in function_body_nodes(length):
            if isinstance(node, nodes.Return) and node.value is not None:
                counts.append(self._batch_count(node, index_slice))
        return tuple(counts)

    def _batch_count(self, statement: nodes.Return, index_slice: IndexSlice | None) -> BatchCount:
        value = self.values.evaluate(statement.value)
        rounding, operands = self._rounding(statement.value)
        operands = operands or self._division_operands(statement.value, 0)
        if operands is None:
            return BatchCount(statement, value, rounding)
        samples, batch_size = operands
        if rounding is not Rounding.OTHER and _returns_by_remainder(statement.frame(), samples, batch_size):
            rounding = Rounding.OTHER  # `if n % b == 0: return n // b` / `return n // b + 1`: a ceiling by cases
        samples_number = self.values.evaluate(samples).number
        batch_number = self.values.evaluate(batch_size).number
        remainder = 0 if batch_number == 1 else None  # batches of one sample leave nothing over
        if isinstance(samples_number, int) and isinstance(batch_number, int) and batch_number > 0:
            remainder = samples_number % batch_number
        matches = index_slice is not None and self._same_quantity(batch_size, index_slice.batch_size_text)
        return BatchCount(statement, value, rounding, source_text(samples), source_text(batch_size), remainder, matches)

    def _rounding(self, node: nodes.NodeNG) -> tuple[Rounding, tuple[nodes.NodeNG, nodes.NodeNG] | None]:
        """`n // b` (floor), `n // b + 1` (floor plus one), with the operands `n` and `b`. The ceiling idioms
        (`(n + b - 1) // b`, `(n - 1) // b + 1`, `n // b + (n % b > 0)`) are neither."""
        if is_ceil_count(node, self.resolver):
            return Rounding.OTHER, None
        operands = floor_operands(node, self.resolver)
        if operands is not None:
            return Rounding.FLOOR, operands
        total = expression(node, self.resolver)
        if isinstance(total, nodes.BinOp) and total.op == "+":
            for one, other in ((total.left, total.right), (total.right, total.left)):
                if isinstance(one, nodes.Const) and one.value == 1 and not isinstance(one.value, bool):
                    operands = floor_operands(other, self.resolver)
                    if operands is not None:
                        return Rounding.FLOOR_PLUS_ONE, operands
        return Rounding.OTHER, None

    def _division_operands(self, node: nodes.NodeNG, depth: int) -> tuple[nodes.NodeNG, nodes.NodeNG] | None:
        """`n` and `b` of a count that divides however it rounds: `n / b`, `np.ceil(n / b)`, `float(n) // b`."""
        node = self._local_expression(node)
        if isinstance(node, nodes.Attribute):  # `self.steps`, computed in `__init__`
            followed = self.resolver.follow(node)
            node = followed if isinstance(followed, nodes.NodeNG) else node
        if isinstance(node, nodes.BinOp) and node.op in ("/", "//"):
            return node.left, node.right
        if isinstance(node, nodes.Call) and len(node.args) == 1 and depth < 4:
            return self._division_operands(node.args[0], depth + 1)
        return None

    def _same_quantity(self, batch_size: nodes.NodeNG, slice_batch_size: str) -> bool:
        """Whether the divisor of `__len__` is the batch size `__getitem__` slices by: the same expression
        (`self.batch_size` in both), once names local to `__len__` are replaced by what they hold."""
        local = self._local_expression(batch_size)
        if source_text(local) == slice_batch_size:
            return True
        # `self.n_batches = len(x) // batch_size` in `__init__`, which also stores `self.batch_size = batch_size`
        return isinstance(local, nodes.Name) and slice_batch_size in _stored_as(local)

    def _local_expression(self, node: nodes.NodeNG) -> nodes.NodeNG:
        """A name bound once in the same function, replaced by the expression it was assigned."""
        for _ in range(MAX_DEPTH):
            if not isinstance(node, nodes.Name):
                return node
            bound = self.resolver.binding(node, node.name)
            if not isinstance(bound, nodes.AssignName) or bound.frame() is not node.frame():
                return node
            value = assigned_value(bound)
            if value is None:
                return node
            node = value
        return node

    # --- __getitem__ ----------------------------------------------------------------------------

    def _returns(self, getitem: nodes.FunctionDef) -> tuple[YieldFact, ...]:
        facts = []
        for node in function_body_nodes(getitem):
            if isinstance(node, nodes.Return) and node.value is not None:
                shape, arity = self._returned_shape(node.value)
                facts.append(YieldFact(node, shape, arity, source_text(node.value)))
        return tuple(facts)

    def _returned_shape(self, value: nodes.NodeNG) -> tuple[YieldShape, int | None]:
        """The shape of a returned value; `return self._load_batch(ids)` takes the helper's return shape when
        all its `return` statements agree."""
        shape, arity = self.generators.value_shape(value)
        if shape is not YieldShape.UNKNOWN or not isinstance(value, nodes.Call):
            return shape, arity
        helper = self.resolver.follow(value.func)
        if not isinstance(helper, nodes.FunctionDef) or is_generator_function(helper):
            return YieldShape.UNKNOWN, None
        shapes = {self.generators.value_shape(returned) for returned in self.resolver.returned_values(helper)}
        return shapes.pop() if len(shapes) == 1 else (YieldShape.UNKNOWN, None)

    def _index_slice(self, getitem: nodes.FunctionDef) -> IndexSlice | None:
        """The first contiguous slice `[index * bs:(index + 1) * bs]` (or `slice(…)`) of batch `index`."""
        positional = getitem.args.args or []
        if len(positional) < 2:
            return None
        index = positional[1].name
        for node in function_body_nodes(getitem):
            bounds = self._slice_bounds(node)
            if bounds is None:
                continue
            stride = self._batch_stride(bounds[0], bounds[1], index)
            if stride is not None:
                # a short batch that `__getitem__` skips or pads is not served as it is
                guarded = batch_take(getitem, index) in (BatchTake.GUARDED, BatchTake.UNKNOWN)
                preallocated = self._preallocates(
                    getitem, {source_text(stride), source_text(self._local_expression(stride))}
                )
                return IndexSlice(node, source_text(self._local_expression(stride)), not guarded and not preallocated)
        return None

    def _slice_bounds(self, node: nodes.NodeNG) -> tuple[nodes.NodeNG, nodes.NodeNG] | None:
        if isinstance(node, nodes.Subscript) and isinstance(node.slice, nodes.Slice):
            part = node.slice
            if part.lower is not None and part.upper is not None and part.step is None:
                return part.lower, part.upper
        if isinstance(node, nodes.Call) and len(node.args) == 2 and not node.keywords:
            callee = self.resolver.follow(node.func)
            if isinstance(callee, External) and callee.qualname == "slice":
                return node.args[0], node.args[1]
        return None

    def _batch_stride(self, lower: nodes.NodeNG, upper: nodes.NodeNG, index: str) -> nodes.NodeNG | None:
        """`bs` when the bounds are `index * bs` and `(index + 1) * bs`, `start + bs` or `min(…, n)` of one."""
        start = self._local_expression(lower)
        if not (isinstance(start, nodes.BinOp) and start.op == "*"):
            return None
        factor = _other_factor(start, lambda side: _is_name(side, index))
        if factor is None:
            return None
        batch_size = source_text(factor)
        written = {source_text(lower), source_text(start)}
        for end in self._upper_forms(upper):
            if not isinstance(end, nodes.BinOp):
                continue
            sides = {source_text(end.left), source_text(end.right)}
            next_factor = _other_factor(end, lambda side: _is_index_plus_one(side, index)) if end.op == "*" else None
            next_start = next_factor is not None and source_text(next_factor) == batch_size
            start_plus_size = end.op == "+" and bool(sides & written) and batch_size in sides
            if next_start or start_plus_size:
                return factor
        return None

    def _upper_forms(self, upper: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
        """The end of a batch, and inside `min(end, n)` the end again."""
        end = self._local_expression(upper)
        yield end
        if isinstance(end, nodes.Call) and isinstance(end.func, nodes.Name) and end.func.name == "min":
            for argument in end.args:
                yield self._local_expression(argument)

    def _preallocates(self, getitem: nodes.FunctionDef, batch_size: set[str]) -> bool:
        """`np.empty((self.batch_size, …))` filled row by row, in `__getitem__` or a method it calls through
        `self.`: the batch has a fixed size, so a short last batch would carry stale rows."""
        for function in (getitem, *self._called_methods(getitem)):
            for node in function_body_nodes(function):
                if not isinstance(node, nodes.Call):
                    continue
                callee = self.resolver.follow(node.func)
                allocates = isinstance(callee, External) and callee.root == "numpy" and callee.last in PREALLOCATORS
                shape = " ".join(source_text(argument) for argument in node.args)
                if allocates and any(written in shape for written in batch_size):
                    return True
        return False

    def _called_methods(self, function: nodes.FunctionDef) -> list[nodes.FunctionDef]:
        called = []
        for node in function_body_nodes(function):
            if not (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute)):
                continue
            if _is_name(node.func.expr, "self"):
                method = self.resolver.follow(node.func)
                if isinstance(method, nodes.FunctionDef) and method is not function:
                    called.append(method)
        return called

    # --- __init__ and on_epoch_end ----------------------------------------------------------------

    def _init_without_super(self, classdef: nodes.ClassDef) -> nodes.FunctionDef | None:
        """The project `__init__` that runs and never calls its base class's `__init__`, so that Keras 3's
        `PyDataset.__init__` (which sets `workers`, `use_multiprocessing`, `max_queue_size`) never runs."""
        owner = classdef
        for _ in range(MAX_DEPTH):
            init = self._own_or_inherited_init(owner)
            if init is None:
                return None  # the Keras base's own `__init__` runs
            if not _calls_base_init(init):
                return init
            parent = init.parent.frame()
            if not isinstance(parent, nodes.ClassDef) or len(parent.bases) != 1:
                return None  # several bases: where `super()` leads is not followed
            base = self.resolver.follow(parent.bases[0])
            if not isinstance(base, nodes.ClassDef) or base is parent:
                return None  # the next class is the Keras base (or one genlint cannot see)
            owner = base
        return None

    def _own_or_inherited_init(self, classdef: nodes.ClassDef) -> nodes.FunctionDef | None:
        init = self.resolver.class_member(classdef, "__init__")
        return init if isinstance(init, nodes.FunctionDef) else None

    def _reshuffles(self, classdef: nodes.ClassDef) -> bool:
        """Whether `on_epoch_end` (or `on_epoch_begin`) draws a new order: `np.random.shuffle(self.order)`,
        `self.rng.permutation(n)`, `self.frame.sample(frac=1)`, anything from `random` / `numpy.random`."""
        for name in ("on_epoch_end", "on_epoch_begin"):
            method = self._method(classdef, name)
            if method is None:
                continue
            for node in function_body_nodes(method):
                if isinstance(node, nodes.Call) and self._is_random_call(node):
                    return True
        return False

    def _is_random_call(self, call: nodes.Call) -> bool:
        callee = self.resolver.follow(call.func)
        if isinstance(callee, External):
            parts = callee.qualname.split(".")
            return callee.last in RANDOM_CALLS or "random" in parts
        return isinstance(call.func, nodes.Attribute) and call.func.attrname in RANDOM_CALLS


def _is_pydataset(base: External) -> bool | None:
    if base.last == "PyDataset":
        return True
    if base.qualname in TARGET_SEQUENCES:
        return None
    return False  # `tf_keras`, or a Keras 2 path such as `keras.utils.data_utils.Sequence`


def _returns_by_remainder(function: nodes.NodeNG, samples: nodes.NodeNG, batch_size: nodes.NodeNG) -> bool:
    """Whether `function` picks what to return by the remainder `samples % batch_size`: an `if` testing it
    with a `return` in one of its branches."""
    remainder = (source_text(samples), source_text(batch_size))
    for branch in function.nodes_of_class(nodes.If):
        tested = [
            (source_text(operation.left), source_text(operation.right))
            for operation in branch.test.nodes_of_class(nodes.BinOp)
            if operation.op == "%"
        ]
        returns = any(isinstance(statement, nodes.Return) for statement in (*branch.body, *branch.orelse))
        if remainder in tested and returns:
            return True
    return False


def _stored_as(name: nodes.Name) -> set[str]:
    """The `self.` attributes that the function using `name` sets to it: `self.batch_size = batch_size`, or
    `self.x, self.batch_size = x, batch_size`."""
    stored = set()
    for assign in name.frame().nodes_of_class(nodes.Assign):
        for target in assign.targets:
            pairs = [(target, assign.value)]
            if isinstance(target, nodes.Tuple) and isinstance(assign.value, nodes.Tuple):
                pairs = list(zip(target.elts, assign.value.elts, strict=False))
            for attribute, value in pairs:
                if isinstance(attribute, nodes.AssignAttr) and _is_name(value, name.name):
                    stored.add(attribute.as_string())
    return stored


def _calls_base_init(init: nodes.FunctionDef) -> bool:
    """`super().__init__(…)`, `super(Cls, self).__init__(…)` or `Base.__init__(self, …)` anywhere in it."""
    for node in function_body_nodes(init):
        if isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute) and node.func.attrname == "__init__":
            return True
    return False


def _swallowed_handlers(getitem: nodes.FunctionDef | None) -> tuple[nodes.ExceptHandler, ...]:
    if getitem is None:
        return ()
    return tuple(
        node for node in function_body_nodes(getitem) if isinstance(node, nodes.ExceptHandler) and swallows(node)
    )


def _other_factor(product: nodes.BinOp, is_index: Callable[[nodes.NodeNG], bool]) -> nodes.NodeNG | None:
    """In `a * b`, the factor that is not the index."""
    if is_index(product.left):
        return product.right
    if is_index(product.right):
        return product.left
    return None


def _is_name(node: nodes.NodeNG, name: str) -> bool:
    return isinstance(node, nodes.Name) and node.name == name


def _is_index_plus_one(node: nodes.NodeNG, index: str) -> bool:
    if not (isinstance(node, nodes.BinOp) and node.op == "+"):
        return False
    sides = (node.left, node.right)
    return any(_is_name(side, index) for side in sides) and any(
        isinstance(side, nodes.Const) and side.value == 1 for side in sides
    )
