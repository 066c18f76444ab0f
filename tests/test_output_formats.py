"""The machine-readable output formats (json, sarif, github), --statistics, --quiet, --exit-zero, and
`genlint rule`.

Golden files live in tests/golden/; run with GENLINT_UPDATE_GOLDEN=1 to rewrite them after an intended change.
The SARIF output is validated against the official SARIF 2.1.0 schema, kept in tests/data/.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import genlint.cli
from genlint import REPOSITORY_URL, __version__
from genlint.cli import main
from genlint.docs import render_rule_page, summary
from genlint.engine import InternalError, RunResult, lint_paths
from genlint.reporters import REPORTERS
from genlint.reporters.github import escape_data, escape_property, workflow_command
from genlint.reporters.json import report_json
from genlint.reporters.locations import RepositoryPaths, repository_root
from genlint.reporters.sarif import report_sarif
from genlint.reporters.statistics import report_statistics
from genlint.rules import RuleEntry, builtin_rules
from genlint.rules.base import Diagnostic, Fix, FixSafety, Rule, Severity
from genlint.rules.gen101_finite_generator import FiniteGeneratorRule
from genlint.rules.gen201_missing_steps_per_epoch import MissingStepsPerEpochRule
from genlint.rules.gen301_float_steps import FloatStepsRule
from genlint.rules.gen501_fit_generator import FitGeneratorRule

TESTS = Path(__file__).parent
PROJECT = TESTS.parent
FIXTURE = TESTS / "fixtures" / "reporting_project"
GOLDEN = TESTS / "golden"
SARIF_SCHEMA = TESTS / "data" / "sarif-schema-2.1.0.json"
# The rules that report on the fixture: the SARIF golden file describes these only, so that it does not
# change with the documentation of every other rule.
FIXTURE_RULES = (FiniteGeneratorRule, MissingStepsPerEpochRule, FloatStepsRule, FitGeneratorRule)
ROOT_PLACEHOLDER = "file:///REPOSITORY/"
ANSI = re.compile(r"\x1b\[")
GITHUB_COMMAND = re.compile(
    r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[A-Z]+\d{3}::[^\r\n]+$"
)

ENDLESS_FIT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), epochs=3)
"""
BOUNDED_FIT = ENDLESS_FIT.replace("epochs=3", "steps_per_epoch=10, epochs=3")


class TerminalBuffer(io.StringIO):
    """A stream that says it is a terminal, as sys.stdout does in an interactive shell."""

    def isatty(self) -> bool:
        return True


class SafelyFixedRule(Rule):
    """A plugin rule that offers a safe fix."""

    code = "FIX900"
    name = "safely-fixed"
    severity = Severity.INFO
    message = "fixable"
    fix_safety = FixSafety.SAFE


def run(argv: list[str], stdout: io.StringIO | None = None) -> tuple[int, str, str]:
    stdout = stdout if stdout is not None else io.StringIO()
    stderr = io.StringIO()
    code = main(argv, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def run_json(argv: list[str]) -> tuple[int, Any]:
    code, output, _ = run(argv)
    return code, json.loads(output)


def assert_matches_golden(output: str, golden: Path) -> None:
    if os.environ.get("GENLINT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing: run the tests with GENLINT_UPDATE_GOLDEN=1 to create it"
    assert output == golden.read_text(encoding="utf-8")


def sarif_errors(log: Any) -> list[str]:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(log)]


def diagnostic(path: str, code: str = "GEN201", severity: Severity = Severity.ERROR, **changes: Any) -> Diagnostic:
    fields: dict[str, Any] = {
        "path": path,
        "line": 12,
        "column": 1,
        "code": code,
        "message": "something is wrong",
        "name": "missing-steps-per-epoch",
        "severity": severity,
        "end_line": 12,
        "end_column": 59,
    }
    return Diagnostic(**{**fields, **changes})


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree (its `.git` folder is all genlint looks for) whose folder `project/` holds a copy of the
    reporting fixture and is the working folder."""
    root = tmp_path / "repository"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(FIXTURE, root / "project", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(root / "project")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


@pytest.fixture
def work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git work tree as the working folder."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


# Golden files


@pytest.mark.parametrize(
    ("argv", "golden"),
    [
        (["--output-format", "json", "."], "reporting_project.json"),
        (["--output-format", "github", "."], "reporting_project.github.txt"),
        (["--statistics", "."], "reporting_project.statistics.txt"),
        (["--statistics", "--output-format", "json", "."], "reporting_project.statistics.json"),
    ],
)
def test_output_matches_golden_file(argv: list[str], golden: str, repository: Path) -> None:
    code, output, stderr = run(argv)

    assert (code, stderr) == (1, "")
    assert not ANSI.search(output)
    assert_matches_golden(output, GOLDEN / golden)


def test_sarif_matches_golden_file(repository: Path) -> None:
    result = lint_paths(["."], rules=FIXTURE_RULES)
    stream = io.StringIO()
    report_sarif(result, stream)

    output = stream.getvalue().replace(RepositoryPaths(repository).root_uri(), ROOT_PLACEHOLDER)
    assert_matches_golden(output, GOLDEN / "reporting_project.sarif")


def test_sarif_golden_file_is_valid_sarif() -> None:
    log = json.loads((GOLDEN / "reporting_project.sarif").read_text(encoding="utf-8"))

    assert sarif_errors(log) == []


# SARIF: schema


def test_sarif_from_the_command_line_validates_against_the_sarif_2_1_0_schema(repository: Path) -> None:
    code, log = run_json(["--output-format", "sarif", "."])

    assert code == 1
    assert len(log["runs"][0]["results"]) == 4
    assert sarif_errors(log) == []


def test_sarif_without_findings_is_still_a_valid_log(work_tree: Path) -> None:
    (work_tree / "train.py").write_text(BOUNDED_FIT, encoding="utf-8")

    code, log = run_json(["--output-format", "sarif", "."])

    assert code == 0
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    assert sarif_errors(log) == []


def test_sarif_with_unusual_paths_and_an_internal_error_validates(work_tree: Path) -> None:
    folder = work_tree / "my data #1"
    folder.mkdir()
    (folder / "träin.py").write_text(ENDLESS_FIT, encoding="utf-8")
    result = RunResult(
        diagnostics=[diagnostic("my data #1/träin.py"), diagnostic("/elsewhere/x.py", code="GEN101")],
        files=2,
        internal_errors=[InternalError("my data #1/träin.py", "GEN999", "RuntimeError: rule bug")],
        rules=(RuleEntry.of(MissingStepsPerEpochRule),),
    )
    stream = io.StringIO()
    report_sarif(result, stream)

    assert sarif_errors(json.loads(stream.getvalue())) == []


# SARIF: the tool and its rules


def test_sarif_driver_names_genlint_its_version_and_home(repository: Path) -> None:
    _, log = run_json(["--output-format", "sarif", "."])

    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == ("genlint", __version__, REPOSITORY_URL)
    assert log["version"] == "2.1.0"


def test_sarif_describes_every_rule_that_ran_once(repository: Path) -> None:
    _, log = run_json(["--output-format", "sarif", "."])
    _, extended = run_json(["--output-format", "sarif", "--extend-select", "GEN003", "."])

    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == sorted(rule.code for rule in builtin_rules() if rule.default_enabled)
    assert "GEN003" not in ids
    assert "GEN003" in [rule["id"] for rule in extended["runs"][0]["tool"]["driver"]["rules"]]


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.code)
def test_sarif_rule_descriptor_comes_from_the_rule_documentation(rule: type[Rule]) -> None:
    result = RunResult(rules=(RuleEntry.of(rule),))
    stream = io.StringIO()
    report_sarif(result, stream)

    [descriptor] = json.loads(stream.getvalue())["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["id"] == rule.code
    assert descriptor["name"] == rule.name
    assert descriptor["shortDescription"]["text"] == summary(rule)
    assert descriptor["fullDescription"]["text"].startswith(summary(rule))
    assert "\n" not in descriptor["fullDescription"]["text"]  # the docstring's wrapping is undone
    assert descriptor["help"]["markdown"] == render_rule_page(rule)
    assert descriptor["helpUri"] == f"{REPOSITORY_URL}/blob/main/docs/rules/{rule.code}.md"
    assert (PROJECT / "docs" / "rules" / f"{rule.code}.md").is_file()
    level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
    assert descriptor["defaultConfiguration"] == {"level": level}


def test_sarif_plugin_rule_has_no_help_uri_into_genlint() -> None:
    result = RunResult(
        diagnostics=[diagnostic("train.py", code="FIX900", severity=Severity.INFO)],
        rules=(RuleEntry.of(SafelyFixedRule),),
    )
    stream = io.StringIO()
    report_sarif(result, stream)

    [descriptor] = json.loads(stream.getvalue())["runs"][0]["tool"]["driver"]["rules"]
    assert "helpUri" not in descriptor
    assert descriptor["shortDescription"]["text"] == "safely-fixed"


# SARIF: results


def test_sarif_result_points_at_its_rule_and_a_region_relative_to_the_repository_root(repository: Path) -> None:
    _, log = run_json(["--output-format", "sarif", "."])

    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_rule = {result["ruleId"]: result for result in run_["results"]}
    missing_steps = by_rule["GEN201"]
    assert rules[missing_steps["ruleIndex"]]["id"] == "GEN201"
    assert missing_steps["level"] == "error"
    assert missing_steps["message"]["text"].startswith("`endless_batches(features, labels, 32)` never ends")
    assert missing_steps["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "project/train.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 12, "startColumn": 1, "endLine": 12, "endColumn": 59},
            }
        }
    ]
    assert by_rule["GEN101"]["level"] == "warning"
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": RepositoryPaths(repository).root_uri()}}
    assert run_["columnKind"] == "unicodeCodePoints"


def test_sarif_paths_are_relative_to_the_repository_root_from_any_folder(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repository)

    _, log = run_json(["--output-format", "sarif", "project"])

    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in log["runs"][0]["results"]
    }
    assert uris == {"project/train.py", "project/data_utils.py"}


def test_sarif_levels_follow_each_findings_severity(work_tree: Path) -> None:
    findings = [diagnostic("train.py", severity=severity) for severity in Severity]
    stream = io.StringIO()
    report_sarif(RunResult(diagnostics=findings, rules=(RuleEntry.of(MissingStepsPerEpochRule),)), stream)

    levels = [result["level"] for result in json.loads(stream.getvalue())["runs"][0]["results"]]
    assert levels == ["error", "warning", "note"]


def test_sarif_uri_is_percent_encoded(work_tree: Path) -> None:
    stream = io.StringIO()
    report_sarif(RunResult(diagnostics=[diagnostic("my data #1/träin.py")]), stream)

    [result] = json.loads(stream.getvalue())["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "my%20data%20%231/tr%C3%A4in.py",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_file_outside_the_repository_gets_an_absolute_file_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repository" / ".git").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "train.py").write_text(ENDLESS_FIT, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "repository")

    code, log = run_json(["--output-format", "sarif", str(outside)])

    assert code == 1
    [result] = log["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (outside / "train.py").as_uri()}
    assert sarif_errors(log) == []


def test_sarif_message_carries_the_findings_help(repository: Path) -> None:
    _, log = run_json(["--output-format", "sarif", "."])

    by_rule = {result["ruleId"]: result for result in log["runs"][0]["results"]}
    assert by_rule["GEN201"]["message"]["text"].endswith(
        "\nhelp: pass steps_per_epoch=math.ceil(number_of_samples / batch_size)"
    )
    assert "help:" not in by_rule["GEN501"]["message"]["text"]


def test_sarif_internal_errors_are_tool_execution_notifications(
    work_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (work_tree / "train.py").write_text(ENDLESS_FIT, encoding="utf-8")

    def broken_check(self: Rule, model: object, context: object) -> None:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(MissingStepsPerEpochRule, "check", broken_check)

    code, log = run_json(["--output-format", "sarif", "."])

    assert code == 2
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert "train.py: internal error in rule GEN201: RuntimeError: rule bug" in notification["message"]["text"]
    assert sarif_errors(log) == []


# SARIF: fingerprints


def fingerprints(folder: Path) -> list[tuple[int, str]]:
    _, log = run_json(["--output-format", "sarif", "."])
    return [
        (
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["partialFingerprints"]["genlint/v1"],
        )
        for result in log["runs"][0]["results"]
    ]


def test_fingerprint_does_not_change_when_lines_move_or_are_reindented(work_tree: Path) -> None:
    train = work_tree / "train.py"
    train.write_text(ENDLESS_FIT, encoding="utf-8")
    [(line, before)] = fingerprints(work_tree)

    moved = "import math\n\n\n" + ENDLESS_FIT.replace("model.fit(", "if True:\n    model.fit(")
    train.write_text(moved, encoding="utf-8")
    [(moved_line, after)] = fingerprints(work_tree)

    assert moved_line != line
    assert after == before


def test_fingerprint_changes_with_the_line_the_rule_or_the_file(work_tree: Path) -> None:
    train = work_tree / "train.py"
    train.write_text(ENDLESS_FIT, encoding="utf-8")
    [(_, original)] = fingerprints(work_tree)
    train.write_text(ENDLESS_FIT.replace("epochs=3", "epochs=5"), encoding="utf-8")
    [(_, edited)] = fingerprints(work_tree)
    train.rename(work_tree / "main.py")
    [(_, renamed)] = fingerprints(work_tree)

    assert len({original, edited, renamed}) == 3
    assert re.fullmatch(r"[0-9a-f]{32}:1", original)


def test_identical_findings_on_identical_lines_get_distinct_fingerprints(work_tree: Path) -> None:
    (work_tree / "train.py").write_text(ENDLESS_FIT + "model.fit(batches(), epochs=3)\n", encoding="utf-8")

    [(_, first), (_, second)] = fingerprints(work_tree)

    assert first.split(":")[0] == second.split(":")[0]
    assert (first[-2:], second[-2:]) == (":1", ":2")


# JSON


def test_json_is_a_versioned_object_with_diagnostics_and_a_summary(repository: Path) -> None:
    code, document = run_json(["--output-format", "json", "."])

    assert code == 1
    assert list(document) == ["version", "tool", "diagnostics", "summary", "internal_errors"]
    assert document["version"] == 1
    assert document["tool"] == {"name": "genlint", "version": __version__}
    assert document["summary"] == {
        "files": 3,
        "total": 4,
        "by_severity": {"error": 3, "warning": 1, "info": 0},
        "by_code": {
            "GEN101": {"name": "finite-generator", "count": 1},
            "GEN201": {"name": "missing-steps-per-epoch", "count": 1},
            "GEN301": {"name": "float-steps", "count": 1},
            "GEN501": {"name": "fit-generator", "count": 1},
        },
        "internal_errors": 0,
    }


def test_json_diagnostic_has_every_field(repository: Path) -> None:
    _, document = run_json(["--output-format", "json", "."])

    missing_steps = next(entry for entry in document["diagnostics"] if entry["code"] == "GEN201")
    assert missing_steps == {
        "path": "train.py",
        "line": 12,
        "column": 1,
        "end_line": 12,
        "end_column": 59,
        "code": "GEN201",
        "name": "missing-steps-per-epoch",
        "severity": "error",
        "message": missing_steps["message"],
        "help": "pass steps_per_epoch=math.ceil(number_of_samples / batch_size)",
        "fix": "none",
        "url": f"{REPOSITORY_URL}/blob/main/docs/rules/GEN201.md",
    }
    assert missing_steps["message"].startswith("`endless_batches(features, labels, 32)` never ends")
    fit_generator = next(entry for entry in document["diagnostics"] if entry["code"] == "GEN501")
    assert fit_generator["help"] is None


def test_json_fix_is_the_rules_fix_safety() -> None:
    result = RunResult(
        diagnostics=[
            diagnostic("train.py", code="FIX900", severity=Severity.INFO, fix=Fix("fix it", ())),
            diagnostic("train.py"),
        ],
        rules=(RuleEntry.of(SafelyFixedRule), RuleEntry.of(MissingStepsPerEpochRule)),
    )
    stream = io.StringIO()
    report_json(result, stream)

    safely_fixed, missing_steps = json.loads(stream.getvalue())["diagnostics"]
    assert (safely_fixed["fix"], safely_fixed["url"]) == ("safe", None)
    assert missing_steps["fix"] == "none"


def test_json_without_findings(work_tree: Path) -> None:
    (work_tree / "train.py").write_text(BOUNDED_FIT, encoding="utf-8")

    code, document = run_json(["--output-format", "json", "--quiet", "."])

    assert code == 0
    assert document["diagnostics"] == []
    assert document["summary"]["total"] == 0
    assert document["summary"]["by_code"] == {}


def test_json_reports_internal_errors_and_stays_parseable(work_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work_tree / "train.py").write_text(ENDLESS_FIT, encoding="utf-8")

    def broken_check(self: Rule, model: object, context: object) -> None:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(MissingStepsPerEpochRule, "check", broken_check)

    code, document = run_json(["--output-format", "json", "."])

    assert code == 2
    [error] = document["internal_errors"]
    assert (error["path"], error["rule"]) == ("train.py", "GEN201")
    assert error["detail"].startswith("RuntimeError: rule bug")
    assert document["summary"]["internal_errors"] == 1


def test_json_output_is_ascii_so_that_no_console_encoding_can_break_it() -> None:
    result = RunResult(diagnostics=[diagnostic("träin.py", message="café ✓")])
    stream = io.StringIO()
    report_json(result, stream)

    assert stream.getvalue().isascii()
    assert json.loads(stream.getvalue())["diagnostics"][0]["message"] == "café ✓"


# GitHub workflow commands


def test_github_command_has_every_property() -> None:
    finding = diagnostic("train.py", end_line=13, end_column=4, help="")

    assert workflow_command(finding, "src/train.py") == (
        "::error file=src/train.py,line=12,col=1,endLine=13,endColumn=4,title=GEN201::something is wrong"
    )


@pytest.mark.parametrize(
    ("severity", "command"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")]
)
def test_github_command_follows_the_severity(severity: Severity, command: str) -> None:
    assert workflow_command(diagnostic("train.py", severity=severity), "train.py").startswith(f"::{command} ")


def test_github_escapes_data_and_properties_as_actions_toolkit_does() -> None:
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_data("a, b: c") == "a, b: c"
    assert escape_property("dir,1/a:b%.py\n") == "dir%2C1/a%3Ab%25.py%0A"


def test_github_message_cannot_inject_another_workflow_command() -> None:
    finding = diagnostic("a,b:c.py", message="bad\n::warning file=x.py::fake\r\n::stop-commands::token")

    command = workflow_command(finding, "a,b:c.py")

    assert "\n" not in command and "\r" not in command
    assert command == (
        "::error file=a%2Cb%3Ac.py,line=12,col=1,endLine=12,endColumn=59,title=GEN201::"
        "bad%0A::warning file=x.py::fake%0D%0A::stop-commands::token"
    )


def test_github_message_carries_the_help_on_a_second_line() -> None:
    finding = diagnostic("train.py", help="pass steps_per_epoch")

    assert workflow_command(finding, "train.py").endswith("::something is wrong%0Ahelp: pass steps_per_epoch")


def test_github_output_is_one_command_per_finding_relative_to_the_repository_root(repository: Path) -> None:
    code, output, _ = run(["--output-format", "github", "."])

    lines = output.splitlines()
    assert code == 1
    assert len(lines) == 4
    assert all(GITHUB_COMMAND.match(line) for line in lines), output
    assert lines[0].startswith(
        "::warning file=project/data_utils.py,line=10,col=1,endLine=10,endColumn=13,title=GEN101::"
    )
    assert lines[1].startswith("::error file=project/train.py,line=12,col=1,endLine=12,endColumn=59,title=GEN201::")


def test_github_prints_nothing_without_findings(work_tree: Path) -> None:
    (work_tree / "train.py").write_text(BOUNDED_FIT, encoding="utf-8")

    assert run(["--output-format", "github", "."])[:2] == (0, "")


# Repository root


def test_repository_root_is_the_git_top_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)

    assert repository_root(str(nested)) == tmp_path


def test_repository_root_accepts_a_git_file_of_a_worktree_or_submodule(tmp_path: Path) -> None:
    (tmp_path / "outer" / ".git").mkdir(parents=True)
    submodule = tmp_path / "outer" / "vendor" / "lib"
    submodule.mkdir(parents=True)
    (submodule / ".git").write_text("gitdir: ../../.git/modules/lib\n", encoding="utf-8")

    assert repository_root(str(submodule / "src")) == submodule


def test_repository_root_outside_git_is_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if any((folder / ".git").exists() for folder in (tmp_path, *tmp_path.parents)):
        pytest.skip("the temporary folder is inside a git work tree")
    monkeypatch.chdir(tmp_path)

    assert repository_root() == tmp_path
    assert RepositoryPaths().relative("sub/train.py") == "sub/train.py"


# --statistics


def test_statistics_orders_by_count_then_code() -> None:
    findings = [diagnostic("a.py", line=line) for line in (1, 2)]
    findings += [diagnostic("a.py", code="GEN101", name="finite-generator", line=3)]
    findings += [diagnostic("a.py", code="GEN100", name="another", line=4)]

    stream = io.StringIO()
    report_statistics(RunResult(diagnostics=findings, files=1), stream)

    assert stream.getvalue().splitlines() == [
        "    2  GEN201  missing-steps-per-epoch",
        "    1  GEN100  another",
        "    1  GEN101  finite-generator",
        "Found 4 problems in 1 file.",
    ]


def test_statistics_quiet_leaves_out_the_total(repository: Path) -> None:
    code, output, _ = run(["--statistics", "--quiet", "."])

    assert code == 1
    assert len(output.splitlines()) == 4
    assert "Found" not in output


def test_statistics_without_findings(work_tree: Path) -> None:
    (work_tree / "train.py").write_text(BOUNDED_FIT, encoding="utf-8")

    assert run(["--statistics", "."])[:2] == (0, "All checks passed (1 file).\n")
    assert run(["--statistics", "--quiet", "."])[:2] == (0, "")


def test_statistics_as_json(repository: Path) -> None:
    code, document = run_json(["--statistics", "--output-format", "json", "."])

    assert code == 1
    assert document["version"] == 1
    assert document["total"] == 4
    assert {"code": "GEN201", "name": "missing-steps-per-epoch", "count": 1} in document["statistics"]


def test_statistics_cannot_be_sarif(repository: Path) -> None:
    code, output, stderr = run(["--statistics", "--output-format", "sarif", "."])

    assert (code, output) == (2, "")
    assert "--statistics cannot be combined with --output-format sarif" in stderr


# --quiet


def test_quiet_full_prints_the_findings_without_the_summary(repository: Path) -> None:
    _, loud, _ = run(["--output-format", "full", "."])
    code, quiet, _ = run(["--output-format", "full", "--quiet", "."])

    assert code == 1
    assert "Found 4 problems" in loud
    assert "Found" not in quiet
    assert loud.startswith(quiet)
    assert quiet.count("[error]") == 3


def test_quiet_prints_nothing_on_success(work_tree: Path) -> None:
    (work_tree / "train.py").write_text(BOUNDED_FIT, encoding="utf-8")

    for output_format in ("full", "concise", "github"):
        assert run(["--output-format", output_format, "-q", "."])[:2] == (0, "")
    assert run(["--quiet", "."], stdout=TerminalBuffer())[:2] == (0, "")


def test_quiet_does_not_change_concise(repository: Path) -> None:
    assert run(["--output-format", "concise", "--quiet", "."]) == run(["--output-format", "concise", "."])


# --exit-zero


def test_exit_zero_exits_0_with_findings_and_prints_them(repository: Path) -> None:
    _, findings, _ = run(["--output-format", "concise", "."])

    assert run(["--output-format", "concise", "--exit-zero", "."])[:2] == (0, findings)


def test_exit_zero_still_exits_2_for_a_missing_path(work_tree: Path) -> None:
    code, _, stderr = run(["--exit-zero", "no_such_folder"])

    assert code == 2
    assert "no_such_folder" in stderr


def test_exit_zero_still_exits_2_for_an_internal_error(work_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (work_tree / "train.py").write_text(ENDLESS_FIT, encoding="utf-8")

    def broken_check(self: Rule, model: object, context: object) -> None:
        raise RuntimeError("rule bug")

    monkeypatch.setattr(MissingStepsPerEpochRule, "check", broken_check)

    code, _, stderr = run(["--exit-zero", "."])

    assert code == 2
    assert "internal error in rule GEN201" in stderr


def test_exit_zero_still_exits_2_for_a_usage_error(work_tree: Path) -> None:
    assert run(["--exit-zero", "--output-format", "xml", "."])[0] == 2


# Format choice


def test_every_format_is_listed_in_the_help() -> None:
    code, output, _ = run(["--help"])

    assert code == 0
    assert sorted(REPORTERS) == ["concise", "full", "github", "json", "sarif"]
    for option in ("{concise,full,github,json,sarif}", "--statistics", "--quiet", "--exit-zero"):
        assert option in output


# genlint rule


def test_rule_prints_the_documentation_page_as_plain_markdown_when_not_a_terminal() -> None:
    code, output, _ = run(["rule", "GEN101"])

    assert code == 0
    assert output == render_rule_page(FiniteGeneratorRule)
    assert output == (PROJECT / "docs" / "rules" / "GEN101.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("written", ["gen201", "missing-steps-per-epoch", "Missing-Steps-Per-Epoch"])
def test_rule_accepts_a_code_in_any_case_or_a_name(written: str) -> None:
    code, output, _ = run(["rule", written])

    assert code == 0
    assert output.startswith("# GEN201: missing-steps-per-epoch\n")


def test_rule_all_prints_every_rule_in_order() -> None:
    code, output, _ = run(["rule", "--all"])

    assert code == 0
    titles = re.findall(r"^# ([A-Z]+[0-9]{3}): ", output, flags=re.MULTILINE)
    assert titles == [rule.code for rule in builtin_rules()]
    assert output == "\n".join(render_rule_page(rule) for rule in builtin_rules())


def test_rule_renders_markdown_with_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)

    code, output, _ = run(["rule", "GEN201"], stdout=TerminalBuffer())

    text = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert code == 0
    assert ANSI.search(output)
    assert "GEN201: missing-steps-per-epoch" in text
    assert "What it does" in text
    assert "## What it does" not in text and "```" not in text


def test_rule_on_a_terminal_with_no_color_is_rendered_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    code, output, _ = run(["rule", "GEN201"], stdout=TerminalBuffer())

    assert code == 0
    assert not ANSI.search(output)
    assert "## What it does" not in output
    assert "What it does" in output


def test_unknown_rule_exits_2_with_a_suggestion() -> None:
    code, output, stderr = run(["rule", "GEN2O1"])

    assert (code, output) == (2, "")
    assert "unknown rule `GEN2O1`" in stderr
    assert "did you mean `GEN201`?" in stderr


def test_misspelt_rule_name_suggests_the_name() -> None:
    code, _, stderr = run(["rule", "finite-generatr"])

    assert code == 2
    assert "did you mean `finite-generator`?" in stderr


@pytest.mark.parametrize("argv", [["rule"], ["rule", "--all", "GEN101"], ["rule", "GEN101", "GEN201"]])
def test_rule_needs_exactly_one_rule_or_all(argv: list[str]) -> None:
    code, output, stderr = run(argv)

    assert (code, output) == (2, "")
    assert "usage: genlint rule" in stderr


def test_rule_help() -> None:
    code, output, _ = run(["rule", "--help"])

    assert code == 0
    assert "--all" in output


def test_rule_documents_a_plugin_rule_without_the_standard_headings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(genlint.cli, "all_rules", lambda: (*builtin_rules(), SafelyFixedRule))

    code, output, _ = run(["rule", "FIX900"])

    assert code == 0
    assert output == (
        "# FIX900: safely-fixed\n\n**Severity:** info · **Default:** on · **Fix:** safe\n\n"
        "A plugin rule that offers a safe fix.\n"
    )


def test_a_folder_named_rule_is_linted_as_dot_slash_rule(work_tree: Path) -> None:
    (work_tree / "rule").mkdir()
    (work_tree / "rule" / "train.py").write_text(ENDLESS_FIT, encoding="utf-8")

    code, output, _ = run(["--output-format", "concise", "./rule"])

    assert code == 1
    assert "GEN201" in output
