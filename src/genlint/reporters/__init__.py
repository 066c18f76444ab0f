"""Output formats. Each reporter writes a RunResult to a text stream."""

from __future__ import annotations

from typing import Protocol, TextIO

from genlint.engine import RunResult
from genlint.reporters.concise import report_concise
from genlint.reporters.full import report_full


class Reporter(Protocol):
    def __call__(self, result: RunResult, stream: TextIO, *, color: bool = False) -> None: ...


REPORTERS: dict[str, Reporter] = {
    "concise": report_concise,
    "full": report_full,
}
