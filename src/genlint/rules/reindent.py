"""Source lines for fixes that move code into a loop (GEN101 wraps a loop in `while True:`, GEN108 moves a
shuffle into one) or rearrange a call's arguments (GEN206).

Re-indenting must not change a string: a line that begins inside a string literal keeps its text, since
indenting it would change the string's content. Blank lines stay as they are, and comment or continuation
lines are indented with the block, so the block reads as before, one level deeper.
"""

from __future__ import annotations

import functools
import io
import tokenize
from dataclasses import dataclass

from astroid import nodes

from genlint.rules.base import Edit
from genlint.rules.messages import LINE, node_span

# Tokens that open and close an f-string (Python 3.12+) or a t-string (3.14+): the lines between are string.
STRING_STARTS = frozenset({"FSTRING_START", "TSTRING_START"})
STRING_ENDS = frozenset({"FSTRING_END", "TSTRING_END"})
LAYOUT_TOKENS = frozenset({tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER})


@dataclass(frozen=True)
class Layout:
    """A module's lines, as fixes number them (1-based, `\\r\\n`, `\\r` and `\\n` each end one)."""

    lines: tuple[str, ...]  # with their line endings
    inside_string: frozenset[int]  # lines that begin inside a string literal
    statement_starts: frozenset[int]  # lines on which a logical line (a statement) begins

    def text(self, number: int) -> str:
        """Line `number` without its line ending; empty past the end."""
        return self.lines[number - 1].rstrip("\r\n") if 1 <= number <= len(self.lines) else ""

    def ending(self, number: int) -> str:
        """The line ending of line `number`, else the file's first one, else `\\n`."""
        for line in (*self.lines[number - 1 : number], *self.lines):
            text = line.rstrip("\r\n")
            if text != line:
                return line[len(text) :]
        return "\n"

    def indentation(self, number: int) -> str:
        text = self.text(number)
        return text[: len(text) - len(text.lstrip(" \t"))]

    def starts_line(self, node: nodes.NodeNG) -> bool:
        """Only indentation stands before `node` on its first line."""
        line, column, _, _ = node_span(node)
        return not self.text(line)[: column - 1].strip()

    def ends_line(self, node: nodes.NodeNG) -> bool:
        """Only a comment (or nothing) follows `node` on its last line."""
        _, _, end_line, end_column = node_span(node)
        rest = self.text(end_line)[end_column - 1 :].strip()
        return not rest or rest.startswith("#")

    def indent_edits(self, first: int, last: int, anchor: str, unit: str) -> list[Edit] | None:
        """Edits that indent lines `first`..`last` by `unit`, inserted after the block's indentation `anchor`;
        None when a statement in them is not indented by `anchor` (tabs and spaces mixed)."""
        edits = []
        for number in range(first, last + 1):
            column = self._insertion_column(number, anchor)
            if column is None:
                return None
            if column:
                edits.append(Edit(number, column, number, column, unit))
        return edits

    def indented_text(self, first: int, last: int, anchor: str, unit: str) -> str | None:
        """The text of lines `first`..`last`, line endings included, indented as `indent_edits` would."""
        parts = []
        for number in range(first, last + 1):
            column = self._insertion_column(number, anchor)
            if column is None:
                return None
            line = self.lines[number - 1]
            parts.append(line[: column - 1] + unit + line[column - 1 :] if column else line)
        return "".join(parts)

    def _insertion_column(self, number: int, anchor: str) -> int | None:
        """Where line `number` gets its extra indentation: 0 for nowhere (a blank line, or one that begins
        inside a string), None when the line is a statement not indented by `anchor`."""
        text = self.text(number)
        if number in self.inside_string or not text.strip():
            return 0
        if text.startswith(anchor):
            return len(anchor) + 1
        if number in self.statement_starts:
            return None
        return 1  # a comment or a continuation line: any indentation reads the same


def layout_of(node: nodes.NodeNG) -> Layout | None:
    """The layout of the module that holds `node`; None when its source is not at hand or does not tokenize."""
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return None
    return _layout(source)


@functools.lru_cache(maxsize=4)
def _layout(source: bytes) -> Layout | None:
    text = source.decode("utf-8", errors="replace")
    inside_string: set[int] = set()
    statement_starts: set[int] = set()
    opened: list[int] = []
    expect_statement = True
    try:
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            name = tokenize.tok_name[token.type]
            if name in STRING_STARTS:
                opened.append(token.start[0])
            elif name in STRING_ENDS and opened:
                inside_string.update(range(opened.pop() + 1, token.end[0] + 1))
            elif token.type == tokenize.STRING:
                inside_string.update(range(token.start[0] + 1, token.end[0] + 1))
            if token.type == tokenize.NEWLINE:
                expect_statement = True
            elif token.type not in LAYOUT_TOKENS and expect_statement:
                statement_starts.add(token.start[0])
                expect_statement = False
    except (tokenize.TokenError, SyntaxError):
        return None
    return Layout(tuple(LINE.findall(text)), frozenset(inside_string), frozenset(statement_starts))
