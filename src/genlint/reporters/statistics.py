"""`--statistics`: how many findings of each rule, instead of the findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from genlint.engine import RunResult


@dataclass(frozen=True)
class CodeCount:
    code: str
    name: str
    count: int


def code_counts(result: RunResult) -> list[CodeCount]:
    """One entry per reported code, the most frequent first (ties by code), as `ruff --statistics` orders."""
    counts = Counter(diagnostic.code for diagnostic in result.diagnostics)
    names = {diagnostic.code: diagnostic.name for diagnostic in result.diagnostics}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [CodeCount(code, names[code], count) for code, count in ordered]


def report_statistics(result: RunResult, stream: TextIO, *, quiet: bool = False) -> None:
    """`    3  GEN201  missing-steps-per-epoch` lines, then the total (which `quiet` leaves out)."""
    for entry in code_counts(result):
        stream.write(f"{entry.count:>5}  {entry.code}  {entry.name}\n")
    if quiet:
        return
    total = len(result.diagnostics)
    if total == 0:
        stream.write(f"All checks passed ({_files(result.files)}).\n")
    else:
        stream.write(f"Found {total} {'problem' if total == 1 else 'problems'} in {_files(result.files)}.\n")


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"
