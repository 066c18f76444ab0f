"""Evaluating epochs and step counts: their type (int / float) and, where known, their value."""

from __future__ import annotations

import operator
from collections.abc import Callable

from astroid import nodes

from genlint.analysis.model import Value, ValueType, source_text
from genlint.analysis.resolve import External, Resolver, call_argument, is_image_flow

INT_FUNCTIONS = frozenset(
    {"int", "len", "round", "math.ceil", "math.floor", "math.trunc", "math.isqrt", "operator.floordiv"}
)
NUMPY_FLOAT_FUNCTIONS = frozenset({"ceil", "floor", "round", "trunc", "rint", "true_divide", "divide"})
# `tf.math.ceil(n / b)` (or `tf.ceil`, `tf.round`…): a float tensor when its argument is a float; `truediv`
# and `divide` always give one.
TENSORFLOW_ROUNDING_FUNCTIONS = frozenset({"ceil", "floor", "round", "rint"})
TENSORFLOW_DIVISIONS = frozenset({"truediv", "divide"})
# `t.numpy()` of a scalar tensor, `x.item()` of a NumPy scalar: the same number, still an int or a float.
SCALAR_METHODS = frozenset({"numpy", "item"})
# `ImageDataGenerator` methods that make Keras's image iterators: `len(it)` counts their batches, and
# `it.samples` (or `it.n`) their samples.
IMAGE_FLOW_METHODS = frozenset({"flow", "flow_from_directory", "flow_from_dataframe"})
ITERATOR_SAMPLE_COUNTS = frozenset({"samples", "n"})
OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
}


class ValueEvaluator:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        # Set while evaluating when a name led into a function's returned tuple (`gen, steps = make(x)`):
        # the data names seen there are the function's, not the caller's.
        self._entered_function = False

    def evaluate(self, argument: nodes.NodeNG) -> Value:
        """Evaluate the expression passed at a call, following names to what they were assigned."""
        self._entered_function = False
        kind, number, reason, final = self._evaluate(argument, 0)
        callers_names = not self._entered_function
        return Value(
            argument,
            kind,
            number,
            source_text(final),
            reason,
            floors=kind is not ValueType.FLOAT and self._drops_remainder(final),
            counts_samples=callers_names and counted_sample(final, self.resolver) is not None,
            counted_names=counted_names(final, self.resolver) if callers_names else (),
            expression=final,
        )

    def _drops_remainder(self, node: nodes.NodeNG) -> bool:
        """A floored count, unless both numbers are known and divide evenly (`60_000 // 100` drops nothing).
        A float (`np.floor`) is GEN301's business, not a floor count."""
        operands = floor_operands(node, self.resolver)
        if operands is None:
            return False
        samples, batch_size = (self._evaluate(operand, 0)[1] for operand in operands)
        exact = isinstance(samples, int) and isinstance(batch_size, int) and batch_size and samples % batch_size == 0
        return not exact

    def _evaluate(
        self, node: nodes.NodeNG, depth: int
    ) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
        unknown = (ValueType.UNKNOWN, None, None, node)
        if depth > 10:
            return unknown
        if isinstance(node, nodes.Name) and _augmented(self.resolver.binding(node, node.name)):
            return self._augmented(node, depth)
        if isinstance(node, (nodes.Name, nodes.Attribute)):
            target = self.resolver.follow(node)
            if isinstance(target, nodes.NodeNG) and target is not node and _is_expression(target):
                return self._evaluate(target, depth + 1)
            unpacked = self.resolver.unpacked_return(node) if target is None else None
            if isinstance(unpacked, nodes.NodeNG) and _is_expression(unpacked):
                self._entered_function = True
                return self._evaluate(unpacked, depth + 1)
            return unknown
        if isinstance(node, nodes.Const):
            return _constant(node)
        if isinstance(node, nodes.UnaryOp) and node.op in ("-", "+"):
            kind, number, reason, _ = self._evaluate(node.operand, depth + 1)
            if number is not None and node.op == "-":
                number = -number
            return kind, number, reason, node
        if isinstance(node, nodes.BinOp) and node.op in OPERATORS:
            return self._binary(node, depth)
        if isinstance(node, nodes.Call):
            return self._call(node, depth)
        return unknown

    def _augmented(
        self, node: nodes.Name, depth: int
    ) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
        """`steps /= batch_size`: the operator decides the type, whatever `steps` held before."""
        statement = self.resolver.binding(node, node.name).parent  # type: ignore[union-attr]
        if statement.op == "/=":
            return ValueType.FLOAT, None, "`/=` is a true division, which always gives a float", statement
        kind, _, reason, _ = self._evaluate(statement.value, depth + 1)
        if kind is ValueType.FLOAT and statement.op in ("*=", "+=", "-=", "//="):
            return ValueType.FLOAT, None, reason, statement
        return ValueType.UNKNOWN, None, None, statement

    def _binary(self, node: nodes.BinOp, depth: int) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
        left_kind, left, left_reason, _ = self._evaluate(node.left, depth + 1)
        right_kind, right, right_reason, _ = self._evaluate(node.right, depth + 1)
        number: int | float | None = None
        if left is not None and right is not None:
            try:
                number = OPERATORS[node.op](left, right)
            except (ZeroDivisionError, OverflowError, TypeError):
                number = None
        if node.op == "/":
            return ValueType.FLOAT, number, "true division `/` always gives a float", node
        if ValueType.FLOAT in (left_kind, right_kind):
            return ValueType.FLOAT, number, f"{left_reason or right_reason}, so `{source_text(node)}` is one too", node
        if left_kind is ValueType.INT and right_kind is ValueType.INT:
            return ValueType.INT, number, None, node
        return ValueType.UNKNOWN, None, None, node

    def _call(self, node: nodes.Call, depth: int) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
        if isinstance(node.func, nodes.Attribute) and node.func.attrname in SCALAR_METHODS and not node.args:
            kind, number, reason, _ = self._evaluate(node.func.expr, depth + 1)
            if kind is ValueType.FLOAT:
                reason = f"{reason}, and `.{node.func.attrname}()` keeps it a float"
            return kind, number, reason, node
        callee = self.resolver.follow(node.func)
        name = callee.qualname if isinstance(callee, External) else _plain_name(node.func)
        if isinstance(callee, nodes.FunctionDef):
            return self._project_call(node, callee, depth)
        if callee is not None and not isinstance(callee, External):
            return ValueType.UNKNOWN, None, None, node
        if name in INT_FUNCTIONS and not (name == "round" and len(node.args) > 1):
            number = None
            if node.args and name in ("int", "math.ceil", "math.floor", "round"):
                _, inner, _, _ = self._evaluate(node.args[0], depth + 1)
                if inner is not None:
                    number = _apply_integer(name, inner)
            elif name == "len" and len(node.args) == 1 and not node.keywords:
                number = self._length(node.args[0], depth + 1)
            return ValueType.INT, number, None, node
        if name == "float":
            return ValueType.FLOAT, None, f"`{source_text(node)}` is a float", node
        guarded = _at_least_one(node) if name == "max" else None
        if guarded is not None:  # `max(1, n / b)`: the float, unless it is below 1
            kind, _, reason, _ = self._evaluate(guarded, depth + 1)
            if kind is ValueType.FLOAT:
                return ValueType.FLOAT, None, f"{reason}, and `max(1, …)` returns it whenever it is above 1", node
        if isinstance(callee, External) and callee.root == "numpy" and callee.last in NUMPY_FLOAT_FUNCTIONS:
            return ValueType.FLOAT, None, f"`{_short_numpy(node)}` returns a NumPy float", node
        if isinstance(callee, External) and callee.root == "tensorflow" and self._float_tensor(callee, node, depth):
            return ValueType.FLOAT, None, f"`{_short_numpy(node)}` returns a float tensor", node
        return ValueType.UNKNOWN, None, None, node

    def _length(self, node: nodes.NodeNG, depth: int) -> int | None:
        """The length of an array or list whose size the code states: `np.random.rand(3200, 28)`,
        `np.zeros((n, 4))`, `np.random.randint(0, 10, size=n)`, `np.arange(n)`, `[a, b, c]`, through names,
        `.astype(…)` / `.copy()` and `to_categorical(y, k)`; None when it is not written down."""
        if depth > 10:
            return None
        if isinstance(node, (nodes.Name, nodes.Attribute)):
            target = self.resolver.follow(node)
            return self._length(target, depth + 1) if isinstance(target, nodes.NodeNG) and target is not node else None
        if isinstance(node, (nodes.List, nodes.Tuple)):
            return None if any(isinstance(element, nodes.Starred) for element in node.elts) else len(node.elts)
        if not isinstance(node, nodes.Call):
            return None
        if isinstance(node.func, nodes.Attribute) and node.func.attrname in ("astype", "copy"):
            return self._length(node.func.expr, depth + 1)
        callee = self.resolver.follow(node.func)
        if not isinstance(callee, External):
            return None
        if callee.last == "to_categorical" and node.args:
            return self._length(node.args[0], depth + 1)
        if callee.root != "numpy":
            return None
        sized = _stated_size(callee.qualname, node)
        if sized is None:
            return None
        if isinstance(sized, (nodes.Tuple, nodes.List)):
            sized = sized.elts[0] if sized.elts else None
        number = self._evaluate(sized, depth + 1)[1] if sized is not None else None
        return number if isinstance(number, int) and number >= 0 else None

    def _project_call(
        self, node: nodes.Call, function: nodes.FunctionDef, depth: int
    ) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
        """A project function whose every `return` is a float whatever its arguments (`return n / b`) gives a
        float; any other result is not followed, so its number and what it counts stay unknown."""
        returned = self.resolver.returned_values(function) if not function.is_generator() else []
        results = [self._evaluate(value, depth + 1) for value in returned]
        if not results or any(kind is not ValueType.FLOAT for kind, _, _, _ in results):
            return ValueType.UNKNOWN, None, None, node
        reason = f"`{function.name}()` returns `{source_text(results[0][3])}`: {results[0][2]}"
        return ValueType.FLOAT, None, reason, node

    def _float_tensor(self, callee: External, node: nodes.Call, depth: int) -> bool:
        """`tf.math.ceil(n / b)`, `tf.round(steps * 0.8)`, `tf.math.truediv(n, b)`: a float32/64 tensor."""
        if callee.qualname.rsplit(".", 1)[0] not in ("tensorflow", "tensorflow.math"):
            return False
        if callee.last in TENSORFLOW_DIVISIONS:
            return True
        rounded = node.args[0] if len(node.args) == 1 and not node.keywords else None
        return (
            callee.last in TENSORFLOW_ROUNDING_FUNCTIONS
            and rounded is not None
            and self._evaluate(rounded, depth + 1)[0] is ValueType.FLOAT
        )


# --- how a count of batches rounds, and what it counts ------------------------------------------------

FLOOR_FUNCTIONS = frozenset({"math.floor", "numpy.floor"})
CEIL_FUNCTIONS = frozenset({"math.ceil", "numpy.ceil"})


def expression(node: nodes.NodeNG, resolver: Resolver) -> nodes.NodeNG:
    """Follow a name or `self.` attribute to the expression it was assigned; else the node itself."""
    for _ in range(10):
        if not isinstance(node, (nodes.Name, nodes.Attribute)):
            return node
        target = resolver.follow(node)
        if not isinstance(target, nodes.NodeNG) or target is node or not _is_expression(target):
            return node
        node = target
    return node


def floor_operands(node: nodes.NodeNG, resolver: Resolver) -> tuple[nodes.NodeNG, nodes.NodeNG] | None:
    """(samples, batch size) when `node` rounds a division down: `n // b`, `int(n / b)`, `math.floor(n / b)`,
    `max(1, n // b)`. The ceiling idioms `(n + b - 1) // b` and `-(-n // b)` are not floors."""
    node = expression(node, resolver)
    if isinstance(node, nodes.BinOp) and node.op == "//":
        return (node.left, node.right) if _plain_dividend(expression(node.left, resolver), resolver) else None
    if not isinstance(node, nodes.Call) or len(node.args) not in (1, 2) or node.keywords:
        return None
    name = _callee_name(node, resolver)
    if name == "max" and len(node.args) == 2:  # `max(1, n // b)` keeps at least one step
        counts = [argument for argument in node.args if not isinstance(argument, nodes.Const)]
        return floor_operands(counts[0], resolver) if len(counts) == 1 else None
    if len(node.args) != 1 or name not in ("int", *FLOOR_FUNCTIONS):
        return None
    inner = expression(node.args[0], resolver)
    if isinstance(inner, nodes.BinOp) and inner.op == "/":
        return (inner.left, inner.right) if _plain_dividend(expression(inner.left, resolver), resolver) else None
    if name == "int":
        return floor_operands(inner, resolver)  # `int(n // b)`, `int(np.floor(n / b))`
    return None


def is_ceil_count(node: nodes.NodeNG, resolver: Resolver) -> bool:
    """`math.ceil(n / b)`, `int(np.ceil(n / b))`, `(n + b - 1) // b`, `-(-n // b)`, `n // b + (n % b > 0)`."""
    node = expression(node, resolver)
    if isinstance(node, nodes.Call) and len(node.args) == 1:
        name = _callee_name(node, resolver)
        inner = expression(node.args[0], resolver)
        if name in CEIL_FUNCTIONS:
            return isinstance(inner, nodes.BinOp) and inner.op == "/"
        return name == "int" and is_ceil_count(inner, resolver)
    if isinstance(node, nodes.UnaryOp) and node.op == "-":
        floored = node.operand
        return isinstance(floored, nodes.BinOp) and floored.op == "//" and _is_negated(floored.left)
    if isinstance(node, nodes.BinOp) and node.op == "//":
        return _adds_divisor_less_one(node.left, node.right)
    if isinstance(node, nodes.BinOp) and node.op == "+" and isinstance(node.left, nodes.BinOp):
        floored, extra = node.left, node.right
        if floored.op != "//":
            return False
        # `n // b + (n % b > 0)`, `n // b + (1 if n % b else 0)`: one more batch only for a remainder
        if any(isinstance(part, nodes.BinOp) and part.op == "%" for part in extra.nodes_of_class(nodes.BinOp)):
            return True
        # `(n - 1) // b + 1`
        return (
            _is_one(extra)
            and isinstance(floored.left, nodes.BinOp)
            and floored.left.op == "-"
            and _is_one(floored.left.right)
        )
    return False


def counted_sample(node: nodes.NodeNG, resolver: Resolver) -> str | None:
    """The data whose length `node` is, when it is a plain sample count: `len(x)`, `x.shape[0]`,
    `n_samples` bound to `len(x)`, `len(x[:800])`, or `train_it.samples` of a Keras image iterator."""
    node = expression(node, resolver)
    if isinstance(node, nodes.Call) and len(node.args) == 1 and not node.keywords:
        if _callee_name(node, resolver) == "len" and not _image_iterator(node.args[0], resolver):
            return data_name(node.args[0])
        return None
    if isinstance(node, nodes.Attribute) and node.attrname in ITERATOR_SAMPLE_COUNTS:
        return data_name(node.expr) if _image_iterator(node.expr, resolver) else None
    if isinstance(node, nodes.Subscript) and isinstance(node.slice, nodes.Const) and node.slice.value == 0:
        shape = node.value
        if isinstance(shape, nodes.Attribute) and shape.attrname == "shape":
            return data_name(shape.expr)
    return None


def counted_names(node: nodes.NodeNG, resolver: Resolver) -> tuple[str, ...]:
    """Every data name whose length an expression counts, following names: `n_val // bs` with
    `n_val = len(x_val)` → ("x_val",)."""
    found: list[str] = []
    _collect_counted(node, resolver, found, 0)
    return tuple(dict.fromkeys(found))


def _collect_counted(node: nodes.NodeNG, resolver: Resolver, found: list[str], depth: int) -> None:
    if depth > 12 or isinstance(node, (nodes.Lambda, nodes.FunctionDef, nodes.ClassDef)):
        return
    sample = _direct_sample_count(node, resolver)
    if sample is not None:
        found.append(sample)
        return
    if isinstance(node, (nodes.Name, nodes.Attribute)):
        target = expression(node, resolver)
        if target is not node:
            _collect_counted(target, resolver, found, depth + 1)
        return
    children = [*node.args, *(keyword.value for keyword in node.keywords or [])] if isinstance(node, nodes.Call) else []
    for child in children or list(node.get_children()):
        _collect_counted(child, resolver, found, depth + 1)


def _direct_sample_count(node: nodes.NodeNG, resolver: Resolver) -> str | None:
    """`len(x)`, `x.shape[0]` or `train_it.samples` as written, without following names."""
    if isinstance(node, (nodes.Call, nodes.Subscript)) or (
        isinstance(node, nodes.Attribute) and node.attrname in ITERATOR_SAMPLE_COUNTS
    ):
        return counted_sample(node, resolver)
    return None


def _image_iterator(node: nodes.NodeNG, resolver: Resolver) -> bool:
    """Whether `node` is (a name bound to) `ImageDataGenerator(…).flow(…)` or `.flow_from_directory(…)`."""
    target = resolver.follow(node)
    return isinstance(target, nodes.Call) and is_image_flow(target, resolver, IMAGE_FLOW_METHODS)


def call_data_names(call: nodes.Call, resolver: Resolver) -> tuple[str, ...]:
    """The data names passed to a generator or Sequence call: `batches(x_val, y_val, 32)` → ("x_val", "y_val"),
    with the arguments bound earlier by `functools.partial`. Names of constants (`BATCH_SIZE`) are left out."""
    arguments = [*call.args, *(keyword.value for keyword in call.keywords or [])]
    partial = expression(call.func, resolver)
    if isinstance(partial, nodes.Call) and partial.args:
        callee = resolver.follow(partial.func)
        if isinstance(callee, External) and callee.qualname == "functools.partial":
            arguments += [*partial.args[1:], *(keyword.value for keyword in partial.keywords or [])]
    names = [
        data_name(argument) for argument in arguments if not isinstance(expression(argument, resolver), nodes.Const)
    ]
    return tuple(dict.fromkeys(name for name in names if name is not None))


def data_name(node: nodes.NodeNG) -> str | None:
    """How data is named in the source: `x_val`, `self.images`; a slice `x[:800]` counts as `x`."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Attribute) and data_name(node.expr) is not None:
        return node.as_string()
    if isinstance(node, nodes.Subscript) and isinstance(node.slice, nodes.Slice):
        return data_name(node.value)
    return None


def _plain_dividend(node: nodes.NodeNG, resolver: Resolver) -> bool:
    """A sample count with nothing added: `n`, `len(x)`, `n - lookback`; not `n + b - 1` (a ceiling idiom)."""
    if isinstance(node, nodes.UnaryOp):
        return False
    if isinstance(node, nodes.BinOp):
        if node.op == "+":
            return False
        if node.op == "-":
            return _plain_dividend(expression(node.left, resolver), resolver)
    return True


def _adds_divisor_less_one(dividend: nodes.NodeNG, divisor: nodes.NodeNG) -> bool:
    """`n + b - 1` or `n + (b - 1)` over `b`."""
    if isinstance(dividend, nodes.BinOp) and dividend.op == "-" and _is_one(dividend.right):
        total = dividend.left
        return (
            isinstance(total, nodes.BinOp)
            and total.op == "+"
            and source_text(divisor) in (source_text(total.right), source_text(total.left))
        )
    if isinstance(dividend, nodes.BinOp) and dividend.op == "+":
        less_one = dividend.right
        return (
            isinstance(less_one, nodes.BinOp)
            and less_one.op == "-"
            and _is_one(less_one.right)
            and source_text(less_one.left) == source_text(divisor)
        )
    return False


def _is_negated(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.UnaryOp) and node.op == "-"


def _is_one(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.Const) and node.value == 1 and not isinstance(node.value, bool)


def _at_least_one(call: nodes.Call) -> nodes.NodeNG | None:
    """`max(1, count)` (or `max(count, 0)`), the guard against zero steps: the count it guards."""
    if len(call.args) != 2 or call.keywords:
        return None
    constants = [argument for argument in call.args if isinstance(argument, nodes.Const)]
    if len(constants) != 1 or constants[0].value not in (0, 1) or isinstance(constants[0].value, bool):
        return None
    return next(argument for argument in call.args if argument is not constants[0])


def _callee_name(call: nodes.Call, resolver: Resolver) -> str:
    callee = resolver.follow(call.func)
    if isinstance(callee, External):
        return callee.qualname
    return "" if callee is not None else _plain_name(call.func)


def _augmented(binding: nodes.NodeNG | None) -> bool:
    return isinstance(binding, nodes.AssignName) and isinstance(binding.parent, nodes.AugAssign)


def _constant(node: nodes.Const) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
    value = node.value
    if value is None:
        return ValueType.NONE, None, None, node
    if isinstance(value, bool):
        return ValueType.UNKNOWN, None, None, node
    if isinstance(value, int):
        return ValueType.INT, value, None, node
    if isinstance(value, float):
        return ValueType.FLOAT, value, f"`{value!r}` is a float constant", node
    return ValueType.UNKNOWN, None, None, node


def _apply_integer(name: str, number: int | float) -> int | None:
    import math

    try:
        if name == "math.ceil":
            return math.ceil(number)
        if name == "math.floor":
            return math.floor(number)
        if name == "round":
            return round(number)
        return int(number)
    except (OverflowError, ValueError):
        return None


def _is_expression(node: nodes.NodeNG) -> bool:
    return not isinstance(node, (nodes.FunctionDef, nodes.ClassDef, nodes.Module))


# NumPy functions that make an array of a stated shape: where the shape (or the length) is written, as
# (position, keyword). `arange(n)` has length n.
SIZED_ARRAYS: dict[str, tuple[int, str]] = {
    "numpy.zeros": (0, "shape"),
    "numpy.ones": (0, "shape"),
    "numpy.empty": (0, "shape"),
    "numpy.full": (0, "shape"),
    "numpy.random.rand": (0, ""),
    "numpy.random.randn": (0, ""),
    "numpy.random.random": (0, "size"),
    "numpy.random.random_sample": (0, "size"),
    "numpy.random.randint": (2, "size"),
    "numpy.random.uniform": (2, "size"),
    "numpy.random.normal": (2, "size"),
    "numpy.arange": (0, ""),
}


def _stated_size(qualname: str, call: nodes.Call) -> nodes.NodeNG | None:
    """Where a NumPy constructor call states its shape or length, if it does."""
    if qualname not in SIZED_ARRAYS:
        return None
    position, keyword = SIZED_ARRAYS[qualname]
    if qualname == "numpy.arange" and (len(call.args) != 1 or call.keywords):
        return None  # `arange(a, b, step)`: not worth the arithmetic
    return call_argument(call, position, keyword)


def _plain_name(func: nodes.NodeNG) -> str:
    return func.name if isinstance(func, nodes.Name) else ""


def _short_numpy(node: nodes.Call) -> str:
    func = node.func.as_string()
    return f"{func}(…)"
