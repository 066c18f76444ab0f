"""Rich terminal output: each diagnostic with its code frame, a caret, a help line, then a summary."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.text import Text

from genlint.engine import RunResult
from genlint.rules.base import Diagnostic, Severity

SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}


def report_full(result: RunResult, stream: TextIO, *, color: bool = False) -> None:
    console = Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        soft_wrap=True,
        width=100,
    )
    lines_cache: dict[str, list[str] | None] = {}
    for diagnostic in result.diagnostics:
        _print_diagnostic(console, diagnostic, _source_lines(diagnostic.path, lines_cache))
    _print_summary(console, result)


def _print_diagnostic(console: Console, diagnostic: Diagnostic, lines: list[str] | None) -> None:
    header = Text()
    header.append(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: ", style="bold")
    header.append(diagnostic.code, style=SEVERITY_STYLES[diagnostic.severity])
    header.append(f" [{diagnostic.severity.value}] ", style="dim")
    header.append(diagnostic.message)
    console.print(header)
    if lines is not None and 1 <= diagnostic.line <= len(lines):
        source_line = lines[diagnostic.line - 1].rstrip("\r\n").expandtabs(1)
        gutter = f"{diagnostic.line:>5} | "
        console.print(Text(gutter, style="blue") + Text(source_line))
        start = max(diagnostic.column - 1, 0)
        if diagnostic.end_line == diagnostic.line and diagnostic.end_column > diagnostic.column:
            width = diagnostic.end_column - diagnostic.column
        else:
            width = max(len(source_line) - start, 1)
        caret = " " * start + "^" * max(min(width, max(len(source_line) - start, 1)), 1)
        console.print(Text(" " * (len(gutter) - 2) + "| ", style="blue") + Text(caret, style=SEVERITY_STYLES[diagnostic.severity]))
    if diagnostic.help:
        console.print(Text("      = help: ", style="bold cyan") + Text(diagnostic.help))
    console.print()


def _print_summary(console: Console, result: RunResult) -> None:
    counts = Counter(diagnostic.code for diagnostic in result.diagnostics)
    names = {diagnostic.code: diagnostic.name for diagnostic in result.diagnostics}
    if not counts:
        console.print(Text(f"All checks passed ({_files(result.files)}).", style="bold green"))
        return
    for code in sorted(counts):
        console.print(f"{counts[code]:>5}  {code}  {names[code]}")
    total = sum(counts.values())
    noun = "problem" if total == 1 else "problems"
    console.print(Text(f"Found {total} {noun} in {_files(result.files)}.", style="bold"))


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _source_lines(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                cache[path] = handle.read().splitlines()
        except OSError:
            cache[path] = None
    return cache[path]
