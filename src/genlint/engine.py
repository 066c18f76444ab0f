"""The pipeline: discover → pre-filter → analyse → run rules → report."""

from __future__ import annotations

import ast
import re
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genlint.analysis import Analyzer, FileModel
from genlint.analysis.project import read_source, syntax_problem
from genlint.discovery import discover
from genlint.rules import Rule, all_rules
from genlint.rules.base import Diagnostic, RuleContext, display_path

# A file that never calls one of these is not parsed with astroid: only checked for syntax.
CANDIDATE = re.compile(r"\.\s*(?:fit|evaluate|predict)(?:_generator)?\b")
ISSUE_URL = "https://github.com/genlint/genlint/issues"


@dataclass(frozen=True)
class InternalError:
    path: str
    rule: str
    detail: str

    def __str__(self) -> str:
        where = f"rule {self.rule}" if self.rule else "the analyzer"
        return f"{self.path}: internal error in {where}: {self.detail} (please report this at {ISSUE_URL})"


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    internal_errors: list[InternalError] = field(default_factory=list)


def lint_paths(paths: Sequence[str], excludes: Iterable[str] = (), rules: Sequence[type[Rule]] | None = None) -> RunResult:
    """Lint every Python file under `paths`. Raises MissingPathError for a path that does not exist."""
    files = discover(paths, excludes)
    return lint_files(files, rules)


def lint_files(files: Sequence[Path], rules: Sequence[type[Rule]] | None = None) -> RunResult:
    instances = [rule() for rule in (rules if rules is not None else all_rules())]
    analyzer = Analyzer()
    result = RunResult(files=len(files))
    seen: set[tuple[str, int, int, str]] = set()
    for file in files:
        for diagnostic in _lint_file(str(file), analyzer, instances, result.internal_errors):
            key = (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code)
            if key not in seen:
                seen.add(key)
                result.diagnostics.append(diagnostic)
    result.diagnostics.sort()
    return result


def _lint_file(path: str, analyzer: Analyzer, rules: list[Rule], errors: list[InternalError]) -> list[Diagnostic]:
    shown = display_path(path)
    try:
        model = _model(path, shown, analyzer)
    except Exception as error:  # an analyzer bug on one file must not stop the run
        errors.append(InternalError(shown, "", _describe(error)))
        return []
    diagnostics: list[Diagnostic] = []
    for rule in rules:
        context = RuleContext(rule, display_path)
        try:
            rule.check(model, context)
        except Exception as error:  # one rule failing on one file: report it and go on
            errors.append(InternalError(shown, rule.code, _describe(error)))
            continue
        diagnostics.extend(context.diagnostics)
    return diagnostics


def _model(path: str, shown: str, analyzer: Analyzer) -> FileModel:
    try:
        source = read_source(path)
    except (OSError, ValueError, SyntaxError) as error:  # unreadable, undecodable, null bytes, bad cookie
        return FileModel(path, shown, syntax_problem=syntax_problem(error))
    if CANDIDATE.search(source) is None:
        return _syntax_only(path, shown, source)
    return analyzer.analyze(path, shown, source)


def _syntax_only(path: str, shown: str, source: str) -> FileModel:
    """A file with no consumer call still has to parse."""
    try:
        ast.parse(source, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return FileModel(path, shown, syntax_problem=syntax_problem(error))
    return FileModel(path, shown)


def _describe(error: BaseException) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    return f"{type(error).__name__}: {error}{where}"
