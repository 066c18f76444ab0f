"""Output formats. Each reporter writes a RunResult to a text stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from genlint.engine import RunResult
from genlint.reporters.concise import report_concise
from genlint.reporters.full import report_full

Reporter = Callable[..., None]

REPORTERS: dict[str, Callable[[RunResult, TextIO], None] | Reporter] = {
    "concise": report_concise,
    "full": report_full,
}
