"""Batch-shape facts: whether a batch loop can serve a partial last batch, or only full ones.

A generator (or a Sequence's `__getitem__`) takes its batches in one of three ways, and only the first can
give a short last batch:

* a slice that stops at the end of the data: `x[start:start + bs]` in `for start in range(0, n, bs)`,
  `x[i * bs:(i + 1) * bs]` in `for i in range(math.ceil(n / bs))`, or the chunks of
  `np.array_split(x, math.ceil(n / bs))`;
* a slice loop that stops early: `range(0, n - bs + 1, bs)`, `range(n // bs)`, or a guard such as
  `if start + bs > n: break`;
* a random draw of a fixed size: `np.random.choice(n, bs)`, `np.random.randint(0, n, bs)`.

Anything else (a `while` loop with a hand-kept counter, an accumulator flushed at `len(batch) == bs`, a
loop over something genlint cannot see) is unknown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator

from astroid import nodes

from genlint.analysis.resolve import External, Resolver
from genlint.analysis.values import expression, floor_operands, is_ceil_count

SPLITS = frozenset({"numpy.array_split", "numpy.split"})
CYCLE = frozenset({"itertools.cycle"})
# Random draws of many indices at once, with where their size argument sits (position, keyword).
RANDOM_DRAWS = {
    "numpy.random.choice": (1, "size"),
    "numpy.random.randint": (2, "size"),
    "numpy.random.random_integers": (2, "size"),
    "random.sample": (1, "k"),
    "random.choices": (99, "k"),  # `k` is keyword-only
}
# The same draws as methods of a `np.random.default_rng()` / `RandomState()` object.
RANDOM_METHODS = {"choice": (1, "size"), "integers": (2, "size"), "randint": (2, "size")}
# Arrays allocated whole, their first dimension the batch size, then filled row by row.
ALLOCATIONS = frozenset({"numpy.zeros", "numpy.empty", "numpy.ones", "numpy.full"})


class BatchTake(enum.Enum):
    """How a scope takes one batch with a given index."""

    SLICE = "slice"  # a contiguous slice by the index, which stops at the end of the data: may be short
    GUARDED = "guarded"  # a slice by the index, but a short one is skipped (`if len(xb) < bs: continue`)
    NONE = "none"  # no slice by the index: this is not where the batch is taken
    UNKNOWN = "unknown"  # a slice, and some other condition on it that genlint cannot judge


def partial_last_batch(
    function: nodes.FunctionDef, resolver: Resolver, seen: frozenset[int] = frozenset()
) -> bool | None:
    """True when the function's batch loop can yield a short last batch (`range(0, n, bs)` with slicing),
    False when it yields only full batches (`range(n // bs)`, `range(0, n - bs + 1, bs)`, random draws of
    a fixed size), None when unknown. Every yield must agree."""
    if id(function) in seen:
        return None
    seen = seen | {id(function)}
    verdicts = {_yield_verdict(node, function, resolver, seen) for node in _own_yields(function)}
    return verdicts.pop() if len(verdicts) == 1 else None


def batch_take(scope: nodes.NodeNG, index: str) -> BatchTake:
    """How `scope` (a loop body, or `__getitem__`) takes the batch numbered or started by `index`.

    For a Sequence: `batch_take(getitem, "idx")` is SLICE for `self.x[idx * bs:(idx + 1) * bs]`, so the
    last batch is short exactly when `__len__` rounds up and the batch size does not divide the data.
    """
    body = list(_own_nodes(scope))
    derived = _derived_names(body, {index})
    slices = [node for node in body if _is_index_slice(node, derived)]
    if not slices:
        return BatchTake.NONE
    guards = [
        node for node in body if isinstance(node, nodes.If) and _only_skips(node) and _mentions(node.test, derived)
    ]
    if not guards:
        return BatchTake.SLICE
    return BatchTake.GUARDED if all(_is_size_guard(guard.test) for guard in guards) else BatchTake.UNKNOWN


def draws_random_batch(scope: nodes.NodeNG, value: nodes.NodeNG, resolver: Resolver) -> bool:
    """Whether `value` (a yielded or returned batch) is picked by a random draw of a fixed size in `scope`:
    `idx = np.random.choice(n, bs)` then `x[idx]`. Such a batch is always full."""
    body = list(_own_nodes(scope))
    drawn = _names_always_assigned(body, lambda assigned: _is_random_draw(assigned, resolver))
    if not drawn:
        return False
    derived = _derived_names(body, drawn, every_assignment=True)
    return _mentions(value, derived)


def _may_draw_random_batch(scope: nodes.NodeNG, value: nodes.NodeNG, resolver: Resolver) -> bool:
    """Whether some path to `value` picks its rows by a random draw of a fixed size."""
    body = list(_own_nodes(scope))
    drawn = {
        name
        for name, values in _assignments(body).items()
        if any(assigned is not None and _is_random_draw(assigned, resolver) for assigned in values)
    }
    return bool(drawn) and _mentions(value, _derived_names(body, drawn))


# --- one yield ------------------------------------------------------------------------------------


def _yield_verdict(
    node: nodes.Yield | nodes.YieldFrom, function: nodes.FunctionDef, resolver: Resolver, seen: frozenset[int]
) -> bool | None:
    if isinstance(node, nodes.YieldFrom):
        delegate = _project_generator(node.value, resolver)
        return partial_last_batch(delegate, resolver, seen) if delegate is not None else None
    for loop in _enclosing_for_loops(node, function):
        takes_batches, verdict = _loop_verdict(loop, resolver, seen)
        if takes_batches:
            # `idx = np.random.choice(n, bs) if shuffle else order[i:i + bs]`: full or short, by mode
            mixed = verdict and node.value is not None and _may_draw_random_batch(function, node.value, resolver)
            return None if mixed else verdict
    if node.value is not None and draws_random_batch(function, node.value, resolver):
        return False
    if node.value is not None and _yields_allocated_batch(function, node.value, resolver):
        return False
    return None


def _yields_allocated_batch(function: nodes.FunctionDef, value: nodes.NodeNG, resolver: Resolver) -> bool:
    """`images = np.empty([batch_size, h, w, 3])`, filled row by row and yielded whole (`yield images, steers`):
    every batch has `batch_size` rows, whatever loop fills it. The first yielded name must be bound only so."""
    first = value.elts[0] if isinstance(value, nodes.Tuple) and value.elts else value
    if not isinstance(first, nodes.Name):
        return False
    body = list(_own_nodes(function))
    return first.name in _names_always_assigned(body, lambda assigned: _is_batch_allocation(assigned, resolver))


def _is_batch_allocation(value: nodes.NodeNG, resolver: Resolver) -> bool:
    """`np.zeros((batch_size, 64))`, `np.empty([bs, 66, 200, 3])`: not a first dimension of 1."""
    if not isinstance(value, nodes.Call) or _builtin(value, resolver) not in ALLOCATIONS:
        return False
    shapes = [*value.args[:1], *(item.value for item in value.keywords or [] if item.arg == "shape")]
    if len(shapes) != 1:
        return False
    shape = shapes[0]
    rows = shape.elts[0] if isinstance(shape, (nodes.Tuple, nodes.List)) and shape.elts else shape
    rows = expression(rows, resolver)
    return not (isinstance(rows, nodes.Const) and (not isinstance(rows.value, int) or rows.value <= 1))


def _loop_verdict(loop: nodes.For, resolver: Resolver, seen: frozenset[int]) -> tuple[bool, bool | None]:
    """Whether one `for` loop around a yield takes the batches (not `for augmentation in range(2)` inside
    the batch loop), and if so whether its last batch can be short."""
    iterable = _unwrap_cycle(expression(loop.iter, resolver), resolver)
    if not isinstance(iterable, nodes.Call):
        return False, None
    splits = _split_calls(iterable, resolver)
    if splits:  # `np.array_split(x, k)`: the verdict is in how `k` (or the split points) was computed
        verdicts = {_split_verdict(split, resolver) for split in splits}
        return True, verdicts.pop() if len(verdicts) == 1 else None
    delegate = _project_generator(iterable, resolver)
    if delegate is not None:  # `for xb, yb in one_pass(x, y, bs)`: its batches are passed on
        return True, partial_last_batch(delegate, resolver, seen)
    if not (_is_builtin_range(iterable, resolver) and isinstance(loop.target, nodes.AssignName)):
        return False, None
    take = batch_take(loop, loop.target.name)
    if take is BatchTake.NONE:
        return False, None
    if take is BatchTake.GUARDED:
        return True, False
    if take is BatchTake.UNKNOWN:
        return True, None
    return True, _range_verdict(iterable, resolver)


def _range_verdict(call: nodes.Call, resolver: Resolver) -> bool | None:
    """`range(0, n, bs)`: True; `range(0, n - bs + 1, bs)`: False; `range(ceil(n / bs))`: True;
    `range(n // bs)`: False; a step of 1 (one sample at a time) or anything else: None."""
    arguments = call.args
    if call.keywords or any(isinstance(argument, nodes.Starred) for argument in arguments):
        return None
    if len(arguments) == 3:
        step = arguments[2]
        if isinstance(expression(step, resolver), nodes.Const):
            constant = expression(step, resolver).value
            if not isinstance(constant, int) or constant <= 1:
                return None
        return _stop_verdict(expression(arguments[1], resolver), step, resolver)
    count = arguments[-1] if arguments else None
    if count is None or (len(arguments) == 2 and not _is_zero(arguments[0])):
        return None
    if is_ceil_count(count, resolver):
        return True
    if floor_operands(count, resolver) is not None:
        return False
    return None


def _stop_verdict(stop: nodes.NodeNG, step: nodes.NodeNG, resolver: Resolver) -> bool | None:
    """Whether the starts `range(0, stop, step)` reach into a short tail."""
    if isinstance(stop, nodes.BinOp):
        if stop.op in ("-", "+") and _contains(stop, step.as_string()):
            return False  # `n - bs + 1`, `n - bs`: the last start leaves a full batch
        if stop.op == "*" and floor_operands(stop.left, resolver) is not None:
            return False  # `n // bs * bs`: a whole number of batches
        return None
    if isinstance(stop, nodes.Const):
        divisor = expression(step, resolver)
        if isinstance(stop.value, int) and isinstance(divisor, nodes.Const) and isinstance(divisor.value, int):
            return stop.value % divisor.value != 0
        return None
    if isinstance(stop, (nodes.Name, nodes.Attribute, nodes.Subscript)):
        return True  # `n`, `self.n`, `x.shape[0]`: the number of samples
    if isinstance(stop, nodes.Call) and _builtin(stop, resolver) == "len":
        return True
    return None


# --- slices, guards and random draws ----------------------------------------------------------------


def _is_index_slice(node: nodes.NodeNG, derived: set[str]) -> bool:
    """`x[i:i + bs]`, `order[start:end]`, `slice(i * bs, (i + 1) * bs)`, `np.arange(i, min(i + bs, n))`."""
    if isinstance(node, nodes.Slice):
        return any(bound is not None and _mentions(bound, derived) for bound in (node.lower, node.upper))
    if isinstance(node, nodes.Call) and _mentions_any(node.args, derived):
        name = node.func.as_string()
        if name == "slice":
            return True
        clipped = any(isinstance(argument, nodes.Call) and argument.func.as_string() == "min" for argument in node.args)
        return clipped and name.rsplit(".", 1)[-1] in ("arange", "range")
    return False


def _only_skips(statement: nodes.If) -> bool:
    return bool(statement.body) and all(isinstance(node, (nodes.Break, nodes.Continue)) for node in statement.body)


def _is_size_guard(test: nodes.NodeNG) -> bool:
    """`start + bs > n`, `len(xb) < bs`, `xb.shape[0] != bs`: the batch is dropped when it is short."""
    return isinstance(test, nodes.Compare) and all(operator in ("<", "<=", ">", ">=", "!=") for operator, _ in test.ops)


def _is_random_draw(value: nodes.NodeNG, resolver: Resolver) -> bool:
    """`np.random.choice(n, bs)`, `rng.integers(0, n, size=bs)`, `random.sample(ids, bs)`: many indices."""
    if not isinstance(value, nodes.Call):
        return False
    callee = resolver.follow(value.func)
    place: tuple[int, str] | None = None
    if isinstance(callee, External):
        place = RANDOM_DRAWS.get(callee.qualname)
    elif isinstance(value.func, nodes.Attribute) and _is_random_generator(value.func.expr, resolver):
        place = RANDOM_METHODS.get(value.func.attrname)
    if place is None:
        return False
    position, keyword = place
    sizes = [
        *value.args[position : position + 1],
        *(item.value for item in value.keywords or [] if item.arg == keyword),
    ]
    # a draw of one index is one sample, not a batch
    return bool(sizes) and not any(isinstance(size, nodes.Const) and size.value == 1 for size in sizes)


def _is_random_generator(node: nodes.NodeNG, resolver: Resolver) -> bool:
    """`rng` bound to `np.random.default_rng(…)` / `np.random.RandomState(…)`, or `self.rng` likewise."""
    target = expression(node, resolver)
    if not isinstance(target, nodes.Call):
        return False
    callee = resolver.follow(target.func)
    return isinstance(callee, External) and callee.qualname.startswith("numpy.random.")


# --- names flowing through a scope -----------------------------------------------------------------


def _derived_names(body: list[nodes.NodeNG], seeds: set[str], every_assignment: bool = False) -> set[str]:
    """`seeds` and the names assigned from them: `start = i * bs`, `end = start + bs`, `xb = x[idx]`.

    With `every_assignment`, a name joins only when all its assignments read the set, so that a name
    also assigned from elsewhere (`idx = order[i:i + bs]` in another branch) stays out."""
    derived = set(seeds)
    assignments = _assignments(body)
    for _ in range(8):
        grown = {
            name
            for name, values in assignments.items()
            if name not in derived
            and (all if every_assignment else any)(value is not None and _mentions(value, derived) for value in values)
        }
        if not grown:
            break
        derived |= grown
    return derived


def _names_always_assigned(body: list[nodes.NodeNG], test: Callable[[nodes.NodeNG], bool]) -> set[str]:
    """Names whose every assignment in `body` passes `test`."""
    return {
        name
        for name, values in _assignments(body).items()
        if values and all(value is not None and test(value) for value in values)
    }


def _assignments(body: list[nodes.NodeNG]) -> dict[str, list[nodes.NodeNG | None]]:
    """Every name assigned in `body` with the values assigned to it (None where the value is not simple)."""
    found: dict[str, list[nodes.NodeNG | None]] = {}
    for node in body:
        if isinstance(node, nodes.AssignName):
            found.setdefault(node.name, []).append(_assigned(node))
    return found


def _assigned(target: nodes.AssignName) -> nodes.NodeNG | None:
    """The value a target receives; the whole right-hand side for `a, b = …` unpacking."""
    parent = target.parent
    while isinstance(parent, (nodes.Tuple, nodes.List, nodes.Starred)):
        parent = parent.parent
    if isinstance(parent, (nodes.Assign, nodes.AnnAssign, nodes.AugAssign, nodes.NamedExpr)):
        return parent.value
    return None


def _mentions(node: nodes.NodeNG, names: set[str]) -> bool:
    if isinstance(node, nodes.Name):
        return node.name in names
    return any(child.name in names for child in node.nodes_of_class(nodes.Name))


def _contains(node: nodes.NodeNG, text: str) -> bool:
    """Whether `node` has a part written exactly `text` (`bs` in `n - bs + 1`, not in `len(obs)`)."""
    return any(part.as_string() == text for part in (node, *node.nodes_of_class(nodes.NodeNG)))


def _mentions_any(values: Iterable[nodes.NodeNG], names: set[str]) -> bool:
    return any(_mentions(value, names) for value in values)


# --- small helpers ---------------------------------------------------------------------------------
# generators.py imports this module, so the walkers it offers are not imported back from it.


def _own_nodes(scope: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    """Every node below `scope`, not descending into nested functions, classes or lambdas."""
    stack = list(reversed(list(scope.get_children())))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (nodes.FunctionDef, nodes.ClassDef, nodes.Lambda)):
            stack.extend(reversed(list(node.get_children())))


def _own_yields(function: nodes.FunctionDef) -> list[nodes.Yield | nodes.YieldFrom]:
    return [node for node in _own_nodes(function) if isinstance(node, (nodes.Yield, nodes.YieldFrom))]


def _enclosing_for_loops(node: nodes.NodeNG, function: nodes.FunctionDef) -> Iterator[nodes.For]:
    """The `for` loops whose body holds `node`, innermost first."""
    child, parent = node, node.parent
    while parent is not None and parent is not function:
        if isinstance(parent, nodes.For) and child in parent.body:
            yield parent
        child, parent = parent, parent.parent


def _project_generator(value: nodes.NodeNG, resolver: Resolver) -> nodes.FunctionDef | None:
    """The project generator function that `value` calls, e.g. `one_pass` in `yield from one_pass(x)`."""
    call = expression(value, resolver)
    if not isinstance(call, nodes.Call):
        return None
    callee = resolver.follow(call.func)
    if isinstance(callee, nodes.FunctionDef) and _own_yields(callee):
        return callee
    return None


def _unwrap_cycle(iterable: nodes.NodeNG, resolver: Resolver) -> nodes.NodeNG:
    """`itertools.cycle(starts)` → what `starts` is."""
    if isinstance(iterable, nodes.Call) and len(iterable.args) == 1:
        callee = resolver.follow(iterable.func)
        if isinstance(callee, External) and callee.qualname in CYCLE:
            return expression(iterable.args[0], resolver)
    return iterable


def _split_calls(iterable: nodes.Call, resolver: Resolver) -> list[nodes.Call]:
    """`np.array_split(x, k)` / `np.split(x, points)` calls, also inside `zip(...)` / `enumerate(...)`."""
    return [
        call
        for call in [iterable, *iterable.nodes_of_class(nodes.Call)]
        if isinstance(callee := resolver.follow(call.func), External) and callee.qualname in SPLITS
    ]


def _split_verdict(split: nodes.Call, resolver: Resolver) -> bool | None:
    """`np.array_split(x, math.ceil(n / bs))` or split points `range(bs, n, bs)`: the last chunk is short;
    `np.array_split(x, n // bs)`: `n // bs` chunks of at least `bs` samples, so a floored count matches."""
    sections = split.args[1] if len(split.args) > 1 else None
    for keyword in split.keywords or []:
        if keyword.arg == "indices_or_sections":
            sections = keyword.value
    if sections is None:
        return None
    points = expression(sections, resolver)
    if isinstance(points, nodes.Call) and _builtin(points, resolver) in ("range", "numpy.arange"):
        return True if len(points.args) == 3 else None
    if is_ceil_count(sections, resolver):
        return True
    return False if floor_operands(sections, resolver) is not None else None


def _is_builtin_range(call: nodes.Call, resolver: Resolver) -> bool:
    return _builtin(call, resolver) == "range"


def _builtin(call: nodes.Call, resolver: Resolver) -> str:
    callee = resolver.follow(call.func)
    return callee.qualname if isinstance(callee, External) else ""


def _is_zero(node: nodes.NodeNG) -> bool:
    return isinstance(node, nodes.Const) and node.value == 0 and not isinstance(node.value, bool)
