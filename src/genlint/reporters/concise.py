"""One line per diagnostic: `path:line:col: CODE message`."""

from __future__ import annotations

from typing import TextIO

from genlint.engine import RunResult


def report_concise(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """`color` and `quiet` are accepted for a uniform reporter signature: this format is plain text for tools
    to read, and holds the findings only."""
    for diagnostic in result.diagnostics:
        # A message must never break the one-line-per-diagnostic contract that editors and CI parse.
        message = " ".join(diagnostic.message.splitlines())
        stream.write(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {message}\n")
