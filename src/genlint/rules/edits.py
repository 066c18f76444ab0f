"""Small edit builders that more than one fix uses (GEN209, GEN503): text put around an expression."""

from __future__ import annotations

from astroid import nodes

from genlint.rules.base import Edit, surrounding

# Expressions that can follow `for … in` or `lambda:` as they are (a generator expression's text includes its
# parentheses); anything else (a conditional expression, a lambda, an operator…) is put in parentheses first.
PLAIN_OPERANDS = (nodes.Name, nodes.Attribute, nodes.Call, nodes.Subscript, nodes.Const, nodes.GeneratorExp)


def wrapping(node: nodes.NodeNG, before: str, after: str) -> tuple[Edit, Edit]:
    """`surrounding`, with the node's text put in parentheses first unless it can follow `before` as it is."""
    if not isinstance(node, PLAIN_OPERANDS):
        before, after = before + "(", ")" + after
    return surrounding(node, before, after)
