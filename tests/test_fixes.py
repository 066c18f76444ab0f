"""`--fix` and `--diff`: each safe fix on its rule's first invalid example, and the file handling."""

from __future__ import annotations

import io
import os
import stat
import textwrap
from pathlib import Path

import libcst
import pytest

import genlint.fixes
from conftest import write_example
from genlint.cli import main
from genlint.engine import RunResult, lint_files
from genlint.fixes import FileFix, fix_result, fix_source, write_fixes
from genlint.rules import BUILTIN_RULES, Rule
from genlint.rules.base import Diagnostic, Edit, Fix, FixSafety, Severity
from genlint.rules.gen104_non_tuple_yield import NonTupleYieldRule
from genlint.rules.gen106_stop_iteration_in_generator import StopIterationInGeneratorRule
from genlint.rules.gen205_batch_size_with_generator import BatchSizeWithGeneratorRule
from genlint.rules.gen208_shuffle_ignored import ShuffleIgnoredRule
from genlint.rules.gen501_fit_generator import FitGeneratorRule
from genlint.rules.gen502_evaluate_or_predict_generator import EvaluateOrPredictGeneratorRule

# For each fixed rule: the change `--fix` makes to its first invalid example, as (written, fixed) pairs.
EXPECTED_CHANGES: dict[type[Rule], tuple[tuple[str, str], ...]] = {
    FitGeneratorRule: (("model.fit_generator(batches", "model.fit(batches"),),
    EvaluateOrPredictGeneratorRule: (("model.evaluate_generator(batches", "model.evaluate(batches"),),
    NonTupleYieldRule: (
        (
            "yield [x[start:start + batch_size], y[start:start + batch_size]]",
            "yield (x[start:start + batch_size], y[start:start + batch_size])",
        ),
    ),
    StopIterationInGeneratorRule: (("    raise StopIteration  # error", "    return  # error"),),
    BatchSizeWithGeneratorRule: (("32), batch_size=64, steps_per_epoch", "32), steps_per_epoch"),),
    ShuffleIgnoredRule: (("epochs=2, shuffle=True)", "epochs=2)"),),
}


def fixed_text(source: str, changes: tuple[tuple[str, str], ...]) -> str:
    for written, fixed in changes:
        assert source.count(written) == 1, written
        source = source.replace(written, fixed)
    return source


def fix_once(path: Path, rule: type[Rule]) -> list[FileFix]:
    return fix_result(lint_files([path], (rule,)), rules=(rule,))


def test_every_safely_fixed_rule_is_covered() -> None:
    safe = {rule for rule in BUILTIN_RULES if rule.fix_safety is FixSafety.SAFE}
    assert safe == set(EXPECTED_CHANGES)


@pytest.mark.parametrize("rule", list(EXPECTED_CHANGES), ids=lambda rule: rule.code)
def test_fix_of_the_first_invalid_example(rule: type[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example = rule.invalid[0]
    path = write_example(example, tmp_path)
    original = path.read_text(encoding="utf-8")
    expected = fixed_text(original, EXPECTED_CHANGES[rule])

    (file_fix,) = fix_once(path, rule)
    assert (file_fix.refused, file_fix.fixed) == ("", expected)
    libcst.parse_module(file_fix.fixed)
    assert path.read_text(encoding="utf-8") == original  # nothing is written before write_fixes

    assert write_fixes([file_fix]) == []
    assert path.read_text(encoding="utf-8") == expected
    assert [d for d in lint_files([path], (rule,)).diagnostics if d.code == rule.code] == []
    assert all(not again.changed for again in fix_once(path, rule))  # a second run changes nothing


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


LEGACY = """\
model.fit_generator(train_batches, steps_per_epoch=10, epochs=2)
"""


def run(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_diff_prints_the_change_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "train.py", LEGACY)

    code, stdout, stderr = run(["--isolated", "--diff", "train.py"])

    assert (code, stderr) == (1, "")
    assert stdout == (
        "--- a/train.py\n+++ b/train.py\n@@ -1 +1 @@\n"
        "-model.fit_generator(train_batches, steps_per_epoch=10, epochs=2)\n"
        "+model.fit(train_batches, steps_per_epoch=10, epochs=2)\n"
    )
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == LEGACY


def test_diff_without_anything_to_fix_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "train.py", "model.fit(x_train, y_train, epochs=2)\n")

    assert run(["--isolated", "--diff", "train.py"]) == (0, "", "")


def test_fix_writes_and_the_exit_code_reflects_what_remains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "train.py", LEGACY)

    code, stdout, _ = run(["--isolated", "--fix", "--output-format", "concise", "train.py"])

    assert code == 0
    assert stdout == ""
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == (
        "model.fit(train_batches, steps_per_epoch=10, epochs=2)\n"
    )

    remaining = "def batches():\n    while True:\n        yield [1, 2], 3\n\n\nmodel.fit(batches(), epochs=2)\n"
    write(tmp_path, "train.py", remaining)  # GEN101 (no steps) has no fix and stays
    code, stdout, _ = run(["--isolated", "--fix", "--output-format", "concise", "train.py"])
    assert code == 1
    assert "GEN201" in stdout


def test_full_output_marks_fixable_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "train.py", LEGACY)

    code, stdout, _ = run(["--isolated", "--output-format", "full", "train.py"])

    assert code == 1
    assert "GEN501 [*] [error]" in stdout
    assert "1 fixable with --fix.\n" in stdout


def test_crlf_bom_and_permission_bits_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "train.py"
    original = "\ufeff# é\r\nmodel.fit_generator(gen, epochs=2)\r\nmodel.predict_generator(gen)\r\n"
    path.write_bytes(original.encode("utf-8"))
    os.chmod(path, 0o750)

    code, _, stderr = run(["--isolated", "--fix", "--output-format", "concise", "train.py"])

    assert (code, stderr) == (0, "genlint: fixed 2 findings in 1 file\n")
    assert path.read_bytes() == "\ufeff# é\r\nmodel.fit(gen, epochs=2)\r\nmodel.predict(gen)\r\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert sorted(os.listdir(tmp_path)) == ["train.py"]


def test_a_coding_cookie_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "train.py"
    path.write_bytes(b'# -*- coding: latin-1 -*-\nlabel = "caf\xe9"\nmodel.fit_generator(gen)\n')

    run(["--isolated", "--fix", "train.py"])

    assert path.read_bytes() == b'# -*- coding: latin-1 -*-\nlabel = "caf\xe9"\nmodel.fit(gen)\n'


def test_an_interrupted_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "train.py", LEGACY)

    def fail(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(genlint.fixes.os, "replace", fail)
    code, _, stderr = run(["--isolated", "--fix", "--output-format", "concise", "train.py"])

    assert code == 1  # the finding remains
    assert "cannot write train.py: disk full" in stderr
    assert path.read_text(encoding="utf-8") == LEGACY
    assert sorted(os.listdir(tmp_path)) == ["train.py"]  # no temporary file left behind


def test_a_fix_that_would_not_parse_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "train.py", "x = f(a, b)\n")
    broken = Fix("break it", (Edit(1, 9, 1, 11, "("),))  # `, b` → `(`

    file_fix = fix_source(str(path), path.read_text(encoding="utf-8"), [broken], lambda path, source: [])

    assert not file_fix.changed
    assert file_fix.refused.startswith("the fixed source would not parse")
    assert write_fixes([file_fix]) == []
    assert path.read_text(encoding="utf-8") == "x = f(a, b)\n"


def test_a_refused_file_is_reported_by_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "train.py", LEGACY)
    monkeypatch.setattr(genlint.fixes.libcst, "parse_module", _never_parses)

    code, _, stderr = run(["--isolated", "--fix", "--output-format", "concise", "train.py"])

    assert code == 1
    assert "genlint: not fixing train.py: the fixed source would not parse" in stderr
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == LEGACY


def _never_parses(source: str) -> None:
    raise libcst.ParserSyntaxError("nope", lines=[source], raw_line=1, raw_column=0)


def test_overlapping_fixes_wait_for_the_next_round() -> None:
    first = Fix("a", (Edit(1, 1, 1, 4, "abc"),))
    overlapping = Fix("b", (Edit(1, 2, 1, 3, "X"),))
    later = Fix("c", (Edit(1, 7, 1, 8, "2"),))
    rounds = []

    def relint(path: str, source: str) -> list[Fix]:
        rounds.append(source)
        return [Fix("b", (Edit(1, 2, 1, 3, "X"),))] if len(rounds) == 1 else []

    file_fix = fix_source("x.py", "xyz = 1\n", [later, overlapping, first], relint)

    assert rounds == ["abc = 2\n", "aXc = 2\n"]
    assert (file_fix.fixed, file_fix.applied) == ("aXc = 2\n", 3)


def test_removal_keeps_the_rest_of_a_multiline_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = (
        "def batches():\n    while True:\n        yield 1, 2\n\n\n"
        "model.fit(\n    batches(),  # the data\n    steps_per_epoch=3,\n    shuffle=True,  # why\n)\n"
    )
    path = write(tmp_path, "train.py", source)

    (file_fix,) = fix_once(path, ShuffleIgnoredRule)

    assert file_fix.fixed == source.replace("    shuffle=True,  # why\n", "")


def test_no_fix_for_positional_arguments_that_would_change_meaning(tmp_path: Path) -> None:
    path = write(tmp_path, "train.py", "model.fit_generator(gen, 100, 5)\n")

    (finding,) = lint_files([path], (FitGeneratorRule,)).diagnostics

    assert finding.fix is None


def test_json_reports_the_fix_a_finding_offers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "train.py", "model.fit_generator(gen, 100, 5)\nmodel.fit_generator(gen)\n")

    _, stdout, _ = run(["--isolated", "--output-format", "json", "train.py"])

    assert '"fix": "none"' in stdout and '"fix": "safe"' in stdout


def test_unsafe_fixes_need_the_option(tmp_path: Path) -> None:
    path = write(tmp_path, "train.py", "x = 1\n")
    unsafe = Diagnostic(
        str(path), 1, 1, "UNS900", "m", name="unsafe", severity=Severity.INFO, fix=Fix("u", (Edit(1, 5, 1, 6, "2"),))
    )

    class UnsafeRule(Rule):
        code = "UNS900"
        name = "unsafe"
        severity = Severity.INFO
        message = "m"
        fix_safety = FixSafety.UNSAFE

    result = RunResult(diagnostics=[unsafe], files=1, rules=(UnsafeRule,))
    assert fix_result(result, rules=(UnsafeRule,)) == []
    (file_fix,) = fix_result(result, unsafe=True, rules=(UnsafeRule,))
    assert file_fix.fixed == "x = 2\n"


def test_only_linted_files_are_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    example = StopIterationInGeneratorRule.invalid[4]  # the generator lives in data_utils.py
    write_example(example, tmp_path)
    helper = tmp_path / "data_utils.py"
    original = helper.read_text(encoding="utf-8")

    run(["--isolated", "--fix", "train.py"])
    assert helper.read_text(encoding="utf-8") == original

    run(["--isolated", "--fix", "."])
    assert helper.read_text(encoding="utf-8") == original.replace("raise StopIteration", "return")
