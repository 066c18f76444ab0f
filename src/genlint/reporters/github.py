"""`--output-format github`: GitHub Actions workflow commands, which annotate the pull request's files.

    ::error file=src/train.py,line=12,col=1,endLine=12,endColumn=59,title=GEN201::message

`error`, `warning` or `notice` by the finding's severity. The file is given relative to the repository root
(the top folder of the git work tree), as GitHub expects whatever folder genlint ran in. A finding in a
Jupyter notebook annotates the whole file, its message starting with `cell 4, line 3:`: GitHub shows a notebook
rendered, and its lines in the file are lines of JSON.
"""

from __future__ import annotations

from typing import TextIO

from genlint.engine import RunResult
from genlint.reporters.locations import RepositoryPaths, span_end
from genlint.rules.base import Diagnostic, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def report_github(result: RunResult, stream: TextIO, *, color: bool = False, quiet: bool = False) -> None:
    """`color` and `quiet` are accepted for a uniform signature: the log holds the findings only."""
    paths = RepositoryPaths()
    for diagnostic in result.diagnostics:
        stream.write(workflow_command(diagnostic, paths.relative(diagnostic.path) or diagnostic.path) + "\n")


def workflow_command(diagnostic: Diagnostic, path: str) -> str:
    end_line, end_column = span_end(diagnostic)
    properties: dict[str, object] = {
        "file": path,
        "line": diagnostic.line,
        "col": diagnostic.column,
        "endLine": end_line,
        "endColumn": end_column,
        "title": diagnostic.code,
    }
    message = f"{diagnostic.message}\nhelp: {diagnostic.help}" if diagnostic.help else diagnostic.message
    if diagnostic.cell:
        properties = {"file": path, "title": diagnostic.code}
        message = f"cell {diagnostic.cell}, line {diagnostic.line}: {message}"
    written = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[diagnostic.severity]} {written}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """The message, as @actions/core escapes it: a line break would end the command and could start another."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also `,` (between properties) and `:` (whose pair `::` ends the properties)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
