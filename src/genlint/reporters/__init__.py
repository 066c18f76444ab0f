"""Output formats. Each reporter writes a RunResult to a text stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from genlint.engine import RunResult
from genlint.reporters.concise import report_concise
from genlint.reporters.github import report_github
from genlint.reporters.json import report_json, report_json_statistics
from genlint.reporters.sarif import report_sarif
from genlint.reporters.statistics import report_statistics


class Reporter(Protocol):
    def __call__(self, result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None: ...


def report_full(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """The full report (reporters/full.py). rich loads only for it: importing rich is a third of a run's
    start-up, wasted on every run that writes another format."""
    from genlint.reporters.full import report_full as write_full

    write_full(result, stream, color=color, quiet=quiet)


REPORTERS: dict[str, Reporter] = {
    "concise": report_concise,
    "full": report_full,
    "github": report_github,
    "json": report_json,
    "sarif": report_sarif,
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
        report_json_statistics(result, stream)
    elif options.statistics:
        report_statistics(result, stream, quiet=options.quiet)
    else:
        REPORTERS[options.output_format](result, stream, color=options.color, quiet=options.quiet)


__all__ = ["REPORTERS", "STATISTICS_FORMATS", "ReportOptions", "Reporter", "write_report"]
