"""`--output-format sarif`: SARIF 2.1.0, the format GitHub code scanning and SARIF viewers read.

One run: the tool driver describes every rule that ran (its documentation, a link to its page, its default
level); each finding is a result that points at its rule and at a region of a file given relative to the
repository root (`%SRCROOT%`: the top folder of the git work tree, or the working folder outside git).
Each result carries a fingerprint that does not depend on the line number, so that code scanning keeps
tracking an alert when lines are added above it. A finding in a Jupyter notebook counts its region's lines
within its cell, and its location names the cell (numbered from 1 among all cells) in `properties.cell`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, TextIO

from genlint import REPOSITORY_URL, __version__
from genlint.engine import InternalError, RunResult
from genlint.reporters.catalog import (
    documentation_page,
    documentation_url,
    full_description,
    rules_by_code,
    short_description,
)
from genlint.reporters.locations import RepositoryPaths, finding_lines, span_end
from genlint.rules import RuleEntry
from genlint.rules.base import Diagnostic, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
ROOT_BASE_ID = "%SRCROOT%"
# SARIF's property-name convention for fingerprints: a name and the version of how it is computed.
FINGERPRINT_KEY = "genlint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def report_sarif(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """`color` and `quiet` are accepted for a uniform signature: a reader expects the whole log."""
    paths = RepositoryPaths()
    rules = _described_rules(result)
    index = {rule.code: position for position, rule in enumerate(rules)}
    results = _results(result.diagnostics, index, paths)
    run = {
        "tool": {"driver": _driver([_rule_descriptor(rule) for rule in rules])},
        "invocations": [_invocation(result.internal_errors)],
        "originalUriBaseIds": {ROOT_BASE_ID: {"uri": paths.root_uri()}},
        # Our columns count characters; SARIF's default is UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    # ASCII only: a console that cannot encode a character escapes it, which would break the JSON.
    stream.write(json.dumps(log, indent=2, ensure_ascii=True) + "\n")


def _described_rules(result: RunResult) -> list[RuleEntry]:
    """The rules that ran, by code, and any other rule a finding names (a result assembled by hand)."""
    known = rules_by_code(result)
    codes = {rule.code for rule in result.rules} | {diagnostic.code for diagnostic in result.diagnostics}
    return [known[code] for code in sorted(codes) if code in known]


def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "genlint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": REPOSITORY_URL,
        "rules": rules,
    }


def _rule_descriptor(entry: RuleEntry) -> dict[str, Any]:
    rule = entry.load()  # its documentation
    page = documentation_page(rule)
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": short_description(rule)},
        "fullDescription": {"text": full_description(rule)},
        "help": {"text": page, "markdown": page},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }
    url = documentation_url(entry)
    if url is not None:
        descriptor["helpUri"] = url
    return descriptor


def _results(diagnostics: list[Diagnostic], index: dict[str, int], paths: RepositoryPaths) -> list[dict[str, Any]]:
    lines_cache: dict[str, list[str] | None] = {}
    # Identical findings on identical lines of one file are told apart by their order, as GitHub's own
    # primaryLocationLineHash does: `…:1`, `…:2`.
    occurrences: Counter[str] = Counter()
    results = []
    for diagnostic in diagnostics:
        uri, under_root = paths.uri(diagnostic.path)
        digest = _fingerprint(diagnostic, uri, finding_lines(diagnostic, lines_cache))
        occurrences[digest] += 1
        result: dict[str, Any] = {
            "ruleId": diagnostic.code,
            # A code no rule descriptor has (a result assembled by hand) gets no index: it would point nowhere.
            **({"ruleIndex": index[diagnostic.code]} if diagnostic.code in index else {}),
            "level": LEVELS[diagnostic.severity],
            "message": {"text": _message_text(diagnostic)},
            "locations": [_location(diagnostic, uri, under_root)],
            "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{occurrences[digest]}"},
        }
        results.append(result)
    return results


def _message_text(diagnostic: Diagnostic) -> str:
    """The message, and the finding's own hint (the rule's documentation is in the rule's `help`)."""
    return f"{diagnostic.message}\nhelp: {diagnostic.help}" if diagnostic.help else diagnostic.message


def _location(diagnostic: Diagnostic, uri: str, under_root: bool) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical_location(diagnostic, uri, under_root)}
    if diagnostic.cell:
        location["properties"] = {"cell": diagnostic.cell}
    return location


def _physical_location(diagnostic: Diagnostic, uri: str, under_root: bool) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": uri}
    if under_root:
        artifact["uriBaseId"] = ROOT_BASE_ID
    end_line, end_column = span_end(diagnostic)
    region = {
        "startLine": diagnostic.line,
        "startColumn": diagnostic.column,
        "endLine": end_line,
        "endColumn": end_column,
    }
    return {"artifactLocation": artifact, "region": region}


def _fingerprint(diagnostic: Diagnostic, uri: str, lines: list[str] | None) -> str:
    """A hash of the code, the file and the reported line's text with its whitespace collapsed: stable when
    lines move or are re-indented, new when the flagged code itself changes."""
    text = ""
    if lines is not None and 1 <= diagnostic.line <= len(lines):
        text = " ".join(lines[diagnostic.line - 1].split())
    material = "\0".join((diagnostic.code, uri, text))
    return hashlib.sha256(material.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def _invocation(errors: list[InternalError]) -> dict[str, Any]:
    """Whether genlint did its whole job; each internal error as a notification naming the file and rule."""
    notifications = [{"level": "error", "message": {"text": str(error)}} for error in errors]
    invocation: dict[str, Any] = {"executionSuccessful": not errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
