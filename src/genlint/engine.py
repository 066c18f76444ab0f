"""The pipeline: discover → pre-filter → analyse → run rules → report."""

from __future__ import annotations

import ast
import os
import re
import sysconfig
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from genlint.analysis import Analyzer, FileModel
from genlint.analysis.project import read_source, syntax_problem
from genlint.discovery import discover
from genlint.rules import PluginError, Rule, all_rules
from genlint.rules.base import Diagnostic, RuleContext, display_path

# A file that never calls one of these is not parsed with astroid: only checked for syntax.
CANDIDATE = re.compile(r"\.\s*(?:fit|evaluate|predict)(?:_generator)?\b")
ISSUE_URL = "https://github.com/genlint/genlint/issues"
TARGETS = ("keras3", "tf-keras")
STANDARD_LIBRARY = frozenset(Path(os.path.abspath(sysconfig.get_paths()[key])) for key in ("stdlib", "platstdlib"))


@dataclass(frozen=True)
class InternalError:
    """A bug in genlint or in a plugin rule, met on one file; the run goes on without that rule there."""

    path: str
    rule: str  # the rule's code; empty when the analyzer failed
    detail: str
    report_to: str = f"at {ISSUE_URL}"

    def __str__(self) -> str:
        where = f"rule {self.rule}" if self.rule else "the analyzer"
        return f"{self.path}: internal error in {where}: {self.detail} (please report this {self.report_to})"


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    internal_errors: list[InternalError] = field(default_factory=list)


def lint_paths(
    paths: Sequence[str],
    excludes: Iterable[str] = (),
    rules: Sequence[type[Rule]] | None = None,
    target: str = "keras3",
) -> RunResult:
    """Lint every Python file under `paths`. Raises MissingPathError for a path that does not exist."""
    files = discover(paths, excludes)
    return lint_files(files, rules, target)


def lint_files(files: Sequence[Path], rules: Sequence[type[Rule]] | None = None, target: str = "keras3") -> RunResult:
    """Lint the given files with the given rules (default: every registered rule) for a Keras target."""
    instances = [_instantiate(rule) for rule in (rules if rules is not None else all_rules())]
    analyzer = Analyzer()
    result = RunResult(files=len(files))
    seen: set[tuple[str, int, int, str]] = set()
    for file in files:
        for diagnostic in _lint_file(str(file), analyzer, instances, result.internal_errors, target):
            key = (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code)
            if key not in seen:
                seen.add(key)
                result.diagnostics.append(diagnostic)
    result.diagnostics.sort()
    return result


def _lint_file(
    path: str, analyzer: Analyzer, rules: list[Rule], errors: list[InternalError], target: str
) -> list[Diagnostic]:
    shown = display_path(path)
    try:
        model = _model(path, shown, analyzer)
    except Exception as error:  # an analyzer bug on one file must not stop the run
        errors.append(InternalError(shown, "", _describe(error)))
        return []
    diagnostics: list[Diagnostic] = []
    for rule in rules:
        context = RuleContext(rule, display_path, target)
        try:
            rule.check(model, context)
        except Exception as error:  # one rule failing on one file: report it and go on
            errors.append(InternalError(shown, rule.code, _describe(error), _report_to(type(rule))))
            continue
        diagnostics.extend(context.diagnostics)
    return diagnostics


def _instantiate(rule: type[Rule]) -> Rule:
    try:
        return rule()
    except Exception as error:  # a plugin rule that cannot even be created stops the run, with its name
        raise PluginError(f"cannot create rule {rule.__qualname__} ({rule.__module__}): {error}") from error


def _report_to(rule: type[Rule]) -> str:
    """Where a rule's bug should go: genlint's tracker for built-in rules, the plugin's authors otherwise."""
    if rule.__module__.split(".")[0] == "genlint":
        return f"at {ISSUE_URL}"
    return f"to the authors of the plugin module `{rule.__module__}`"


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
    """The error and the innermost place outside the standard library where it happened."""
    frames = traceback.extract_tb(error.__traceback__)
    # `enum.py:784` would say nothing: name the caller's line, in genlint, a plugin or a library.
    outside = [frame for frame in frames if not _in_standard_library(frame.filename)] or frames
    where = f" at {Path(outside[-1].filename).name}:{outside[-1].lineno}" if outside else ""
    message = " ".join(str(error).splitlines())  # one line per error on stderr
    return f"{type(error).__name__}: {message}{where}"


def _in_standard_library(filename: str) -> bool:
    path = Path(os.path.abspath(filename))
    for library in STANDARD_LIBRARY:
        if path.is_relative_to(library):
            # A system Python keeps installed packages below its standard library folder.
            return path.relative_to(library).parts[0] not in ("site-packages", "dist-packages")
    return False
