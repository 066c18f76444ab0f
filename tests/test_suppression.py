"""Suppression comments (genlint.suppression) and the two rules about them, GEN002 and GEN003."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from genlint.cli import main
from genlint.config import Options, SelectionError, Settings, select_codes
from genlint.engine import lint_files
from genlint.rules import builtin_rules
from genlint.rules.gen003_unused_suppression import UnusedSuppressionRule
from genlint.rules.gen201_missing_steps_per_epoch import MissingStepsPerEpochRule
from genlint.suppression import WHOLE_FILE, RuleCatalog, read_suppressions

CATALOG = RuleCatalog.of(builtin_rules())
# Line 6 of every script below that starts with it: an endless generator fed to `fit` with no
# steps_per_epoch is GEN201 at the `model.fit` line.
ENDLESS = """\
def batches(x, y):
    while True:
        yield x, y


"""
FIT = "model.fit(batches(x_train, y_train), epochs=1)"


def lint(
    tmp_path: Path, code: str, files: dict[str, str] | None = None, extend_select: tuple[str, ...] = ()
) -> set[tuple[str, int, str]]:
    """(file name, line, code) of every finding when `train.py` is linted with the default rules."""
    for name, source in (files or {}).items():
        (tmp_path / name).write_text(textwrap.dedent(source), encoding="utf-8")
    train = tmp_path / "train.py"
    train.write_text(textwrap.dedent(code), encoding="utf-8")
    result = lint_files([train], settings=Settings.from_options(Options(extend_select=extend_select)))
    assert result.internal_errors == []
    return {(Path(diagnostic.path).name, diagnostic.line, diagnostic.code) for diagnostic in result.diagnostics}


def messages(tmp_path: Path, code: str, rule: str) -> list[str]:
    train = tmp_path / "train.py"
    train.write_text(textwrap.dedent(code), encoding="utf-8")
    result = lint_files([train], settings=Settings.from_options(Options(extend_select=("GEN003",))))
    return [diagnostic.message for diagnostic in result.diagnostics if diagnostic.code == rule]


def scopes(source: str) -> dict[str, tuple[int, int]]:
    """Entry as written → the lines it covers."""
    found = read_suppressions(textwrap.dedent(source), CATALOG)
    assert found.problems == ()
    return {item.entry: (item.first_line, item.last_line) for item in found.suppressions}


# The finding without any comment, to compare against


def test_the_unsuppressed_finding(tmp_path: Path) -> None:
    assert lint(tmp_path, ENDLESS + FIT + "\n") == {("train.py", 6, "GEN201")}


# End of line


def test_end_of_line_code(tmp_path: Path) -> None:
    assert lint(tmp_path, ENDLESS + FIT + "  # genlint: ignore[GEN201]\n") == set()


def test_end_of_line_rule_name(tmp_path: Path) -> None:
    assert lint(tmp_path, ENDLESS + FIT + "  # genlint: ignore[missing-steps-per-epoch]\n") == set()


def test_several_codes_and_names_separated_by_commas(tmp_path: Path) -> None:
    code = ENDLESS + (
        "model.fit(batches(x_train, y_train), epochs=1, validation_data=batches(x_val, y_val))"
        "  # genlint: ignore[GEN201,missing-validation-steps]\n"
    )
    assert lint(tmp_path, code, extend_select=("GEN003",)) == set()


def test_only_the_named_rule_is_suppressed(tmp_path: Path) -> None:
    code = ENDLESS + (
        "model.fit(batches(x_train, y_train), epochs=1, validation_data=batches(x_val, y_val))"
        "  # genlint: ignore[GEN202]\n"
    )
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201")}


def test_end_of_line_covers_its_physical_line_only(tmp_path: Path) -> None:
    code = ENDLESS + "model.fit(\n    batches(x_train, y_train),\n    epochs=1,\n)  # genlint: ignore[GEN201]\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201")}


def test_several_directives_in_one_comment(tmp_path: Path) -> None:
    code = ENDLESS + FIT + "  # type: ignore[arg-type]  # genlint: ignore[GEN201]  # because of the callback\n"
    assert lint(tmp_path, code, extend_select=("GEN003",)) == set()


# Own line, for the statement below


def test_own_line_covers_every_line_of_the_statement_below(tmp_path: Path) -> None:
    code = """\
    steps = len(x_train) / 32
    # genlint: ignore[GEN301]
    model.fit(
        train_batches,
        steps_per_epoch=steps,
        epochs=3,
    )
    """
    assert lint(tmp_path, code, extend_select=("GEN003",)) == set()
    # Without the comment, the finding is at the argument, below the first line of the call.
    assert lint(tmp_path, code.replace("    # genlint: ignore[GEN301]\n", "")) == {("train.py", 4, "GEN301")}


def test_own_line_scope_is_the_logical_line() -> None:
    source = """\
    # genlint: ignore[GEN301]
    model.fit(
        train_batches,
        steps_per_epoch=steps,
    )
    x = 1
    """
    assert scopes(source) == {"GEN301": (2, 5)}


def test_own_line_skips_further_comment_lines() -> None:
    source = """\
    # genlint: ignore[GEN201]
    # The callback stops training after two hours.
    model.fit(batches(), epochs=1)
    """
    assert scopes(source) == {"GEN201": (3, 3)}


def test_own_line_above_a_def_covers_its_header_not_its_body(tmp_path: Path) -> None:
    code = """\
    # genlint: ignore[GEN102]
    def batches(paths):
        while True:
            for path in paths:
                try:
                    yield load(path)
                except OSError:
                    pass


    model.fit(batches(files), steps_per_epoch=10, epochs=3)
    """
    assert ("train.py", 7, "GEN102") in lint(tmp_path, code)
    assert scopes(code) == {"GEN102": (2, 2)}


def test_own_line_above_decorators_covers_the_def_line() -> None:
    source = """\
    # genlint: ignore[GEN101]
    @timed
    @functools.wraps(
        load,
    )
    def batches(x, y):
        yield x, y
    """
    assert scopes(source) == {"GEN101": (2, 6)}


def test_own_line_above_a_decorated_generator_suppresses_its_finding(tmp_path: Path) -> None:
    code = """\
    # genlint: ignore[finite-generator]
    @timed
    def one_pass(x, y):
        for start in range(0, len(x), 32):
            yield x[start:start + 32], y[start:start + 32]


    model.fit(one_pass(x_train, y_train), epochs=3)
    """
    assert lint(tmp_path, code, extend_select=("GEN003",)) == set()


def test_own_line_inside_brackets_covers_the_rest_of_the_statement() -> None:
    source = """\
    model.fit(
        train_batches,
        # genlint: ignore[GEN301]
        steps_per_epoch=steps,
        epochs=3,
    )
    """
    assert scopes(source) == {"GEN301": (4, 6)}


def test_own_line_followed_by_a_blank_line_applies_to_nothing(tmp_path: Path) -> None:
    code = ENDLESS + "# genlint: ignore[GEN201]\n\n" + FIT + "\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN002"), ("train.py", 8, "GEN201")}
    [message] = messages(tmp_path, code, "GEN002")
    assert "followed by a blank line" in message


def test_own_line_at_the_end_of_the_file_is_reported(tmp_path: Path) -> None:
    code = ENDLESS + FIT + "\n# genlint: ignore[GEN201]\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201"), ("train.py", 7, "GEN002")}


# Whole file


def test_ignore_file_with_a_group(tmp_path: Path) -> None:
    assert lint(tmp_path, "# genlint: ignore-file[GEN2]\n" + ENDLESS + FIT + "\n") == set()


def test_ignore_file_after_shebang_and_docstring(tmp_path: Path) -> None:
    header = '#!/usr/bin/env python\n"""Smoke test.\n\nOne epoch.\n"""\n# genlint: ignore-file[GEN201]\n'
    assert lint(tmp_path, header + ENDLESS + FIT + "\n", extend_select=("GEN003",)) == set()


def test_ignore_file_after_the_first_statement_is_reported_and_not_applied(tmp_path: Path) -> None:
    code = "import numpy as np\n# genlint: ignore-file[GEN201]\n" + ENDLESS + FIT + "\n"
    assert lint(tmp_path, code) == {("train.py", 2, "GEN002"), ("train.py", 8, "GEN201")}
    [message] = messages(tmp_path, code, "GEN002")
    assert "comes after the first statement (line 1)" in message


def test_ignore_file_with_a_prefix_without_a_digit_is_a_blanket(tmp_path: Path) -> None:
    code = "# genlint: ignore-file[GEN]\n" + ENDLESS + FIT + "\n"
    assert lint(tmp_path, code) == {("train.py", 1, "GEN002"), ("train.py", 7, "GEN201")}


def test_ignore_file_scope() -> None:
    found = read_suppressions("# genlint: ignore-file[GEN3, finite-generator]\nx = 1\n", CATALOG)
    first, second = found.suppressions
    assert (first.first_line, first.last_line) == (1, WHOLE_FILE)
    assert first.codes == {rule.code for rule in builtin_rules() if rule.code.startswith("GEN3")}
    assert second.codes == {"GEN101"}


def test_a_group_is_refused_on_a_line(tmp_path: Path) -> None:
    code = ENDLESS + FIT + "  # genlint: ignore[GEN2]\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201"), ("train.py", 6, "GEN002")}
    [message] = messages(tmp_path, code, "GEN002")
    assert "only `ignore-file` accepts" in message


# flake8's noqa comments


def test_noqa_with_a_genlint_code(tmp_path: Path) -> None:
    assert lint(tmp_path, ENDLESS + FIT + "  # noqa: E501, GEN201\n", extend_select=("GEN003",)) == set()


def test_noqa_is_case_insensitive_like_flake8(tmp_path: Path) -> None:
    assert lint(tmp_path, ENDLESS + FIT + "  # NOQA:GEN201\n") == set()


@pytest.mark.parametrize("comment", ["# noqa", "# noqa: E501", "# noqa:E501,W291", "# flake8: noqa: GEN201"])
def test_noqa_without_genlint_codes_honours_nothing_and_says_nothing(tmp_path: Path, comment: str) -> None:
    assert lint(tmp_path, ENDLESS + FIT + f"  {comment}\n", extend_select=("GEN003",)) == {("train.py", 6, "GEN201")}


def test_noqa_on_its_own_line_keeps_the_flake8_meaning(tmp_path: Path) -> None:
    code = ENDLESS + "# noqa: GEN201\n" + FIT + "\n"
    assert lint(tmp_path, code) == {("train.py", 7, "GEN201")}
    assert lint(tmp_path, code, extend_select=("GEN003",)) == {("train.py", 7, "GEN201"), ("train.py", 6, "GEN003")}


def test_noqa_with_an_unknown_genlint_code(tmp_path: Path) -> None:
    code = ENDLESS + FIT + "  # noqa: E501, GEN2O1\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201"), ("train.py", 6, "GEN002")}
    [message] = messages(tmp_path, code, "GEN002")
    assert "`GEN2O1`" in message
    assert "did you mean `GEN201`?" in message


# GEN002: what is wrong with a comment


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# genlint: ignore[GEN2O1]", "names `GEN2O1`, which is no genlint rule (did you mean `GEN201`?)"),
        ("# genlint: ignore[missing-step-per-epoch]", "(did you mean `missing-steps-per-epoch`?)"),
        ("# genlint: ignore", "names no rule, so it suppresses nothing (genlint has no blanket suppression)"),
        ("# genlint: ignore[]", "names no rule"),
        ("# genlint: ignore GEN201", "names no rule"),
        ("# genlint: ignore[GEN201", "has no closing `]`"),
        ("# genlint: disable=GEN201", "`disable` is no genlint directive"),
        ("# genlint: ignroe[GEN201]", "did you mean `ignore`?"),
        ("# genlint:", "no directive follows `genlint:`"),
    ],
)
def test_invalid_comment_messages(tmp_path: Path, comment: str, expected: str) -> None:
    code = ENDLESS + FIT + f"  {comment}\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201"), ("train.py", 6, "GEN002")}
    [message] = messages(tmp_path, code, "GEN002")
    assert expected in message
    assert message.startswith("suppression comment `# genlint:")


def test_one_bad_entry_does_not_cancel_the_good_ones(tmp_path: Path) -> None:
    code = ENDLESS + FIT + "  # genlint: ignore[GEN201, GEN2O2]\n"
    assert lint(tmp_path, code) == {("train.py", 6, "GEN002")}


def test_gen002_points_at_the_bad_entry(tmp_path: Path) -> None:
    train = tmp_path / "train.py"
    train.write_text(ENDLESS + FIT + "  # genlint: ignore[GEN201, GEN2O2]\n", encoding="utf-8")
    [problem] = [d for d in lint_files([train]).diagnostics if d.code == "GEN002"]
    column = len(FIT + "  # genlint: ignore[GEN201, ") + 1
    assert (problem.line, problem.column, problem.end_column) == (6, column, column + len("GEN2O2"))


def test_comments_inside_strings_do_not_count(tmp_path: Path) -> None:
    code = ENDLESS + 'print("# genlint: ignore[GEN201]"); ' + FIT + '\nhelp_text = """\n# genlint: ignore\n"""\n'
    assert lint(tmp_path, code) == {("train.py", 6, "GEN201")}


def test_prose_mentioning_genlint_is_no_directive(tmp_path: Path) -> None:
    code = "# Checked with genlint: see CI.\n# TODO(genlint): enable GEN108.\n" + ENDLESS + FIT + "\n"
    assert lint(tmp_path, code) == {("train.py", 8, "GEN201")}


def test_gen002_can_itself_be_suppressed_for_a_file(tmp_path: Path) -> None:
    code = "# genlint: ignore-file[GEN002]\n" + ENDLESS + FIT + "  # genlint: ignore[GEN2O1]\n"
    assert lint(tmp_path, code) == {("train.py", 7, "GEN201")}


# GEN001: a file that does not parse


def test_syntax_error_cannot_be_suppressed(tmp_path: Path) -> None:
    code = "# genlint: ignore-file[GEN001]\nmodel.fit(batches(), epochs=3  # genlint: ignore[GEN001]\n"
    assert lint(tmp_path, code, extend_select=("GEN003",)) == {("train.py", 2, "GEN001")}


def test_naming_gen001_in_a_file_that_parses_is_reported(tmp_path: Path) -> None:
    code = "# genlint: ignore-file[syntax-error]\n" + ENDLESS + FIT + "\n"
    assert lint(tmp_path, code) == {("train.py", 1, "GEN002"), ("train.py", 7, "GEN201")}
    [message] = messages(tmp_path, code, "GEN002")
    assert "cannot be suppressed" in message


# Sibling modules: a comment counts in the file where the finding is


SIBLING = """\
def one_pass(x, y, batch_size):{comment}
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
"""
SIBLING_CALL = "from data_utils import one_pass\n\nmodel.fit(one_pass(x_train, y_train, 32), epochs=5)\n"


def test_finding_in_a_sibling_module_without_a_comment(tmp_path: Path) -> None:
    files = {"data_utils.py": SIBLING.format(comment="")}
    assert lint(tmp_path, SIBLING_CALL, files) == {("data_utils.py", 1, "GEN101")}


def test_comment_in_the_sibling_module_suppresses_its_finding(tmp_path: Path) -> None:
    files = {"data_utils.py": SIBLING.format(comment="  # genlint: ignore[GEN101]")}
    assert lint(tmp_path, SIBLING_CALL, files, extend_select=("GEN003",)) == set()


def test_comment_in_the_calling_module_does_not_suppress_a_sibling_finding(tmp_path: Path) -> None:
    files = {"data_utils.py": SIBLING.format(comment="")}
    code = "# genlint: ignore-file[GEN101]\n" + SIBLING_CALL
    assert lint(tmp_path, code, files) == {("data_utils.py", 1, "GEN101")}
    assert lint(tmp_path, code, files, extend_select=("GEN003",)) == {
        ("data_utils.py", 1, "GEN101"),
        ("train.py", 1, "GEN003"),
    }


def test_bad_comment_in_the_sibling_module_is_reported_there(tmp_path: Path) -> None:
    files = {"data_utils.py": SIBLING.format(comment="  # genlint: ignore[GEN1O1]")}
    assert lint(tmp_path, SIBLING_CALL, files) == {("data_utils.py", 1, "GEN101"), ("data_utils.py", 1, "GEN002")}


def test_unused_comment_in_a_sibling_module_that_is_not_linted_is_not_judged(tmp_path: Path) -> None:
    files = {"data_utils.py": SIBLING.format(comment="  # genlint: ignore[GEN101]") + "x = 1  # noqa: GEN201\n"}
    assert lint(tmp_path, SIBLING_CALL, files, extend_select=("GEN003",)) == set()


def test_suppression_used_by_a_finding_from_another_linted_file(tmp_path: Path) -> None:
    (tmp_path / "data_utils.py").write_text(SIBLING.format(comment="  # genlint: ignore[GEN101]"), encoding="utf-8")
    (tmp_path / "train.py").write_text(SIBLING_CALL, encoding="utf-8")
    files = [tmp_path / "data_utils.py", tmp_path / "train.py"]
    assert lint_files(files, settings=Settings.from_options(Options(extend_select=("GEN003",)))).diagnostics == []


# GEN003: suppressions that suppress nothing


def test_unused_suppression_is_silent_unless_enabled(tmp_path: Path) -> None:
    code = ENDLESS + "model.fit(batches(x_train, y_train), steps_per_epoch=10)  # genlint: ignore[GEN201]\n"
    assert lint(tmp_path, code) == set()
    assert lint(tmp_path, code, extend_select=("GEN003",)) == {("train.py", 6, "GEN003")}
    assert lint(tmp_path, code, extend_select=("unused-suppression",)) == {("train.py", 6, "GEN003")}


def test_each_unused_entry_is_reported_on_its_own(tmp_path: Path) -> None:
    code = ENDLESS + FIT + "  # genlint: ignore[GEN201, GEN202, GEN301]\n"
    found = messages(tmp_path, code, "GEN003")
    assert [message.split("`")[1] for message in found] == ["GEN202", "GEN301"]
    assert found[0] == (
        "`GEN202` in `# genlint: ignore[GEN201, GEN202, GEN301]` suppressed no finding on line 6: remove it, so "
        "that it cannot hide a later one"
    )


def test_unused_message_names_the_statement_below_and_the_file(tmp_path: Path) -> None:
    code = "# genlint: ignore-file[GEN4]\n# genlint: ignore[GEN202]\nmodel.fit(\n    x_train,\n    y_train,\n)\n"
    found = messages(tmp_path, code, "GEN003")
    assert "`GEN4` in `# genlint: ignore-file[GEN4]` suppressed no finding in this file" in found[0]
    assert "suppressed no finding in the statement below it (lines 3–6)" in found[1]


def test_unused_is_judged_only_for_rules_that_ran(tmp_path: Path) -> None:
    train = tmp_path / "train.py"
    train.write_text(
        "x = 1  # genlint: ignore[GEN101]\ny = 2  # genlint: ignore[GEN201]\nz = 3  # genlint: ignore[GEN108]\n",
        encoding="utf-8",
    )
    result = lint_files([train], rules=(MissingStepsPerEpochRule, UnusedSuppressionRule))
    assert [(d.line, d.code) for d in result.diagnostics] == [(2, "GEN003")]


def test_a_group_is_judged_only_when_every_rule_in_it_ran(tmp_path: Path) -> None:
    # GEN108 is off by default, so a GEN1 group could be meant for it.
    code = "# genlint: ignore-file[GEN1, GEN2]\nmodel.fit(x_train, y_train)\n"
    assert lint(tmp_path, code, extend_select=("GEN003",)) == {("train.py", 1, "GEN003")}
    assert messages(tmp_path, code, "GEN003")[0].startswith("`GEN2`")


def test_unused_reports_can_be_suppressed_and_such_suppressions_are_not_judged(tmp_path: Path) -> None:
    code = "# genlint: ignore-file[GEN003]\nmodel.fit(x_train, y_train)  # genlint: ignore[GEN201]\n"
    assert lint(tmp_path, code, extend_select=("GEN003",)) == set()


def test_unused_in_a_file_with_a_syntax_error_is_not_judged(tmp_path: Path) -> None:
    code = "x = 1  # genlint: ignore[GEN201]\nmodel.fit(\n"
    assert lint(tmp_path, code, extend_select=("GEN003",)) == {("train.py", 2, "GEN001")}


# Selecting rules that are off by default


def test_select_codes_accepts_codes_names_and_prefixes() -> None:
    assert select_codes(["GEN003", "shuffle-once", "gen30"], CATALOG) == {
        "GEN003",
        "GEN108",
        *(rule.code for rule in builtin_rules() if rule.code.startswith("GEN30")),
    }


@pytest.mark.parametrize(("selector", "closest"), [("GEN0O3", "GEN003"), ("unused-suppressions", "unused-suppression")])
def test_select_codes_suggests_the_closest_rule(selector: str, closest: str) -> None:
    with pytest.raises(SelectionError, match=f"unknown rule `{selector}` \\(did you mean `{closest}`\\?"):
        select_codes([selector], CATALOG)


def test_cli_extend_select(tmp_path: Path) -> None:
    train = tmp_path / "train.py"
    train.write_text(ENDLESS + "model.fit(batches(x, y), steps_per_epoch=5)  # genlint: ignore[GEN201]\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(["--output-format", "concise", str(train)], stdout, stderr) == 0
    code = main(["--output-format", "concise", "--extend-select", "GEN108,GEN003", str(train)], stdout, stderr)
    assert code == 1
    assert "GEN003 `GEN201` in `# genlint: ignore[GEN201]`" in stdout.getvalue()


def test_cli_extend_select_unknown_rule(tmp_path: Path) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(["--extend-select", "GEN0O3", str(tmp_path)], stdout, stderr) == 2
    assert stdout.getvalue() == ""
    assert stderr.getvalue().startswith(
        "genlint: error: --extend-select: unknown rule `GEN0O3` (did you mean `GEN003`?"
    )


# The catalog behind suggestions


@pytest.mark.parametrize(
    ("written", "closest"),
    [
        ("GEN2O1", "GEN201"),
        ("gen201", "GEN201"),
        ("GEN0O3", "GEN003"),
        ("finite-generater", "finite-generator"),
        ("Finite-Generator", "finite-generator"),
        ("banana", None),
    ],
)
def test_closest(written: str, closest: str | None) -> None:
    assert CATALOG.closest(written) == closest


def test_a_file_without_the_words_is_not_tokenized() -> None:
    assert read_suppressions("model.fit(x  # unclosed\n", CATALOG).suppressions == ()


def test_a_bug_in_comment_parsing_is_an_internal_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(source: str, catalog: RuleCatalog) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setattr("genlint.suppression.read_suppressions", broken)
    train = tmp_path / "train.py"
    train.write_text(ENDLESS + FIT + "  # genlint: ignore[GEN201]\n", encoding="utf-8")
    result = lint_files([train])
    assert [(Path(d.path).name, d.code) for d in result.diagnostics] == [("train.py", "GEN201")]
    [error] = result.internal_errors
    assert "reading its suppression comments: RuntimeError: parser bug" in str(error)
