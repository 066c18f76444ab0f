"""Rich terminal output: each diagnostic with its code frame, a caret, a help line, then a summary; and rule
documentation rendered from Markdown. The only module that imports rich."""

from __future__ import annotations

import re
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from genlint.engine import RunResult
from genlint.reporters.catalog import fix_safety, fixable_counts, rules_by_code
from genlint.reporters.locations import finding_lines
from genlint.rules.base import Diagnostic, FixSafety, Severity

READING_WIDTH = 100
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}
# Control characters in a source line (a null byte, an escape sequence, a bidirectional override that
# reorders what the terminal shows) would garble the output; each is shown as one replacement character, so
# that the caret stays under the right column.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def report_full(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """`quiet`: the findings only, without the summary, and nothing at all when there are none."""
    console = _console(stream, color)
    lines_cache: dict[str, list[str] | None] = {}
    rules = rules_by_code(result)
    safeties = {diagnostic.code: fix_safety(diagnostic.code, rules) for diagnostic in result.diagnostics}
    for diagnostic in result.diagnostics:
        fixable = diagnostic.fix is not None and safeties[diagnostic.code] is FixSafety.SAFE
        _print_diagnostic(console, diagnostic, finding_lines(diagnostic, lines_cache), fixable)
    if not quiet:
        _print_summary(console, result, safeties)


def print_markdown(text: str, stream: TextIO, *, color: bool = False) -> None:
    """Markdown for a terminal: headings, emphasis and highlighted code blocks (`genlint rule`)."""
    console = _console(stream, color, soft_wrap=False, width=None)
    console.width = min(console.width, READING_WIDTH)  # the terminal's width, up to a comfortable line length
    console.print(Markdown(text, code_theme="ansi_dark"))


def _console(stream: TextIO, color: bool, *, soft_wrap: bool = True, width: int | None = READING_WIDTH) -> Console:
    return Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        soft_wrap=soft_wrap,
        width=width,
    )


def _print_diagnostic(console: Console, diagnostic: Diagnostic, lines: list[str] | None, fixable: bool) -> None:
    header = Text()
    header.append(f"{_place(diagnostic)}: ", style="bold")
    header.append(diagnostic.code, style=SEVERITY_STYLES[diagnostic.severity])
    if fixable:  # `--fix` repairs it
        header.append(" [*]", style="bold cyan")
    header.append(f" [{diagnostic.severity.value}] ", style="dim")
    header.append(diagnostic.message)
    console.print(header)
    if lines is not None and 1 <= diagnostic.line <= len(lines):
        source_line = CONTROL_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", lines[diagnostic.line - 1].expandtabs(1))
        gutter = f"{diagnostic.line:>5} | "
        console.print(Text.assemble((gutter, "blue"), source_line))
        start = max(diagnostic.column - 1, 0)
        if diagnostic.end_line == diagnostic.line and diagnostic.end_column > diagnostic.column:
            width = diagnostic.end_column - diagnostic.column
        else:
            width = max(len(source_line) - start, 1)
        caret = " " * start + "^" * max(min(width, max(len(source_line) - start, 1)), 1)
        margin = " " * (len(gutter) - 2) + "| "
        console.print(Text.assemble((margin, "blue"), (caret, SEVERITY_STYLES[diagnostic.severity])))
    if diagnostic.help:
        console.print(Text.assemble(("      = help: ", "bold cyan"), diagnostic.help))
    console.print()


def _place(diagnostic: Diagnostic) -> str:
    """`train.py:12:5`; in a notebook `analysis.ipynb:cell 4:line 3:5`, where the code frame shows the cell's
    lines."""
    if diagnostic.cell:
        return f"{diagnostic.path}:cell {diagnostic.cell}:line {diagnostic.line}:{diagnostic.column}"
    return f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"


def _print_summary(console: Console, result: RunResult, safeties: dict[str, FixSafety]) -> None:
    counts = Counter(diagnostic.code for diagnostic in result.diagnostics)
    names = {diagnostic.code: diagnostic.name for diagnostic in result.diagnostics}
    if not counts:
        console.print(Text(f"All checks passed ({_files(result.files)}).", style="bold green"))
        return
    for code in sorted(counts):
        console.print(Text(f"{counts[code]:>5}  {code}  {names[code]}"))
    total = sum(counts.values())
    noun = "problem" if total == 1 else "problems"
    console.print(Text(f"Found {total} {noun} in {_files(result.files)}.", style="bold"))
    safe, unsafe = fixable_counts(result.diagnostics, safeties)
    if safe or unsafe:
        more = f", {unsafe} more with --unsafe-fixes" if unsafe else ""
        console.print(Text(f"{safe} fixable with --fix{more}."))


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"
