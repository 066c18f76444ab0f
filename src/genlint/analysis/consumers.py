"""Finding consumer calls (`fit`, `evaluate`, `predict`, legacy `*_generator`) and binding their arguments."""

from __future__ import annotations

import dataclasses
import enum

from astroid import nodes

from genlint.analysis.generators import GeneratorAnalyzer
from genlint.analysis.model import Argument, Consumer, DataSource, SourceKind, Value
from genlint.analysis.resolve import (
    MAX_DEPTH,
    NOT_KERAS_ROOTS,
    External,
    Parameter,
    Resolver,
    assigned_value,
    is_keras_name,
)
from genlint.analysis.sources import SourceResolver, bind_call
from genlint.analysis.values import ValueEvaluator

# Keras 3 signatures (positional order), and the Keras 2 legacy generator methods.
SIGNATURES: dict[str, tuple[str, ...]] = {
    "fit": (
        "x", "y", "batch_size", "epochs", "verbose", "callbacks", "validation_split", "validation_data",
        "shuffle", "class_weight", "sample_weight", "initial_epoch", "steps_per_epoch", "validation_steps",
        "validation_batch_size", "validation_freq",
    ),
    "evaluate": ("x", "y", "batch_size", "verbose", "sample_weight", "steps", "callbacks", "return_dict"),
    "predict": ("x", "batch_size", "verbose", "steps", "callbacks"),
    "fit_generator": (
        "generator", "steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data",
        "validation_steps", "validation_freq", "class_weight", "max_queue_size", "workers",
        "use_multiprocessing", "shuffle", "initial_epoch",
    ),
    "evaluate_generator": (
        "generator", "steps", "callbacks", "max_queue_size", "workers", "use_multiprocessing", "verbose",
    ),
    "predict_generator": (
        "generator", "steps", "callbacks", "max_queue_size", "workers", "use_multiprocessing", "verbose",
    ),
}  # fmt: skip
CONSUMER_METHODS = frozenset(SIGNATURES)
CUSTOM_STEPS = ("train_step", "test_step", "predict_step", "compute_loss")
EVALUATED_ARGUMENTS = (
    "epochs", "initial_epoch", "steps_per_epoch", "validation_steps", "steps", "validation_freq",
    "batch_size", "validation_batch_size", "validation_split", "workers", "max_queue_size",
)  # fmt: skip
FLAG_ARGUMENTS = ("shuffle", "use_multiprocessing")


# Libraries with models of their own; numpy, pandas, scipy and joblib sit in Keras scripts as often as not.
OTHER_MODEL_LIBRARIES = NOT_KERAS_ROOTS - {"numpy", "pandas", "scipy", "joblib"}
# Expressions that evaluate to an object, never to None.
NEVER_NONE = (
    nodes.List, nodes.Tuple, nodes.Set, nodes.Dict, nodes.ListComp, nodes.SetComp, nodes.DictComp,
    nodes.GeneratorExp, nodes.Lambda, nodes.BinOp, nodes.UnaryOp, nodes.Compare, nodes.Subscript,
    nodes.JoinedStr,
)  # fmt: skip


class ReceiverKind(enum.Enum):
    KERAS = "keras"
    OTHER = "other"  # certainly not a Keras model: sklearn, pandas, a project class with its own method
    UNKNOWN = "unknown"


class ConsumerFinder:
    def __init__(self, resolver: Resolver, generators: GeneratorAnalyzer) -> None:
        self.resolver = resolver
        self.sources = SourceResolver(resolver, generators)
        self.values = ValueEvaluator(resolver)
        self._call_sites: dict[int, list[nodes.Call]] = {}

    def find(self, module: nodes.Module) -> tuple[Consumer, ...]:
        consumers = []
        own_methods: set[str] | None = None
        for call in module.nodes_of_class(nodes.Call):
            func = call.func
            if not isinstance(func, nodes.Attribute) or func.attrname not in CONSUMER_METHODS:
                continue
            kind = self.receiver_kind(func.expr, func.attrname)
            doubtful = False
            if kind is ReceiverKind.UNKNOWN:
                own_methods = own_methods if own_methods is not None else _non_keras_methods(module)
                kind = ReceiverKind.OTHER if func.attrname in own_methods else kind
                doubtful = "*" in own_methods
            if kind is not ReceiverKind.OTHER:
                consumer = self._consumer(call, func.attrname, doubtful)
                consumers.extend(self._through_callers(consumer) or [consumer])
            else:
                consumers.extend(self._through_wrapper(call))
        return tuple(consumers)

    def _through_wrapper(self, call: nodes.Call) -> list[Consumer]:
        """`model.fit_generator(gen, steps_per_epoch=n / b)` where `model` is a project class whose own
        `fit_generator(self, generator, steps_per_epoch)` calls Keras with its parameters: the Keras calls in
        that method, with what this call passes for them (one level deep)."""
        method = self._wrapper_method(call.func)
        bound = bind_call(method, call) if method is not None else None
        if method is None or not bound:
            return []
        variants = []
        for inner in method.nodes_of_class(nodes.Call):
            func = inner.func
            if inner.frame() is not method or not isinstance(func, nodes.Attribute):
                continue
            if func.attrname not in CONSUMER_METHODS or inner is call:
                continue
            kind, doubtful = self.receiver_kind(func.expr, func.attrname), False
            if kind is ReceiverKind.UNKNOWN:  # as `find` judges it in the wrapper's own module
                own_methods = _non_keras_methods(method.root())
                kind = ReceiverKind.OTHER if func.attrname in own_methods else kind
                doubtful = "*" in own_methods
            if kind is ReceiverKind.OTHER:
                continue
            passed_on = _passed_on(inner, method, call, bound)
            binding = bind_values(*passed_on, SIGNATURES[func.attrname])
            consumer = self._consumer(inner, func.attrname, doubtful, binding)
            variant = self._forwarded(consumer, method, bound)
            if variant is not None:
                variants.append(variant)
        return variants

    def _wrapper_method(self, func: nodes.Attribute) -> nodes.FunctionDef | None:
        """The project method (or project module function) that `receiver.method` calls."""
        classdef = self.resolver.instance_class(func.expr)
        if classdef is not None:
            member = self.resolver.class_member(classdef, func.attrname)
        else:
            member = self.resolver.follow(func)
        return member if isinstance(member, nodes.FunctionDef) else None

    def _forwarded(
        self,
        consumer: Consumer,
        method: nodes.FunctionDef,
        bound: dict[str, nodes.NodeNG],
        roles: tuple[str, ...] = ("data", "validation_data"),
    ) -> Consumer | None:
        """The consumer with each argument that is a parameter of `method` replaced by the caller's argument
        (the data sources only in `roles`), or None when the caller decides nothing known."""

        def passed(node: nodes.NodeNG | None) -> nodes.NodeNG | None:
            target = self.resolver.follow(node) if node is not None else None
            if isinstance(target, Parameter) and target.function is method:
                return bound.get(target.name)
            return None

        changes: dict[str, object] = {}
        for role in roles:
            source = getattr(consumer, role)
            argument = passed(source.node) if source is not None and source.kind is SourceKind.UNKNOWN else None
            resolved = self.sources.resolve(argument) if argument is not None else None
            if resolved is not None and resolved.kind is not SourceKind.UNKNOWN:
                changes[role] = resolved
        arguments, values, not_none = dict(consumer.arguments), dict(consumer.values), set(consumer.not_none)
        for name in EVALUATED_ARGUMENTS:
            argument = passed(arguments[name].node) if name in arguments else None
            if argument is not None:
                arguments[name] = Argument(name, argument, arguments[name].keyword)
                values[name] = self.values.evaluate(argument)
                if self._not_none(argument, 0):
                    not_none.add(name)
        if arguments != consumer.arguments:
            changes.update(arguments=arguments, values=values, not_none=frozenset(not_none))
        return dataclasses.replace(consumer, **changes) if changes else None  # type: ignore[arg-type]

    def _through_callers(self, consumer: Consumer) -> list[Consumer]:
        """`def train(model, data): model.fit(data, …)` called as `train(model, batches())`: one consumer per
        call site of `train` in its module whose argument is a known source (one level deep)."""
        variants = []
        for role in ("x", "validation_data"):
            source = consumer.data if role == "x" else consumer.validation_data
            parameter = self.resolver.follow(source.node) if source is not None else None
            if source is None or source.kind is not SourceKind.UNKNOWN or not isinstance(parameter, Parameter):
                continue
            for argument, bound in self._call_site_arguments(parameter):
                passed = self.sources.resolve(argument)
                if passed.kind is SourceKind.UNKNOWN:
                    continue
                if role == "x":
                    variant = dataclasses.replace(consumer, data=passed)
                else:
                    variant = dataclasses.replace(consumer, validation_data=passed)
                variants.append(self._call_site_values(variant, parameter.function, bound))
        return variants

    def _call_site_values(
        self, consumer: Consumer, function: nodes.FunctionDef | nodes.Lambda, bound: dict[str, nodes.NodeNG]
    ) -> Consumer:
        """The consumer with the counts and sizes that are parameters of `function` set as one call site sets
        them: what it passes (`train(model, gen, steps=n / 32)`), else the parameter's default (`steps=None`,
        read at the Keras call, where the argument is still named)."""
        if not isinstance(function, nodes.FunctionDef):
            return consumer
        consumer = self._forwarded(consumer, function, bound, roles=()) or consumer
        values, not_none = dict(consumer.values), set(consumer.not_none)
        for name in EVALUATED_ARGUMENTS:
            target = self.resolver.follow(consumer.arguments[name].node) if name in consumer.arguments else None
            if not isinstance(target, Parameter) or target.function is not function or target.name in bound:
                continue
            default = _parameter_default(function.args, target.name)
            if default is not None:
                values[name] = dataclasses.replace(self.values.evaluate(default), node=consumer.arguments[name].node)
                if self._not_none(default, 0):
                    not_none.add(name)
        return dataclasses.replace(consumer, values=values, not_none=frozenset(not_none))

    def _call_site_arguments(self, parameter: Parameter) -> list[tuple[nodes.NodeNG, dict[str, nodes.NodeNG]]]:
        """What each caller in the function's own module passes for `parameter`, with all it passes."""
        function = parameter.function
        if not isinstance(function, nodes.FunctionDef):
            return []
        key = id(function)
        if key not in self._call_sites:
            self._call_sites[key] = [
                call
                for call in function.root().nodes_of_class(nodes.Call)
                if call.func.as_string().rsplit(".", 1)[-1] == function.name
                and self.resolver.follow(call.func) is function
            ]
        found = []
        for call in self._call_sites[key]:
            bound = bind_call(function, call)
            if bound is not None and parameter.name in bound:
                found.append((bound[parameter.name], bound))
        return found

    def _consumer(
        self, call: nodes.Call, method: str, doubtful: bool, bound: tuple[dict[str, Argument], bool] | None = None
    ) -> Consumer:
        arguments, hidden = bound if bound is not None else bind(call, SIGNATURES[method])
        if bound is None and hidden:
            arguments, hidden = self._with_unpacked_dicts(call, arguments)
        data_argument = arguments.get("generator") or arguments.get("x")
        data = self.sources.resolve(data_argument.node) if data_argument else None
        validation = arguments.get("validation_data")
        validation_data: DataSource | None = None
        if validation is not None and not isinstance(validation.node, (nodes.Tuple, nodes.List)):
            validation_data = self.sources.resolve(validation.node)
        values: dict[str, Value] = {
            name: self.values.evaluate(arguments[name].node) for name in EVALUATED_ARGUMENTS if name in arguments
        }
        return Consumer(
            method=method,
            node=call,
            receiver=call.func.expr.as_string(),
            arguments=arguments,
            data=data,
            validation_data=validation_data,
            values=values,
            unresolved_extras=hidden,
            custom_steps=self._custom_steps(call.func.expr),
            not_none=frozenset(name for name, argument in arguments.items() if self._not_none(argument.node, 0)),
            flags={name: flag for name in FLAG_ARGUMENTS if (flag := self._flag(arguments.get(name))) is not None},
            receiver_doubtful=doubtful,
        )

    def _with_unpacked_dicts(
        self, call: nodes.Call, arguments: dict[str, Argument]
    ) -> tuple[dict[str, Argument], bool]:
        """`fit(gen, **fit_args)` with `fit_args = {"epochs": 5}` or `dict(epochs=5)`, bound once and only ever
        unpacked: its entries are arguments too. The flag says whether some arguments stay hidden."""
        if any(isinstance(argument, nodes.Starred) for argument in call.args):
            return arguments, True
        unpacked = dict(arguments)
        for keyword in call.keywords or []:
            entries = self._dict_entries(keyword.value) if keyword.arg is None else []
            if entries is None:
                return arguments, True
            for name, value in entries:
                name = KERAS1_ALIASES.get(name, name)
                unpacked.setdefault(name, Argument(name, value, keyword=True))
        return unpacked, False

    def _dict_entries(self, node: nodes.NodeNG) -> list[tuple[str, nodes.NodeNG]] | None:
        """The entries of a dict display with string keys, or of `dict(key=value, …)`, that `node` names; None
        when the name is used in any way but `**name` (`args["workers"] = 4`, `args.update(…)`)."""
        if not isinstance(node, nodes.Name):
            return None
        target = self.resolver.follow(node)
        if isinstance(target, nodes.Dict):  # a `**other` inside has no constant key
            entries = [(key.value if isinstance(key, nodes.Const) else None, value) for key, value in target.items]
        elif isinstance(target, nodes.Call) and self.resolver.follow(target.func) == External("dict"):
            entries = [(keyword.arg, keyword.value) for keyword in target.keywords or []]
            entries += [(None, argument) for argument in target.args]
        else:
            return None
        if not all(isinstance(key, str) for key, _ in entries):
            return None
        uses = [name for name in node.root().nodes_of_class(nodes.Name) if name.name == node.name]
        unpacked = all(isinstance(use.parent, nodes.Keyword) and use.parent.arg is None for use in uses)
        return [(key, value) for key, value in entries if isinstance(key, str)] if unpacked else None

    def _flag(self, argument: Argument | None) -> bool | None:
        """`shuffle=True`, or a name bound once to a bool constant."""
        target = self.resolver.follow(argument.node) if argument is not None else None
        if isinstance(target, nodes.Const) and isinstance(target.value, bool):
            return target.value
        return None

    # --- is an argument certainly not None? -------------------------------------------------------

    def _not_none(self, node: nodes.NodeNG, depth: int) -> bool:
        """True when the expression certainly is not None. A parameter with no default, a name bound to None
        on some path, or an attribute genlint cannot follow may be None: Keras then treats it as not passed."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, nodes.Const):
            return node.value is not None
        if isinstance(node, nodes.Name):
            return self._name_not_none(node, depth)
        if isinstance(node, nodes.Attribute):  # `self.batch_size`, `config.BATCH_SIZE`
            target = self.resolver.follow(node)
            if isinstance(target, Parameter):  # `self.batch_size = batch_size` in `__init__`
                default = _parameter_default(target.function.args, target.name)
                return default is not None and self._not_none(default, depth + 1)
            if isinstance(target, External):
                return True
            return isinstance(target, nodes.NodeNG) and target is not node and self._not_none(target, depth + 1)
        if isinstance(node, nodes.IfExp):
            return self._not_none(node.body, depth + 1) and self._not_none(node.orelse, depth + 1)
        if isinstance(node, nodes.BoolOp):
            return all(self._not_none(value, depth + 1) for value in node.values)
        if isinstance(node, nodes.NamedExpr):
            return self._not_none(node.value, depth + 1)
        if isinstance(node, nodes.Call):
            return self._call_not_none(node, depth)
        return isinstance(node, NEVER_NONE)

    def _name_not_none(self, node: nodes.Name, depth: int) -> bool:
        try:
            _, bindings = node.lookup(node.name)
        except Exception:  # astroid lookups can fail on unusual trees; treat as unknown
            return False
        for bound in bindings:
            if not isinstance(bound, nodes.AssignName):
                continue  # an import, a def or a class: not None
            if isinstance(bound.parent, nodes.Arguments):
                if not self._parameter_not_none(bound, depth):
                    return False
                continue
            value = assigned_value(bound)
            if value is not None and not self._not_none(value, depth + 1):
                return False  # a value that is, or may be, None (unpacked and loop values are data)
        return True

    def _parameter_not_none(self, parameter: nodes.AssignName, depth: int) -> bool:
        """A parameter is not None when its default is not; without a default the caller decides (unknown)."""
        default = _parameter_default(parameter.parent, parameter.name)
        return default is not None and self._not_none(default, depth + 1)

    def _call_not_none(self, node: nodes.Call, depth: int) -> bool:
        """A library call or a class gives an object; a project function must return a value on every path."""
        callee = self.resolver.follow(node.func)
        if isinstance(callee, (External, nodes.ClassDef)):
            return True
        if not isinstance(callee, nodes.FunctionDef):
            return False
        if callee.is_generator():
            return True
        returns = [ret for ret in callee.nodes_of_class(nodes.Return) if ret.frame() is callee]
        return bool(returns) and all(ret.value is not None and self._not_none(ret.value, depth + 1) for ret in returns)

    def _custom_steps(self, receiver: nodes.NodeNG) -> frozenset[str]:
        """The step methods a project model class overrides: such a model may not need targets."""
        classdef = self.resolver.instance_class(receiver)
        if classdef is None:
            return frozenset()
        return frozenset(
            name for name in CUSTOM_STEPS if isinstance(self.resolver.class_member(classdef, name), nodes.FunctionDef)
        )

    # --- is the receiver a Keras model? -----------------------------------------------------------

    def receiver_kind(self, receiver: nodes.NodeNG, method: str, depth: int = 0) -> ReceiverKind:
        if depth > 6:
            return ReceiverKind.UNKNOWN
        classdef = self.resolver.instance_class(receiver)
        if classdef is not None:
            return self._class_kind(classdef, method)
        target = self.resolver.follow(receiver)
        if isinstance(target, External):
            return _external_kind(target)
        if isinstance(target, nodes.Module):
            return ReceiverKind.OTHER  # `train_utils.fit_generator(...)`: a project module's own function
        if isinstance(target, nodes.Call):
            callee = self.resolver.follow(target.func)
            if isinstance(callee, External):
                return _external_kind(callee)
            if isinstance(callee, nodes.FunctionDef):  # a factory: every `return` must agree
                kinds = {
                    self.receiver_kind(value, method, depth + 1) for value in self.resolver.returned_values(callee)
                }
                if len(kinds) == 1:
                    return kinds.pop()
        return ReceiverKind.UNKNOWN

    def _class_kind(self, classdef: nodes.ClassDef, method: str) -> ReceiverKind:
        own = self.resolver.class_member(classdef, method)
        if own is not None and (method.endswith("_generator") or not _delegates_to_super(own, method)):
            # the project's own method: Keras 3 has no `*_generator`, and a `fit` that never calls
            # `super().fit(...)` is not Keras's, even in a Keras subclass (or in Keras's own source)
            return ReceiverKind.OTHER
        bases = self.resolver.external_bases(classdef)
        if any(is_keras_name(base.qualname) for base in bases):
            return ReceiverKind.KERAS
        if any(base.root in NOT_KERAS_ROOTS for base in bases):
            return ReceiverKind.OTHER
        return ReceiverKind.UNKNOWN


def _passed_on(
    inner: nodes.Call, method: nodes.FunctionDef, call: nodes.Call, bound: dict[str, nodes.NodeNG]
) -> tuple[list[nodes.NodeNG], list[nodes.Keyword]]:
    """The arguments of `inner`, a call in `method`, with the wrapper's own `*args` / `**kwargs` replaced by
    what `call` puts in them: `def fit_generator(self, generator, *args, **kwargs): self.model.fit_generator(
    generator, *args, **kwargs)`. Anything else starred stays, and keeps the arguments hidden."""
    parameters = method.args
    positional = [argument.name for argument in (*(parameters.posonlyargs or []), *(parameters.args or []))]
    if method.is_method() and positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    named = {*positional, *(argument.name for argument in parameters.kwonlyargs or [])}
    extra_positional = list(call.args[len(positional) :])
    extra_keywords = [
        keyword for keyword in call.keywords or [] if keyword.arg is not None and keyword.arg not in named
    ]
    args: list[nodes.NodeNG] = []
    vararg = parameters.vararg if _only_passed_on(method, parameters.vararg) else None
    kwarg = parameters.kwarg if _only_passed_on(method, parameters.kwarg) else None
    for argument in inner.args:
        forwards = isinstance(argument, nodes.Starred) and isinstance(argument.value, nodes.Name)
        if forwards and vararg and argument.value.name == vararg:
            args.extend(extra_positional)
        else:
            args.append(argument)
    keywords: list[nodes.Keyword] = []
    for keyword in inner.keywords or []:
        forwards = keyword.arg is None and isinstance(keyword.value, nodes.Name)
        if forwards and kwarg and keyword.value.name == kwarg:
            keywords.extend(extra_keywords)
        else:
            keywords.append(keyword)
    return args, keywords


def _only_passed_on(method: nodes.FunctionDef, name: str | None) -> bool:
    """Whether the wrapper's `*name` / `**name` is only unpacked into calls (`f(*args, **kwargs)`), never read
    or changed on the way (`kwargs.pop("workers")`): only then do the caller's extra arguments reach Keras."""
    if not name:
        return False
    for node in method.nodes_of_class(nodes.Name):
        if node.name != name:
            continue
        unpacked = isinstance(node.parent, nodes.Starred) or (
            isinstance(node.parent, nodes.Keyword) and node.parent.arg is None
        )
        if not unpacked:
            return False
    return True


def _delegates_to_super(member: nodes.NodeNG, method: str) -> bool:
    """`def fit(self, *args, **kwargs): …; return super().fit(*args, **kwargs)`: still Keras's `fit`."""
    if not isinstance(member, nodes.FunctionDef):
        return False
    for call in member.nodes_of_class(nodes.Call):
        func = call.func
        on_super = (
            isinstance(func, nodes.Attribute)
            and isinstance(func.expr, nodes.Call)
            and isinstance(func.expr.func, nodes.Name)
            and func.expr.func.name == "super"
        )
        if on_super and func.attrname == method:
            return True
    return False


def _non_keras_methods(module: nodes.Module) -> set[str]:
    """In a file that imports nothing from Keras or TensorFlow, the consumer-named methods its own classes
    define: an unknown receiver there is one of those classes (a registry of estimators), not a Keras model.
    `*` is added when such a file imports another model library (sklearn, xgboost, torch…): its other
    unknown receivers may well be that library's models, e.g. `estimators[name].fit(zip(a, b))`."""
    roots: set[str] = set()
    for node in module.nodes_of_class((nodes.Import, nodes.ImportFrom)):
        names = [node.modname] if isinstance(node, nodes.ImportFrom) else [name for name, _ in node.names]
        if any(is_keras_name(name) for name in names if name):
            return set()
        if not (isinstance(node, nodes.ImportFrom) and node.level):
            roots.update(name.split(".", 1)[0] for name in names if name)
    methods = {
        method.name
        for classdef in module.nodes_of_class(nodes.ClassDef)
        for method in classdef.mymethods()
        if method.name in CONSUMER_METHODS
    }
    return methods | ({"*"} if roots & OTHER_MODEL_LIBRARIES else set())


def _external_kind(name: External) -> ReceiverKind:
    if is_keras_name(name.qualname):
        return ReceiverKind.KERAS
    if name.root in NOT_KERAS_ROOTS:
        return ReceiverKind.OTHER
    return ReceiverKind.UNKNOWN


# Keras 1 names of the same arguments, still found in old scripts.
KERAS1_ALIASES = {
    "nb_epoch": "epochs",
    "samples_per_epoch": "steps_per_epoch",
    "nb_val_samples": "validation_steps",
    "val_samples": "steps",
}


def bind(call: nodes.Call, signature: tuple[str, ...]) -> tuple[dict[str, Argument], bool]:
    """Bind a call's arguments to parameter names. The flag says `*args` / `**kwargs` hide some.

    Keras 1 keyword names are bound to their later names, so that a Keras 1 script is not told that it
    lacks an argument it passes under the old name.
    """
    return bind_values(call.args, call.keywords or [], signature)


def bind_values(
    args: list[nodes.NodeNG], keywords: list[nodes.Keyword], signature: tuple[str, ...]
) -> tuple[dict[str, Argument], bool]:
    """`bind` for the positional and keyword arguments of a call, given apart."""
    arguments: dict[str, Argument] = {}
    hidden = False
    for index, value in enumerate(args):
        if isinstance(value, nodes.Starred):
            hidden = True
            break
        if index < len(signature):
            arguments[signature[index]] = Argument(signature[index], value, keyword=False)
    for keyword in keywords:
        if keyword.arg is None:
            hidden = True
        else:
            name = KERAS1_ALIASES.get(keyword.arg, keyword.arg)
            arguments.setdefault(name, Argument(name, keyword.value, keyword=True))
    return arguments, hidden


def _parameter_default(arguments: nodes.Arguments, name: str) -> nodes.NodeNG | None:
    """The default value of the parameter `name`, or None when it has none."""
    positional = [argument.name for argument in (*(arguments.posonlyargs or []), *(arguments.args or []))]
    if name in positional:
        defaults = arguments.defaults or []
        index = positional.index(name) - (len(positional) - len(defaults))
        return defaults[index] if index >= 0 else None
    keyword_only = [argument.name for argument in arguments.kwonlyargs or []]
    if name in keyword_only:
        return (arguments.kw_defaults or [])[keyword_only.index(name)]
    return None
