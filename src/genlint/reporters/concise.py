"""One line per diagnostic: `path:line:col: CODE message`; in a notebook `path:cell N:line:col: CODE message`,
with the line counted within cell N (as ruff writes it)."""

from __future__ import annotations

from typing import TextIO

from genlint.engine import RunResult
from genlint.reporters.locations import place


def report_concise(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """`color` and `quiet` are accepted for a uniform reporter signature: this format is plain text for tools
    to read, and holds the findings only."""
    for diagnostic in result.diagnostics:
        # A message must never break the one-line-per-diagnostic contract that editors and CI parse.
        message = " ".join(diagnostic.message.splitlines())
        stream.write(f"{place(diagnostic)}: {diagnostic.code} {message}\n")
