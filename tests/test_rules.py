"""Every rule's own examples, run as tests: invalid ones give exactly their markers, valid ones nothing."""

from __future__ import annotations

import pytest

from conftest import expected_markers, found_markers, lint_example
from genlint.rules import BUILTIN_RULES
from genlint.rules.base import Example, Rule


def _rules_for(rule: type[Rule]) -> tuple[type[Rule], ...]:
    """Every default rule, plus the rule under test when it is off by default."""
    default = tuple(candidate for candidate in BUILTIN_RULES if candidate.default_enabled)
    return default if rule in default else (*default, rule)


def _cases(kind: str) -> list:
    cases = []
    for rule in BUILTIN_RULES:
        examples: tuple[Example, ...] = getattr(rule, kind)
        for index, example in enumerate(examples, start=1):
            cases.append(pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _cases("invalid"))
def test_invalid_example_gives_its_markers(rule: type[Rule], example: Example, tmp_path) -> None:
    expected = {marker for marker in expected_markers(example, tmp_path) if marker[2] == rule.code}
    assert expected, "an invalid example must mark at least one expected diagnostic"
    diagnostics = lint_example(example, tmp_path, _rules_for(rule))
    assert found_markers(diagnostics, rule.code) == expected


@pytest.mark.parametrize(("rule", "example"), _cases("valid"))
def test_valid_example_is_clean(rule: type[Rule], example: Example, tmp_path) -> None:
    diagnostics = lint_example(example, tmp_path, _rules_for(rule))
    assert found_markers(diagnostics, rule.code) == set()
    assert not expected_markers(example, tmp_path), "valid examples carry no markers"


@pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda rule: rule.code)
def test_every_rule_has_enough_examples(rule: type[Rule]) -> None:
    assert len(rule.invalid) >= 6, f"{rule.code} needs at least 6 invalid examples"
    assert len(rule.valid) >= 6, f"{rule.code} needs at least 6 valid examples"
