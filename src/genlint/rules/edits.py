"""Small edit builders that more than one fix uses (GEN209, GEN503): text put around an expression."""

from __future__ import annotations

from astroid import nodes

from genlint.rules.base import Edit, node_span

# Expressions that can follow `for … in` or `lambda:` as they are (a generator expression's text includes its
# parentheses); anything else (a conditional expression, a lambda, an operator…) is put in parentheses first.
PLAIN_OPERANDS = (nodes.Name, nodes.Attribute, nodes.Call, nodes.Subscript, nodes.Const, nodes.GeneratorExp)


def wrapping(node: nodes.NodeNG, before: str, after: str) -> tuple[Edit, Edit]:
    """The two edits that put `before` in front of the node's text and `after` behind it; the text in
    between stays as written (comments and line breaks included)."""
    line, column, end_line, end_column = node_span(node)
    if not isinstance(node, PLAIN_OPERANDS):
        before, after = before + "(", ")" + after
    return Edit(line, column, line, column, before), Edit(end_line, end_column, end_line, end_column, after)
