"""`--fix` and `--diff`: the command line, the file handling, overlapping fixes, and the cases where a rule
withholds its fix. What each rule's fix does to its examples is checked in test_rules.py (`Example.fixed`)."""

from __future__ import annotations

import io
import json
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
from genlint.reporters.full import report_full
from genlint.reporters.json import report_json
from genlint.rules import Rule, RuleEntry
from genlint.rules.base import Diagnostic, Edit, Fix, FixSafety, Severity
from genlint.rules.gen106_stop_iteration_in_generator import StopIterationInGeneratorRule
from genlint.rules.gen205_batch_size_with_generator import BatchSizeWithGeneratorRule
from genlint.rules.gen208_shuffle_ignored import ShuffleIgnoredRule
from genlint.rules.gen501_fit_generator import FitGeneratorRule
from genlint.rules.gen502_evaluate_or_predict_generator import EvaluateOrPredictGeneratorRule


def fix_once(path: Path, rule: type[Rule]) -> list[FileFix]:
    return fix_result(lint_files([path], (rule,)), rules=(rule,))


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
    assert path.read_bytes() == "\ufeff# é\r\nmodel.fit(gen, epochs=2)\r\nmodel.predict(gen, verbose=0)\r\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert sorted(os.listdir(tmp_path)) == ["train.py"]


def test_a_coding_cookie_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "train.py"
    path.write_bytes(b'# -*- coding: latin-1 -*-\nlabel = "caf\xe9"\nmodel.fit_generator(gen)\n')

    run(["--isolated", "--fix", "train.py"])

    assert path.read_bytes() == b'# -*- coding: latin-1 -*-\nlabel = "caf\xe9"\nmodel.fit(gen)\n'


class FailingOs:
    """The `os` module as genlint.fixes sees it, except that one function fails as a full disk would."""

    def __init__(self, failing: str) -> None:
        self.failing = failing

    def __getattr__(self, name: str) -> object:
        if name == self.failing:
            return self.fail
        return getattr(os, name)

    @staticmethod
    def fail(*arguments: object) -> None:
        raise OSError("disk full")


@pytest.mark.parametrize("failing", ["fsync", "chmod", "replace"])
def test_an_interrupted_write_leaves_the_original(
    failing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the new text went into the temporary file, before `os.replace` put it in place."""
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "train.py", LEGACY)
    monkeypatch.setattr(genlint.fixes, "os", FailingOs(failing))

    code, stdout, stderr = run(["--isolated", "--fix", "--output-format", "concise", "train.py"])

    assert code == 1  # the finding remains, and is reported
    assert "GEN501" in stdout
    assert stderr == "genlint: cannot write train.py: disk full\n"  # and nothing claims it was fixed
    assert path.read_text(encoding="utf-8") == LEGACY
    assert sorted(os.listdir(tmp_path)) == ["train.py"]  # no temporary file left behind


def test_fix_counts_the_findings_and_files_it_fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path, "evaluate.py", "model.evaluate_generator(gen, verbose=1)\nmodel.predict_generator(gen, verbose=1)\n"
    )
    write(tmp_path, "train.py", LEGACY)
    write(tmp_path, "legacy.py", "model.fit_generator(gen, 100, 5)\n")  # no fix: `fit(gen, 100)` means y

    code, stdout, stderr = run(["--isolated", "--fix", "--output-format", "concise", "."])

    assert stderr == "genlint: fixed 3 findings in 2 files\n"
    assert (code, stdout.count("GEN501")) == (1, 1)  # what remains
    assert (tmp_path / "evaluate.py").read_text(encoding="utf-8") == (
        "model.evaluate(gen, verbose=1)\nmodel.predict(gen, verbose=1)\n"
    )
    assert run(["--isolated", "--fix", "--output-format", "concise", "."])[2] == ""  # nothing left to fix


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


BATCHES = "def batches():\n    while True:\n        yield 1, 2\n\n\n"


@pytest.mark.parametrize(
    ("call", "fixed"),
    [
        (
            "model.fit(\n    batches(),  # the data\n    steps_per_epoch=3,\n    shuffle=True,  # why\n)\n",
            "model.fit(\n    batches(),  # the data\n    steps_per_epoch=3,\n)\n",
        ),
        (
            "model.fit(\n    batches(),\n    shuffle=True  # why\n)\n",
            "model.fit(\n    batches(),\n)\n",
        ),
        (  # leading commas: the comma to take is on the next line
            "model.fit(\n    batches()\n    , shuffle=True\n    , epochs=2\n)\n",
            "model.fit(\n    batches()\n    , epochs=2\n)\n",
        ),
        (
            "model.fit(\n    batches(),\n    shuffle=True\n    , epochs=2\n)\n",
            "model.fit(\n    batches(),\n    epochs=2\n)\n",
        ),
        (
            "model.fit(batches(), epochs=2, shuffle=True,)\n",
            "model.fit(batches(), epochs=2,)\n",
        ),
    ],
)
def test_removal_keeps_the_rest_of_the_call(call: str, fixed: str, tmp_path: Path) -> None:
    path = write(tmp_path, "train.py", BATCHES + call)

    (file_fix,) = fix_once(path, ShuffleIgnoredRule)

    assert file_fix.fixed == BATCHES + fixed


@pytest.mark.parametrize("value", ["(size := 64)", "sizes[pick()]"])  # `next_size()` may be None: no finding
def test_no_removal_of_a_value_with_side_effects(value: str, tmp_path: Path) -> None:
    path = write(tmp_path, "train.py", BATCHES + f"model.fit(batches(), batch_size={value}, steps_per_epoch=3)\n")

    (finding,) = lint_files([path], (BatchSizeWithGeneratorRule,)).diagnostics

    assert finding.fix is None


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

    result = RunResult(diagnostics=[unsafe], files=1, rules=(RuleEntry.of(UnsafeRule),))
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


RAISES_THAT_SOMETHING_SEES = {
    "a try with handlers": """\
        for item in x:
            try:
                raise StopIteration
            except ValueError:
                pass
            yield item, item
    """,
    "a finally block, where return would swallow an exception in flight": """\
        for item in x:
            yield item, item
        try:
            cleanup(x)
        finally:
            raise StopIteration
    """,
    "contextlib.suppress": """\
        for item in x:
            with contextlib.suppress(StopIteration):
                raise StopIteration
            yield item, item
    """,
}


@pytest.mark.parametrize("body", RAISES_THAT_SOMETHING_SEES.values(), ids=RAISES_THAT_SOMETHING_SEES)
def test_no_return_fix_where_something_sees_the_stop_iteration(body: str, tmp_path: Path) -> None:
    source = "import contextlib\n\n\ndef pairs(x):\n" + textwrap.indent(textwrap.dedent(body), "    ")
    path = write(tmp_path, "train.py", source + "\n\nmodel.fit(pairs(data), steps_per_epoch=3)\n")

    findings = lint_files([path], (StopIterationInGeneratorRule,)).diagnostics

    assert findings and all(finding.fix is None for finding in findings)


def test_return_fix_inside_an_except_handler_and_a_with_block(tmp_path: Path) -> None:
    source = """\
        def pairs(paths):
            for path in paths:
                with open(path) as handle:
                    try:
                        row = handle.read()
                    except OSError:
                        raise StopIteration
                    if not row:
                        raise StopIteration()
                yield row, row


        model.fit(pairs(files), steps_per_epoch=3)
    """
    path = write(tmp_path, "train.py", source)

    (file_fix,) = fix_once(path, StopIterationInGeneratorRule)

    assert file_fix.fixed == textwrap.dedent(source).replace("raise StopIteration()", "return").replace(
        "raise StopIteration", "return"
    )


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("m.predict_generator(gen)\n", "m.predict(gen, verbose=0)\n"),
        ("m.predict_generator(gen, steps=3,)\n", "m.predict(gen, steps=3, verbose=0,)\n"),
        (
            "m.evaluate_generator(\n    gen,\n    steps=3  # why\n)\n",
            "m.evaluate(\n    gen,\n    steps=3,  # why\n    verbose=0\n)\n",
        ),
        (
            "if ok:\r\n\tm.evaluate_generator(\r\n\t\tgen,\r\n\t\tsteps=3,\r\n\t)\r\n",
            "if ok:\r\n\tm.evaluate(\r\n\t\tgen,\r\n\t\tsteps=3,\r\n\t\tverbose=0,\r\n\t)\r\n",
        ),
        (
            "m.evaluate_generator(gen,\n                     steps=3)\n",
            "m.evaluate(gen,\n                     steps=3, verbose=0)\n",
        ),
        ("m.predict_generator(generator=gen, verbose=2)\n", "m.predict(x=gen, verbose=2)\n"),
        ("m.predict_generator(gen, **options)\n", None),  # `options` may hold a verbose
        ("m.predict_generator(b for b in batches)\n", None),  # a second argument needs `(b for b in batches)`
    ],
)
def test_evaluate_and_predict_stay_silent(written: str, fixed: str | None, tmp_path: Path) -> None:
    """`evaluate_generator` / `predict_generator` defaulted to `verbose=0`; `verbose=0` joins the call in its
    own layout (a line of its own, indentation, line ending, trailing comma)."""
    path = tmp_path / "train.py"
    path.write_bytes(written.encode())

    file_fixes = fix_once(path, EvaluateOrPredictGeneratorRule)

    assert [file_fix.fixed for file_fix in file_fixes] == ([] if fixed is None else [fixed])


def test_full_output_counts_safe_and_unsafe_fixes(tmp_path: Path) -> None:
    """`[*]` marks what `--fix` repairs; the summary adds what `--unsafe-fixes` would; JSON names each."""
    path = write(tmp_path, "train.py", "x = 1\ny = 2\nz = 3\n")
    repair = Fix("r", (Edit(1, 5, 1, 6, "2"),))

    class SafeRule(Rule):
        code, name, severity, message, fix_safety = "SAF901", "safe", Severity.INFO, "safe", FixSafety.SAFE

    class UnsafeRule(Rule):
        code, name, severity, message, fix_safety = "UNS901", "unsafe", Severity.INFO, "unsafe", FixSafety.UNSAFE

    def finding(rule: type[Rule], line: int, fix: Fix | None) -> Diagnostic:
        return Diagnostic(str(path), line, 1, rule.code, rule.message, name=rule.name, severity=rule.severity, fix=fix)

    result = RunResult(
        diagnostics=[finding(SafeRule, 1, repair), finding(UnsafeRule, 2, repair), finding(UnsafeRule, 3, None)],
        files=1,
        rules=(RuleEntry.of(SafeRule), RuleEntry.of(UnsafeRule)),
    )
    full, json_output = io.StringIO(), io.StringIO()
    report_full(result, full)
    report_json(result, json_output)

    headers = [line for line in full.getvalue().splitlines() if line.startswith(str(path))]
    assert [" [*] " in header for header in headers] == [True, False, False]
    assert full.getvalue().endswith("Found 3 problems in 1 file.\n1 fixable with --fix, 1 more with --unsafe-fixes.\n")
    assert [finding["fix"] for finding in json.loads(json_output.getvalue())["diagnostics"]] == [
        "safe",
        "unsafe",
        "none",
    ]
