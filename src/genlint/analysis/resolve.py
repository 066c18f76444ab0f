"""Name resolution over astroid trees, limited to the user's own project.

astroid's scope lookup finds where a name is bound; this module follows those bindings through simple
assignments, project-local imports, `self.` attributes and methods. It never infers into installed
packages: a name imported from one is reported as `External("numpy.ceil")`, matched by its qualified name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias, Union

from astroid import nodes

from genlint.analysis.project import Project

MAX_DEPTH = 12

KERAS_ROOTS = frozenset({"keras", "tensorflow", "tf_keras", "tf"})
# Packages whose `fit` / `predict` are their own, never Keras's.
NOT_KERAS_ROOTS = frozenset(
    {
        "sklearn",
        "pandas",
        "xgboost",
        "lightgbm",
        "catboost",
        "statsmodels",
        "scipy",
        "torch",
        "pytorch_lightning",
        "lightning",
        "joblib",
        "prophet",
        "gensim",
        "imblearn",
        "umap",
        "hdbscan",
        "pmdarima",
        "sentence_transformers",
        "spacy",
        "numpy",
    }
)


@dataclass(frozen=True)
class External:
    """A name that comes from an installed package, e.g. `numpy.ceil`."""

    qualname: str

    @property
    def root(self) -> str:
        return self.qualname.split(".", 1)[0]

    @property
    def last(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Parameter:
    """A function parameter: its value comes from each caller."""

    function: nodes.FunctionDef | nodes.Lambda
    name: str


Resolved: TypeAlias = Union[nodes.NodeNG, External, Parameter, None]  # noqa: UP007

# Marks a name bound by the interpreter's builtins (`len`, `range`, `int`): reported as External("len").
_BUILTIN = nodes.Const(None)


class Resolver:
    def __init__(self, project: Project) -> None:
        self.project = project

    # --- bindings -----------------------------------------------------------------------------

    def binding(self, node: nodes.NodeNG, name: str) -> nodes.NodeNG | None:
        """The one statement that binds `name` where `node` reads it, or None when it is not one."""
        try:
            _, assignments = node.lookup(name)
        except Exception:  # astroid lookups can fail on unusual trees; treat as unknown
            return None
        if len(assignments) != 1:
            return self._star_import(node, name) if not assignments else None
        bound = assignments[0]
        if bound.root().name == "builtins":
            return _BUILTIN
        return bound

    def _alternative_imports(self, node: nodes.Name, depth: int) -> Resolved:
        """`try: from tensorflow.keras.utils import Sequence / except ImportError: from keras.utils import
        Sequence`, or `import tf_keras as keras` / `import keras` by a flag: one Keras name either way."""
        try:
            _, assignments = node.lookup(node.name)
        except Exception:  # astroid lookups can fail on unusual trees; treat as unknown
            return None
        if len(assignments) < 2 or not all(
            isinstance(bound, (nodes.Import, nodes.ImportFrom)) for bound in assignments
        ):
            return None
        resolved = [self._follow_binding(bound, node.name, depth) for bound in assignments]
        if not all(isinstance(target, External) and is_keras_name(target.qualname) for target in resolved):
            return None
        names = {_without_keras_root(target.qualname) for target in resolved if isinstance(target, External)}
        return resolved[0] if len(names) == 1 else None

    def _star_import(self, node: nodes.NodeNG, name: str) -> nodes.NodeNG | None:
        module = node.root()
        for statement in module.body:
            if isinstance(statement, nodes.ImportFrom) and statement.names[0][0] == "*":
                target = self.project.find_module(module, statement.modname, statement.level or 0)
                if target is not None and name in target.locals:
                    return self.binding(target, name)
        return None

    def follow(self, node: nodes.NodeNG, depth: int = 0) -> Resolved:
        """Follow a name or `self.` attribute to the expression it was assigned, or to its definition."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, nodes.Name):
            bound = self.binding(node, node.name)
            if bound is None:
                return self._alternative_imports(node, depth)
            return self._follow_binding(bound, node.name, depth)
        if isinstance(node, nodes.Attribute):
            return self._follow_attribute(node, depth)
        if isinstance(node, nodes.NamedExpr):
            return self.follow(node.value, depth + 1)
        return node

    def unpacked_return(self, node: nodes.NodeNG) -> Resolved:
        """`train_gen, steps = make_batches(x)`: what the project function's only `return` puts at the name's
        place in the tuple it returns (`return batches(x), len(x) / 32`), followed; None for anything else.
        `follow` stops at calls, so that two calls of one function stay two objects: callers that follow
        this step as well take care of that."""
        bound = self.binding(node, node.name) if isinstance(node, nodes.Name) else None
        targets = bound.parent if isinstance(bound, nodes.AssignName) else None
        if not isinstance(targets, (nodes.Tuple, nodes.List)) or not isinstance(targets.parent, nodes.Assign):
            return None
        call = targets.parent.value
        if not isinstance(call, nodes.Call) or any(isinstance(target, nodes.Starred) for target in targets.elts):
            return None
        function = self.follow(call.func)
        if not isinstance(function, nodes.FunctionDef) or function.is_generator():
            return None
        returns = list(function.nodes_of_class(nodes.Return, skip_klass=(nodes.FunctionDef, nodes.ClassDef)))
        returned = self.follow(returns[0].value) if len(returns) == 1 and returns[0].value is not None else None
        if not isinstance(returned, (nodes.Tuple, nodes.List)) or len(returned.elts) != len(targets.elts):
            return None
        return self.follow(returned.elts[targets.elts.index(bound)])

    def _follow_binding(self, bound: nodes.NodeNG, name: str, depth: int) -> Resolved:
        if bound is _BUILTIN:
            return External(name)
        if isinstance(bound, (nodes.FunctionDef, nodes.ClassDef)):
            return bound
        if isinstance(bound, (nodes.Import, nodes.ImportFrom)):
            return self._follow_import(bound, name, depth)
        if isinstance(bound, nodes.AssignName):
            parent = bound.parent
            if isinstance(parent, nodes.Arguments):
                function = parent.parent
                if isinstance(function, (nodes.FunctionDef, nodes.Lambda)):
                    return Parameter(function, name)
                return None
            value = assigned_value(bound)
            return None if value is None else self.follow(value, depth + 1)
        return None

    def _follow_import(self, statement: nodes.Import | nodes.ImportFrom, name: str, depth: int) -> Resolved:
        if depth > MAX_DEPTH:  # modules that import a name from each other, in a circle
            return None
        module = statement.root()
        if isinstance(statement, nodes.Import):
            for dotted, alias in statement.names:
                if (alias or dotted.split(".")[0]) == name:
                    local = self.project.find_module(module, dotted if alias else dotted.split(".")[0])
                    return local if local is not None else External(dotted if alias else dotted.split(".")[0])
            return None
        for imported, alias in statement.names:
            if (alias or imported) != name:
                continue
            level = statement.level or 0
            source = self.project.find_module(module, statement.modname, level)
            if source is not None:
                if imported in source.locals:
                    bound = self.binding(source, imported)
                    return None if bound is None else self._follow_binding(bound, imported, depth + 1)
                submodule = self.project.find_module(module, f"{statement.modname}.{imported}", level)
                return submodule
            if level:
                return None
            submodule = self.project.find_module(module, f"{statement.modname}.{imported}")
            if submodule is not None:
                return submodule
            return External(f"{statement.modname}.{imported}")
        return None

    def _follow_attribute(self, node: nodes.Attribute, depth: int) -> Resolved:
        owner = self.follow(node.expr, depth + 1)
        if isinstance(owner, External):
            return External(f"{owner.qualname}.{node.attrname}")
        if isinstance(owner, nodes.Module):
            bound = self.binding(owner, node.attrname) if node.attrname in owner.locals else None
            return None if bound is None else self._follow_binding(bound, node.attrname, depth + 1)
        if isinstance(owner, nodes.ClassDef):
            return self.class_member(owner, node.attrname)
        if isinstance(owner, nodes.Call) and isinstance(owner.func, nodes.Attribute):
            default = self._option_default(owner, node.attrname)
            if default is not None:  # `args.batch_size`, with `args = parser.parse_args()`
                return self.follow(default, depth + 1)
        classdef = self.instance_class(node.expr, depth + 1)
        if classdef is None:
            return None
        method = self.class_member(classdef, node.attrname)
        if method is not None and (isinstance(method, nodes.FunctionDef) or not self._set_per_instance(node, classdef)):
            return method
        value = self.instance_attribute(classdef, node.attrname)
        return None if value is None else self.follow(value, depth + 1)

    def _option_default(self, parsed: nodes.Call, name: str) -> nodes.NodeNG | None:
        """The `default=` of the one `add_argument` call that stores option `name` in what `parsed`, a
        `parser.parse_args()` of an `argparse.ArgumentParser`, returns: the value of a run without that option.
        None when there is no such default, or `set_defaults` or an assignment may change it."""
        if not isinstance(parsed.func, nodes.Attribute) or parsed.func.attrname != "parse_args":
            return None
        parser = self.follow(parsed.func.expr)
        if not isinstance(parser, nodes.Call) or self.follow(parser.func) != External("argparse.ArgumentParser"):
            return None
        found = []
        for call in parser.root().nodes_of_class(nodes.Call):
            method = call.func
            if not isinstance(method, nodes.Attribute) or method.attrname not in ("add_argument", "set_defaults"):
                continue
            owner = self.follow(method.expr)
            if isinstance(owner, nodes.Call) and isinstance(owner.func, nodes.Attribute) and owner is not parser:
                owner = self.follow(owner.func.expr)  # `parser.add_argument_group(…).add_argument(…)`
            if owner is parser and (method.attrname == "set_defaults" or _option_name(call) == name):
                found.append(call)
        if len(found) != 1 or found[0].func.attrname != "add_argument":
            return None
        for assigned in parsed.root().nodes_of_class(nodes.AssignAttr):  # `args.batch_size = 64` later on
            if assigned.attrname == name and self.follow(assigned.expr) is parsed:
                return None
        return next((keyword.value for keyword in found[0].keywords or [] if keyword.arg == "default"), None)

    # --- classes and instances ----------------------------------------------------------------

    def instance_class(self, node: nodes.NodeNG, depth: int = 0) -> nodes.ClassDef | None:
        """The project class that `node` is an instance of: `self`, or a call of a project class."""
        if isinstance(node, nodes.Name) and node.name in ("self", "cls"):
            function = node.frame()
            if isinstance(function, nodes.FunctionDef) and function.is_method():
                arguments = function.args.args or []
                if arguments and arguments[0].name == node.name:
                    parent = function.parent.frame()
                    return parent if isinstance(parent, nodes.ClassDef) else None
            return None
        if depth > MAX_DEPTH:
            return None
        target = self.follow(node, depth)
        if isinstance(target, nodes.Call):
            callee = self.follow(target.func, depth + 1)
            if isinstance(callee, nodes.ClassDef):
                return callee
            if isinstance(callee, nodes.FunctionDef):  # a factory: `model = build_model()`
                classes = {id(found): found for found in self._returned_classes(callee, depth + 1)}
                if len(classes) == 1:
                    return next(iter(classes.values()))
        return None

    def _returned_classes(self, function: nodes.FunctionDef, depth: int) -> list[nodes.ClassDef | None]:
        values = self.returned_values(function)
        return [self.instance_class(value, depth) for value in values] if values else [None]

    def returned_values(self, function: nodes.FunctionDef) -> list[nodes.NodeNG]:
        """The values of a function's own `return` statements (not those of nested functions)."""
        return [
            node.value
            for node in function.nodes_of_class(nodes.Return)
            if node.frame() is function and node.value is not None
        ]

    def class_member(self, classdef: nodes.ClassDef, name: str, depth: int = 0) -> nodes.NodeNG | None:
        """A method (or class attribute value) defined by a project class or its project bases."""
        if depth > MAX_DEPTH:
            return None
        for statement in classdef.locals.get(name, []):
            if isinstance(statement, nodes.FunctionDef):
                return statement
            if isinstance(statement, nodes.AssignName):
                return assigned_value(statement)
        for base in self.project_bases(classdef):
            member = self.class_member(base, name, depth + 1)
            if member is not None:
                return member
        return None

    def project_bases(self, classdef: nodes.ClassDef) -> list[nodes.ClassDef]:
        bases = []
        for base in classdef.bases:
            resolved = self.follow(base)
            if isinstance(resolved, nodes.ClassDef) and resolved is not classdef:
                bases.append(resolved)
        return bases

    def external_bases(self, classdef: nodes.ClassDef, depth: int = 0) -> list[External]:
        """Installed-package classes that a project class derives from, directly or through project bases."""
        if depth > MAX_DEPTH:
            return []
        found: list[External] = []
        for base in classdef.bases:
            resolved = self.follow(base)
            if isinstance(resolved, External):
                found.append(resolved)
            elif isinstance(resolved, nodes.ClassDef) and resolved is not classdef:
                found.extend(self.external_bases(resolved, depth + 1))
        return found

    def _set_per_instance(self, node: nodes.Attribute, classdef: nodes.ClassDef) -> bool:
        """Whether the instance read as `node` may hold its own value instead of the class attribute's
        (a default): its methods assign `self.name`, it was made by a call that passes arguments to a class
        without its own `__init__` (a dataclass: `TrainConfig(epochs=5)`), or the module assigns `cfg.name`."""
        name = node.attrname
        for function in classdef.mymethods():
            for assign in function.nodes_of_class(nodes.AssignAttr):
                if assign.attrname == name and isinstance(assign.expr, nodes.Name) and assign.expr.name == "self":
                    return True
        made = self.follow(node.expr)
        passes_arguments = isinstance(made, nodes.Call) and bool(made.args or made.keywords)
        if passes_arguments and self.class_member(classdef, "__init__") is None:
            return True
        if isinstance(node.expr, nodes.Name):
            return any(
                assign.attrname == name and isinstance(assign.expr, nodes.Name) and assign.expr.name == node.expr.name
                for assign in node.root().nodes_of_class(nodes.AssignAttr)
            )
        return False

    def instance_attribute(self, classdef: nodes.ClassDef, name: str) -> nodes.NodeNG | None:
        """The value of `self.name = value` when the class assigns it exactly once."""
        values = []
        for function in classdef.mymethods():
            for assign in function.nodes_of_class(nodes.AssignAttr):
                if assign.attrname == name and isinstance(assign.expr, nodes.Name) and assign.expr.name == "self":
                    values.append(assigned_value(assign))
        if len(values) != 1:
            return None
        return values[0]

    # --- qualified names ----------------------------------------------------------------------

    def qualified(self, node: nodes.NodeNG) -> str | None:
        """`np.ceil` → `numpy.ceil` when the name comes from an installed package."""
        resolved = self.follow(node)
        return resolved.qualname if isinstance(resolved, External) else None


def assigned_value(target: nodes.NodeNG) -> nodes.NodeNG | None:
    """The expression assigned to one target of a simple assignment (`a = …`, `a, b = x, y`, `a: T = …`)."""
    parent = target.parent
    if isinstance(parent, (nodes.Assign, nodes.AnnAssign)):
        return parent.value
    if isinstance(parent, nodes.NamedExpr):
        return parent.value
    if isinstance(parent, (nodes.Tuple, nodes.List)) and isinstance(parent.parent, nodes.Assign):
        value = parent.parent.value
        same_length = isinstance(value, (nodes.Tuple, nodes.List)) and len(value.elts) == len(parent.elts)
        if same_length and not any(isinstance(element, nodes.Starred) for element in parent.elts):
            return value.elts[parent.elts.index(target)]
    return None


def _option_name(call: nodes.Call) -> str | None:
    """The attribute an `add_argument` call stores its option in: `dest=`, else the first long option
    (`--batch-size` → `batch_size`), else the positional name or the short option."""
    for keyword in call.keywords or []:
        if keyword.arg == "dest":
            return keyword.value.value if isinstance(keyword.value, nodes.Const) else None
    flags = [argument.value for argument in call.args if isinstance(argument, nodes.Const)]
    flags = [flag for flag in flags if isinstance(flag, str)]
    chosen = next((flag for flag in flags if flag.startswith("--")), flags[0] if flags else None)
    return chosen.lstrip("-").replace("-", "_") if chosen else None


def _without_keras_root(qualname: str) -> str:
    """`tensorflow.keras.utils.Sequence`, `tf_keras.utils.Sequence` and `keras.utils.Sequence` alike."""
    parts = qualname.split(".")
    if parts[0] == "tensorflow" and len(parts) > 1 and parts[1] == "keras":
        parts = parts[1:]
    return ".".join(["keras", *parts[1:]])


def call_argument(call: nodes.Call, position: int, keyword: str) -> nodes.NodeNG | None:
    """The argument passed at `position` or as `keyword=`, when it is written out."""
    if len(call.args) > position and not any(isinstance(arg, nodes.Starred) for arg in call.args[: position + 1]):
        return call.args[position]
    for passed in call.keywords or []:
        if passed.arg == keyword:
            return passed.value
    return None


def is_property(function: nodes.FunctionDef) -> bool:
    """`@property` or `@cached_property` (`functools.cached_property`): reading the attribute runs the
    function."""
    for decorator in function.decorators.nodes if function.decorators else ():
        name = decorator.name if isinstance(decorator, nodes.Name) else getattr(decorator, "attrname", None)
        if name in ("property", "cached_property"):
            return True
    return False


def is_keras_name(qualname: str) -> bool:
    return qualname.split(".", 1)[0] in KERAS_ROOTS


def is_image_flow(call: nodes.Call, resolver: Resolver, methods: frozenset[str]) -> bool:
    """Whether `call` is `ImageDataGenerator(…).flow(…)` (Keras's or keras_preprocessing's image iterator)
    with a method among `methods`."""
    if not isinstance(call.func, nodes.Attribute) or call.func.attrname not in methods:
        return False
    maker = resolver.follow(call.func.expr)
    callee = resolver.follow(maker.func) if isinstance(maker, nodes.Call) else None
    return (
        isinstance(callee, External)
        and callee.last == "ImageDataGenerator"
        and (is_keras_name(callee.qualname) or callee.root == "keras_preprocessing")
    )
