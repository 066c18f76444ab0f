"""Resolving a data argument to a DataSource: a generator call, a generator expression, or unknown."""

from __future__ import annotations

import dataclasses

from astroid import nodes

from genlint.analysis.generators import GeneratorAnalyzer, is_generator_function, single_return
from genlint.analysis.model import DataSource, Finiteness, GeneratorFunction, SourceKind, source_text
from genlint.analysis.resolve import (
    MAX_DEPTH,
    External,
    Resolved,
    Resolver,
    call_argument,
    is_image_flow,
    is_keras_name,
    is_property,
)
from genlint.analysis.sequences import SequenceAnalyzer
from genlint.analysis.values import call_data_names, data_name, expression

PARTIAL = frozenset({"functools.partial"})
BATCH_METHODS = frozenset({"batch", "padded_batch"})
# `tf.data` methods that keep every element as one element (or repeat them all), so a `.batch(b)` among them
# makes one batch of each `b` elements of the pipeline's origin.
ELEMENTWISE_DATASET_METHODS = frozenset({"map", "shuffle", "prefetch", "cache", "repeat", "with_options"})
SHOWN_LENGTH = 60  # longest source text a DataSource keeps for messages
# Keras utilities that return a batched `tf.data.Dataset` (on every backend).
KERAS_DATASET_UTILITIES = frozenset(
    {
        "image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory",
        "timeseries_dataset_from_array",
    }
)  # fmt: skip
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
# Where each `ImageDataGenerator` method takes `batch_size` positionally.
IMAGE_FLOW_BATCH_POSITIONS = {"flow": 2, "flow_from_directory": 5, "flow_from_dataframe": 9}
# Methods that let Keras or Python iterate an object without calling it.
ITERATION_METHODS = ("__iter__", "__next__", "__getitem__", "__len__")
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
        unpacked = self.resolver.unpacked_return(argument) if target is None else None
        if unpacked is not None:
            # Seen from inside the factory: its data names are not the caller's, and one factory called twice
            # gives two objects from one expression, so neither names nor origin are kept.
            return dataclasses.replace(self._resolve(argument, unpacked), origin=None, built_from=())
        source = self._resolve(argument, target)
        if source.kind in (SourceKind.GENERATOR_CALL, SourceKind.SEQUENCE) and isinstance(target, nodes.Call):
            source = dataclasses.replace(source, built_from=call_data_names(target, self.resolver))
        if isinstance(target, nodes.NodeNG) and source.kind is not SourceKind.UNKNOWN:
            return dataclasses.replace(source, origin=target)
        return source

    def _resolve(self, argument: nodes.NodeNG, target: Resolved) -> DataSource:
        unknown = DataSource(SourceKind.UNKNOWN, argument, source_text(argument, SHOWN_LENGTH))
        if isinstance(target, nodes.FunctionDef) and is_property(target):
            return unknown  # `loader.stream` runs the getter: the data is what it returns, not the function
        if isinstance(target, nodes.FunctionDef) and is_generator_function(target):
            facts = self.generators.facts(target)
            return DataSource(
                SourceKind.GENERATOR_FUNCTION, argument, target.name, facts, facts.finiteness, facts.yields
            )
        if not isinstance(target, nodes.NodeNG) or isinstance(target, (nodes.Module, nodes.ClassDef)):
            return unknown
        if isinstance(target, nodes.GeneratorExp):
            return self._expression_source(argument, target, target)
        partial = self._partial_facts(target)
        if partial is not None:  # `functools.partial(batches, x, y)` is still a function, not its generator
            text = source_text(target, SHOWN_LENGTH)
            return DataSource(
                SourceKind.GENERATOR_FUNCTION, argument, text, partial, partial.finiteness, partial.yields
            )
        if isinstance(target, nodes.Call):
            return (
                self._call_source(argument, target, 0)
                or self._sequence_source(argument, target)
                or self._dataset_source(argument, target)
                or self._iterator_source(argument, target)
                or self._image_flow_source(argument, target)
                or self._callable_instance(argument, target)
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
        methods: list[nodes.Call] = []  # the pipeline's method calls, from the consumer back to its origin
        factories: list[tuple[nodes.FunctionDef, nodes.Call]] = []  # project functions that returned the pipeline
        for _ in range(MAX_DEPTH * 4):
            if isinstance(node, (nodes.Name, nodes.Attribute)) and not isinstance(node, nodes.Call):
                followed = self.resolver.follow(node)
                if isinstance(followed, External):
                    break
                node = followed if isinstance(followed, nodes.Call) else None
            factory = self._pipeline_factory(node) if len(factories) < MAX_DEPTH else None
            if factory is not None:  # `get_training_dataset()`: go on from the pipeline it returns
                factories.append((factory, node))
                node = single_return(factory)
                continue
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
                source = None
                if _is_from_generator(root):
                    source = self._from_generator_source(argument, node, finiteness, source_text(call, SHOWN_LENGTH))
                elif (root.root == "tensorflow" and finiteness is not None) or _makes_dataset(root):
                    # a pipeline with no `.repeat()` makes one pass per epoch, and starts afresh for the next
                    finiteness = Finiteness.FINITE if finiteness is None else finiteness
                    source = DataSource(SourceKind.DATASET, argument, source_text(call, SHOWN_LENGTH), None, finiteness)
                batch_call = _grouping_batch(methods, self.resolver)
                if source is None or batch_call is None:
                    return source
                names = _origin_data_names(node, root)
                for function, factory_call in reversed(factories):  # innermost factory first
                    names = self._caller_data_names(names, function, factory_call)
                return dataclasses.replace(source, batch_call=batch_call, built_from=names)
            methods.append(node)
            node = node.func.expr
        return None

    def _pipeline_factory(self, node: nodes.NodeNG | None) -> nodes.FunctionDef | None:
        """The project function (or method) a call runs, when its one `return` hands back what it built:
        `get_training_dataset()`, `loader.create_dataset()`. Generator functions are data sources themselves."""
        if not isinstance(node, nodes.Call):
            return None
        callee = self.resolver.follow(node.func)
        if not isinstance(callee, nodes.FunctionDef) or is_generator_function(callee):
            return None
        return callee if single_return(callee) is not None else None

    def _caller_data_names(
        self, names: tuple[str, ...], function: nodes.FunctionDef, call: nodes.Call
    ) -> tuple[str, ...]:
        """Data names seen inside a factory, as its caller names them: a parameter becomes the argument passed
        for it (`make_ds(x_val, y_val)`), a module-level name stays; the factory's own locals mean nothing to
        the caller and are left out."""
        bound = bind_call(function, call) or {}
        translated = []
        for name in names:
            root = name.split(".", 1)[0]
            if root in bound:
                passed = data_name(bound[root])
                if passed is not None and "." not in name:
                    translated.append(passed)
            elif root not in function.locals:
                translated.append(name)
        return tuple(dict.fromkeys(translated))

    def _image_flow_source(self, argument: nodes.NodeNG, call: nodes.Call) -> DataSource | None:
        """`ImageDataGenerator(…).flow(x, y, batch_size=b)` (or `.flow_from_directory(…)`,
        `.flow_from_dataframe(…)`): Keras's iterator over batches of `x` and `y`, or of image files. The name
        it is passed by is data it is built from too: `steps_per_epoch=train_it.samples` counts it."""
        if not is_image_flow(call, self.resolver, frozenset(IMAGE_FLOW_BATCH_POSITIONS)):
            return None
        method = call.func.attrname
        size = call_argument(call, IMAGE_FLOW_BATCH_POSITIONS[method], "batch_size")  # 32 when not given
        if size is not None and _is_constant_one(expression(size, self.resolver)):
            return None
        data = [call_argument(call, 0, "x"), call_argument(call, 1, "y")] if method == "flow" else []
        data.append(argument if isinstance(argument, nodes.Name) else None)
        names = tuple(dict.fromkeys(name for name in map(data_name, filter(None, data)) if name is not None))
        text = source_text(call, SHOWN_LENGTH)
        # a `PyDataset` (Keras 3) or `Sequence` (tf.keras) of known length: one pass per epoch
        finite = Finiteness.FINITE
        return DataSource(SourceKind.IMAGE_ITERATOR, argument, text, None, finite, batch_call=call, built_from=names)

    def _call_source(self, argument: nodes.NodeNG, call: nodes.Call, depth: int) -> DataSource | None:
        """A call of a generator function (directly, through `functools.partial`, or a factory's return)."""
        if depth > MAX_DEPTH:
            return None
        wrapper = self.resolver.follow(call.func)
        if isinstance(wrapper, nodes.Lambda) and isinstance(wrapper.body, nodes.Call):
            return self._call_source(argument, wrapper.body, depth + 1)  # `make = lambda: batches(x)`; `make()`
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
            if isinstance(inner, nodes.ClassDef):  # `stream = Batches(x, y); stream(32)` runs `__call__`
                method = self.resolver.class_member(inner, "__call__")
                if isinstance(method, nodes.FunctionDef):
                    return method, bind_call(method, call)
            made = self._returned(inner)  # `stream = make_stream(x); stream()`: the function a factory returns
            if isinstance(made, nodes.FunctionDef):
                return made, bind_call(made, call)
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

    def _callable_instance(self, argument: nodes.NodeNG, call: nodes.Call) -> DataSource | None:
        """`Stream(x)`, an instance of a plain project class whose `__call__` is a generator method and that
        has no iteration protocol: like a generator function, it gives a generator only when called."""
        classdef = self.resolver.follow(call.func)
        if not isinstance(classdef, nodes.ClassDef) or not self._plain_bases(classdef, 0):
            return None
        method = self.resolver.class_member(classdef, "__call__")
        if not isinstance(method, nodes.FunctionDef) or not is_generator_function(method):
            return None
        if any(self.resolver.class_member(classdef, name) is not None for name in ITERATION_METHODS):
            return None
        facts = self.generators.facts(method)
        text = source_text(call, SHOWN_LENGTH)
        return DataSource(SourceKind.GENERATOR_FUNCTION, argument, text, facts, facts.finiteness, facts.yields)

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
        self, argument: nodes.NodeNG, call: nodes.Call, finiteness: Finiteness | None, text: str
    ) -> DataSource:
        """A `from_generator` pipeline, with the facts of the generator that its callable returns.

        `finiteness`: what `.repeat()` / `.take()` after it decide, None when neither follows; then the pipeline
        never ends when its generator never does (each epoch calls the callable again, so a finite generator
        does not make a finite pipeline of one pass: that stays unknown)."""
        given = call_argument(call, 0, "generator")
        generator, generator_object = self._callable_facts(given) if given is not None else (None, None)
        if finiteness is None:
            # A generator object where a callable belongs fails in `from_generator` itself (GEN503).
            callable_given = generator_object is None or isinstance(generator_object.node, nodes.Lambda)
            endless = callable_given and generator is not None and generator.finiteness is Finiteness.INFINITE
            finiteness = Finiteness.INFINITE if endless else Finiteness.UNKNOWN
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
        made = self._made_generator_function(target)
        if made is not None:
            return self.generators.facts(made), None
        return self._partial_facts(target), None  # `functools.partial(batches, x, y)` is a callable

    def _made_generator_function(self, target: Resolved) -> nodes.FunctionDef | None:
        """The generator function that a call makes for tf.data to call: `make_stream(x)` returning its nested
        generator function, or `Stream(x)`, an instance whose `__call__` is a generator method."""
        if not isinstance(target, nodes.Call):
            return None
        callee = self.resolver.follow(target.func)
        if isinstance(callee, nodes.ClassDef):
            methods = callee.locals.get("__call__", [])
            made: Resolved = methods[0] if len(methods) == 1 else None
        else:
            made = self._returned(callee)
        return made if isinstance(made, nodes.FunctionDef) and is_generator_function(made) else None

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


def _makes_dataset(callee: External) -> bool:
    """A call that returns a `tf.data.Dataset`: `tf.data.Dataset.from_tensor_slices(…)`,
    `tf.data.TFRecordDataset(…)`, `keras.utils.image_dataset_from_directory(…)`."""
    return callee.qualname.startswith("tensorflow.data.") or (
        callee.last in KERAS_DATASET_UTILITIES and is_keras_name(callee.qualname)
    )


def _is_from_generator(callee: External) -> bool:
    """`tf.data.Dataset.from_generator`, however it was imported."""
    return callee.root == "tensorflow" and callee.qualname.endswith("Dataset.from_generator")


def _grouping_batch(methods: list[nodes.Call], resolver: Resolver) -> nodes.Call | None:
    """The one `.batch(b)` of a pipeline whose other steps keep its elements one for one (maps, shuffles,
    caches, prefetches, repeats), so that it groups the origin's elements `b` at a time; `b` is not 1."""
    batches = [method for method in methods if method.func.attrname in BATCH_METHODS]
    others = {method.func.attrname for method in methods} - BATCH_METHODS
    if len(batches) != 1 or not others <= ELEMENTWISE_DATASET_METHODS:
        return None
    size = call_argument(batches[0], 0, "batch_size")
    if size is None or _is_constant_one(expression(size, resolver)):
        return None
    return batches[0]


def _is_constant_one(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.Const) and node.value == 1


def _origin_data_names(origin: nodes.Call, callee: External) -> tuple[str, ...]:
    """The data whose elements a pipeline's origin streams one by one: `from_tensor_slices((x, y))` →
    ("x", "y"); `from_generator(lambda: rows)` → ("rows",), the iterable it walks each epoch."""
    if callee.qualname.endswith("Dataset.from_tensor_slices"):
        given = call_argument(origin, 0, "tensors")
        parts = (
            [value for _, value in given.items] if isinstance(given, nodes.Dict) else getattr(given, "elts", [given])
        )
        names = [data_name(part) for part in parts if part is not None]
    elif _is_from_generator(callee):
        given = call_argument(origin, 0, "generator")
        names = [data_name(given.body)] if isinstance(given, nodes.Lambda) and not given.args.args else []
    else:
        names = []
    return tuple(dict.fromkeys(name for name in names if name is not None))
