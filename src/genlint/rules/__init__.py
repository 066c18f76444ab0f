"""The rule registry: the built-in rules, plus third-party rules from the `genlint.rules` entry points."""

from __future__ import annotations

import re
from importlib.metadata import entry_points

from genlint.rules.base import Rule
from genlint.rules.gen001_syntax_error import SyntaxErrorRule
from genlint.rules.gen101_finite_generator import FiniteGeneratorRule
from genlint.rules.gen102_swallowed_exception import SwallowedExceptionRule
from genlint.rules.gen103_single_element_yield import SingleElementYieldRule
from genlint.rules.gen104_non_tuple_yield import NonTupleYieldRule
from genlint.rules.gen201_missing_steps_per_epoch import MissingStepsPerEpochRule
from genlint.rules.gen202_missing_validation_steps import MissingValidationStepsRule
from genlint.rules.gen301_float_steps import FloatStepsRule
from genlint.rules.gen501_fit_generator import FitGeneratorRule
from genlint.rules.gen502_evaluate_or_predict_generator import EvaluateOrPredictGeneratorRule

BUILTIN_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    FiniteGeneratorRule,
    SwallowedExceptionRule,
    SingleElementYieldRule,
    NonTupleYieldRule,
    MissingStepsPerEpochRule,
    MissingValidationStepsRule,
    FloatStepsRule,
    FitGeneratorRule,
    EvaluateOrPredictGeneratorRule,
)
ENTRY_POINT_GROUP = "genlint.rules"
CODE_PATTERN = re.compile(r"^[A-Z]{2,}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class PluginError(Exception):
    """A third-party rule that does not follow the contract."""


def plugin_rules() -> tuple[type[Rule], ...]:
    """Rules registered by installed packages. Each entry point names a Rule subclass or a tuple of them."""
    found: list[type[Rule]] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
        except Exception as error:  # a broken plugin must not take genlint down with it
            raise PluginError(f"cannot load rule plugin {entry_point.name!r} ({entry_point.value}): {error}") from error
        candidates = loaded if isinstance(loaded, (tuple, list)) else (loaded,)
        for candidate in candidates:
            if not (isinstance(candidate, type) and issubclass(candidate, Rule)):
                raise PluginError(f"rule plugin {entry_point.name!r} gave {candidate!r}, not a genlint Rule class")
            found.append(candidate)
    return tuple(found)


def all_rules() -> tuple[type[Rule], ...]:
    """Built-in and plugin rules, checked for well-formed, unique codes and names."""
    rules = BUILTIN_RULES + plugin_rules()
    seen: dict[str, type[Rule]] = {}
    for rule in rules:
        for key, pattern in ((rule.code, CODE_PATTERN), (rule.name, NAME_PATTERN)):
            if not pattern.match(key):
                raise PluginError(f"rule {rule.__qualname__} has a malformed code or name: {key!r}")
            if key in seen and seen[key] is not rule:
                raise PluginError(f"rules {seen[key].__qualname__} and {rule.__qualname__} both use {key!r}")
            seen[key] = rule
    return rules


__all__ = ["BUILTIN_RULES", "ENTRY_POINT_GROUP", "PluginError", "Rule", "all_rules", "plugin_rules"]
