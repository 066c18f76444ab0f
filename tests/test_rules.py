"""Every rule's own examples, run as tests: invalid ones give exactly their markers, valid ones nothing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst
import pytest

from conftest import expected_markers, found_markers, lint_example, write_example
from genlint.engine import lint_files
from genlint.fixes import fix_result, write_fixes
from genlint.rules import builtin_rules
from genlint.rules.base import Example, FixSafety, Rule


def _rules_for(rule: type[Rule]) -> tuple[type[Rule], ...]:
    """Every default rule, plus the rule under test when it is off by default."""
    default = tuple(candidate for candidate in builtin_rules() if candidate.default_enabled)
    return default if rule in default else (*default, rule)


def _cases(kind: str) -> list:
    cases = []
    for rule in builtin_rules():
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


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.code)
def test_every_rule_has_enough_examples(rule: type[Rule]) -> None:
    assert len(rule.invalid) >= 6, f"{rule.code} needs at least 6 invalid examples"
    assert len(rule.valid) >= 6, f"{rule.code} needs at least 6 valid examples"


def _fixable_cases() -> list:
    return [
        pytest.param(rule, example, id=f"{rule.code}-fixed-{index}")
        for rule in builtin_rules()
        if rule.fix_safety is not FixSafety.NONE
        for index, example in enumerate(rule.invalid, start=1)
    ]


FIXABLE = [rule for rule in builtin_rules() if rule.fix_safety is not FixSafety.NONE]


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda rule: rule.code)
def test_every_fixable_rule_shows_its_fix(rule: type[Rule]) -> None:
    missing = [index for index, example in enumerate(rule.invalid, start=1) if example.fixed is None]
    assert not missing, f"invalid examples {missing} of {rule.code} carry no expected fixed source"
    assert any(textwrap.dedent(example.fixed or "") != textwrap.dedent(example.code) for example in rule.invalid)


@pytest.mark.parametrize(("rule", "example"), _fixable_cases())
def test_invalid_example_fixes_to_its_expected_source(
    rule: type[Rule], example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--fix` (with `--unsafe-fixes` for an unsafe rule) gives the example's `fixed` source, which parses,
    no longer has the finding, and fixing again changes nothing. An unchanged `fixed` means: no fix offered."""
    monkeypatch.chdir(tmp_path)
    unsafe = rule.fix_safety is FixSafety.UNSAFE
    main = write_example(example, tmp_path)
    originals = {path.resolve(): path.read_text(encoding="utf-8") for path in tmp_path.rglob("*.py")}
    main = main.resolve()
    expected = {main: textwrap.dedent(example.fixed or "")}
    expected |= {(tmp_path / name).resolve(): textwrap.dedent(source) for name, source in example.fixed_files.items()}

    file_fixes = fix_result(lint_files([main], (rule,)), unsafe=unsafe, rules=(rule,))
    assert [file_fix.refused for file_fix in file_fixes if file_fix.refused] == []
    after = dict(originals) | {Path(file_fix.path).resolve(): file_fix.fixed for file_fix in file_fixes}
    for path, source in after.items():
        assert source == expected.get(path, originals[path]), path.name
    if expected[main] == textwrap.dedent(example.code) and not example.fixed_files:
        assert not any(file_fix.changed for file_fix in file_fixes), "an unchanged `fixed` means no fix"
        return
    for file_fix in file_fixes:
        libcst.parse_module(file_fix.fixed)
    assert write_fixes(file_fixes) == []
    assert [d for d in lint_files([main], (rule,)).diagnostics if d.code == rule.code] == []
    again = fix_result(lint_files([main], (rule,)), unsafe=unsafe, rules=(rule,))
    assert not any(file_fix.changed for file_fix in again), "a second fix run changes nothing"
