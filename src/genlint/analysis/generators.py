"""Facts about a generator body: its unbounded loop, its yields (their structure, whether they hold one sample,
the modes they belong to), its swallowed exceptions, its `raise StopIteration`, and where it shuffles."""

from __future__ import annotations

from collections.abc import Iterator

from astroid import nodes

from genlint.analysis.batches import partial_last_batch
from genlint.analysis.control import mode_conditions, stop_iteration_raises
from genlint.analysis.model import Finiteness, GeneratorFunction, YieldFact, YieldShape
from genlint.analysis.ordering import OrderAnalyzer
from genlint.analysis.resolve import External, Parameter, Resolver, assigned_value, is_image_flow
from genlint.analysis.samples import SampleClassifier

INFINITE_ITERATORS = frozenset({"itertools.cycle", "itertools.count"})
# Methods of Keras's `ImageDataGenerator` whose iterators loop over their data forever when iterated.
IMAGE_FLOWS = frozenset({"flow", "flow_from_directory", "flow_from_dataframe"})
# Methods of tf.data datasets (and iterators over them) that keep the length of what they are called on.
CHAIN_PASS_THROUGH = frozenset(
    {
        "batch", "padded_batch", "rebatch", "unbatch", "prefetch", "shuffle", "map", "filter", "cache",
        "with_options", "as_numpy_iterator", "enumerate", "apply", "ignore_errors", "__iter__", "interleave",
        "flat_map", "parallel_interleave",
    }
)  # fmt: skip
# Calls that return something finite built from their first argument's items.
PASS_THROUGH = frozenset({"enumerate", "zip", "reversed", "sorted", "list", "tuple", "iter", "tqdm.tqdm", "tqdm"})
# Calls whose result is an array or a number: a yield of one of them is certainly not a tuple.
ARRAY_ROOTS = frozenset({"numpy", "cv2", "torch", "PIL", "scipy", "skimage"})
ARRAY_FUNCTIONS = frozenset({"to_categorical", "normalize", "img_to_array", "load_img", "pad_sequences"})
TUPLE_FUNCTIONS = frozenset({"pack_x_y_sample_weight", "tuple"})
TENSOR_MODULES = frozenset({"image", "io", "math", "strings", "random", "signal", "linalg", "audio"})


def function_body_nodes(function: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    """Every node of a function's own body, not descending into nested functions, classes or lambdas."""
    stack = list(reversed(list(function.get_children())))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)):
            continue
        stack.extend(reversed(list(node.get_children())))


def is_generator_function(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.FunctionDef) and any(
        isinstance(child, (nodes.Yield, nodes.YieldFrom)) for child in function_body_nodes(node)
    )


def constant_truth(test: nodes.NodeNG) -> bool | None:
    if isinstance(test, nodes.Const):
        return bool(test.value)
    return None


class GeneratorAnalyzer:
    """Builds (and caches) `GeneratorFunction` facts, and classifies iterables as finite or not."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.samples = SampleClassifier(resolver)
        self.ordering = OrderAnalyzer(resolver)
        self._cache: dict[int, GeneratorFunction] = {}
        self._in_progress: set[int] = set()

    def facts(self, function: nodes.FunctionDef) -> GeneratorFunction:
        key = id(function)
        if key not in self._cache:
            if key in self._in_progress:  # recursion: a generator delegating to itself
                return self._unknown(function)
            self._in_progress.add(key)
            try:
                self._cache[key] = self._build(function)
            finally:
                self._in_progress.discard(key)
        return self._cache[key]

    def _unknown(self, function: nodes.FunctionDef) -> GeneratorFunction:
        return GeneratorFunction(
            function.name, function.root().file or "", function, Finiteness.UNKNOWN, None, (), (), (), ()
        )

    def _build(self, function: nodes.FunctionDef) -> GeneratorFunction:
        body = list(function_body_nodes(function))
        yields = [node for node in body if isinstance(node, (nodes.Yield, nodes.YieldFrom))]
        handlers = tuple(node for node in body if isinstance(node, nodes.ExceptHandler) and swallows(node))
        finiteness, unbounded_loop, exits, parameters = self._finiteness(function, yields)
        shuffled_before_loop, reshuffled_in_loop = self.ordering.shuffle_facts(function, body, unbounded_loop)
        return GeneratorFunction(
            name=function.name,
            path=function.root().file or "",
            node=function,
            finiteness=finiteness,
            unbounded_loop=unbounded_loop,
            loop_exits=exits,
            yields=tuple(fact for node in yields for fact in self._yield_facts(node)),
            swallowed_handlers=handlers,
            iterated_parameters=parameters,
            serves_partial_batch=partial_last_batch(function, self.resolver),
            stop_iteration_raises=self._stop_iteration_raises(function, body),
            shuffled_before_loop=shuffled_before_loop,
            reshuffled_in_loop=reshuffled_in_loop,
        )

    def _stop_iteration_raises(self, function: nodes.FunctionDef, body: list[nodes.NodeNG]) -> tuple[nodes.Raise, ...]:
        """Its own uncaught `raise StopIteration`, and those of the project generators it delegates to."""
        raises = stop_iteration_raises(function, body)
        for node in body:
            delegate = self._delegate(node.value) if isinstance(node, nodes.YieldFrom) else None
            if delegate is not None:
                raises += self.facts(delegate).stop_iteration_raises
        return raises

    # --- finiteness -----------------------------------------------------------------------------

    def _finiteness(
        self, function: nodes.FunctionDef, yields: list[nodes.NodeNG]
    ) -> tuple[Finiteness, nodes.NodeNG | None, tuple[nodes.NodeNG, ...], tuple[str, ...]]:
        """Infinite when every yield sits in an unbounded loop that nothing leaves; finite when every loop
        around every yield ends; unknown otherwise. Loops over parameters are left to the call site."""
        unknown = False
        bounded_yield = False
        unbounded_loops: list[nodes.NodeNG] = []
        parameters: list[str] = []
        for node in yields:
            loop, yield_unknown, iterated = self._yield_context(node, function)
            if loop is not None:
                unbounded_loops.append(loop)
                continue
            bounded_yield = True
            unknown = unknown or yield_unknown
            parameters.extend(name for name in iterated if name not in parameters)
        if unbounded_loops:
            loop = unbounded_loops[0]
            if bounded_yield or any(raises_stop_iteration(candidate) for candidate in unbounded_loops):
                # a finite branch beside an endless one (`if training: while True: …`), or an end by
                # RuntimeError (PEP 479): which one runs is not known here
                return Finiteness.UNKNOWN, None, (), ()
            exits = tuple(loop_exits(loop)) if not isinstance(loop, nodes.YieldFrom) else ()
            if any(self._switched_by_parameters(exit_node, loop, function) for exit_node in exits):
                return Finiteness.UNKNOWN, None, (), ()  # `if not forever: break`: the caller decides
            return (Finiteness.FINITE if exits else Finiteness.INFINITE), loop, exits, ()
        if unknown:
            return Finiteness.UNKNOWN, None, (), ()
        if parameters:  # only the caller's arguments decide
            return Finiteness.UNKNOWN, None, (), tuple(parameters)
        return Finiteness.FINITE, None, (), ()

    def _yield_context(
        self, node: nodes.NodeNG, function: nodes.FunctionDef
    ) -> tuple[nodes.NodeNG | None, bool, list[str]]:
        """The unbounded loop around one yield (or the `yield from` of an endless iterable), else whether
        the loops around it are of unknown length and which parameters decide that."""
        unknown = False
        parameters: list[str] = []
        if isinstance(node, nodes.YieldFrom):
            delegated = self.iterable_finiteness(node.value)
            if delegated is Finiteness.INFINITE:
                return node, False, []
            unknown = delegated is Finiteness.UNKNOWN
        unbounded = None
        for depth, loop in enumerate(enclosing_loops(node, function)):
            kind = self.loop_finiteness(loop)
            if kind is Finiteness.INFINITE:
                # a `break` out of an inner `while True` (to reopen a file) lands in the outer one
                unbounded = loop
                if not any(loop_exits(loop)):
                    return loop, False, []
                continue
            if unbounded is not None:
                continue
            # `for epoch in range(epochs): <a pass over the data>` (or `yield from` a pass) serves several passes
            if kind is Finiteness.FINITE and (depth > 0 or isinstance(node, nodes.YieldFrom)) and is_repetition(loop):
                unknown = True
            if kind is Finiteness.UNKNOWN:
                iterated = self._iterated_parameters(loop, function)
                unknown = unknown or not iterated
                parameters.extend(iterated)
        if unbounded is not None:
            return unbounded, False, []
        return None, unknown, parameters

    def _switched_by_parameters(self, exit_node: nodes.NodeNG, loop: nodes.NodeNG, function: nodes.FunctionDef) -> bool:
        """An exit under `if not forever:` where the test reads only parameters: a switch set by the caller."""
        child, parent = exit_node, exit_node.parent
        while parent is not None and parent is not loop:
            guarded = isinstance(parent, nodes.If) and child is not parent.test
            if guarded and any(self._is_parameter(name, function) for name in switch_operands(parent.test)):
                return True
            child, parent = parent, parent.parent
        return False

    def _is_parameter(self, name: nodes.Name, function: nodes.FunctionDef) -> bool:
        target = self.resolver.follow(name)
        return isinstance(target, Parameter) and target.function is function

    def _iterated_parameters(self, loop: nodes.NodeNG, function: nodes.FunctionDef) -> list[str]:
        """The parameters that alone make a loop's length unknown: `for p in paths`, `zip(paths, labels)`,
        `for x, y in dataset.as_numpy_iterator()`."""
        if not isinstance(loop, nodes.For):
            return []
        iterable = loop.iter
        if isinstance(iterable, nodes.Name):
            bound = self.resolver.follow(iterable)
            if isinstance(bound, nodes.Call):  # `pairs = zip(images, masks)` before `for x, y in pairs:`
                iterable = bound
        arguments = [iterable]
        if isinstance(iterable, nodes.Call) and call_name(iterable) in PASS_THROUGH:
            arguments = list(iterable.args)
        names = []
        for argument in arguments:
            root = chain_root(argument)
            if isinstance(root, nodes.Name) and self._is_parameter(root, function):
                names.append(root.name)
            elif self.iterable_finiteness(argument) is not Finiteness.FINITE:
                return []
        return names

    def loop_finiteness(self, loop: nodes.NodeNG) -> Finiteness:
        if isinstance(loop, nodes.While):
            truth = constant_truth(loop.test)
            if truth is True:
                return Finiteness.INFINITE
            return Finiteness.FINITE if truth is False or counts_up(loop) else Finiteness.UNKNOWN
        if isinstance(loop, nodes.For):
            return self.iterable_finiteness(loop.iter)
        return Finiteness.FINITE

    def iterable_finiteness(self, node: nodes.NodeNG, depth: int = 0) -> Finiteness:
        """Whether iterating `node` ends. Collections and unknown calls end; cycles and `while True` don't."""
        if depth > 8:
            return Finiteness.UNKNOWN
        if isinstance(node, (nodes.List, nodes.Tuple, nodes.Set, nodes.Dict, nodes.Const, nodes.JoinedStr)):
            return Finiteness.FINITE
        if isinstance(node, (nodes.ListComp, nodes.SetComp, nodes.DictComp)):
            return Finiteness.FINITE
        if isinstance(node, nodes.GeneratorExp):
            return self.comprehension_finiteness(node, depth + 1)
        if isinstance(node, nodes.Call):
            return self._call_finiteness(node, depth)
        if isinstance(node, (nodes.Name, nodes.Attribute)):
            target = self.resolver.follow(node)
            if isinstance(target, Parameter):
                return Finiteness.UNKNOWN
            if target is None or isinstance(target, External):
                # an attribute or a global we cannot see: data containers are by far the most common
                return Finiteness.FINITE if isinstance(node, nodes.Attribute) else Finiteness.UNKNOWN
            if target is node:
                return Finiteness.FINITE
            return self.iterable_finiteness(target, depth + 1)
        return Finiteness.FINITE

    def _instance_finiteness(self, classdef: nodes.ClassDef) -> Finiteness:
        """Iterating an instance of a project class runs its `__iter__`."""
        method = self.resolver.class_member(classdef, "__iter__")
        if isinstance(method, nodes.FunctionDef) and is_generator_function(method):
            return self.facts(method).finiteness
        return Finiteness.UNKNOWN

    def comprehension_finiteness(self, node: nodes.GeneratorExp, depth: int = 0) -> Finiteness:
        results = [self.iterable_finiteness(generator.iter, depth + 1) for generator in node.generators]
        if Finiteness.INFINITE in results:
            return Finiteness.INFINITE
        return Finiteness.UNKNOWN if Finiteness.UNKNOWN in results else Finiteness.FINITE

    def _call_finiteness(self, call: nodes.Call, depth: int) -> Finiteness:
        callee = self.resolver.follow(call.func)
        if isinstance(callee, External):
            if callee.qualname in INFINITE_ITERATORS:
                return Finiteness.INFINITE
            if callee.qualname == "itertools.repeat":
                return Finiteness.INFINITE if len(call.args) + len(call.keywords or []) < 2 else Finiteness.FINITE
        if isinstance(callee, nodes.FunctionDef):
            if is_generator_function(callee):
                return self.facts(callee).finiteness
            returned = single_return(callee)
            if returned is not None:
                return self.iterable_finiteness(returned, depth + 1)
        if isinstance(callee, nodes.ClassDef):
            return self._instance_finiteness(callee)
        if self._is_image_flow(call):
            return Finiteness.INFINITE
        if isinstance(call.func, nodes.Attribute):
            method = call.func.attrname
            if method == "repeat":
                endless = not call.args or (isinstance(call.args[0], nodes.Const) and call.args[0].value in (None, -1))
                return Finiteness.INFINITE if endless else Finiteness.FINITE  # tf.data's `.repeat()`
            if method == "take":
                return Finiteness.FINITE
            if method in CHAIN_PASS_THROUGH:
                return self.iterable_finiteness(call.func.expr, depth + 1)
            if isinstance(self.resolver.follow(call.func.expr), Parameter):
                return Finiteness.UNKNOWN  # `loader.stream()` on whatever the caller passed
            if self.iterable_finiteness(call.func.expr, depth + 1) is Finiteness.INFINITE:
                return Finiteness.UNKNOWN  # some other method of an endless pipeline
        name = callee.qualname if isinstance(callee, External) else call_name(call)
        if name == "iter" and len(call.args) == 2:
            return Finiteness.UNKNOWN  # iter(callable, sentinel)
        if name in PASS_THROUGH and call.args:
            parts = [self.iterable_finiteness(argument, depth + 1) for argument in call.args]
            if name == "zip":
                return Finiteness.FINITE if Finiteness.FINITE in parts else _combine(parts)
            return _combine(parts[:1])
        return Finiteness.FINITE

    def _is_image_flow(self, call: nodes.Call) -> bool:
        """`ImageDataGenerator(…).flow(…)` / `.flow_from_directory(…)`: iterating Keras's image iterator never
        ends (its index generator restarts each pass), so `for x, y in zip(images, masks): yield …` is endless."""
        return is_image_flow(call, self.resolver, IMAGE_FLOWS)

    # --- yields -------------------------------------------------------------------------------

    def _yield_facts(self, node: nodes.Yield | nodes.YieldFrom) -> tuple[YieldFact, ...]:
        """One fact per `yield`; `yield from` a project generator stands for that generator's yields."""
        if isinstance(node, nodes.YieldFrom):
            delegate = self._delegate(node.value)
            if delegate is not None:
                return self.facts(delegate).yields
            return (YieldFact(node, YieldShape.DELEGATED, None, node.value.as_string()),)
        value = node.value
        if value is None:
            return (YieldFact(node, YieldShape.BARE, None, "None"),)
        shape, arity = self.value_shape(value)
        function = node.frame()
        conditions = mode_conditions(node, function) if isinstance(function, nodes.FunctionDef) else ()
        return (YieldFact(node, shape, arity, value.as_string(), self.samples.element_kinds(value), conditions),)

    def _delegate(self, value: nodes.NodeNG) -> nodes.FunctionDef | None:
        target = self.resolver.follow(value)
        if isinstance(target, nodes.Call):
            callee = self.resolver.follow(target.func)
            if isinstance(callee, nodes.FunctionDef) and is_generator_function(callee):
                return callee
        return None

    def element_fact(self, expression: nodes.GeneratorExp) -> YieldFact:
        """A generator expression's element, described like a yield."""
        shape, arity = self.value_shape(expression.elt)
        elements = self.samples.element_kinds(expression.elt)
        return YieldFact(expression.elt, shape, arity, expression.elt.as_string(), elements)

    def value_shape(self, value: nodes.NodeNG, depth: int = 0) -> tuple[YieldShape, int | None]:
        if depth > 6:
            return YieldShape.UNKNOWN, None
        if isinstance(value, nodes.Tuple):
            if any(isinstance(element, nodes.Starred) for element in value.elts):
                return YieldShape.TUPLE, None
            return YieldShape.TUPLE, len(value.elts)
        if isinstance(value, nodes.List):
            starred = any(isinstance(element, nodes.Starred) for element in value.elts)
            return YieldShape.LIST, None if starred else len(value.elts)
        if isinstance(value, nodes.Dict):
            return YieldShape.DICT, None
        if isinstance(value, (nodes.ListComp,)):
            return YieldShape.LIST, None
        if isinstance(value, nodes.DictComp):
            return YieldShape.DICT, None
        if isinstance(value, nodes.BinOp):
            return self._binary_shape(value, depth), None
        if isinstance(value, nodes.Const) and isinstance(value.value, (int, float, str)):
            return YieldShape.BARE, None
        if isinstance(value, nodes.Subscript) and _slices(value.slice):
            return YieldShape.BARE, None  # a slice of an array (or of a list, which is no tuple either)
        if isinstance(value, nodes.Subscript) and self.samples.scalar_index(value.slice) is False:
            return YieldShape.BARE, None  # fancy indexing, `x[rows]` with an array of indices: an array
        if isinstance(value, nodes.Call):
            return self._call_shape(value), None
        if isinstance(value, nodes.Name):
            return self._name_shape(value, depth)
        return YieldShape.UNKNOWN, None

    def _binary_shape(self, value: nodes.BinOp, depth: int) -> YieldShape:
        """`x / 255.0` is an array; `(x,) * 2` and `(x,) + (y,)` are tuples; `a + b` of unknowns is unknown."""
        if value.op in ("/", "-", "//", "**", "@", "%"):
            return YieldShape.BARE
        shapes = {self.value_shape(side, depth + 1)[0] for side in (value.left, value.right)}
        for container in (YieldShape.TUPLE, YieldShape.LIST):
            if container in shapes:
                return container
        numeric = any(
            isinstance(side, nodes.Const) and isinstance(side.value, (int, float)) for side in (value.left, value.right)
        )
        if value.op == "*" or numeric or YieldShape.BARE in shapes:
            return YieldShape.BARE
        return YieldShape.UNKNOWN

    def _call_shape(self, call: nodes.Call) -> YieldShape:
        callee = self.resolver.follow(call.func)
        if isinstance(callee, External):
            if callee.qualname == "tuple":
                return YieldShape.TUPLE
            if callee.qualname in ("list", "dict"):
                return YieldShape.LIST if callee.qualname == "list" else YieldShape.DICT
            return _external_call_shape(callee)
        if isinstance(call.func, nodes.Attribute) and call.func.attrname in ("reshape", "astype", "copy"):
            return YieldShape.BARE  # array methods
        return YieldShape.UNKNOWN

    def _name_shape(self, name: nodes.Name, depth: int) -> tuple[YieldShape, int | None]:
        """The shape of a yielded local: that of the plain assignment every path to it passes last, else
        known when every assignment of it in the function agrees."""
        function = name.frame()
        last = _last_assignment(name)
        if last is not None:
            return self.value_shape(last, depth + 1)
        shapes = set()
        for assign in function.nodes_of_class(nodes.AssignName):
            if assign.name != name.name or assign.frame() is not function:
                continue
            value = assigned_value(assign)
            if value is None:
                return YieldShape.UNKNOWN, None
            shapes.add(self.value_shape(value, depth + 1))
        if isinstance(function, nodes.FunctionDef) and name.name in function.argnames():
            return YieldShape.UNKNOWN, None
        if len(shapes) == 1:
            return shapes.pop()
        return YieldShape.UNKNOWN, None


def _slices(index: nodes.NodeNG) -> bool:
    """`x[a:b]`, or a multi-axis index with a slice, `x[:, ::-1]`: it cuts an array (or a list)."""
    if isinstance(index, nodes.Tuple):
        return any(isinstance(part, nodes.Slice) for part in index.elts)
    return isinstance(index, nodes.Slice)


def _last_assignment(name: nodes.Name) -> nodes.NodeNG | None:
    """The value of the plain `name = …` that dominates `name`: the nearest one before it in its block or an
    enclosing block, with no other assignment of `name` in between and no loop around it that assigns `name`
    again (`x_batch = []`, filled, then `x_batch = np.array(x_batch) / 255` right before `yield x_batch`)."""
    function = name.frame()
    if name.scope() is not function:
        return None  # a comprehension variable: its own scope

    def assigns(node: nodes.NodeNG) -> bool:
        return any(
            target.name == name.name and target.frame() is function for target in node.nodes_of_class(nodes.AssignName)
        )

    statement = name.statement()
    while statement is not function:
        sibling = statement.previous_sibling()
        while sibling is not None:
            if assigns(sibling):
                plain = isinstance(sibling, nodes.Assign) and any(
                    isinstance(target, nodes.AssignName) and target.name == name.name for target in sibling.targets
                )
                return sibling.value if plain else None
            sibling = sibling.previous_sibling()
        parent = statement.parent
        if isinstance(parent, nodes.ExceptHandler) or (isinstance(parent, nodes.Try) and statement not in parent.body):
            return None  # the `try` body before it may or may not have run
        if isinstance(parent, (nodes.For, nodes.While)) and assigns(parent):
            return None  # an assignment later in the loop reaches it on the next pass
        if not parent.is_statement:
            return None
        statement = parent
    return None


def _external_call_shape(callee: External) -> YieldShape:
    """What an installed library's function returns, as far as a batch's structure goes."""
    if callee.last in TUPLE_FUNCTIONS:
        return YieldShape.TUPLE
    if callee.root in ("keras", "tensorflow", "tf_keras"):
        parts = callee.qualname.split(".")
        # tf.stack, tf.image.resize, keras.ops.*, keras.utils.to_categorical return one tensor
        tensor_module = parts[0] == "tensorflow" and (len(parts) == 2 or parts[1] in TENSOR_MODULES)
        if "ops" in parts or callee.last in ARRAY_FUNCTIONS or tensor_module:
            return YieldShape.BARE
        return YieldShape.UNKNOWN
    if callee.root in ARRAY_ROOTS and callee.last not in ("zip", "split", "array_split", "unique", "broadcast_arrays"):
        return YieldShape.BARE
    return YieldShape.UNKNOWN


def _combine(parts: list[Finiteness]) -> Finiteness:
    if Finiteness.INFINITE in parts:
        return Finiteness.INFINITE
    return Finiteness.UNKNOWN if Finiteness.UNKNOWN in parts else Finiteness.FINITE


def call_name(call: nodes.Call) -> str:
    func = call.func
    if isinstance(func, nodes.Name):
        return func.name
    if isinstance(func, nodes.Attribute):
        return func.attrname
    return ""


def is_repetition(loop: nodes.NodeNG) -> bool:
    """An outer `for … in range(a[, b])` that counts passes, not data: `range(epochs)`, `range(first, last)`,
    not `range(len(x))` nor a batch loop with a step, `range(0, n, batch_size)`."""
    if not (isinstance(loop, nodes.For) and isinstance(loop.iter, nodes.Call)):
        return False
    iterable = loop.iter
    if not (isinstance(iterable.func, nodes.Name) and iterable.func.name == "range" and len(iterable.args) <= 2):
        return False
    counts_data = any(
        isinstance(call.func, nodes.Name) and call.func.name == "len" for call in iterable.nodes_of_class(nodes.Call)
    )
    return not counts_data


def counts_up(loop: nodes.While) -> bool:
    """`while start < len(x): …; start += batch_size`: a counter that every pass increases, by a statement of
    the loop's own body that no `continue` can skip, compared against a bound that the loop leaves alone."""
    test = loop.test
    if not isinstance(test, nodes.Compare) or len(test.ops) != 1:
        return False
    operator, right = test.ops[0]
    if operator not in ("<", "<=", ">", ">="):
        return False
    low, high = (test.left, right) if operator in ("<", "<=") else (right, test.left)
    bounds = {name.name for name in high.nodes_of_class(nodes.Name)}
    counters = {statement.target.name for statement in loop.body if _increases(statement)} - bounds
    mentioned = {name.name for name in low.nodes_of_class(nodes.Name)}
    if not counters & mentioned or not isinstance(low, (nodes.Name, nodes.BinOp)):
        return False
    watched = mentioned | bounds
    attributes = {node.attrname for side in (low, high) for node in side.nodes_of_class(nodes.Attribute)}
    for node in function_body_nodes(loop):
        if isinstance(node, nodes.Continue) and _innermost_loop(node) is loop:
            return False
        if isinstance(node, nodes.AssignAttr) and node.attrname in attributes:
            return False
        counted = isinstance(node, nodes.AssignName) and node.name in counters and node.parent in loop.body
        if isinstance(node, nodes.AssignName) and node.name in watched and not counted:
            return False
    return True


def _increases(statement: nodes.NodeNG) -> bool:
    """`i += step` with a step that is not a negative or zero constant."""
    if not isinstance(statement, nodes.AugAssign) or statement.op != "+=":
        return False
    if not isinstance(statement.target, nodes.AssignName):
        return False
    step = statement.value
    if isinstance(step, nodes.Const):
        return isinstance(step.value, (int, float)) and not isinstance(step.value, bool) and step.value > 0
    return not (isinstance(step, nodes.UnaryOp) and step.op == "-")


def switch_operands(test: nodes.NodeNG) -> Iterator[nodes.Name]:
    """Names used as on/off switches in a condition: `forever`, `not forever`, `num_epochs is not None`."""
    if isinstance(test, nodes.Name):
        yield test
    elif isinstance(test, nodes.UnaryOp) and test.op == "not":
        yield from switch_operands(test.operand)
    elif isinstance(test, nodes.BoolOp):
        for value in test.values:
            yield from switch_operands(value)
    elif isinstance(test, nodes.Compare) and len(test.ops) == 1 and isinstance(test.left, nodes.Name):
        operator, right = test.ops[0]
        if operator in ("is", "is not") and isinstance(right, nodes.Const) and right.value is None:
            yield test.left


def chain_root(node: nodes.NodeNG) -> nodes.NodeNG:
    """`dataset` in `dataset.batch(32).as_numpy_iterator()`."""
    while True:
        if isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute):
            node = node.func.expr
        elif isinstance(node, nodes.Attribute):
            node = node.expr
        else:
            return node


def single_return(function: nodes.FunctionDef) -> nodes.NodeNG | None:
    """The value of a function's only `return`, if it has exactly one."""
    returns = [node for node in function_body_nodes(function) if isinstance(node, nodes.Return)]
    if len(returns) == 1 and returns[0].value is not None:
        return returns[0].value
    return None


def enclosing_loops(node: nodes.NodeNG, function: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    """The `for` / `while` loops around `node` inside `function`, innermost first (only their bodies)."""
    child = node
    parent = node.parent
    while parent is not None and parent is not function:
        if isinstance(parent, (nodes.For, nodes.While)) and child in parent.body:
            yield parent
        child, parent = parent, parent.parent


def loop_exits(loop: nodes.For | nodes.While) -> Iterator[nodes.NodeNG]:
    """`return` anywhere in the loop, and `break` statements that belong to this loop."""
    for node in function_body_nodes(loop):
        leaves_function = isinstance(node, nodes.Return) and not _in_orelse(node, loop)
        if leaves_function or (isinstance(node, nodes.Break) and _innermost_loop(node) is loop):
            yield node


def raises_stop_iteration(loop: nodes.NodeNG) -> bool:
    for node in function_body_nodes(loop):
        if isinstance(node, nodes.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, nodes.Call) else node.exc
            if isinstance(raised, nodes.Name) and raised.name == "StopIteration":
                return True
    return False


def _in_orelse(node: nodes.NodeNG, loop: nodes.For | nodes.While) -> bool:
    return any(node is child or node in child.nodes_of_class(type(node)) for child in loop.orelse)


def _innermost_loop(node: nodes.NodeNG) -> nodes.NodeNG | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, (nodes.FunctionDef, nodes.Lambda)):
        if isinstance(parent, (nodes.For, nodes.While)):
            return parent
        parent = parent.parent
    return None


def swallows(handler: nodes.ExceptHandler) -> bool:
    """An `except` whose body only passes, continues or is `...`, where that loses data.

    Four idioms lose nothing and are left alone: waiting on a queue or a timeout (`except queue.Empty:
    continue`), a fast path that returns (`try: return cache[key] except KeyError: pass`), a default
    kept in place (`ages[k] = DEFAULT …; try: ages[k] = table[key] except KeyError: pass`, or `continue`:
    an unknown word left as zeros in a preallocated row), and a side effect no sample depends on
    (`try: os.makedirs(cache_dir) except OSError: pass`).
    """
    if not all(_is_no_op(statement) for statement in handler.body):
        return False
    if _caught_names(handler) and _caught_names(handler) <= NOTHING_TO_LOSE:
        return False
    body = handler.parent.body if isinstance(handler.parent, nodes.Try) else []
    if any(isinstance(statement, nodes.Continue) for statement in handler.body):
        # `try: X[i, t] = vectors[word] except KeyError: continue`: the slot keeps its default, as with `pass`
        return not (_retries(handler) or (body and _only_overwrites(body, handler.parent)))
    if not body:
        return True
    return not (
        isinstance(body[-1], nodes.Return)
        or _only_overwrites(body, handler.parent)
        or _only_side_effects(body, handler.parent)
    )


# Exceptions that say "no data yet", not "this sample failed".
NOTHING_TO_LOSE = frozenset({"Empty", "TimeoutError", "timeout"})


def _retries(handler: nodes.ExceptHandler) -> bool:
    """`for _ in range(attempts): try: … except E: continue; break`: the `continue` tries the same item again."""
    loop = _innermost_loop(handler)
    if loop is None:
        return False
    counts_attempts = isinstance(loop, nodes.While) or is_repetition(loop)
    breaks = any(isinstance(node, nodes.Break) and _innermost_loop(node) is loop for node in function_body_nodes(loop))
    return counts_attempts and breaks


def _is_no_op(statement: nodes.NodeNG) -> bool:
    if isinstance(statement, (nodes.Pass, nodes.Continue)):
        return True
    return (
        isinstance(statement, nodes.Expr)
        and isinstance(statement.value, nodes.Const)
        and (statement.value.value is Ellipsis or isinstance(statement.value.value, str))
    )


def _caught_names(handler: nodes.ExceptHandler) -> set[str]:
    caught = handler.type
    if caught is None:
        return set()
    elements = caught.elts if isinstance(caught, nodes.Tuple) else [caught]
    names = set()
    for element in elements:
        if isinstance(element, nodes.Name):
            names.add(element.name)
        elif isinstance(element, nodes.Attribute):
            names.add(element.attrname)
        else:
            return set()
    return names


def _only_overwrites(body: list[nodes.NodeNG], statement_node: nodes.NodeNG) -> bool:
    """A `try` that only stores into existing slots (`ages[k] = …`, `self.x = …`, or a name given a default
    before the `try`): on failure the old value stays."""
    for statement in body:
        if not isinstance(statement, nodes.Assign):
            return False
        for target in statement.targets:
            if isinstance(target, nodes.AssignName):
                if not _has_default(target.name, statement_node):
                    return False
            elif not isinstance(target, (nodes.Subscript, nodes.AssignAttr)):
                return False
        if any(_collects(call) for call in statement.value.nodes_of_class(nodes.Call)):
            return False
    return True


def _only_side_effects(body: list[nodes.NodeNG], try_node: nodes.NodeNG) -> bool:
    """A `try` of calls whose results are dropped and that touch no batch (`os.makedirs(cache_dir)`,
    `plt.close()`): when one fails, `pass` lets the code after the `try` run as before, so no sample is lost.
    A call that collects (`xs.append`), hands a sample on (`queue.put`) or is given a name that reaches the
    batch (`load_into(xs, ys, path)`) may have done half its work, and an `else:` block is skipped on failure."""
    if not isinstance(try_node, nodes.Try) or try_node.orelse:
        return False
    batch_names = _batch_names(try_node.frame())
    for statement in body:
        if not (isinstance(statement, nodes.Expr) and isinstance(statement.value, nodes.Call)):
            return False
        calls = list(statement.nodes_of_class(nodes.Call))
        if any(_collects(call) or _hands_on(call) for call in calls):
            return False
        if any(name.name in batch_names for name in statement.nodes_of_class(nodes.Name)):
            return False
    return True


def _hands_on(call: nodes.Call) -> bool:
    return isinstance(call.func, nodes.Attribute) and call.func.attrname in ("put", "put_nowait", "send")


def _batch_names(function: nodes.NodeNG) -> set[str]:
    """Names that carry a batch in `function`: those it yields or returns, and those it collects into."""
    names: set[str] = set()
    for node in function_body_nodes(function):
        if isinstance(node, (nodes.Yield, nodes.YieldFrom, nodes.Return)) and node.value is not None:
            names.update(name.name for name in node.value.nodes_of_class(nodes.Name))
        elif isinstance(node, nodes.Call) and _collects(node) and isinstance(node.func, nodes.Attribute):
            names.update(name.name for name in node.func.expr.nodes_of_class(nodes.Name))
    return names


def _has_default(name: str, try_node: nodes.NodeNG) -> bool:
    """Whether `name = …` is assigned just before the `try`, in the same block."""
    previous = try_node.previous_sibling()
    while previous is not None:
        if isinstance(previous, nodes.Assign) and any(
            isinstance(target, nodes.AssignName) and target.name == name for target in previous.targets
        ):
            return True
        previous = previous.previous_sibling()
    return False


def _collects(call: nodes.Call) -> bool:
    return isinstance(call.func, nodes.Attribute) and call.func.attrname in ("append", "extend", "add", "insert")
