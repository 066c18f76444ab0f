"""Resolving a data argument to a DataSource: a generator call, a generator expression, or unknown."""

from __future__ import annotations

import dataclasses

from astroid import nodes

from genlint.analysis.generators import GeneratorAnalyzer, is_generator_function, single_return
from genlint.analysis.model import DataSource, Finiteness, GeneratorFunction, SourceKind, source_text
from genlint.analysis.resolve import MAX_DEPTH, External, Resolved, Resolver
from genlint.analysis.sequences import SequenceAnalyzer
from genlint.analysis.values import call_data_names

PARTIAL = frozenset({"functools.partial"})
SHOWN_LENGTH = 60  # longest source text a DataSource keeps for messages
# Builtins whose result is always an iterator object, never a generator (Keras 3 accepts only generators).
BUILTIN_ITERATORS = frozenset({"zip", "map", "filter", "enumerate", "reversed"})
# `itertools` functions that return iterator objects (`tee` returns a tuple and is left out).
ITERTOOLS_ITERATORS = frozenset(
    {
        "accumulate", "batched", "chain", "combinations", "combinations_with_replacement", "compress", "count",
        "cycle", "dropwhile", "filterfalse", "groupby", "islice", "pairwise", "permutations", "product", "repeat",
        "starmap", "takewhile", "zip_longest",
    }
)  # fmt: skip
# Calls whose result is a plain container: `iter()` over one gives a list/tuple/range iterator.
CONTAINER_CALLS = frozenset({"list", "tuple", "range", "sorted", "dict", "set", *BUILTIN_ITERATORS})
CONTAINER_NODES = (nodes.List, nodes.Tuple, nodes.Set, nodes.Dict, nodes.ListComp, nodes.SetComp, nodes.DictComp)
# Bases that leave a class with `__next__` a plain iterator, which Keras 3 has no adapter for.
PLAIN_ITERATOR_BASES = frozenset(
    {
        "object", "collections.abc.Iterator", "collections.abc.Iterable", "typing.Iterator", "typing.Iterable",
        "typing.Generic", "abc.ABC", "six.Iterator",
    }
)  # fmt: skip


class SourceResolver:
    def __init__(self, resolver: Resolver, generators: GeneratorAnalyzer) -> None:
        self.resolver = resolver
        self.generators = generators
        self.sequences = SequenceAnalyzer(resolver, generators)

    def resolve(self, argument: nodes.NodeNG) -> DataSource:
        target = self.resolver.follow(argument)
        source = self._resolve(argument, target)
        if source.kind in (SourceKind.GENERATOR_CALL, SourceKind.SEQUENCE) and isinstance(target, nodes.Call):
            source = dataclasses.replace(source, built_from=call_data_names(target, self.resolver))
        if isinstance(target, nodes.NodeNG) and source.kind is not SourceKind.UNKNOWN:
            return dataclasses.replace(source, origin=target)
        return source

    def _resolve(self, argument: nodes.NodeNG, target: Resolved) -> DataSource:
        unknown = DataSource(SourceKind.UNKNOWN, argument, source_text(argument, SHOWN_LENGTH))
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
                or self._iterator_source(argument, target)
                or unknown
            )
        return unknown

    def _sequence_source(self, argument: nodes.NodeNG, call: nodes.Call, depth: int = 0) -> DataSource | None:
        """An instance of a project `Sequence` / `PyDataset` subclass, made directly or by a factory function."""
        callee = self.resolver.follow(call.func)
        if isinstance(callee, nodes.FunctionDef) and depth < MAX_DEPTH:  # `make_dataset("train")`
            returned = single_return(callee)
            target = self.resolver.follow(returned) if returned is not None else None
            return self._sequence_source(argument, target, depth + 1) if isinstance(target, nodes.Call) else None
        if not isinstance(callee, nodes.ClassDef):
            return None
        sequence = self.sequences.facts(callee)
        if sequence is None:
            return None
        return DataSource(
            SourceKind.SEQUENCE, argument, source_text(call, SHOWN_LENGTH), None, Finiteness.FINITE, sequence=sequence
        )

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
                if _is_from_generator(root):
                    return self._from_generator_source(
                        argument, node, finiteness or Finiteness.UNKNOWN, source_text(call, SHOWN_LENGTH)
                    )
                if root.root == "tensorflow" and finiteness is not None:
                    return DataSource(SourceKind.DATASET, argument, source_text(call, SHOWN_LENGTH), None, finiteness)
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
        wrapped = self._decorated_iterator(argument, call, function)
        if wrapped is not None:
            return wrapped
        if is_generator_function(function):
            facts = self.generators.facts(function)
            finiteness = self._call_finiteness(facts, bound_arguments)
            return DataSource(
                SourceKind.GENERATOR_CALL, argument, source_text(call, SHOWN_LENGTH), facts, finiteness, facts.yields
            )
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
        return DataSource(
            SourceKind.GENERATOR_EXPRESSION, argument, source_text(shown, SHOWN_LENGTH), None, finiteness, (element,)
        )

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

    # --- iterators that are not generators (GEN209) -------------------------------------------------

    def _iterator_source(self, argument: nodes.NodeNG, call: nodes.Call) -> DataSource | None:
        """A `zip`/`map`/`filter`/`iter(…)`/`itertools` object, or an instance of a project iterator class."""
        callee = self.resolver.follow(call.func)
        if isinstance(callee, nodes.ClassDef):
            return self._iterator_instance(argument, call, callee)
        if not isinstance(callee, External):
            return None
        name = callee.qualname
        itertools_name = name.split(".")[1] if name.startswith("itertools.") else ""
        if name in BUILTIN_ITERATORS or itertools_name in ITERTOOLS_ITERATORS:
            return DataSource(SourceKind.ITERATOR, argument, source_text(call, SHOWN_LENGTH), iterator_type=name)
        if name == "iter" and self._iterates_container(call):
            return DataSource(SourceKind.ITERATOR, argument, source_text(call, SHOWN_LENGTH), iterator_type=name)
        return None

    def _iterates_container(self, call: nodes.Call) -> bool:
        """`iter(callable, sentinel)`, or `iter()` over a list, tuple, range… (`iter(generator)` is the generator)."""
        if call.keywords or any(isinstance(argument, nodes.Starred) for argument in call.args):
            return False
        if len(call.args) == 2:
            return True
        if len(call.args) != 1:
            return False
        target = self.resolver.follow(call.args[0])
        if isinstance(target, CONTAINER_NODES):
            return True
        if isinstance(target, nodes.Call):
            callee = self.resolver.follow(target.func)
            return isinstance(callee, External) and callee.qualname in CONTAINER_CALLS
        return False

    def _iterator_instance(
        self, argument: nodes.NodeNG, call: nodes.Call, classdef: nodes.ClassDef
    ) -> DataSource | None:
        """An instance of a project class with `__next__` whose bases are all known plain classes."""
        if not isinstance(self.resolver.class_member(classdef, "__next__"), nodes.FunctionDef):
            return None
        if not self._plain_bases(classdef, 0):
            return None
        return DataSource(
            SourceKind.ITERATOR,
            argument,
            source_text(call, SHOWN_LENGTH),
            iterator_type=classdef.name,
            iterator_class=classdef,
        )

    def _plain_bases(self, classdef: nodes.ClassDef, depth: int) -> bool:
        """True when every base, through project bases, is `object` or an iterator ABC: nothing Keras adapts."""
        if depth > MAX_DEPTH:
            return False
        for base in classdef.bases:
            resolved = self.resolver.follow(base.value if isinstance(base, nodes.Subscript) else base)
            if isinstance(resolved, nodes.ClassDef) and resolved is not classdef:
                if not self._plain_bases(resolved, depth + 1):
                    return False
            elif not (isinstance(resolved, External) and resolved.qualname in PLAIN_ITERATOR_BASES):
                return False
        return True

    def _decorated_iterator(
        self, argument: nodes.NodeNG, call: nodes.Call, function: nodes.FunctionDef
    ) -> DataSource | None:
        """A generator function under a project decorator that wraps its generator in an iterator class
        (the `@threadsafe_generator` recipe): calling it gives that class's instance, not a generator."""
        if function.decorators is None:
            return None
        for decorator in function.decorators.nodes:
            wrapper = self._returned(self.resolver.follow(decorator))
            if isinstance(wrapper, nodes.FunctionDef):
                wrapper = self._returned(wrapper)
            elif isinstance(wrapper, nodes.Lambda):
                wrapper = self.resolver.follow(wrapper.body)
            if isinstance(wrapper, nodes.Call):
                classdef = self.resolver.follow(wrapper.func)
                if isinstance(classdef, nodes.ClassDef):
                    return self._iterator_instance(argument, call, classdef)
        return None

    def _returned(self, function: Resolved) -> Resolved:
        """What a project function's only `return` gives, followed through names."""
        if not isinstance(function, nodes.FunctionDef):
            return None
        returned = single_return(function)
        return self.resolver.follow(returned) if returned is not None else None

    # --- tf.data.Dataset.from_generator (GEN503) ---------------------------------------------------

    def generator_datasets(self, module: nodes.Module) -> tuple[DataSource, ...]:
        """Every `tf.data.Dataset.from_generator(…)` call in a module, whether or not it reaches a consumer."""
        found = []
        for call in module.nodes_of_class(nodes.Call):
            if isinstance(call.func, nodes.Attribute) and call.func.attrname == "from_generator":
                callee = self.resolver.follow(call.func)
                if isinstance(callee, External) and _is_from_generator(callee):
                    found.append(
                        self._from_generator_source(call, call, Finiteness.UNKNOWN, source_text(call, SHOWN_LENGTH))
                    )
        return tuple(found)

    def _from_generator_source(
        self, argument: nodes.NodeNG, call: nodes.Call, finiteness: Finiteness, text: str
    ) -> DataSource:
        """A `from_generator` pipeline, with the facts of the generator that its callable returns."""
        given = _call_argument(call, 0, "generator")
        generator, generator_object = self._callable_facts(given) if given is not None else (None, None)
        return DataSource(SourceKind.DATASET, argument, text, generator, finiteness, generator_object=generator_object)

    def _callable_facts(self, given: nodes.NodeNG) -> tuple[GeneratorFunction | None, DataSource | None]:
        """What tf.data calls once per epoch: the generator function's facts; or, when `given` is a generator
        object rather than a callable (directly or returned by a `lambda`), that object."""
        target = self.resolver.follow(given)
        if isinstance(target, nodes.Lambda):
            body = target.body
            returned = self.resolver.follow(body)
            if isinstance(body, (nodes.Name, nodes.Attribute)) and isinstance(returned, nodes.NodeNG):
                shared = self._generator_object(target, returned)  # `lambda: g`: the same object every epoch
                if shared is not None:
                    return shared.generator, shared
            fresh = self._generator_object(given, body) if isinstance(body, nodes.Call) else None
            return (fresh.generator if fresh is not None else None), None
        if isinstance(target, nodes.FunctionDef):
            if is_generator_function(target):
                return self.generators.facts(target), None
            fresh = self._generator_object(given, self._returned(target))
            return (fresh.generator if fresh is not None else None), None
        given_object = self._generator_object(given, target)
        if given_object is not None:
            return given_object.generator, given_object
        return self._partial_facts(target), None  # `functools.partial(batches, x, y)` is a callable

    def _generator_object(self, argument: nodes.NodeNG, target: Resolved) -> DataSource | None:
        """The generator object that `target` (a call or a generator expression) creates, if it is one."""
        if isinstance(target, nodes.GeneratorExp):
            return dataclasses.replace(self._expression_source(argument, target, target), origin=target)
        if isinstance(target, nodes.Call):
            source = self._call_source(argument, target, 0)
            if source is not None and source.kind is SourceKind.GENERATOR_CALL:
                return dataclasses.replace(source, origin=target)
        return None

    def _partial_facts(self, target: Resolved) -> GeneratorFunction | None:
        """`functools.partial(generator_function, …)`: the function's facts."""
        if not isinstance(target, nodes.Call) or not target.args:
            return None
        callee = self.resolver.follow(target.func)
        if not (isinstance(callee, External) and callee.qualname in PARTIAL):
            return None
        function = self.resolver.follow(target.args[0])
        return (
            self.generators.facts(function)
            if isinstance(function, nodes.FunctionDef) and is_generator_function(function)
            else None
        )


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


def _is_from_generator(callee: External) -> bool:
    """`tf.data.Dataset.from_generator`, however it was imported."""
    return callee.root == "tensorflow" and callee.qualname.endswith("Dataset.from_generator")


def _call_argument(call: nodes.Call, position: int, keyword: str) -> nodes.NodeNG | None:
    """The argument passed at `position` or as `keyword=`, when it is written out."""
    if len(call.args) > position and not any(isinstance(arg, nodes.Starred) for arg in call.args[: position + 1]):
        return call.args[position]
    for passed in call.keywords or []:
        if passed.arg == keyword:
            return passed.value
    return None
