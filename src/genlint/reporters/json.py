"""`--output-format json`: one versioned JSON object with every finding and a summary.

The object's `version` is the version of this format, raised whenever a field changes meaning or goes away
(adding a field does not change it). Its shape, with version 1:

    {"version": 1, "tool": {"name": "genlint", "version": "0.1.0"},
     "diagnostics": [{"path", "line", "column", "end_line", "end_column", "code", "name", "severity",
                      "message", "help", "fix", "url"}, ...],
     "summary": {"files", "total", "by_severity": {"error", "warning", "info"},
                 "by_code": {"GEN101": {"name", "count"}, ...}, "internal_errors"},
     "internal_errors": [{"path", "rule", "detail"}, ...]}

A finding in a Jupyter notebook also has `"cell"`: the cell, numbered from 1 among all the notebook's cells
(markdown ones too, as VS Code numbers them); its `line` and `end_line` then count within that cell. Lines
and columns are 1-based; `end_column` is the column just after the span. `fix` is the fix that the
finding offers: "none", "safe" (applied by `--fix`) or "unsafe" (only with `--unsafe-fixes`); no fix is
applied by this format. `help` and `url` are
null when the rule has none.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from genlint import __version__
from genlint.engine import InternalError, RunResult
from genlint.reporters.catalog import documentation_url, offered_fix, rules_by_code
from genlint.reporters.statistics import code_counts
from genlint.rules import RuleEntry
from genlint.rules.base import Diagnostic, Severity

FORMAT_VERSION = 1


def report_json(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """`color` and `quiet` are accepted for a uniform signature: a reader expects the whole object."""
    rules = rules_by_code(result)
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "genlint", "version": __version__},
        "diagnostics": [_diagnostic(diagnostic, rules) for diagnostic in result.diagnostics],
        "summary": _summary(result),
        "internal_errors": [_internal_error(error) for error in result.internal_errors],
    }
    _write(document, stream)


def report_json_statistics(result: RunResult, stream: TextIO) -> None:
    """`--statistics --output-format json`: the counts per code, most frequent first."""
    counts = [{"code": entry.code, "name": entry.name, "count": entry.count} for entry in code_counts(result)]
    document = {
        "version": FORMAT_VERSION,
        "statistics": counts,
        "total": len(result.diagnostics),
        "files": result.files,
    }
    _write(document, stream)


def _write(document: dict[str, Any], stream: TextIO) -> None:
    # ASCII only: a console that cannot encode a character escapes it, which would break the JSON.
    stream.write(json.dumps(document, indent=2, ensure_ascii=True) + "\n")


def _diagnostic(diagnostic: Diagnostic, rules: dict[str, RuleEntry]) -> dict[str, Any]:
    rule = rules.get(diagnostic.code)
    return {
        "path": diagnostic.path,
        **({"cell": diagnostic.cell} if diagnostic.cell else {}),
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line or diagnostic.line,
        "end_column": diagnostic.end_column or diagnostic.column,
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "help": diagnostic.help or None,
        "fix": offered_fix(diagnostic, rules).value,
        "url": documentation_url(rule) if rule is not None else None,
    }


def _summary(result: RunResult) -> dict[str, Any]:
    severities = Counter(diagnostic.severity for diagnostic in result.diagnostics)
    by_code = sorted(code_counts(result), key=lambda entry: entry.code)
    return {
        "files": result.files,
        "total": len(result.diagnostics),
        "by_severity": {severity.value: severities[severity] for severity in Severity},
        "by_code": {entry.code: {"name": entry.name, "count": entry.count} for entry in by_code},
        "internal_errors": len(result.internal_errors),
    }


def _internal_error(error: InternalError) -> dict[str, Any]:
    return {"path": error.path, "rule": error.rule or None, "detail": error.detail}
