"""Where a generator shuffles its sample order: once before its unbounded loop, or again inside it."""

from __future__ import annotations

from collections.abc import Iterator

from astroid import nodes

from genlint.analysis.resolve import External, Resolver

# Shuffles that change their argument in place.
IN_PLACE_SHUFFLES = frozenset({"numpy.random.shuffle", "random.shuffle"})
# Shuffles that return a new order: `idx = np.random.permutation(n)`, `x, y = sklearn.utils.shuffle(x, y)`.
RETURNED_SHUFFLES = frozenset({"numpy.random.permutation", "sklearn.utils.shuffle", "tensorflow.random.shuffle"})
# Objects with their own `shuffle` / `permutation` methods.
RANDOM_OBJECTS = frozenset({"numpy.random.default_rng", "numpy.random.RandomState", "random.Random"})
# Calls in the loop that reorder or sample again, by their last name: `rng.choice(n, bs)`, `random.sample(…)`.
REORDERING_NAMES = frozenset(
    {"shuffle", "permutation", "permuted", "choice", "choices", "sample", "randint", "integers", "randrange"}
)


class OrderAnalyzer:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def shuffle_facts(
        self, function: nodes.FunctionDef, body: list[nodes.NodeNG], loop: nodes.NodeNG | None
    ) -> tuple[tuple[nodes.Call, ...], bool]:
        """The shuffles before `loop` whose result the loop reads, and whether the loop reorders again."""
        if not isinstance(loop, (nodes.For, nodes.While)):
            return (), False
        inside = {id(node) for node in loop.nodes_of_class(nodes.NodeNG)}
        reshuffles = any(isinstance(node, nodes.Call) and self._reorders(node) for node in body if id(node) in inside)
        read = {_read_key(node) for node in loop.nodes_of_class((nodes.Name, nodes.Attribute))}
        setup = [
            node
            for node in body
            if id(node) not in inside and (node.lineno or 0) < (loop.lineno or 0) and not _in_loop(node, function)
        ]
        assignments = [node for node in setup if isinstance(node, nodes.Assign)]
        before = tuple(
            node
            for node in setup
            if isinstance(node, nodes.Call) and _derived(set(self._shuffled_names(node)), node, assignments) & read
        )
        return before, reshuffles

    def _shuffled_names(self, call: nodes.Call) -> Iterator[str]:
        """The names whose order `call` shuffles: its argument when in place, else the names it is assigned to."""
        kind = self._shuffle_kind(call)
        if kind == "in place" and call.args:
            yield _read_key(call.args[0])
        elif kind == "returned":
            statement = call.statement()
            if isinstance(statement, nodes.Assign):
                for target in statement.targets:
                    yield from _target_keys(target)

    def _shuffle_kind(self, call: nodes.Call) -> str | None:
        callee = self.resolver.follow(call.func)
        if isinstance(callee, External):
            if callee.qualname in IN_PLACE_SHUFFLES:
                return "in place"
            return "returned" if callee.qualname in RETURNED_SHUFFLES else None
        if not isinstance(call.func, nodes.Attribute):
            return None
        method = call.func.attrname
        if method == "sample" and any(keyword.arg == "frac" for keyword in call.keywords or []):
            return "returned"  # pandas: `df = df.sample(frac=1)`
        if method in ("shuffle", "permutation") and self._is_random_object(call.func.expr):
            return "in place" if method == "shuffle" else "returned"
        return None

    def _is_random_object(self, node: nodes.NodeNG) -> bool:
        target = self.resolver.follow(node)
        if not isinstance(target, nodes.Call):
            return False
        maker = self.resolver.follow(target.func)
        return isinstance(maker, External) and maker.qualname in RANDOM_OBJECTS

    def _reorders(self, call: nodes.Call, depth: int = 0) -> bool:
        """A call that shuffles or samples: by its name, or a project helper whose body does."""
        name = _last_name(call)
        if name in REORDERING_NAMES or "shuffle" in name.lower():
            return True
        callee = self.resolver.follow(call.func)
        if depth == 0 and isinstance(callee, nodes.FunctionDef):
            return any(self._reorders(inner, depth + 1) for inner in callee.nodes_of_class(nodes.Call))
        return False


def _derived(keys: set[str], shuffle: nodes.Call, assignments: list[nodes.Assign]) -> set[str]:
    """The shuffled names, plus those assigned from them later, before the loop: `x, y = x[rows], y[rows]`."""
    if not keys:
        return keys
    keys = set(keys)
    for assign in assignments:
        if (assign.lineno or 0) <= (shuffle.lineno or 0):
            continue
        reads = {_read_key(node) for node in assign.value.nodes_of_class((nodes.Name, nodes.Attribute))}
        if reads & keys:
            for target in assign.targets:
                keys.update(_target_keys(target))
    return keys


def _last_name(call: nodes.Call) -> str:
    func = call.func
    if isinstance(func, nodes.Name):
        return func.name
    return func.attrname if isinstance(func, nodes.Attribute) else ""


def _read_key(node: nodes.NodeNG) -> str:
    """`idx` for a name, `self.idx` for an attribute: how a shuffled thing is matched with its reads."""
    if isinstance(node, (nodes.Name, nodes.AssignName)):
        return node.name
    try:
        return node.as_string()
    except Exception:  # astroid cannot render some synthetic nodes
        return ""


def _target_keys(target: nodes.NodeNG) -> Iterator[str]:
    if isinstance(target, (nodes.Tuple, nodes.List)):
        for element in target.elts:
            yield from _target_keys(element)
    elif isinstance(target, nodes.AssignName):
        yield target.name
    elif isinstance(target, nodes.AssignAttr):
        yield f"{target.expr.as_string()}.{target.attrname}"


def _in_loop(node: nodes.NodeNG, function: nodes.FunctionDef) -> bool:
    parent = node.parent
    while parent is not None and parent is not function:
        if isinstance(parent, (nodes.For, nodes.While, nodes.Comprehension)):
            return True
        parent = parent.parent
    return False
