"""Output formats: the concise line format, the full code-frame format, colour, and golden files.

Run with GENLINT_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change in the output.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from pathlib import Path

import pytest

from genlint.cli import main
from genlint.engine import RunResult
from genlint.reporters.concise import report_concise
from genlint.reporters.full import report_full
from genlint.rules.base import Diagnostic, Severity

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "reporting_project"
GOLDEN = TESTS / "golden"
ANSI = re.compile(r"\x1b\[")
CONCISE_LINE = re.compile(r"^[^:\s]+:[0-9]+:[0-9]+: [A-Z]+[0-9]{3} \S.*$")

ENDLESS_FIT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), epochs=3)
"""


class TerminalBuffer(io.StringIO):
    """A stream that says it is a terminal, as sys.stdout does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def run(argv: list[str], stdout: io.StringIO | None = None) -> tuple[int, str]:
    stdout = stdout if stdout is not None else io.StringIO()
    code = main(argv, stdout=stdout, stderr=io.StringIO())
    return code, stdout.getvalue()


def assert_matches_golden(output: str, golden: Path) -> None:
    if os.environ.get("GENLINT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing: run the tests with GENLINT_UPDATE_GOLDEN=1 to create it"
    assert output == golden.read_text(encoding="utf-8")


def diagnostic(path: Path, line: int, column: int, end_column: int, help: str = "") -> Diagnostic:
    return Diagnostic(
        path=str(path),
        line=line,
        column=column,
        code="GEN999",
        message="something is wrong",
        name="something-wrong",
        severity=Severity.ERROR,
        end_line=line,
        end_column=end_column,
        help=help,
    )


def render_full(*diagnostics: Diagnostic, files: int = 1) -> str:
    stream = io.StringIO()
    report_full(RunResult(diagnostics=list(diagnostics), files=files), stream)
    return stream.getvalue()


# Golden files


@pytest.mark.parametrize("output_format", ["concise", "full"])
def test_output_matches_golden_file(output_format: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    monkeypatch.delenv("NO_COLOR", raising=False)

    code, output = run(["--output-format", output_format, "."])

    assert code == 1
    assert not ANSI.search(output)
    assert_matches_golden(output, GOLDEN / f"reporting_project.{output_format}.txt")


def test_golden_update_rewrites_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = tmp_path / "golden" / "out.txt"
    monkeypatch.delenv("GENLINT_UPDATE_GOLDEN", raising=False)
    with pytest.raises(AssertionError, match="GENLINT_UPDATE_GOLDEN=1"):
        assert_matches_golden("new\n", golden)

    monkeypatch.setenv("GENLINT_UPDATE_GOLDEN", "1")
    assert_matches_golden("new\n", golden)
    assert golden.read_text(encoding="utf-8") == "new\n"

    monkeypatch.delenv("GENLINT_UPDATE_GOLDEN")
    with pytest.raises(AssertionError):
        assert_matches_golden("changed\n", golden)


# Concise


def test_concise_is_one_path_line_column_code_message_line_per_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)

    code, output = run(["--output-format", "concise", "."])

    assert code == 1
    lines = output.splitlines()
    assert len(lines) == 4
    assert all(CONCISE_LINE.match(line) for line in lines), output
    assert lines[1].startswith("train.py:12:1: GEN201 `endless_batches(features, labels, 32)` never ends")


def test_concise_keeps_a_multi_line_message_on_one_line(tmp_path: Path) -> None:
    broken = dataclasses.replace(diagnostic(tmp_path / "train.py", 2, 1, 4), message="first part\nsecond part")
    stream = io.StringIO()
    report_concise(RunResult(diagnostics=[broken], files=1), stream)

    assert stream.getvalue() == f"{tmp_path / 'train.py'}:2:1: GEN999 first part second part\n"


# Full


def test_full_shows_header_source_caret_help_and_summary(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text("import keras\nmodel.fit(batches(), epochs=3)\n", encoding="utf-8")

    output = render_full(diagnostic(source, 2, 11, 20, help="pass steps_per_epoch"))

    assert output.splitlines() == [
        f"{source}:2:11: GEN999 [error] something is wrong",
        "    2 | model.fit(batches(), epochs=3)",
        "      |           ^^^^^^^^^",
        "      = help: pass steps_per_epoch",
        "",
        "    1  GEN999  something-wrong",
        "Found 1 problem in 1 file.",
    ]


def test_full_has_no_help_line_when_the_rule_has_no_help(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text("x = (\n", encoding="utf-8")

    output = render_full(diagnostic(source, 1, 5, 5))

    assert "= help:" not in output
    assert "      |     ^\n" in output


def test_full_counts_each_code_and_the_total(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text("a = 1\nb = 2\n", encoding="utf-8")
    first, second = diagnostic(source, 1, 1, 2), diagnostic(source, 2, 1, 2)
    other = dataclasses.replace(first, code="GEN100", name="another-problem")

    summary = render_full(first, second, other, files=3).splitlines()[-3:]

    assert summary == [
        "    1  GEN100  another-problem",
        "    2  GEN999  something-wrong",
        "Found 3 problems in 3 files.",
    ]


def test_full_says_all_checks_passed_when_there_is_nothing(tmp_path: Path) -> None:
    assert render_full(files=2) == "All checks passed (2 files).\n"


def test_full_numbers_lines_as_python_does(tmp_path: Path) -> None:
    # A form feed is whitespace to Python, not a line break; str.splitlines() would shift every later line.
    source = tmp_path / "train.py"
    source.write_text("x = 1\n\f\nmodel.fit(gen())\n", encoding="utf-8")

    output = render_full(diagnostic(source, 3, 1, 17))

    assert "    3 | model.fit(gen())\n" in output


def test_full_decodes_the_source_line_by_its_coding_cookie(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_bytes(b'# -*- coding: latin-1 -*-\nlabel = "caf\xe9"\n')

    output = render_full(diagnostic(source, 2, 1, 6))

    assert '    2 | label = "café"\n' in output


def test_full_does_not_print_control_characters_from_the_source(tmp_path: Path) -> None:
    source = tmp_path / "train.py"
    source.write_text("x = 1\x00; y = '\x1b[31m'; z = '\u202eevil'\n", encoding="utf-8")

    output = render_full(diagnostic(source, 1, 1, 2))

    assert "\x00" not in output
    assert "\u202e" not in output
    assert not ANSI.search(output)
    replaced = "\N{REPLACEMENT CHARACTER}"
    assert f"    1 | x = 1{replaced}; y = '{replaced}[31m'; z = '{replaced}evil'\n" in output


# Format choice and colour


def test_default_format_is_concise_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)

    _, output = run(["."])

    assert output == run(["--output-format", "concise", "."])[1]
    assert all(CONCISE_LINE.match(line) for line in output.splitlines())


def test_full_can_be_forced_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)

    _, output = run(["--output-format", "full", "."])

    assert "   12 | model.fit(endless_batches(features, labels, 32), epochs=3)\n" in output
    assert output.endswith("Found 4 problems in 3 files.\n2 fixable with --fix, 1 more with --unsafe-fixes.\n")
    assert not ANSI.search(output)


def test_default_format_is_full_with_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    monkeypatch.delenv("NO_COLOR", raising=False)

    _, output = run(["."], stdout=TerminalBuffer())

    assert ANSI.search(output)
    assert "Found 4 problems in 3 files." in ANSI.sub("", output)


def test_no_color_removes_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURE)
    monkeypatch.setenv("NO_COLOR", "1")

    _, output = run(["."], stdout=TerminalBuffer())

    assert not ANSI.search(output)
    assert output == run(["--output-format", "full", "."])[1]


def test_an_empty_no_color_does_not_disable_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    # https://no-color.org: only a non-empty value counts.
    monkeypatch.chdir(FIXTURE)
    monkeypatch.setenv("NO_COLOR", "")

    _, output = run(["."], stdout=TerminalBuffer())

    assert ANSI.search(output)


def test_concise_has_no_colour_even_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "train.py").write_text(ENDLESS_FIT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)

    _, output = run(["--output-format", "concise", "."], stdout=TerminalBuffer())

    assert output.startswith("train.py:6:1: GEN201 ")
    assert not ANSI.search(output)


def test_columns_count_characters_not_utf8_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # astroid's offsets count UTF-8 bytes: two two-byte letters before the call would shift it by 2.
    source = ENDLESS_FIT.replace("model.fit(", 'label = "éé"; model.fit(')
    (tmp_path / "train.py").write_text(source, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    stdout = io.StringIO()

    assert main(["--output-format", "full", "train.py"], stdout=stdout) == 1

    line = source.splitlines()[5]
    column = line.index("model.fit(") + 1
    output = stdout.getvalue()
    assert f"train.py:6:{column}: GEN201" in output
    caret_line = next(text for text in output.splitlines() if "^" in text)
    assert caret_line.index("^") - caret_line.index("|") - 2 == column - 1
