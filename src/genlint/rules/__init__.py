"""The rule registry: the built-in rules, plus third-party rules from the `genlint.rules` entry points.

The built-in rules are listed in `catalog.py`, generated from their modules by `python -m genlint.docs`.
A run selects rules, keys its cache and reads suppression comments from that list alone, and imports a rule's
module only when a file is linted with it: a run whose results all come from the cache imports none.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass, field

from genlint.rules.base import FixSafety, Rule
from genlint.rules.catalog import BUILTIN

ENTRY_POINT_GROUP = "genlint.rules"
CODE_PATTERN = re.compile(r"^[A-Z]{2,}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class PluginError(Exception):
    """A third-party rule that does not follow the contract."""


@dataclass(frozen=True)
class RuleEntry:
    """What a run knows of a rule before it runs it: enough to select it, to name it in a suppression, to key
    the cache and to say whether it fixes. `load()` gives the rule's class, importing its module."""

    code: str
    name: str
    default_enabled: bool
    fix_safety: FixSafety
    module: str
    attribute: str
    # What else the cache must know of a plugin rule: its distribution and version ("" for a built-in rule).
    origin: str = ""
    loaded: type[Rule] | None = field(default=None, compare=False, repr=False)

    def load(self) -> type[Rule]:
        if self.loaded is not None:
            return self.loaded
        rule: type[Rule] = getattr(importlib.import_module(self.module), self.attribute)
        object.__setattr__(self, "loaded", rule)  # frozen for its fields; the class is only remembered
        return rule

    @property
    def builtin(self) -> bool:
        return not self.origin and self.module == rule_module(self.code, self.name)

    @classmethod
    def of(cls, rule: type[Rule], origin: str = "") -> RuleEntry:
        return cls(
            rule.code,
            rule.name,
            rule.default_enabled,
            rule.fix_safety,
            rule.__module__,
            rule.__qualname__,
            origin,
            rule,
        )


def rule_module(code: str, name: str) -> str:
    """The module that holds a built-in rule, named by its code and name: `genlint.rules.gen101_finite_generator`."""
    return f"{__name__}.{code.lower()}_{name.replace('-', '_')}"


BUILTIN_ENTRIES: tuple[RuleEntry, ...] = tuple(
    RuleEntry(code, name, default_enabled, FixSafety(fix_safety), rule_module(code, name), attribute)
    for code, name, default_enabled, fix_safety, attribute in BUILTIN
)


@functools.cache
def builtin_rules() -> tuple[type[Rule], ...]:
    """The built-in rule classes, in registry order (by code); imports every rule module."""
    return tuple(entry.load() for entry in BUILTIN_ENTRIES)


@functools.cache
def plugin_entries() -> tuple[RuleEntry, ...]:
    """Rules registered by installed packages, looked up once per process. Each entry point names a Rule
    subclass or a tuple of them."""
    from importlib.metadata import entry_points  # ~20 ms: only here

    found: list[RuleEntry] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
        except Exception as error:  # a broken plugin must not take genlint down with it
            raise PluginError(f"cannot load rule plugin {entry_point.name!r} ({entry_point.value}): {error}") from error
        distribution = getattr(entry_point, "dist", None)
        origin = f"{distribution.name} {distribution.version}" if distribution is not None else entry_point.value
        candidates = loaded if isinstance(loaded, (tuple, list)) else (loaded,)
        for candidate in candidates:
            if not (isinstance(candidate, type) and issubclass(candidate, Rule)):
                raise PluginError(f"rule plugin {entry_point.name!r} gave {candidate!r}, not a genlint Rule class")
            found.append(RuleEntry.of(candidate, origin))
    return tuple(found)


def all_entries() -> tuple[RuleEntry, ...]:
    """Built-in and plugin rules, checked for well-formed, unique codes and names."""
    entries = BUILTIN_ENTRIES + plugin_entries()
    seen: dict[str, RuleEntry] = {}
    for entry in entries:
        for key, pattern in ((entry.code, CODE_PATTERN), (entry.name, NAME_PATTERN)):
            if not pattern.match(key):
                raise PluginError(f"rule {entry.attribute} has a malformed code or name: {key!r}")
            if key in seen and seen[key] != entry:
                raise PluginError(f"rules {seen[key].attribute} and {entry.attribute} both use {key!r}")
            seen[key] = entry
    return entries


def all_rules() -> tuple[type[Rule], ...]:
    """Built-in and plugin rule classes, checked as `all_entries` checks them; imports every rule module."""
    return tuple(entry.load() for entry in all_entries())


__all__ = [
    "BUILTIN_ENTRIES",
    "ENTRY_POINT_GROUP",
    "PluginError",
    "Rule",
    "RuleEntry",
    "all_entries",
    "all_rules",
    "builtin_rules",
    "plugin_entries",
]
