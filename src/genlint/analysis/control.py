"""Control-flow facts in a generator body: which mode a yield belongs to, and `raise StopIteration`."""

from __future__ import annotations

from collections.abc import Iterator

from astroid import nodes

# Calls that read an object without changing between batches: `if len(weights):`, `if callable(augment):`.
STEADY_CALLS = frozenset({"len", "isinstance", "hasattr", "callable", "getattr", "bool"})
# What catches a StopIteration raised in a `try` body.
STOP_ITERATION_CATCHERS = frozenset({"StopIteration", "Exception", "BaseException"})


def mode_conditions(node: nodes.NodeNG, function: nodes.FunctionDef) -> tuple[tuple[nodes.If, bool], ...]:
    """The mode switches that decide whether `node` runs, each with the outcome it needs.

    A mode switch is an `if` whose test stays the same for one generator object. A yield runs under it when
    it sits in one branch, or when it follows an `if` whose other branch never falls through
    (`if y is None: while True: yield (x,)` then `while True: yield x, y`).
    """
    conditions: list[tuple[nodes.If, bool]] = []
    child: nodes.NodeNG = node.statement()
    parent = child.parent
    while parent is not None and parent is not function:
        if isinstance(parent, nodes.If) and child is not parent.test and is_mode_switch(parent, function):
            conditions.append((parent, any(statement is child for statement in parent.body)))
        conditions.extend(_earlier_switches(child, function))
        child, parent = parent, parent.parent
    conditions.extend(_earlier_switches(child, function))
    return tuple(conditions)


def _earlier_switches(statement: nodes.NodeNG, function: nodes.FunctionDef) -> Iterator[tuple[nodes.If, bool]]:
    """Mode switches before `statement` in its block whose taken branch never reaches it."""
    earlier = statement.previous_sibling()
    while earlier is not None:
        if isinstance(earlier, nodes.If) and is_mode_switch(earlier, function):
            body_ends, orelse_ends = never_falls_through(earlier.body), never_falls_through(earlier.orelse)
            if body_ends and not orelse_ends:
                yield earlier, False
            elif orelse_ends and not body_ends:
                yield earlier, True
        earlier = earlier.previous_sibling()


def is_mode_switch(test_owner: nodes.If, function: nodes.FunctionDef) -> bool:
    """An `if` whose test is the same every time it runs in one generator object: outside every loop, or
    reading only names that no enclosing loop rebinds, with no call but `len`, `isinstance` and the like."""
    loops = [parent for parent in _ancestors(test_owner, function) if isinstance(parent, (nodes.For, nodes.While))]
    if not loops:
        return True
    test = test_owner.test
    for call in test.nodes_of_class(nodes.Call):
        if not (isinstance(call.func, nodes.Name) and call.func.name in STEADY_CALLS):
            return False  # `if np.random.rand() < 0.5:` changes from batch to batch
    rebound = _bound_names(loops[-1])
    read = {name.name for name in test.nodes_of_class(nodes.Name)}
    read |= {attribute.attrname for attribute in test.nodes_of_class(nodes.Attribute)}
    return not read & rebound


def never_falls_through(block: list[nodes.NodeNG]) -> bool:
    """A block whose last statement leaves it: `return`, `raise`, `break`, `continue`, an endless
    `while True` with no `break`, or an `if` both of whose branches leave."""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, (nodes.Return, nodes.Raise, nodes.Break, nodes.Continue)):
        return True
    if isinstance(last, nodes.While):
        endless = isinstance(last.test, nodes.Const) and bool(last.test.value)
        return endless and not any(_breaks_out_of(node, last) for node in last.nodes_of_class(nodes.Break))
    if isinstance(last, nodes.If):
        return never_falls_through(last.body) and never_falls_through(last.orelse)
    return False


def stop_iteration_raises(function: nodes.FunctionDef, body: list[nodes.NodeNG]) -> tuple[nodes.Raise, ...]:
    """`raise StopIteration` / `raise StopIteration(…)` in a generator's own body that no surrounding
    `try` of that body catches: PEP 479 turns it into `RuntimeError: generator raised StopIteration`."""
    return tuple(
        node
        for node in body
        if isinstance(node, nodes.Raise)
        and _is_stop_iteration(node)
        and not _caught(node, function)
        and not _unreachable(node)
    )


def _unreachable(statement: nodes.NodeNG) -> bool:
    """A statement after one that never falls through in its block: the `raise StopIteration()` written
    after a `while True:` loop with no `break` never runs."""
    earlier = statement.previous_sibling()
    while earlier is not None:
        if never_falls_through([earlier]):
            return True
        earlier = earlier.previous_sibling()
    return False


def _is_stop_iteration(node: nodes.Raise) -> bool:
    raised = node.exc.func if isinstance(node.exc, nodes.Call) else node.exc
    return isinstance(raised, nodes.Name) and raised.name == "StopIteration"


def _caught(node: nodes.NodeNG, function: nodes.FunctionDef) -> bool:
    child, parent = node, node.parent
    while parent is not None and parent is not function:
        in_try_body = isinstance(parent, nodes.Try) and any(statement is child for statement in parent.body)
        if in_try_body and any(_catches_stop_iteration(handler) for handler in parent.handlers):
            return True
        child, parent = parent, parent.parent
    return False


def _catches_stop_iteration(handler: nodes.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    caught = handler.type.elts if isinstance(handler.type, nodes.Tuple) else [handler.type]
    names = {item.name if isinstance(item, nodes.Name) else getattr(item, "attrname", "") for item in caught}
    return bool(names & STOP_ITERATION_CATCHERS)


def _ancestors(node: nodes.NodeNG, function: nodes.FunctionDef) -> Iterator[nodes.NodeNG]:
    """The nodes between `node` and `function`, innermost first."""
    parent = node.parent
    while parent is not None and parent is not function:
        yield parent
        parent = parent.parent


def _bound_names(loop: nodes.NodeNG) -> set[str]:
    """Names (and `self.` attributes) assigned anywhere in a loop, its own target included."""
    names = {node.name for node in loop.nodes_of_class(nodes.AssignName)}
    names |= {node.attrname for node in loop.nodes_of_class(nodes.AssignAttr)}
    return names


def _breaks_out_of(node: nodes.Break, loop: nodes.While) -> bool:
    parent = node.parent
    while parent is not None and parent is not loop:
        if isinstance(parent, (nodes.For, nodes.While, nodes.FunctionDef, nodes.Lambda)):
            return False
        parent = parent.parent
    return parent is loop
