"""Evaluating epochs and step counts: their type (int / float) and, where known, their value."""

from __future__ import annotations

import operator
from collections.abc import Callable

from astroid import nodes

from genlint.analysis.model import Value, ValueType
from genlint.analysis.resolve import External, Resolver

INT_FUNCTIONS = frozenset(
    {"int", "len", "round", "math.ceil", "math.floor", "math.trunc", "math.isqrt", "operator.floordiv"}
)
NUMPY_FLOAT_FUNCTIONS = frozenset({"ceil", "floor", "round", "trunc", "rint", "true_divide", "divide"})
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

    def evaluate(self, argument: nodes.NodeNG) -> Value:
        """Evaluate the expression passed at a call, following names to what they were assigned."""
        kind, number, reason, final = self._evaluate(argument, 0)
        return Value(argument, kind, number, _text(final), reason)

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
            return ValueType.FLOAT, number, f"{left_reason or right_reason}, so `{_text(node)}` is one too", node
        if left_kind is ValueType.INT and right_kind is ValueType.INT:
            return ValueType.INT, number, None, node
        return ValueType.UNKNOWN, None, None, node

    def _call(self, node: nodes.Call, depth: int) -> tuple[ValueType, int | float | None, str | None, nodes.NodeNG]:
        callee = self.resolver.follow(node.func)
        name = callee.qualname if isinstance(callee, External) else _plain_name(node.func)
        if callee is not None and not isinstance(callee, External):
            return ValueType.UNKNOWN, None, None, node  # a project function: its result is not followed
        if name in INT_FUNCTIONS and not (name == "round" and len(node.args) > 1):
            number = None
            if node.args and name in ("int", "math.ceil", "math.floor", "round"):
                _, inner, _, _ = self._evaluate(node.args[0], depth + 1)
                if inner is not None:
                    number = _apply_integer(name, inner)
            return ValueType.INT, number, None, node
        if name == "float":
            return ValueType.FLOAT, None, f"`{_text(node)}` is a float", node
        if isinstance(callee, External) and callee.root == "numpy" and callee.last in NUMPY_FLOAT_FUNCTIONS:
            return ValueType.FLOAT, None, f"`{_short_numpy(node)}` returns a NumPy float", node
        return ValueType.UNKNOWN, None, None, node


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


def _plain_name(func: nodes.NodeNG) -> str:
    return func.name if isinstance(func, nodes.Name) else ""


def _short_numpy(node: nodes.Call) -> str:
    func = node.func.as_string()
    return f"{func}(…)"


def _text(node: nodes.NodeNG) -> str:
    try:
        return " ".join(node.as_string().split())
    except Exception:  # astroid cannot render every synthetic node
        return "…"
