"""The command line: exit codes, usage errors, internal errors, and files that cannot be parsed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import genlint.engine
from genlint import __version__
from genlint.analysis.analyzer import Analyzer
from genlint.analysis.model import FileModel
from genlint.cli import main
from genlint.engine import ISSUE_URL, lint_files
from genlint.rules import BUILTIN_ENTRIES, RuleEntry
from genlint.rules.base import Rule, RuleContext, Severity
from genlint.rules.gen201_missing_steps_per_epoch import MissingStepsPerEpochRule

ENDLESS_FIT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), epochs=3)
"""
BOUNDED_FIT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), steps_per_epoch=10, epochs=3)
"""


def run(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class ExplodingRule(Rule):
    """Fails on `explodes.py` and reports every other file, to show that one failure does not stop the run."""

    code = "XPL900"
    name = "exploding-rule"
    severity = Severity.WARNING
    message = "checked {file}"

    def check(self, model: FileModel, context: RuleContext) -> None:
        if model.path.endswith("explodes.py"):
            raise RuntimeError("rule bug")
        context.report_at(model.path, 1, 1, file=os.path.basename(model.path))


# Exit codes


def test_exit_0_when_there_is_nothing_to_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "train.py", BOUNDED_FIT)
    monkeypatch.chdir(tmp_path)

    assert run(["."]) == (0, "", "")


def test_exit_1_when_there_are_diagnostics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "train.py", ENDLESS_FIT)
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = run(["."])

    assert code == 1
    assert stdout.startswith("train.py:6:1: GEN201 ")
    assert stderr == ""


def test_the_default_path_is_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "train.py", ENDLESS_FIT)
    monkeypatch.chdir(tmp_path)

    code, stdout, _ = run([])

    assert code == 1
    assert "train.py:6:1: GEN201" in stdout


@pytest.mark.parametrize("argv", [["--no-such-option", "."], ["--output-format", "xml", "."]])
def test_bad_option_is_a_usage_error(tmp_path: Path, argv: list[str]) -> None:
    code, stdout, stderr = run(argv)

    assert code == 2
    assert stdout == ""
    assert "genlint: error:" in stderr
    assert "Traceback" not in stderr


def test_version_goes_to_the_given_stdout() -> None:
    assert run(["--version"]) == (0, f"genlint {__version__}\n", "")


# Internal errors


def test_internal_error_in_one_rule_on_one_file_does_not_stop_the_run(tmp_path: Path) -> None:
    files = [write(tmp_path, "explodes.py", ENDLESS_FIT), write(tmp_path, "fine.py", "x = 1\n")]

    result = lint_files(files, rules=(ExplodingRule, MissingStepsPerEpochRule))

    [error] = result.internal_errors
    assert error.path.endswith("explodes.py")
    assert error.rule == "XPL900"
    assert "RuntimeError: rule bug" in error.detail
    found = {(Path(d.path).name, d.code) for d in result.diagnostics}
    # The other rule still ran on the failing file, and the failing rule still ran on the other file.
    assert found == {("explodes.py", "GEN201"), ("fine.py", "XPL900")}


def test_internal_error_message_names_file_rule_and_where_to_report(tmp_path: Path) -> None:
    files = [write(tmp_path, "explodes.py", "x = 1\n")]

    [error] = lint_files(files, rules=(ExplodingRule,)).internal_errors

    text = str(error)
    assert "explodes.py" in text
    assert "XPL900" in text
    assert "please report this" in text
    # A rule that is not genlint's own sends the user to its authors, not to genlint's tracker.
    assert ExplodingRule.__module__ in text
    assert ISSUE_URL not in text


def test_internal_error_message_is_one_line(tmp_path: Path) -> None:
    class MultiLineFailure(ExplodingRule):
        def check(self, model: FileModel, context: RuleContext) -> None:
            raise ValueError("first line\nsecond line")

    [error] = lint_files([write(tmp_path, "train.py", "x = 1\n")], rules=(MultiLineFailure,)).internal_errors

    assert "\n" not in str(error)
    assert "ValueError: first line second line" in str(error)


def test_internal_error_names_the_rule_line_rather_than_a_standard_library_line(tmp_path: Path) -> None:
    class FailsInsideTheStandardLibrary(ExplodingRule):
        def check(self, model: FileModel, context: RuleContext) -> None:
            json.loads("{")  # raises deep inside json/decoder.py

    [error] = lint_files(
        [write(tmp_path, "train.py", "x = 1\n")], rules=(FailsInsideTheStandardLibrary,)
    ).internal_errors

    assert error.detail.startswith("JSONDecodeError: ")
    assert "decoder.py" not in error.detail
    assert "test_cli.py:" in error.detail


def test_internal_error_in_a_built_in_rule_points_to_the_issue_tracker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_check(self: Rule, model: FileModel, context: RuleContext) -> None:
        raise KeyError("missing fact")

    monkeypatch.setattr(MissingStepsPerEpochRule, "check", broken_check)

    [error] = lint_files([write(tmp_path, "train.py", ENDLESS_FIT)], rules=(MissingStepsPerEpochRule,)).internal_errors

    assert error.rule == "GEN201"
    assert ISSUE_URL in str(error)
    # The innermost frame is named, so the report says where the bug is.
    assert "test_cli.py:" in error.detail


def test_internal_error_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "explodes.py", ENDLESS_FIT)
    write(tmp_path, "train.py", ENDLESS_FIT)
    monkeypatch.setattr(genlint.engine, "all_entries", lambda: (*BUILTIN_ENTRIES, RuleEntry.of(ExplodingRule)))
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = run(["--output-format", "concise", "."])

    assert code == 2
    [message] = stderr.splitlines()
    assert message.startswith("genlint: explodes.py: internal error in rule XPL900: RuntimeError: rule bug")
    assert "please report this" in message
    assert "Traceback" not in stderr
    # Sorted by place: the failing rule's file still has its GEN201, the other file has both findings.
    assert [line.split(" ")[:2] for line in stdout.splitlines()] == [
        ["explodes.py:6:1:", "GEN201"],
        ["train.py:1:1:", "XPL900"],
        ["train.py:6:1:", "GEN201"],
    ]


def test_internal_error_in_the_analyzer_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "a_train.py", ENDLESS_FIT)
    write(tmp_path, "b_train.py", ENDLESS_FIT)
    real_analyze = Analyzer.analyze

    def analyze(self: Analyzer, path: str, *arguments: Any) -> FileModel:
        if path.endswith("a_train.py"):
            raise ValueError("analyzer bug")
        return real_analyze(self, path, *arguments)

    monkeypatch.setattr(Analyzer, "analyze", analyze)
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = run(["."])

    assert code == 2
    assert stderr.startswith("genlint: a_train.py: internal error in the analyzer: ValueError: analyzer bug")
    assert [line.split(": ")[0] for line in stdout.splitlines()] == ["b_train.py:6:1"]


# Files that cannot be parsed

BAD_INPUTS: dict[str, bytes] = {
    "syntax_error.py": b"model.fit(batches(), epochs=3\n",
    "latin1_without_cookie.py": b'"""Data loading."""\nlabel = "caf\xe9"\n',
    "null_bytes.py": b"x = 1\x00\n",
    "empty.py": b"",
    "with_cookie.py": b'# -*- coding: latin-1 -*-\nlabel = "caf\xe9"\n',
}


@pytest.fixture
def bad_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, data in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
    write(tmp_path, "train.py", ENDLESS_FIT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_bad_input_gives_gen001_and_the_run_goes_on(bad_inputs: Path) -> None:
    code, stdout, stderr = run(["--output-format", "concise", "."])

    assert code == 1
    assert stderr == ""
    assert "Traceback" not in stdout
    lines = stdout.splitlines()
    assert [line.split(": ")[0] + " " + line.split(" ")[1] for line in lines] == [
        "latin1_without_cookie.py:2:13 GEN001",
        "null_bytes.py:1:1 GEN001",
        "syntax_error.py:1:10 GEN001",
        "train.py:6:1 GEN201",
    ]
    assert "byte 0xe9 is not valid utf-8" in lines[0]
    assert "null bytes" in lines[1]
    assert "'(' was never closed" in lines[2]


def test_a_valid_coding_cookie_parses(bad_inputs: Path) -> None:
    assert run(["with_cookie.py", "empty.py"]) == (0, "", "")


def test_a_dangling_symlink_named_explicitly_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "gone.py").symlink_to(tmp_path / "deleted.py")
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = run(["gone.py"])

    assert code == 1
    assert stdout.startswith("gone.py:1:1: GEN001 cannot read")
    assert stderr == ""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_an_unreadable_file_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write(tmp_path, "locked.py", ENDLESS_FIT)
    locked.chmod(0)
    monkeypatch.chdir(tmp_path)
    try:
        code, stdout, _ = run(["."])
    finally:
        locked.chmod(0o644)

    assert code == 1
    assert stdout.startswith("locked.py:1:1: GEN001 cannot read")


def test_undecodable_file_is_reported_at_the_bad_byte_without_the_absolute_path(bad_inputs: Path) -> None:
    # The bad byte is on line 2, where tokenize's own message would say line 1 and name the absolute path.
    code, stdout, _ = run(["latin1_without_cookie.py"])

    assert code == 1
    assert stdout.startswith("latin1_without_cookie.py:2:13: GEN001 ")
    assert str(bad_inputs) not in stdout


# Output streams that cannot encode everything


def test_a_stream_that_cannot_encode_a_character_gets_an_escape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "train.py", ENDLESS_FIT.replace("model.fit(", 'label = "café"; model.fit('))
    monkeypatch.chdir(tmp_path)
    buffer = io.BytesIO()
    ascii_stdout = io.TextIOWrapper(buffer, encoding="ascii", errors="strict")

    code = main(["--output-format", "full", "train.py"], stdout=ascii_stdout, stderr=io.StringIO())

    ascii_stdout.flush()
    assert code == 1
    assert '    6 | label = "caf\\xe9"; model.fit(batches(), epochs=3)' in buffer.getvalue().decode("ascii")


def test_an_ascii_console_does_not_crash_the_report(tmp_path: Path) -> None:
    write(tmp_path, "train.py", ENDLESS_FIT.replace("model.fit(", 'label = "café"; model.fit('))

    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "--output-format", "full", "train.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "Found 1 problem in 1 file." in completed.stdout


# The module entry point, in a child process


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    # Far more output than a pipe buffers, so that genlint is still writing when the reader goes away.
    write(tmp_path, "train.py", ENDLESS_FIT + "model.fit(batches(), epochs=3)\n" * 3000)

    with subprocess.Popen(
        [sys.executable, "-m", "genlint", "--output-format", "concise", "train.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first_line = process.stdout.readline()
        process.stdout.close()  # as `genlint . | head -1` does
        stderr = process.stderr.read()
        code = process.wait(timeout=120)

    assert first_line.startswith("train.py:6:1: GEN201 ")
    assert stderr == ""
    assert code == 1


def test_python_m_genlint_version() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "--version"], capture_output=True, text=True, timeout=120, check=False
    )

    assert (completed.returncode, completed.stdout, completed.stderr) == (0, f"genlint {__version__}\n", "")


def test_python_m_genlint_path(tmp_path: Path) -> None:
    write(tmp_path, "train.py", ENDLESS_FIT)

    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "train.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.startswith("train.py:6:1: GEN201 ")
    assert completed.stderr == ""


@pytest.mark.parametrize("options", [[], ["--fix", "--unsafe-fixes"]])
def test_the_parsers_warnings_about_the_users_code_are_not_printed(tmp_path: Path, options: list[str]) -> None:
    """`SyntaxWarning: invalid escape sequence` and friends belong to Python running the file, not to the
    linter's output (it would print them once per parse, and a fix parses again)."""
    write(
        tmp_path,
        "train.py",
        'import re\ndigits = re.compile("\\d+")\nok = [0x1for i in range(3)]\nif ok is 1:\n    pass\n',
    )
    command = [sys.executable, "-W", "default", "-m", "genlint", "--no-cache", "--isolated", *options, "train.py"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
