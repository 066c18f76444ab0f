"""Configuration: [tool.genlint] in pyproject.toml, the command-line options that override it, and the
errors for a configuration genlint cannot use."""

from __future__ import annotations

import dataclasses
import io
import textwrap
from pathlib import Path

import pytest

from genlint.cli import main
from genlint.config import Configuration, Options, Settings
from genlint.engine import lint_files, lint_paths
from genlint.rules.base import Severity

# train.py findings by default: GEN201 (line 13) and GEN501 (line 14, an error for keras3, info for tf-keras).
# GEN108 (line 6, the shuffle before the endless loop) is off by default.
TRAIN = """\
import numpy as np


def batches(x, y, batch_size):
    order = np.arange(len(x))
    np.random.shuffle(order)
    while True:
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), epochs=3)
model.fit_generator(batches(x_train, y_train, 32), steps_per_epoch=10, epochs=3)
"""
DEFAULT_FINDINGS = {("train.py", "GEN201"), ("train.py", "GEN501")}
UNKNOWN_RULE_TAIL = (
    "give a code such as GEN101, a name such as finite-generator, or a prefix such as GEN1; "
    "`genlint rule --all` lists them)"
)


def make(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def project(root: Path, config: str | None, extra: dict[str, str] | None = None) -> Path:
    """`train.py`, more files (path → text), and unless `config` is None a pyproject.toml with it."""
    files = {"train.py": TRAIN, **(extra or {})}
    if config is not None:
        files["pyproject.toml"] = config
    make(root, files)
    return root


def run(folder: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> tuple[int, str, str]:
    """genlint run in `folder` with concise output; exit status, stdout and stderr."""
    monkeypatch.chdir(folder)
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(["--output-format", "concise", *argv], stdout=stdout, stderr=stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def findings(folder: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> set[tuple[str, str]]:
    """(path, code) of every finding of a run that must not fail."""
    status, stdout, stderr = run(folder, monkeypatch, *argv)
    assert status in (0, 1), stderr
    assert stderr == ""
    return {(line.split(":")[0], line.split()[1]) for line in stdout.splitlines()}


def error(folder: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> str:
    """The one-line error of a run that must exit 2 without output."""
    status, stdout, stderr = run(folder, monkeypatch, *argv)
    assert (status, stdout) == (2, "")
    assert stderr.count("\n") == 1, stderr
    return stderr.removeprefix("genlint: error: ").rstrip("\n")


# Defaults


def test_without_configuration_the_rules_on_by_default_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, None)
    assert findings(tmp_path, monkeypatch, ".") == DEFAULT_FINDINGS


def test_a_pyproject_without_the_table_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[project]\nname = "trainer"\n\n[tool.ruff]\nline-length = 100\n')
    assert findings(tmp_path, monkeypatch, ".") == DEFAULT_FINDINGS


def test_an_empty_table_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "[tool.genlint]\n")
    assert findings(tmp_path, monkeypatch, ".") == DEFAULT_FINDINGS


# Every key


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        ('["GEN201"]', {"GEN201"}),
        ('["missing-steps-per-epoch"]', {"GEN201"}),
        ('["GEN5"]', {"GEN501"}),
        ('["GEN1"]', {"GEN108"}),  # a prefix turns on the rules under it that are off by default too
        ('["shuffle-once", "GEN2"]', {"GEN108", "GEN201"}),
        ("[]", set()),
    ],
)
def test_select_runs_only_the_rules_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, select: str, expected: set[str]
) -> None:
    project(tmp_path, f"[tool.genlint]\nselect = {select}\n")
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", code) for code in expected}


@pytest.mark.parametrize("ignored", ['["GEN201"]', '["missing-steps-per-epoch"]', '["GEN2"]'])
def test_ignore_turns_rules_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ignored: str) -> None:
    project(tmp_path, f"[tool.genlint]\nignore = {ignored}\n")
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", "GEN501")}


@pytest.mark.parametrize("selected", ['["GEN108"]', '["shuffle-once"]', '["GEN10"]'])
def test_extend_select_turns_on_a_rule_that_is_off_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, selected: str
) -> None:
    project(tmp_path, f"[tool.genlint]\nextend-select = {selected}\n")
    assert findings(tmp_path, monkeypatch, ".") == DEFAULT_FINDINGS | {("train.py", "GEN108")}


def test_the_more_specific_selector_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nextend-select = ["GEN108"]\nignore = ["GEN1", "GEN5"]\n')
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", "GEN108"), ("train.py", "GEN201")}

    project(tmp_path, '[tool.genlint]\nselect = ["GEN"]\nignore = ["GEN201"]\n')
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", "GEN108"), ("train.py", "GEN501")}


def test_gen001_always_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nselect = ["GEN2"]\nignore = ["GEN0"]\n', {"broken.py": "def broken(:\n"})
    assert findings(tmp_path, monkeypatch, ".") == {("broken.py", "GEN001"), ("train.py", "GEN201")}


def test_per_file_ignores_patterns_are_read_from_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = '[tool.genlint.per-file-ignores]\n"experiments/*.py" = ["GEN201", "fit-generator"]\n"legacy/" = ["GEN5"]\n'
    project(
        tmp_path, config, {"experiments/run.py": TRAIN, "legacy/old/train.py": TRAIN, "other/experiments/run.py": TRAIN}
    )
    expected = {
        ("train.py", "GEN201"),
        ("train.py", "GEN501"),
        ("legacy/old/train.py", "GEN201"),
        ("other/experiments/run.py", "GEN201"),  # the pattern has a slash: it is anchored at the config folder
        ("other/experiments/run.py", "GEN501"),
    }
    assert findings(tmp_path, monkeypatch, ".") == expected
    # Linted from below, the patterns still count from the folder of pyproject.toml.
    assert findings(tmp_path / "experiments", monkeypatch, ".") == set()


def test_per_file_ignores_with_a_bare_name_match_at_any_depth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint.per-file-ignores]\n"train.py" = ["GEN201"]\n', {"pkg/train.py": TRAIN})
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", "GEN501"), ("pkg/train.py", "GEN501")}


def test_a_suppression_of_a_per_file_ignored_rule_is_not_reported_as_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = '[tool.genlint]\nextend-select = ["GEN003"]\n[tool.genlint.per-file-ignores]\n"train.py" = ["GEN201"]\n'
    project(tmp_path, config)
    train = tmp_path / "train.py"
    train.write_text(TRAIN.replace("epochs=3)\nmodel", "epochs=3)  # genlint: ignore[GEN201]\nmodel"), encoding="utf-8")
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", "GEN501")}


def test_exclude_adds_to_the_folders_that_are_always_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nexclude = ["legacy/"]\n', {"build/gen.py": TRAIN, "legacy/old.py": TRAIN})
    assert findings(tmp_path, monkeypatch, ".", "--select", "GEN201") == {("train.py", "GEN201")}


def test_an_empty_exclude_still_skips_build_folders_and_virtual_environments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(
        tmp_path, "[tool.genlint]\nexclude = []\n", {"build/gen.py": TRAIN, "env/lib/x.py": TRAIN, "env/pyvenv.cfg": ""}
    )
    assert findings(tmp_path, monkeypatch, ".", "--select", "GEN201") == {("train.py", "GEN201")}


def test_extend_exclude_adds_to_the_default_excludes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nextend-exclude = ["legacy/"]\n', {"build/gen.py": TRAIN, "legacy/old.py": TRAIN})
    assert findings(tmp_path, monkeypatch, ".", "--select", "GEN201") == {("train.py", "GEN201")}


def test_exclude_patterns_are_read_from_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(
        tmp_path, '[tool.genlint]\nextend-exclude = ["/src/legacy/"]\n', {"src/legacy/old.py": TRAIN, "src/a.py": TRAIN}
    )
    # Walking src/ (from the root or from inside it), the anchored pattern still counts from pyproject.toml.
    assert findings(tmp_path, monkeypatch, "src", "--select", "GEN201") == {("src/a.py", "GEN201")}
    assert findings(tmp_path / "src", monkeypatch, ".", "--select", "GEN201") == {("a.py", "GEN201")}


def test_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\ntarget = "tf-keras"\n')
    monkeypatch.chdir(tmp_path)
    [diagnostic] = [d for d in lint_paths(["."]).diagnostics if d.code == "GEN501"]
    assert diagnostic.severity is Severity.INFO
    assert "deprecated since tf.keras 2.1" in diagnostic.message


def test_severity_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = '[tool.genlint]\nextend-select = ["GEN108"]\n[tool.genlint.severity]\nGEN1 = "error"\nGEN201 = "info"\n'
    project(tmp_path, config)
    monkeypatch.chdir(tmp_path)
    severities = {d.code: d.severity for d in lint_paths(["."]).diagnostics}
    assert severities == {"GEN108": Severity.ERROR, "GEN201": Severity.INFO, "GEN501": Severity.ERROR}


def test_severity_by_name_and_a_specific_entry_wins_over_a_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = '[tool.genlint.severity]\nmissing-steps-per-epoch = "warning"\nGEN = "info"\n'
    project(tmp_path, config)
    monkeypatch.chdir(tmp_path)
    severities = {d.code: d.severity for d in lint_paths(["."]).diagnostics}
    assert severities == {"GEN201": Severity.WARNING, "GEN501": Severity.INFO}


# Precedence: command line > file > defaults


def test_command_line_select_replaces_the_file_selection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nselect = ["GEN201"]\nextend-select = ["GEN108"]\n')
    assert findings(tmp_path, monkeypatch, ".") == {("train.py", "GEN108"), ("train.py", "GEN201")}
    assert findings(tmp_path, monkeypatch, ".", "--select", "GEN501") == {("train.py", "GEN501")}


def test_command_line_extend_select_overrides_an_ignore_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, '[tool.genlint]\nignore = ["GEN2"]\n')
    assert findings(tmp_path, monkeypatch, ".", "--extend-select", "GEN201") == DEFAULT_FINDINGS


def test_command_line_ignore_adds_to_the_file_selection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nextend-select = ["GEN108"]\n')
    assert findings(tmp_path, monkeypatch, ".", "--ignore", "GEN201,GEN5") == {("train.py", "GEN108")}


def test_command_line_select_overrides_an_ignore_in_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nignore = ["GEN201"]\n')
    assert findings(tmp_path, monkeypatch, ".", "--select", "GEN201") == {("train.py", "GEN201")}


def test_repeated_and_comma_separated_selections_add_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, None)
    argv = ("--select", "GEN201", "--select", "GEN108,fit-generator", ".")
    assert findings(tmp_path, monkeypatch, *argv) == DEFAULT_FINDINGS | {("train.py", "GEN108")}


def test_command_line_target_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\ntarget = "tf-keras"\n')
    _, tf_keras, _ = run(tmp_path, monkeypatch, ".")
    _, keras3, _ = run(tmp_path, monkeypatch, "--target", "keras3", ".")
    assert "deprecated since tf.keras 2.1" in tf_keras
    assert "was removed in Keras 3" in keras3


def test_command_line_exclude_replaces_the_file_exclude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nexclude = ["legacy/"]\n', {"legacy/old.py": TRAIN, "notebooks/n.py": TRAIN})
    assert findings(tmp_path, monkeypatch, "--select", "GEN201", "--exclude", "notebooks/", ".") == {
        ("train.py", "GEN201"),
        ("legacy/old.py", "GEN201"),
    }


def test_extend_exclude_from_file_and_command_line_add_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"legacy/old.py": TRAIN, "notebooks/n.py": TRAIN, "build/gen.py": TRAIN}
    project(tmp_path, '[tool.genlint]\nextend-exclude = ["legacy/"]\n', files)
    argv = ("--select", "GEN201", "--extend-exclude", "notebooks/", ".")
    assert findings(tmp_path, monkeypatch, *argv) == {("train.py", "GEN201")}


def test_command_line_exclude_adds_to_the_always_skipped_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, None, {"build/gen.py": TRAIN, "notebooks/n.py": TRAIN})
    assert findings(tmp_path, monkeypatch, "--select", "GEN201", "--exclude", "notebooks/", ".") == {
        ("train.py", "GEN201")
    }
    assert findings(tmp_path, monkeypatch, "--select", "GEN201", "--extend-exclude", "notebooks/", ".") == {
        ("train.py", "GEN201")
    }


def test_command_line_per_file_ignores_replace_the_file_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint.per-file-ignores]\n"train.py" = ["GEN201"]\n', {"pkg/job.py": TRAIN})
    assert findings(tmp_path, monkeypatch, ".") == {
        ("train.py", "GEN501"),
        ("pkg/job.py", "GEN201"),
        ("pkg/job.py", "GEN501"),
    }
    argv = ("--per-file-ignores", "pkg/*:GEN201,GEN5", "--per-file-ignores", "train.py:fit-generator", ".")
    assert findings(tmp_path, monkeypatch, *argv) == {("train.py", "GEN201")}


def test_isolated_reads_no_configuration_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(
        tmp_path, '[tool.genlint]\nselect = ["GEN108"]\n', {"sub/pyproject.toml": "[tool.genlint\n", "sub/a.py": TRAIN}
    )
    argv = ("--isolated", "train.py", "sub/a.py")
    assert findings(tmp_path, monkeypatch, *argv) == DEFAULT_FINDINGS | {("sub/a.py", "GEN201"), ("sub/a.py", "GEN501")}


def test_config_names_the_file_for_every_linted_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"configs/strict.toml": '[tool.genlint]\nselect = ["GEN108"]\n'})
    project(tmp_path / "a", '[tool.genlint]\nselect = ["GEN501"]\n')
    project(tmp_path / "b", None)
    argv = ("--config", "configs/strict.toml", "a", "b")
    assert findings(tmp_path, monkeypatch, *argv) == {("a/train.py", "GEN108"), ("b/train.py", "GEN108")}


def test_config_paths_are_read_from_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"configs/genlint.toml": '[tool.genlint.per-file-ignores]\n"/train.py" = ["GEN201"]\n'})
    project(tmp_path / "configs", None)
    project(tmp_path, None)
    assert findings(tmp_path, monkeypatch, "--config", "configs/genlint.toml", ".") == {
        ("train.py", "GEN201"),
        ("train.py", "GEN501"),
        ("configs/train.py", "GEN501"),
    }


# Which configuration file: the nearest above each file


def test_each_file_uses_the_nearest_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, '[tool.genlint]\nignore = ["GEN5"]\n')
    project(tmp_path / "strict", '[tool.genlint]\nextend-select = ["GEN108"]\n')
    project(tmp_path / "plain", '[project]\nname = "plain"\n')  # no table: passed over for the one above
    assert findings(tmp_path, monkeypatch, ".") == {
        ("train.py", "GEN201"),
        ("plain/train.py", "GEN201"),
        ("strict/train.py", "GEN108"),
        ("strict/train.py", "GEN201"),
        ("strict/train.py", "GEN501"),  # the nearest table wins whole: nothing is inherited from above
    }
    assert findings(tmp_path / "strict", monkeypatch, "train.py", "../plain/train.py") == {
        ("train.py", "GEN108"),
        ("train.py", "GEN201"),
        ("train.py", "GEN501"),
        ("../plain/train.py", "GEN201"),
    }


def test_a_nested_configuration_decides_what_is_excluded_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, None, {"generated/a.py": TRAIN})
    project(tmp_path / "sub", '[tool.genlint]\nextend-exclude = ["generated/"]\n', {"generated/a.py": TRAIN})
    assert findings(tmp_path, monkeypatch, "--select", "GEN201", ".") == {
        ("train.py", "GEN201"),
        ("generated/a.py", "GEN201"),
        ("sub/train.py", "GEN201"),
    }


# Settings objects


def test_settings_are_frozen_and_hashable(tmp_path: Path) -> None:
    config = textwrap.dedent(
        """\
        [tool.genlint]
        select = ["GEN1", "GEN201"]
        ignore = ["GEN102"]
        extend-exclude = ["legacy/"]
        target = "tf-keras"
        [tool.genlint.per-file-ignores]
        "tests/" = ["GEN2"]
        [tool.genlint.severity]
        GEN108 = "error"
        """
    )
    project(tmp_path, config)
    first = Configuration().settings_for(tmp_path / "train.py")
    second = Configuration().settings_for(tmp_path / "train.py")
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second, Settings()}) == 2
    assert first.target == "tf-keras"
    assert first.config_file == str(tmp_path / "pyproject.toml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.target = "keras3"  # type: ignore[misc]


def test_lint_files_takes_settings(tmp_path: Path) -> None:
    train = project(tmp_path, None) / "train.py"
    settings = Settings.from_options(Options(select=("GEN1",), target="tf-keras"))
    assert [d.code for d in lint_files([train], settings=settings).diagnostics] == ["GEN108"]
    assert {d.code for d in lint_files([train]).diagnostics} == {"GEN201", "GEN501"}


# Errors: exit 2, one line naming the file, the key and the valid choices


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.genlint]\nextend_select = ["GEN108"]\n',
            "pyproject.toml: unknown key `extend_select` in [tool.genlint] (did you mean `extend-select`?); valid "
            "keys: select, extend-select, ignore, per-file-ignores, exclude, extend-exclude, target, severity",
        ),
        (
            "[tool.genlint]\nverbose = true\n",
            "pyproject.toml: unknown key `verbose` in [tool.genlint]; valid keys: select, extend-select, ignore, "
            "per-file-ignores, exclude, extend-exclude, target, severity",
        ),
        (
            '[tool.genlint]\nselect = ["GEN2O1"]\n',
            f"pyproject.toml: [tool.genlint] select: unknown rule `GEN2O1` (did you mean `GEN201`? {UNKNOWN_RULE_TAIL}",
        ),
        (
            '[tool.genlint]\nextend-select = ["shuffle-twice"]\n',
            "pyproject.toml: [tool.genlint] extend-select: unknown rule `shuffle-twice` (did you mean "
            f"`shuffle-once`? {UNKNOWN_RULE_TAIL}",
        ),
        (
            '[tool.genlint]\nignore = ["banana"]\n',
            f"pyproject.toml: [tool.genlint] ignore: unknown rule `banana` ({UNKNOWN_RULE_TAIL}",
        ),
        (
            '[tool.genlint.per-file-ignores]\n"tests/*" = ["GEN1O1"]\n',
            "pyproject.toml: [tool.genlint] per-file-ignores `tests/*`: unknown rule `GEN1O1` (did you mean "
            f"`GEN101`? {UNKNOWN_RULE_TAIL}",
        ),
        (
            '[tool.genlint.severity]\nGEN2O1 = "info"\n',
            "pyproject.toml: [tool.genlint.severity]: unknown rule `GEN2O1` (did you mean `GEN201`? "
            f"{UNKNOWN_RULE_TAIL}",
        ),
        (
            '[tool.genlint.severity]\nGEN201 = "warn"\n',
            "pyproject.toml: [tool.genlint.severity] `GEN201`: unknown severity `warn` (did you mean `warning`?); "
            "valid severities: error, warning, info",
        ),
        (
            '[tool.genlint]\ntarget = "keras2"\n',
            "pyproject.toml: [tool.genlint] target: unknown target `keras2` (did you mean `keras3`?); valid "
            "targets: keras3, tf-keras",
        ),
        (
            '[tool.genlint]\nignore = ["GEN001"]\n',
            "pyproject.toml: [tool.genlint] ignore: GEN001 cannot be ignored: a file that does not parse has not "
            "been checked at all",
        ),
        (
            '[tool.genlint.per-file-ignores]\n"tests/" = ["syntax-error"]\n',
            "pyproject.toml: [tool.genlint] per-file-ignores `tests/`: GEN001 cannot be ignored: a file that does "
            "not parse has not been checked at all",
        ),
    ],
)
def test_unknown_keys_rules_and_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    project(tmp_path, config)
    assert error(tmp_path, monkeypatch, ".") == message


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            '[tool.genlint]\nselect = "GEN201"\n',
            '[tool.genlint] select: expected a list of strings such as ["GEN101", "GEN2"], got "GEN201"',
        ),
        ("[tool.genlint]\nignore = [201]\n", '[tool.genlint] ignore: expected a list of strings such as ["GEN101", '),
        (
            "[tool.genlint]\nexclude = 'build/'\n",
            '[tool.genlint] exclude: expected a list of strings such as ["notebooks/", "*_old.py"], got "build/"',
        ),
        ("[tool.genlint]\nextend-exclude = [true]\n", "[tool.genlint] extend-exclude: expected a list of strings"),
        ("[tool.genlint]\nextend-select = {}\n", "[tool.genlint] extend-select: expected a list of strings"),
        (
            '[tool.genlint]\nper-file-ignores = ["tests/"]\n',
            '[tool.genlint] per-file-ignores: expected a table such as { "tests/*" = ["GEN101"] }',
        ),
        (
            '[tool.genlint.per-file-ignores]\n"tests/" = "GEN201"\n',
            "[tool.genlint] per-file-ignores `tests/`: expected a list of strings",
        ),
        (
            "[tool.genlint]\nseverity = 'error'\n",
            '[tool.genlint.severity]: expected a table such as { GEN108 = "error" }',
        ),
        (
            "[tool.genlint.severity]\nGEN201 = 1\n",
            "[tool.genlint.severity] `GEN201`: expected one of error, warning, info, got 1",
        ),
        (
            "[tool.genlint]\ntarget = 3\n",
            "[tool.genlint] target: expected a string, got 3; valid targets: keras3, tf-keras",
        ),
        ("[tool]\ngenlint = ['GEN201']\n", '`tool.genlint` must be a table ([tool.genlint]), not ["GEN201"]'),
    ],
)
def test_values_of_the_wrong_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str) -> None:
    project(tmp_path, config)
    assert error(tmp_path, monkeypatch, ".").startswith(f"pyproject.toml: {message}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[tool.genlint]\nselect = ["GEN201"\nignore = []\n',
            "pyproject.toml: not valid TOML at line 3, column 1: Unclosed array",
        ),
        ("[tool.genlint]\ntarget = keras3\n", "pyproject.toml: not valid TOML at line 2, column 10: Invalid value"),
        (
            '[tool.genlint]\nselect = ["GEN201"]\n[tool.genlint.severity\n',
            "pyproject.toml: not valid TOML at line 3, column 23: Expected ']' at the end of a table declaration",
        ),
        (
            '[project]\nname = "x"\n[tool.genlint]\ntarget = "keras3',
            "pyproject.toml: not valid TOML at line 4 (the end of the file): Unterminated string",
        ),
    ],
)
def test_a_broken_toml_file_is_named_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    project(tmp_path, text)
    assert error(tmp_path, monkeypatch, ".") == message


def test_a_toml_file_that_is_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, None)
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    assert error(tmp_path, monkeypatch, ".") == "pyproject.toml: not valid TOML at line 2: it is not UTF-8 text"


def test_an_error_in_a_nested_configuration_names_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path / "sub", '[tool.genlint]\ntarget = "tf_keras"\n')
    assert error(tmp_path, monkeypatch, ".") == (
        "sub/pyproject.toml: [tool.genlint] target: unknown target `tf_keras` (did you mean `tf-keras`?); valid "
        "targets: keras3, tf-keras"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--select", "GEN2O1"), f"--select: unknown rule `GEN2O1` (did you mean `GEN201`? {UNKNOWN_RULE_TAIL}"),
        (("--ignore", "GEN201,GEN9O"), "--ignore: unknown rule `GEN9O` ("),
        (("--extend-select", "GEN0O3"), "--extend-select: unknown rule `GEN0O3` (did you mean `GEN003`? "),
        (("--ignore", "GEN001"), "--ignore: GEN001 cannot be ignored: "),
        (
            ("--per-file-ignores", "tests/"),
            "--per-file-ignores: expected PATTERN:CODES such as 'tests/*:GEN101,GEN2', got 'tests/'",
        ),
        (("--per-file-ignores", "tests/:"), "--per-file-ignores: expected PATTERN:CODES"),
        (("--per-file-ignores", "tests/:GEN2O1"), "--per-file-ignores `tests/`: unknown rule `GEN2O1` (did you mean"),
        (("--config", "missing.toml"), "--config: missing.toml: no such file"),
        (("--config", "train.py"), "train.py: not valid TOML at line 1, column 8: Expected '=' after a key"),
        (("--config", "other.toml"), "--config: other.toml has no [tool.genlint] table"),
    ],
)
def test_command_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], message: str
) -> None:
    project(tmp_path, None, {"other.toml": "[tool.ruff]\nline-length = 100\n"})
    assert error(tmp_path, monkeypatch, *argv, ".").startswith(message)


def test_config_and_isolated_exclude_each_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, "[tool.genlint]\n")
    status, stdout, stderr = run(tmp_path, monkeypatch, "--isolated", "--config", "pyproject.toml", ".")
    assert (status, stdout) == (2, "")
    assert "argument --config: not allowed with argument --isolated" in stderr


def test_a_configuration_error_wins_over_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken configuration in a second project stops the run: linting half a run would look like a pass."""
    project(tmp_path / "good", None)
    project(tmp_path / "bad", '[tool.genlint]\nselect = ["GEN2O1"]\n')
    assert error(tmp_path, monkeypatch, "good", "bad").startswith("bad/pyproject.toml: [tool.genlint] select: ")
