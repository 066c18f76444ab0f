"""One line per diagnostic: `path:line:col: CODE message`."""

from __future__ import annotations

from typing import TextIO

from genlint.engine import RunResult


def report_concise(result: RunResult, stream: TextIO, *, color: bool = False) -> None:
    for diagnostic in result.diagnostics:
        stream.write(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {diagnostic.message}\n")
