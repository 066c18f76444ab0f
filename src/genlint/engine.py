"""The pipeline: discover → pre-filter → analyse → run rules → suppress → report."""

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
from genlint.rules import BUILTIN_RULES, PluginError, Rule, all_rules
from genlint.rules.base import Diagnostic, RuleContext, display_path
from genlint.rules.gen002_invalid_suppression import InvalidSuppressionRule
from genlint.rules.gen003_unused_suppression import UnusedSuppressionRule
from genlint.suppression import RuleCatalog, Suppressor

# A file that never calls one of these is not parsed with astroid: only checked for syntax.
# (`from_generator`: GEN503 checks `tf.data.Dataset.from_generator` calls that reach no consumer.)
CANDIDATE = re.compile(r"\.\s*(?:(?:fit|evaluate|predict)(?:_generator)?|from_generator)\b")
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
    extend_select: Sequence[str] = (),
) -> RunResult:
    """Lint every Python file under `paths`. Raises MissingPathError for a path that does not exist."""
    files = discover(paths, excludes)
    return lint_files(files, rules, target, extend_select)


def lint_files(
    files: Sequence[Path],
    rules: Sequence[type[Rule]] | None = None,
    target: str = "keras3",
    extend_select: Sequence[str] = (),
) -> RunResult:
    """Lint the given files for a Keras target with the given rules (default: every rule that is on by
    default), plus the rules that `extend_select` names (codes, names or prefixes such as `GEN1`; this is how
    a rule that is off by default, like GEN003, is turned on). Raises SelectionError for an unknown one."""
    known = _known_rules(rules)
    catalog = RuleCatalog.of(known)
    chosen = list(rules if rules is not None else [rule for rule in known if rule.default_enabled])
    extra = select_codes(extend_select, catalog)
    chosen += [rule for rule in known if rule.code in extra and rule not in chosen]
    instances = [_instantiate(rule) for rule in chosen]
    analyzer = Analyzer()
    suppressor = Suppressor(catalog, read_source)
    result = RunResult(files=len(files))
    found: dict[tuple[str, int, int, str], Diagnostic] = {}
    linted: list[str] = []
    for file in files:
        diagnostics, parsed = _lint_file(str(file), analyzer, instances, result.internal_errors, target, suppressor)
        linted += [str(file)] if parsed else []
        for diagnostic in diagnostics:
            found.setdefault((diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code), diagnostic)
    kept = [diagnostic for diagnostic in found.values() if not suppressor.suppresses(diagnostic)]
    ran = frozenset(rule.code for rule in instances) - {error.rule for error in result.internal_errors}
    kept += _suppression_diagnostics(instances, suppressor, linted, ran, target)
    for path, error in suppressor.failures:
        detail = f"reading its suppression comments: {_describe(error)}"
        result.internal_errors.append(InternalError(display_path(path), "", detail))
    result.diagnostics = sorted(kept)
    return result


class SelectionError(ValueError):
    """A rule selector (code, name or prefix) that names no known rule."""


def select_codes(selectors: Iterable[str], catalog: RuleCatalog) -> frozenset[str]:
    """The codes named by codes, names or prefixes (`GEN1`)."""
    codes: set[str] = set()
    for selector in selectors:
        code = catalog.code_for(selector)
        group = catalog.group(selector)
        if code is None and not group:
            closest = catalog.closest(selector)
            hint = f"did you mean `{closest}`? " if closest else ""
            raise SelectionError(
                f"unknown rule `{selector}` ({hint}give a code such as GEN101, a name such as finite-generator, "
                f"or a prefix such as GEN1)"
            )
        codes |= {code} if code is not None else group
    return frozenset(codes)


def _known_rules(rules: Sequence[type[Rule]] | None) -> tuple[type[Rule], ...]:
    """Every rule a suppression comment or a selector may name: the registry, plugins, and the given rules."""
    if rules is None:
        return all_rules()
    try:
        registry = all_rules()
    except PluginError:  # the caller chose its rules; a broken plugin is reported when the plugins are loaded
        registry = BUILTIN_RULES
    return (*registry, *(rule for rule in rules if rule not in registry))


def _suppression_diagnostics(
    rules: list[Rule], suppressor: Suppressor, linted: list[str], ran: frozenset[str], target: str
) -> list[Diagnostic]:
    """GEN002 for the comments of every file read (linted, or where a finding was reported), then GEN003
    for the linted files, once every other finding is known. Each passes through the suppressions too."""
    invalid = next((rule for rule in rules if isinstance(rule, InvalidSuppressionRule)), None)
    unused = next((rule for rule in rules if isinstance(rule, UnusedSuppressionRule)), None)
    reported: list[Diagnostic] = []
    if invalid is not None:
        context = RuleContext(invalid, display_path, target)
        for path in suppressor.paths():
            for problem in suppressor.of(path).problems:
                context.report_at(
                    path,
                    problem.line,
                    problem.column,
                    end_column=problem.end_column,
                    directive=problem.directive,
                    problem=problem.problem,
                )
        reported += [diagnostic for diagnostic in context.diagnostics if not suppressor.suppresses(diagnostic)]
    if unused is not None:
        context = RuleContext(unused, display_path, target)
        for path in linted:
            for item in suppressor.unused(path, ran):
                context.report_at(
                    path,
                    item.line,
                    item.column,
                    end_column=item.end_column,
                    entry=item.entry,
                    directive=item.directive,
                    scope=item.scope,
                )
        reported += [diagnostic for diagnostic in context.diagnostics if not suppressor.suppresses(diagnostic)]
    return reported


def _lint_file(
    path: str, analyzer: Analyzer, rules: list[Rule], errors: list[InternalError], target: str, suppressor: Suppressor
) -> tuple[list[Diagnostic], bool]:
    """The file's diagnostics, and whether it parsed (then its comments are read for suppressions)."""
    shown = display_path(path)
    try:
        model, source = _model(path, shown, analyzer)
    except Exception as error:  # an analyzer bug on one file must not stop the run
        errors.append(InternalError(shown, "", _describe(error)))
        return [], False
    parsed = model.syntax_problem is None
    if parsed:
        suppressor.add(path, source)
    diagnostics: list[Diagnostic] = []
    for rule in rules:
        context = RuleContext(rule, display_path, target)
        try:
            rule.check(model, context)
        except Exception as error:  # one rule failing on one file: report it and go on
            errors.append(InternalError(shown, rule.code, _describe(error), _report_to(type(rule))))
            continue
        diagnostics.extend(context.diagnostics)
    return diagnostics, parsed


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


def _model(path: str, shown: str, analyzer: Analyzer) -> tuple[FileModel, str]:
    try:
        source = read_source(path)
    except (OSError, ValueError, SyntaxError) as error:  # unreadable, undecodable, null bytes, bad cookie
        return FileModel(path, shown, syntax_problem=syntax_problem(error)), ""
    if CANDIDATE.search(source) is None:
        return _syntax_only(path, shown, source), source
    return analyzer.analyze(path, shown, source), source


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
