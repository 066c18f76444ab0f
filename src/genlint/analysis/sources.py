"""Resolving a data argument to a DataSource: a generator call, a generator expression, or unknown."""

from __future__ import annotations

from astroid import nodes

from genlint.analysis.generators import (
    GeneratorAnalyzer,
    function_body_nodes,
    is_generator_function,
    single_return,
    swallows,
)
from genlint.analysis.model import DataSource, Finiteness, GeneratorFunction, SequenceClass, SourceKind
from genlint.analysis.resolve import KERAS_ROOTS, MAX_DEPTH, External, Resolver

PARTIAL = frozenset({"functools.partial"})
SEQUENCE_BASES = frozenset({"Sequence", "PyDataset"})


class SourceResolver:
    def __init__(self, resolver: Resolver, generators: GeneratorAnalyzer) -> None:
        self.resolver = resolver
        self.generators = generators

    def resolve(self, argument: nodes.NodeNG) -> DataSource:
        unknown = DataSource(SourceKind.UNKNOWN, argument, _text(argument))
        target = self.resolver.follow(argument)
        if isinstance(target, nodes.FunctionDef) and is_generator_function(target):
            facts = self.generators.facts(target)
            return DataSource(
                SourceKind.GENERATOR_FUNCTION, argument, target.name, facts, facts.finiteness, facts.yields
            )
        if not isinstance(target, nodes.NodeNG) or isinstance(target, (nodes.Module, nodes.ClassDef)):
            return unknown
        if isinstance(target, nodes.GeneratorExp):
            return self._expression_source(argument, target, target)
        if isinstance(target, nodes.Call):
            return (
                self._call_source(argument, target, 0)
                or self._sequence_source(argument, target)
                or self._dataset_source(argument, target)
                or unknown
            )
        return unknown

    def _sequence_source(self, argument: nodes.NodeNG, call: nodes.Call) -> DataSource | None:
        """An instance of a project `Sequence` / `PyDataset` subclass."""
        classdef = self.resolver.follow(call.func)
        if not isinstance(classdef, nodes.ClassDef):
            return None
        if not any(
            base.last in SEQUENCE_BASES and base.root in KERAS_ROOTS for base in self.resolver.external_bases(classdef)
        ):
            return None
        getitem = self.resolver.class_member(classdef, "__getitem__")
        getitem = getitem if isinstance(getitem, nodes.FunctionDef) else None
        handlers = (
            tuple(
                node
                for node in function_body_nodes(getitem)
                if isinstance(node, nodes.ExceptHandler) and swallows(node)
            )
            if getitem is not None
            else ()
        )
        sequence = SequenceClass(classdef.name, classdef.root().file or "", classdef, getitem, handlers)
        return DataSource(SourceKind.SEQUENCE, argument, _text(call), None, Finiteness.FINITE, sequence=sequence)

    def _dataset_source(self, argument: nodes.NodeNG, call: nodes.Call) -> DataSource | None:
        """A `tf.data` pipeline: infinite when it ends in `.repeat()` with no count (and no `.take()` after)."""
        finiteness: Finiteness | None = None
        node: nodes.NodeNG | None = call
        for _ in range(MAX_DEPTH * 4):
            if isinstance(node, (nodes.Name, nodes.Attribute)) and not isinstance(node, nodes.Call):
                followed = self.resolver.follow(node)
                if isinstance(followed, External):
                    break
                node = followed if isinstance(followed, nodes.Call) else None
            if not isinstance(node, nodes.Call) or not isinstance(node.func, nodes.Attribute):
                break
            method = node.func.attrname
            if finiteness is None and method == "take":
                finiteness = Finiteness.UNKNOWN
            if finiteness is None and method == "repeat":
                endless = not node.args or (isinstance(node.args[0], nodes.Const) and node.args[0].value in (None, -1))
                finiteness = Finiteness.INFINITE if endless else Finiteness.FINITE
            root = self.resolver.follow(node.func)
            if isinstance(root, External):
                if root.root == "tensorflow" and finiteness is not None:
                    return DataSource(SourceKind.DATASET, argument, _text(call), None, finiteness)
                return None
            node = node.func.expr
        return None

    def _call_source(self, argument: nodes.NodeNG, call: nodes.Call, depth: int) -> DataSource | None:
        """A call of a generator function (directly, through `functools.partial`, or a factory's return)."""
        if depth > MAX_DEPTH:
            return None
        function, bound_arguments = self._called_function(call)
        if function is None:
            return None
        if is_generator_function(function):
            facts = self.generators.facts(function)
            finiteness = self._call_finiteness(facts, bound_arguments)
            return DataSource(SourceKind.GENERATOR_CALL, argument, _text(call), facts, finiteness, facts.yields)
        returned = single_return(function)
        if returned is not None:
            target = self.resolver.follow(returned)
            if isinstance(target, nodes.Call):
                return self._call_source(argument, target, depth + 1)
            if isinstance(target, nodes.GeneratorExp):
                return self._expression_source(argument, target, call)
        return None

    def _expression_source(
        self, argument: nodes.NodeNG, expression: nodes.GeneratorExp, shown: nodes.NodeNG
    ) -> DataSource:
        finiteness = self.generators.comprehension_finiteness(expression)
        element = self.generators.element_fact(expression)
        return DataSource(SourceKind.GENERATOR_EXPRESSION, argument, _text(shown), None, finiteness, (element,))

    def _called_function(self, call: nodes.Call) -> tuple[nodes.FunctionDef | None, dict[str, nodes.NodeNG] | None]:
        """The project function a call runs, with its arguments by parameter name (None if not bindable)."""
        callee = self.resolver.follow(call.func)
        if isinstance(callee, nodes.Call):  # `partial(gen, a)(b)` or `g = partial(gen, a); g(b)`
            inner = self.resolver.follow(callee.func)
            if isinstance(inner, External) and inner.qualname in PARTIAL and callee.args:
                function = self.resolver.follow(callee.args[0])
                if isinstance(function, nodes.FunctionDef):
                    arguments = [*callee.args[1:], *call.args]
                    keywords = [*(callee.keywords or []), *(call.keywords or [])]
                    return function, bind_arguments(function, arguments, keywords)
            return None, None
        if isinstance(callee, nodes.FunctionDef):
            return callee, bind_call(callee, call)
        return None, None

    def _call_finiteness(self, facts: GeneratorFunction, bound_arguments: dict[str, nodes.NodeNG] | None) -> Finiteness:
        """A generator that loops over a parameter is as finite as what the caller passes for it."""
        if facts.finiteness is not Finiteness.UNKNOWN or not facts.iterated_parameters:
            return facts.finiteness
        if bound_arguments is None or facts.unbounded_loop is not None:
            return Finiteness.UNKNOWN
        results = []
        for name in facts.iterated_parameters:
            value = bound_arguments.get(name)
            if value is None:
                return Finiteness.UNKNOWN
            results.append(self.generators.iterable_finiteness(value))
        if all(result is Finiteness.FINITE for result in results):
            return Finiteness.FINITE
        if all(result is Finiteness.INFINITE for result in results):
            return Finiteness.INFINITE
        return Finiteness.UNKNOWN


def bind_call(function: nodes.FunctionDef, call: nodes.Call) -> dict[str, nodes.NodeNG] | None:
    return bind_arguments(function, call.args, call.keywords or [])


def bind_arguments(
    function: nodes.FunctionDef, args: list[nodes.NodeNG], keywords: list[nodes.Keyword]
) -> dict[str, nodes.NodeNG] | None:
    """Map parameter names to argument expressions; None when `*args` / `**kwargs` hide some."""
    if any(isinstance(argument, nodes.Starred) for argument in args):
        return None
    if any(keyword.arg is None for keyword in keywords):
        return None
    arguments = function.args
    positional = [argument.name for argument in (arguments.posonlyargs or []) + (arguments.args or [])]
    if function.is_method() and positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    bound: dict[str, nodes.NodeNG] = {}
    for name, value in zip(positional, args, strict=False):  # extra arguments go to *args
        bound[name] = value
    for keyword in keywords:
        if keyword.arg is not None:
            bound[keyword.arg] = keyword.value
    return bound


def _text(node: nodes.NodeNG) -> str:
    try:
        text = " ".join(node.as_string().split())
    except Exception:  # astroid cannot render every synthetic node
        return "…"
    return text if len(text) <= 60 else text[:59] + "…"
