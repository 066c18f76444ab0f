"""The pipeline: discover → pre-filter → analyse → run rules → suppress → report."""

from __future__ import annotations

import ast
import bisect
import contextlib
import functools
import gc
import os
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from genlint import REPOSITORY_URL
from genlint.analysis.reading import parse_tree, read_source, syntax_problem
from genlint.cache import ResultCache
from genlint.config import Configuration, Settings
from genlint.discovery import discover
from genlint.notebooks import in_cells
from genlint.rules import BUILTIN_ENTRIES, PluginError, Rule, RuleEntry, all_entries
from genlint.rules.base import Diagnostic, RuleContext, display_path
from genlint.suppression import INVALID_CODE, UNUSED_CODE, RuleCatalog, Suppressor, may_hold_directives

if TYPE_CHECKING:
    from genlint.analysis.analyzer import Analyzer
    from genlint.analysis.model import FileModel

# Every rule works from a file's consumer calls and its `tf.data.Dataset.from_generator` calls (GEN503 checks
# those that reach no consumer): a file that calls none of these methods is parsed (for GEN001) but never
# analysed. A file whose text does not even mention them is not searched.
ANALYSED_METHODS = frozenset(
    {"fit", "evaluate", "predict", "fit_generator", "evaluate_generator", "predict_generator", "from_generator"}
)
CANDIDATE = re.compile(rf"\.\s*(?:{'|'.join(sorted(ANALYSED_METHODS))})\b")  # `.fit`, `. evaluate_generator` …
LINE_BREAK = re.compile(r"\r\n?")
ISSUE_URL = f"{REPOSITORY_URL}/issues"


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
    # The rules that ran: SARIF describes each one; JSON reports the fix safety of each finding's rule.
    rules: tuple[RuleEntry, ...] = ()


def lint_paths(
    paths: Sequence[str],
    configuration: Configuration | None = None,
    rules: Sequence[type[Rule]] | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> RunResult:
    """Lint every Python file under `paths`, each with its own settings (by default from the nearest
    `[tool.genlint]` above it). Raises MissingPathError for a path that does not exist and ConfigError for a
    configuration genlint cannot use."""
    if configuration is None:
        configuration = Configuration(catalog=RuleCatalog.of(_known_entries(rules)))
    files = discover(paths, exclude_for=configuration.exclude_for)
    return _lint(files, rules, configuration.settings_for, jobs, cache_dir)


def lint_files(
    files: Sequence[Path], rules: Sequence[type[Rule]] | None = None, settings: Settings | None = None
) -> RunResult:
    """Lint the given files, all with the same settings (default: genlint's defaults; no configuration file is
    read). The settings choose among `rules` (default: every known rule, of which those on by default run
    unless the settings select others); rules given explicitly all run unless the settings deselect them."""
    chosen = settings if settings is not None else Settings()
    return _lint(files, rules, lambda path: chosen)


SettingsFor = Callable[[str], Settings]


class _RuleSet:
    """The rules a run may use, and the ones that each Settings turns on. A rule's class is imported and an
    instance made only when a file is linted with it: results from the cache need neither."""

    def __init__(self, rules: Sequence[type[Rule]] | None) -> None:
        self.known = _known_entries(rules)
        self.catalog = RuleCatalog.of(self.known)  # what suppression comments may name
        given = {rule.code for rule in rules} if rules is not None else None
        self.pool = tuple(entry for entry in self.known if given is None or entry.code in given)
        self.available = frozenset(entry.code for entry in self.pool)
        # Rules the caller names all run by default; otherwise those that are on by default.
        self.defaults = frozenset(entry.code for entry in self.pool if given is not None or entry.default_enabled)
        self._instances: dict[str, Rule] = {}
        # By the settings' identity (a run shares a few settings objects among all its files; hashing one is slow),
        # with the settings, which keep their identity unique while they are kept here.
        self._chosen: dict[int, tuple[Settings, tuple[RuleEntry, ...]]] = {}

    def chosen(self, settings: Settings) -> tuple[RuleEntry, ...]:
        known = self._chosen.get(id(settings))
        if known is None:
            enabled = settings.enabled(self.available, self.defaults)
            known = self._chosen[id(settings)] = (
                settings,
                tuple(entry for entry in self.pool if entry.code in enabled),
            )
        return known[1]

    def instances(self, settings: Settings) -> list[Rule]:
        return [self.instance(entry) for entry in self.chosen(settings)]

    def instance(self, entry: RuleEntry) -> Rule:
        if entry.code not in self._instances:
            self._instances[entry.code] = _instantiate(entry.load())
        return self._instances[entry.code]

    def check_plugins(self, settings: Settings) -> None:
        """Create the chosen rules that are already loaded (plugins, rules given by the caller): one that cannot
        be created stops the run before any file, also when every result comes from the cache."""
        for entry in self.chosen(settings):
            if entry.loaded is not None:
                self.instance(entry)

    def used(self) -> tuple[RuleEntry, ...]:
        """The rules turned on for some file, in registry order."""
        chosen = {entry.code for _, entries in self._chosen.values() for entry in entries}
        return tuple(entry for entry in self.pool if entry.code in chosen)


@dataclass(frozen=True)
class _Outcome:
    """What linting one file gave: its findings, whether it parsed, its source when it may hold suppression
    comments (else ""), internal errors, and the project modules its analysis read."""

    diagnostics: list[Diagnostic]
    parsed: bool
    commented_source: str
    errors: list[InternalError]
    read: tuple[str, ...] = ()


def _lint(
    files: Sequence[Path],
    rules: Sequence[type[Rule]] | None,
    settings_for: SettingsFor,
    jobs: int = 1,
    cache_dir: Path | None = None,
) -> RunResult:
    settings_for = functools.cache(settings_for)  # asked of every file several times, by path
    rule_set = _RuleSet(rules)
    suppressor = Suppressor(rule_set.catalog, read_source)
    result = RunResult(files=len(files))
    found: dict[tuple[str, int, int, str], Diagnostic] = {}
    linted: list[str] = []
    work = [(str(file), settings_for(str(file))) for file in files]
    for _, settings in work:
        rule_set.check_plugins(settings)
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    for (path, _), outcome in zip(work, _cached_outcomes(work, rules, rule_set, jobs, cache), strict=True):
        result.internal_errors += outcome.errors
        if outcome.parsed:
            linted.append(path)
            suppressor.add(path, outcome.commented_source)
        for diagnostic in outcome.diagnostics:
            found.setdefault((diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.code), diagnostic)
    kept = [diagnostic for diagnostic in found.values() if not _hidden(diagnostic, settings_for, suppressor)]
    failed = frozenset(error.rule for error in result.internal_errors)
    kept += _invalid_suppressions(rule_set, suppressor, settings_for)
    kept += _unused_suppressions(rule_set, suppressor, linted, failed, settings_for)
    for path, error in suppressor.failures:
        detail = f"reading its suppression comments: {_describe(error)}"
        result.internal_errors.append(InternalError(display_path(path), "", detail))
    # Notebook findings move from the virtual module to their cells last, once suppressions are settled.
    result.diagnostics = sorted(in_cells(_with_configured_severity(diagnostic, settings_for) for diagnostic in kept))
    result.rules = rule_set.used()
    return result


def _hidden(diagnostic: Diagnostic, settings_for: SettingsFor, suppressor: Suppressor) -> bool:
    """Dropped by `per-file-ignores` (of the configuration of the file it is in), or by a suppression comment.

    Per-file ignores come first, so that a comment is not counted as used for a finding they drop."""
    if diagnostic.path and diagnostic.code in settings_for(diagnostic.path).ignored_codes(diagnostic.path):
        return True
    return suppressor.suppresses(diagnostic)


def _with_configured_severity(diagnostic: Diagnostic, settings_for: SettingsFor) -> Diagnostic:
    severity = settings_for(diagnostic.path).severity_of(diagnostic.code) if diagnostic.path else None
    return diagnostic if severity is None else replace(diagnostic, severity=severity)


def _known_entries(rules: Sequence[type[Rule]] | None) -> tuple[RuleEntry, ...]:
    """Every rule a suppression comment or a selector may name: the registry, plugins, and the given rules
    (which stand for the registry's rule of the same code)."""
    if rules is None:
        return all_entries()
    try:
        registry = all_entries()
    except PluginError:  # the caller chose its rules; a broken plugin is reported when the plugins are loaded
        registry = BUILTIN_ENTRIES
    given = {rule.code: RuleEntry.of(rule) for rule in rules}
    return (*(given.pop(entry.code, entry) for entry in registry), *given.values())


def _invalid_suppressions(rule_set: _RuleSet, suppressor: Suppressor, settings_for: SettingsFor) -> list[Diagnostic]:
    """GEN002 for the comments of every file read (linted, or where a finding was reported), where the
    settings of that file turn it on. Each finding passes through the suppressions too."""
    reported: list[Diagnostic] = []
    for path in suppressor.paths():
        settings = settings_for(path)
        invalid = next((entry for entry in rule_set.chosen(settings) if entry.code == INVALID_CODE), None)
        if invalid is None or not suppressor.of(path).problems:
            continue
        context = RuleContext(rule_set.instance(invalid), display_path, settings.target)
        for problem in suppressor.of(path).problems:
            context.report_at(
                path,
                problem.line,
                problem.column,
                end_column=problem.end_column,
                directive=problem.directive,
                problem=problem.problem,
            )
        reported += [
            diagnostic for diagnostic in context.diagnostics if not _hidden(diagnostic, settings_for, suppressor)
        ]
    return reported


def _unused_suppressions(
    rule_set: _RuleSet, suppressor: Suppressor, linted: list[str], failed: frozenset[str], settings_for: SettingsFor
) -> list[Diagnostic]:
    """GEN003 for the linted files whose settings turn it on, once every other finding is known. A rule counts
    as run in a file when its settings turn it on, it did not fail, and `per-file-ignores` does not drop it there
    (so that a comment naming it could have hidden something)."""
    reported: list[Diagnostic] = []
    for path in linted:
        settings = settings_for(path)
        chosen = rule_set.chosen(settings)
        unused = next((entry for entry in chosen if entry.code == UNUSED_CODE), None)
        if unused is None:
            continue
        ran = frozenset(entry.code for entry in chosen) - failed - settings.ignored_codes(path)
        items = suppressor.unused(path, ran)
        if not items:
            continue
        context = RuleContext(rule_set.instance(unused), display_path, settings.target)
        for item in items:
            context.report_at(
                path,
                item.line,
                item.column,
                end_column=item.end_column,
                entry=item.entry,
                directive=item.directive,
                scope=item.scope,
            )
        reported += [
            diagnostic for diagnostic in context.diagnostics if not _hidden(diagnostic, settings_for, suppressor)
        ]
    return reported


# Below this many files a pool of worker processes costs more than it saves.
PARALLEL_MINIMUM_FILES = 32
# Linting keeps many objects alive for long (the astroid trees of project modules, kept for the files that import
# them): with CPython's default thresholds the cyclic garbage collector traverses them again and again, a third
# of a run's time. While linting, the youngest generation is collected less often and the oldest only when the
# analyzer drops its trees (it collects then, so memory stays flat).
COLLECTION_THRESHOLDS = (20_000, 10, 100_000)
_worker: tuple[_RuleSet, _LazyAnalyzer] | None = None  # each worker process's rules and analyzer


class _LazyAnalyzer:
    """A process's analyzer, made for the first file that calls a consumer: loading the analysis is wasted on
    the many runs (and workers) that meet none. `in_worker`: the process only lints, to its end."""

    def __init__(self, in_worker: bool = False) -> None:
        self._analyzer: Analyzer | None = None
        self._in_worker = in_worker

    def __call__(self) -> Analyzer:
        if self._analyzer is None:
            from genlint.analysis.analyzer import Analyzer
            from genlint.analysis.project import prepare_parser

            if self._in_worker:
                # astroid's builtins module lives as long as the worker: the collector need never traverse it
                # again (each full collection would: a third of their time in a large run). Frozen before the
                # analyzer is made, whose trees must stay collectable.
                prepare_parser()
                gc.freeze()
            self._analyzer = Analyzer()
        return self._analyzer


def _outcomes(
    work: list[tuple[str, Settings]], rules: Sequence[type[Rule]] | None, rule_set: _RuleSet, jobs: int
) -> Iterator[_Outcome]:
    """Each file's outcome, in order: in this process, or in `jobs` worker processes for a large run."""
    if jobs <= 1 or len(work) < PARALLEL_MINIMUM_FILES:
        analyzer = _LazyAnalyzer()
        with _collecting_rarely():
            for path, settings in work:
                yield _lint_file(path, analyzer, rule_set, settings)
        return
    from concurrent.futures import ProcessPoolExecutor  # only large runs start workers
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, len(work) // (jobs * 8))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(rules,)) as pool:
            for outcome in pool.map(_work, work, chunksize=chunk):
                done += 1
                yield outcome
    except BrokenProcessPool:
        # A worker was killed (out of memory) or crashed in an extension module: the files it had not finished
        # are reported, each as not linted (so that none is cached as clean), rather than linted again here.
        detail = "not linted: a worker process ended abruptly (killed, out of memory, or crashed in an extension)"
        for path, _ in work[done:]:
            yield _Outcome([], False, "", [InternalError(display_path(path), "", detail)])


def _cached_outcomes(
    work: list[tuple[str, Settings]],
    rules: Sequence[type[Rule]] | None,
    rule_set: _RuleSet,
    jobs: int,
    cache: ResultCache | None,
) -> Iterator[_Outcome]:
    """Each file's outcome, in order: from the cache when it holds a valid entry, else linted (and saved)."""
    if cache is None:
        yield from _outcomes(work, rules, rule_set, jobs)
        return
    keys = [cache.key(path, settings, _cache_names(rule_set.chosen(settings))) for path, settings in work]
    stored = [cache.load(key) if key is not None else None for key in keys]
    known = [outcome if isinstance(outcome, _Outcome) else None for outcome in stored]
    misses = [item for item, outcome in zip(work, known, strict=True) if outcome is None]
    fresh = _outcomes(misses, rules, rule_set, jobs)
    for key, outcome in zip(keys, known, strict=True):
        if outcome is None:
            outcome = next(fresh)
            if key is not None and not outcome.errors:
                cache.store(key, outcome, outcome.read)
        yield outcome


def _cache_names(entries: Sequence[RuleEntry]) -> list[str]:
    """The chosen rules as the cache key names them: a plugin rule with its distribution and version."""
    return [f"{entry.code} {entry.origin}" if entry.origin else entry.code for entry in entries]


@contextlib.contextmanager
def _collecting_rarely() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(*COLLECTION_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _start_worker(rules: Sequence[type[Rule]] | None) -> None:
    global _worker
    gc.set_threshold(*COLLECTION_THRESHOLDS)  # a worker only lints
    gc.freeze()  # what the worker inherited from its parent lives as long as it: never traverse it again
    _worker = (_RuleSet(rules), _LazyAnalyzer(in_worker=True))


def _work(item: tuple[str, Settings]) -> _Outcome:
    assert _worker is not None, "the worker was not started"
    rule_set, analyzer = _worker
    path, settings = item
    return _lint_file(path, analyzer, rule_set, settings)


def _lint_file(path: str, analyzer: _LazyAnalyzer, rule_set: _RuleSet, settings: Settings) -> _Outcome:
    """The file's diagnostics, whether it parsed (then its comments are read for suppressions) and any
    internal errors."""
    shown = display_path(path)
    errors: list[InternalError] = []
    try:
        model, source, read = _model(path, shown, analyzer)
    except Exception as error:  # an analyzer bug on one file must not stop the run
        return _Outcome([], False, "", [InternalError(shown, "", _describe(error))])
    parsed = model.syntax_problem is None
    diagnostics: list[Diagnostic] = []
    for rule in rule_set.instances(settings):
        context = RuleContext(rule, display_path, settings.target)
        try:
            rule.check(model, context)
        except Exception as error:  # one rule failing on one file: report it and go on
            errors.append(InternalError(shown, rule.code, _describe(error), _report_to(type(rule))))
            continue
        diagnostics.extend(context.diagnostics)
    commented = source if parsed and may_hold_directives(source, rule_set.catalog) else ""
    return _Outcome(diagnostics, parsed, commented, errors, read)


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


def _model(path: str, shown: str, analyzer: _LazyAnalyzer) -> tuple[FileModel, str, tuple[str, ...]]:
    """The file's model, its source, and the project modules its analysis read. Every file is parsed once, with
    Python's parser: only a file that calls a consumer method or `from_generator` gets an astroid tree, built
    from that parse."""
    from genlint.analysis.model import FileModel  # the model records load when a file is linted

    try:
        source = read_source(path)
    except (OSError, ValueError, SyntaxError) as error:  # unreadable, undecodable, null bytes, bad cookie
        return FileModel(path, shown, syntax_problem=syntax_problem(error)), "", ()
    try:
        tree = parse_tree(source, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return FileModel(path, shown, syntax_problem=syntax_problem(error)), source, ()
    if not _calls_analysed_method(source, tree):
        return FileModel(path, shown), source, ()
    made = analyzer()
    made.project.read.clear()
    model = made.analyze(path, shown, source, tree)
    return model, source, tuple(sorted(made.project.read))  # (`made.project` may be a new one by now)


def _calls_analysed_method(source: str, tree: ast.Module) -> bool:
    """Whether the file calls one of ANALYSED_METHODS on something (`model.fit(…)`). Most files that mention
    them do so in docstrings and comments only."""
    text = LINE_BREAK.sub("\n", source) if "\r" in source else source  # lines as the parser counts them
    lines, line, counted = [], 1, 0
    for match in CANDIDATE.finditer(text):
        line += text.count("\n", counted, match.end())
        counted = match.end()
        lines.append(line)
    return bool(lines) and _has_analysed_call(tree, lines)


def _has_analysed_call(tree: ast.Module, lines: list[int]) -> bool:
    """Whether a call of ANALYSED_METHODS sits in the tree. Such a call spans a line where the text names the
    method (`lines`, in order), so a node that spans none of them is skipped whole."""
    pending: list[tuple[ast.AST, bool]] = [(tree, True)]
    while pending:
        node, by_line = pending.pop()
        for child in ast.iter_child_nodes(node):
            func = child.func if isinstance(child, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.attr in ANALYSED_METHODS:
                return True
            first, last = getattr(child, "lineno", None), getattr(child, "end_lineno", None)
            decorators = getattr(child, "decorator_list", None)
            if first is not None and decorators:  # a `def` or `class` starts at its `def`, after its decorators
                first = min(first, decorators[0].lineno)
            if by_line and first is not None and last is not None:
                index = bisect.bisect_left(lines, first)
                if index == len(lines) or lines[index] > last:
                    continue
            # Before Python 3.12 the positions inside an f-string can be off: those are searched whole.
            pending.append((child, by_line and not isinstance(child, ast.JoinedStr)))
    return False


def _describe(error: BaseException) -> str:
    """The error and the innermost place outside the standard library where it happened."""
    frames = traceback.extract_tb(error.__traceback__)
    # `enum.py:784` would say nothing: name the caller's line, in genlint, a plugin or a library.
    outside = [frame for frame in frames if not _in_standard_library(frame.filename)] or frames
    where = f" at {Path(outside[-1].filename).name}:{outside[-1].lineno}" if outside else ""
    message = " ".join(str(error).splitlines())  # one line per error on stderr
    return f"{type(error).__name__}: {message}{where}"


@functools.cache
def _standard_library() -> frozenset[Path]:
    import sysconfig  # only an internal error needs it

    return frozenset(Path(os.path.abspath(sysconfig.get_paths()[key])) for key in ("stdlib", "platstdlib"))


def _in_standard_library(filename: str) -> bool:
    path = Path(os.path.abspath(filename))
    for library in _standard_library():
        if path.is_relative_to(library):
            # A system Python keeps installed packages below its standard library folder.
            return path.relative_to(library).parts[0] not in ("site-packages", "dist-packages")
    return False
