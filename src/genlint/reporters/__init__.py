"""Output formats. Each reporter writes a RunResult to a text stream."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from genlint.engine import RunResult


class Reporter(Protocol):
    def __call__(self, result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None: ...


# Format → the module of this package that writes it, and its function. A run imports only the one it writes:
# rich, for the full report, is a third of a run's start-up.
REPORTERS: dict[str, tuple[str, str]] = {
    "concise": ("concise", "report_concise"),
    "full": ("full", "report_full"),
    "github": ("github", "report_github"),
    "json": ("json", "report_json"),
    "sarif": ("sarif", "report_sarif"),
}
# SARIF is a log of results for a code-scanning service; a table of counts has no place in it.
STATISTICS_FORMATS = ("concise", "full", "github", "json")


@dataclass(frozen=True)
class ReportOptions:
    output_format: str
    color: bool = False
    quiet: bool = False  # the findings only: no summary, nothing when there are none
    statistics: bool = False  # counts per code instead of the findings


def write_report(result: RunResult, stream: TextIO, options: ReportOptions) -> None:
    if options.statistics and options.output_format == "json":
        _function("json", "report_json_statistics")(result, stream)
    elif options.statistics:
        _function("statistics", "report_statistics")(result, stream, quiet=options.quiet)
    else:
        reporter: Reporter = _function(*REPORTERS[options.output_format])
        reporter(result, stream, color=options.color, quiet=options.quiet)


def _function(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = ["REPORTERS", "STATISTICS_FORMATS", "ReportOptions", "Reporter", "write_report"]
