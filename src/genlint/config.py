"""`[tool.genlint]` → a frozen Settings object.

Where a file's settings come from, weakest first:

1. genlint's defaults: every rule that is on by default, target `keras3`, no excludes beyond the folders that
   are always skipped (`.git`, virtual environments, `site-packages`, `build`, `dist`, `__pycache__`, …);
2. the `[tool.genlint]` table of the nearest `pyproject.toml` above the file that has one (looked up from each
   file's own folder, as ruff does, so that several projects linted in one run each keep their own; a
   `pyproject.toml` without the table is passed over), or the one file named by `--config`; none with
   `--isolated`;
3. the command line.

Rule selection is layered as in ruff: a layer's `select` replaces the rules chosen so far, `extend-select` adds
to them and `ignore` takes away from them; within a layer the more specific selector wins (`GEN108` over
`GEN1`), and at equal specificity `ignore` wins. `exclude` adds patterns to the folders that are always
skipped (a later layer's `exclude` replaces an earlier layer's), `extend-exclude` adds to whatever `exclude`
is; `per-file-ignores` and `target` from the command line replace the file's. Paths in a configuration file
are read from its folder.

Everything a file gets is resolved to codes here, so that a Settings object is frozen and hashable and two
equal configurations compare equal.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genlint.discovery import ExcludePatterns, gitignore_spec
from genlint.rules import all_entries
from genlint.rules.base import Severity, display_path
from genlint.suppression import UNSUPPRESSIBLE, RuleCatalog

CONFIG_FILE = "pyproject.toml"
TABLE = "[tool.genlint]"
TARGETS = ("keras3", "tf-keras")
KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "exclude", "extend-exclude", "target", "severity")
SEVERITIES = tuple(severity.value for severity in Severity)
EXACT = 100  # the specificity of a selector that names one rule; a prefix's is its length
TOML_POSITION = re.compile(r"^(?P<reason>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$")
SELECTOR_FORMS = "give a code such as GEN101, a name such as finite-generator, or a prefix such as GEN1"


class ConfigError(Exception):
    """A configuration genlint cannot use. The message is one line naming the file (or option) and the key."""


class SelectionError(ConfigError, ValueError):
    """A rule selector (code, name or prefix) that names no known rule."""


@dataclass(frozen=True)
class Origin:
    """Where options are written: a configuration file, or the command line (no file)."""

    file: str = ""  # absolute path of the configuration file

    @property
    def folder(self) -> str:
        """The folder paths are read from: the file's, or the working folder for the command line."""
        return os.path.dirname(self.file) if self.file else os.getcwd()

    def where(self, key: str, entry: str = "") -> str:
        """`pyproject.toml: [tool.genlint] select`, or `--select` on the command line."""
        shown = f" `{entry}`" if entry else ""
        if not self.file:
            return f"--{key}{shown}"
        table = "[tool.genlint.severity]" if key == "severity" else f"{TABLE} {key}"
        return f"{display_path(self.file)}: {table}{shown}"


COMMAND_LINE = Origin()


@dataclass(frozen=True)
class Options:
    """What one source of configuration says, before rule names are resolved. None (or empty, for the
    keys that add to others) when it says nothing."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # (pattern, selectors)
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    target: str | None = None
    severity: tuple[tuple[str, str], ...] = ()  # (selector, severity)
    origin: Origin = COMMAND_LINE


@dataclass(frozen=True)
class Selector:
    """A code, name or prefix resolved to the codes it names."""

    written: str
    codes: frozenset[str]
    specificity: int


@dataclass(frozen=True)
class SelectionLayer:
    select: tuple[Selector, ...] | None  # None: keep what the layers below chose
    extend_select: tuple[Selector, ...] = ()
    ignore: tuple[Selector, ...] = ()


@dataclass(frozen=True)
class RuleSelection:
    layers: tuple[SelectionLayer, ...] = ()

    def enabled(self, available: frozenset[str], defaults: frozenset[str]) -> frozenset[str]:
        """The codes that run, among `available`, starting from `defaults`. GEN001 always runs: a file that
        does not parse has not been checked at all."""
        codes = set(defaults)
        for layer in self.layers:
            if layer.select is not None:
                codes = set()
            chosen = (*(layer.select or ()), *layer.extend_select)
            for level in sorted({selector.specificity for selector in (*chosen, *layer.ignore)}):
                codes |= _union(selector.codes for selector in chosen if selector.specificity == level)
                codes -= _union(selector.codes for selector in layer.ignore if selector.specificity == level)
        return frozenset(codes | {UNSUPPRESSIBLE}) & available


@dataclass(frozen=True)
class PerFileIgnore:
    """Rules whose findings are dropped in the files that a gitignore-style pattern matches below `folder`."""

    pattern: str
    codes: frozenset[str]
    folder: str

    def matches(self, path: str) -> bool:
        absolute, base = Path(os.path.abspath(path)), Path(self.folder)
        if not absolute.is_relative_to(base):
            return False
        return gitignore_spec((self.pattern,)).match_file(absolute.relative_to(base).as_posix())


@dataclass(frozen=True)
class Settings:
    """Everything that decides how one file is linted. Frozen and hashable: results may be cached on it."""

    selection: RuleSelection = RuleSelection()
    target: str = "keras3"
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    exclude: tuple[ExcludePatterns, ...] = ()  # patterns only: discovery always skips its own folders
    severity: tuple[tuple[str, Severity], ...] = ()  # code → severity, sorted by code
    config_file: str = ""  # the pyproject.toml the settings were read from; "" for none

    @classmethod
    def from_options(cls, options: Options, catalog: RuleCatalog | None = None) -> Settings:
        """Defaults with one layer of options on top (the command line's, unless `options.origin` says)."""
        return resolve([options], catalog or RuleCatalog.of(all_entries()))

    def enabled(self, available: frozenset[str], defaults: frozenset[str]) -> frozenset[str]:
        return self.selection.enabled(available, defaults)

    def ignored_codes(self, path: str) -> frozenset[str]:
        """The codes whose findings `per-file-ignores` drops in the file at `path`."""
        return _union(ignore.codes for ignore in self.per_file_ignores if ignore.matches(path))

    def severity_of(self, code: str) -> Severity | None:
        """The severity `[tool.genlint.severity]` sets for a rule, if it sets one."""
        return next((severity for overridden, severity in self.severity if overridden == code), None)


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*sets)


# Resolving options to settings


def resolve(layers: Sequence[Options], catalog: RuleCatalog) -> Settings:
    """Defaults, then each layer of options in turn (a configuration file, then the command line)."""
    target = "keras3"
    exclude = ExcludePatterns(())
    extend_exclude: list[ExcludePatterns] = []
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    severity: dict[str, Severity] = {}
    selection: list[SelectionLayer] = []
    for options in layers:
        origin = options.origin
        selection.append(_selection_layer(options, catalog))
        target = options.target if options.target is not None else target
        # Command-line patterns are read from the walked folder and the working folder, as they always were.
        patterns_folder = origin.folder if origin.file else ""
        if options.exclude is not None:
            exclude = ExcludePatterns(options.exclude, patterns_folder)
        if options.extend_exclude:
            extend_exclude.append(ExcludePatterns(options.extend_exclude, patterns_folder))
        if options.per_file_ignores is not None:
            per_file_ignores = _per_file_ignores(options, catalog)
        severity.update(_severities(options, catalog))
    return Settings(
        selection=RuleSelection(tuple(selection)),
        target=target,
        per_file_ignores=per_file_ignores,
        # discovery always skips its own folders (.git, build, __pycache__, …): `exclude` only adds to them
        exclude=(exclude, *extend_exclude),
        severity=tuple(sorted(severity.items())),
        config_file=next((options.origin.file for options in layers if options.origin.file), ""),
    )


def _selection_layer(options: Options, catalog: RuleCatalog) -> SelectionLayer:
    where = options.origin.where
    select = None
    if options.select is not None:
        select = tuple(_selector(written, catalog, where("select")) for written in options.select)
    return SelectionLayer(
        select=select,
        extend_select=tuple(_selector(written, catalog, where("extend-select")) for written in options.extend_select),
        ignore=tuple(_ignored(written, catalog, where("ignore")) for written in options.ignore),
    )


def _selector(written: str, catalog: RuleCatalog, where: str) -> Selector:
    code = catalog.code_for(written)
    if code is not None:
        return Selector(written, frozenset({code}), EXACT)
    group = catalog.group(written)
    if group:
        return Selector(written, group, len(written))
    closest = catalog.closest(written)
    hint = f"did you mean `{closest}`? " if closest else ""
    raise SelectionError(f"{where}: unknown rule `{written}` ({hint}{SELECTOR_FORMS}; `genlint rule --all` lists them)")


def _ignored(written: str, catalog: RuleCatalog, where: str) -> Selector:
    """A selector that turns rules off: never GEN001, which a prefix passes over and a code may not name."""
    selector = _selector(written, catalog, where)
    if selector.codes == {UNSUPPRESSIBLE}:
        raise ConfigError(
            f"{where}: {UNSUPPRESSIBLE} cannot be ignored: a file that does not parse has not been checked at all"
        )
    return Selector(selector.written, selector.codes - {UNSUPPRESSIBLE}, selector.specificity)


def select_codes(selectors: Iterable[str], catalog: RuleCatalog, where: str = "--extend-select") -> frozenset[str]:
    """The codes named by codes, names or prefixes (`GEN1`). Raises SelectionError for an unknown one."""
    return _union(_selector(written, catalog, where).codes for written in selectors)


def _per_file_ignores(options: Options, catalog: RuleCatalog) -> tuple[PerFileIgnore, ...]:
    ignores = []
    for pattern, selectors in options.per_file_ignores or ():
        where = options.origin.where("per-file-ignores", pattern)
        codes = _union(_ignored(written, catalog, where).codes for written in selectors)
        ignores.append(PerFileIgnore(pattern, codes, options.origin.folder))
    return tuple(ignores)


def _severities(options: Options, catalog: RuleCatalog) -> dict[str, Severity]:
    """Code → severity; a prefix sets its rules first, so that a rule named on its own overrides it."""
    chosen: list[tuple[Selector, Severity]] = []
    for written, value in options.severity:
        where = options.origin.where("severity", written)
        if value not in SEVERITIES:
            raise ConfigError(f"{where}: unknown severity `{value}`{_suggestion(value, SEVERITIES, 'severities')}")
        chosen.append((_selector(written, catalog, options.origin.where("severity")), Severity(value)))
    return {
        code: severity
        for selector, severity in sorted(chosen, key=lambda item: item[0].specificity)
        for code in sorted(selector.codes)
    }


def _suggestion(written: str, choices: Sequence[str], what: str) -> str:
    """` (did you mean `x`?); valid keys: a, b, c`: the closest choice, if any is close, and all of them."""
    closest = difflib.get_close_matches(written, choices, n=1, cutoff=0.6)
    hint = f" (did you mean `{closest[0]}`?)" if closest else ""
    return f"{hint}; valid {what}: {', '.join(choices)}"


# Reading [tool.genlint]


def read_table(path: Path) -> Mapping[str, Any] | None:
    """The `[tool.genlint]` table of a TOML file, or None when it has none."""
    shown = display_path(str(path))
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read it: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(f"{shown}: not valid TOML at line {line}: it is not UTF-8 text") from error
    if sys.version_info >= (3, 11):  # imported here: a run that reads no configuration file never needs it
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown}: not valid TOML {_toml_position(str(error), text)}") from error
    tool = document.get("tool", {})
    table = tool.get("genlint") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{shown}: `tool.genlint` must be a table ({TABLE}), not {_shown_value(table)}")
    return table


def _toml_position(message: str, text: str) -> str:
    """`at line 3, column 8: Invalid value`, from tomllib's `Invalid value (at line 3, column 8)`."""
    match = TOML_POSITION.match(message)
    if match is None:
        return f": {message}"
    if match.group("line") is None:  # "at end of document": name the last line
        last_line = max(1, len(text.splitlines()))
        return f"at line {last_line} (the end of the file): {match.group('reason')}"
    return f"at line {match.group('line')}, column {match.group('column')}: {match.group('reason')}"


def options_from_table(table: Mapping[str, Any], origin: Origin) -> Options:
    """Options from a `[tool.genlint]` table, checked for unknown keys and wrong types; rule names are checked
    when they are resolved."""
    for key in table:
        if key not in KEYS:
            shown = display_path(origin.file)
            raise ConfigError(f"{shown}: unknown key `{key}` in {TABLE}{_suggestion(key, KEYS, 'keys')}")
    where = origin.where
    rules_example = '["GEN101", "GEN2"]'
    paths_example = '["notebooks/", "*_old.py"]'
    target = table.get("target")
    if target is not None and target not in TARGETS:
        detail = f"unknown target `{target}`" if isinstance(target, str) else f"expected a string, got {target!r}"
        raise ConfigError(f"{where('target')}: {detail}{_suggestion(str(target), TARGETS, 'targets')}")
    return Options(
        select=_optional_strings(table, "select", where("select"), rules_example),
        extend_select=_optional_strings(table, "extend-select", where("extend-select"), rules_example) or (),
        ignore=_optional_strings(table, "ignore", where("ignore"), rules_example) or (),
        per_file_ignores=_per_file_table(table.get("per-file-ignores"), origin),
        exclude=_optional_strings(table, "exclude", where("exclude"), paths_example),
        extend_exclude=_optional_strings(table, "extend-exclude", where("extend-exclude"), paths_example) or (),
        target=target,
        severity=_severity_table(table.get("severity"), origin),
        origin=origin,
    )


def _optional_strings(table: Mapping[str, Any], key: str, where: str, example: str) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    return _strings(value, where, example)


def _strings(value: Any, where: str, example: str) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a list of strings such as {example}, got {_shown_value(value)}")


def _per_file_table(value: Any, origin: Origin) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        example = '{ "tests/*" = ["GEN101"] }'
        raise ConfigError(f"{origin.where('per-file-ignores')}: expected a table such as {example}")
    return tuple(
        (pattern, _strings(codes, origin.where("per-file-ignores", pattern), '["GEN101", "GEN2"]'))
        for pattern, codes in value.items()
    )


def _severity_table(value: Any, origin: Origin) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigError(f'{origin.where("severity")}: expected a table such as {{ GEN108 = "error" }}')
    entries = []
    for code, severity in value.items():
        if not isinstance(severity, str):
            where = origin.where("severity", code)
            raise ConfigError(f"{where}: expected one of {', '.join(SEVERITIES)}, got {_shown_value(severity)}")
        entries.append((code, severity))
    return tuple(entries)


def _shown_value(value: Any) -> str:
    """A TOML value as it would be written, shortened to fit in a one-line message."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def parse_per_file_ignores(values: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`--per-file-ignores PATTERN:CODES` values (`tests/*:GEN101,GEN2`) as (pattern, selectors) pairs."""
    pairs = []
    for value in values:
        pattern, colon, codes = value.rpartition(":")
        selectors = tuple(code.strip() for code in codes.split(",") if code.strip())
        if not colon or not pattern or not selectors:
            raise ConfigError(
                f"--per-file-ignores: expected PATTERN:CODES such as 'tests/*:GEN101,GEN2', got {value!r}"
            )
        pairs.append((pattern, selectors))
    return tuple(pairs)


# Settings for every file of a run


class Configuration:
    """The settings of each file in a run: the nearest `[tool.genlint]` above it, or the `--config` file, or
    none (`--isolated`), with the command line's options on top. Raises ConfigError for a configuration
    genlint cannot use, at once for the command line and `--config`, on first use for the others."""

    def __init__(
        self,
        command_line: Options | None = None,
        config_file: str | None = None,
        isolated: bool = False,
        catalog: RuleCatalog | None = None,
    ) -> None:
        self._catalog = catalog or RuleCatalog.of(all_entries())
        self._command_line = command_line or Options()
        self._isolated = isolated
        self._fixed: str | None = None  # the --config file: every file's
        self._by_folder: dict[str, Settings] = {}  # folder → the settings of its files
        self._tables: dict[str, Mapping[str, Any] | None] = {}  # config file → its [tool.genlint]
        self._nearest: dict[Path, str] = {}  # folder → the nearest config file above it, "" for none
        self._settings: dict[str, Settings] = {}  # config file ("" for none) → settings
        resolve([self._command_line], self._catalog)  # a bad command line is reported before any file is read
        if config_file is not None:
            self._fixed = self._explicit(config_file)
            self.settings_of(self._fixed)

    def _explicit(self, config_file: str) -> str:
        path = Path(os.path.abspath(config_file))
        if not path.is_file():
            raise ConfigError(f"--config: {config_file}: no such file")
        if self._table(str(path)) is None:
            raise ConfigError(f"--config: {display_path(str(path))} has no {TABLE} table")
        return str(path)

    def settings_for(self, path: str | Path) -> Settings:
        """The settings of the file at `path`, worked out once per folder (pathlib is slow on every file)."""
        folder = os.path.dirname(os.path.abspath(path))
        settings = self._by_folder.get(folder)
        if settings is None:
            settings = self._by_folder[folder] = self.settings_in(Path(folder))
        return settings

    def settings_in(self, folder: Path) -> Settings:
        """The settings of the files directly in `folder`."""
        if self._isolated:
            return self.settings_of("")
        if self._fixed is not None:
            return self.settings_of(self._fixed)
        return self.settings_of(self._nearest_config(Path(os.path.abspath(folder))))

    def exclude_for(self, folder: Path) -> tuple[ExcludePatterns, ...]:
        """The exclude patterns that apply to the files and folders directly in `folder` (for discovery)."""
        return self.settings_in(folder).exclude

    def settings_of(self, config_file: str) -> Settings:
        """The settings from one configuration file ("" for none) with the command line on top."""
        if config_file not in self._settings:
            layers = [self._command_line]
            if config_file:
                table = self._table(config_file) or {}
                layers.insert(0, options_from_table(table, Origin(config_file)))
            self._settings[config_file] = resolve(layers, self._catalog)
        return self._settings[config_file]

    def _nearest_config(self, folder: Path) -> str:
        visited: list[Path] = []
        found = ""
        for candidate in (folder, *folder.parents):
            if candidate in self._nearest:
                found = self._nearest[candidate]
                break
            visited.append(candidate)
            config = candidate / CONFIG_FILE
            if config.is_file() and self._table(str(config)) is not None:
                found = str(config)
                break
        for candidate in visited:
            self._nearest[candidate] = found
        return found

    def _table(self, config_file: str) -> Mapping[str, Any] | None:
        if config_file not in self._tables:
            self._tables[config_file] = read_table(Path(config_file))
        return self._tables[config_file]
