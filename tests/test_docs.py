"""The rule documentation: docstring headings, generated pages and README table in sync, and --check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from genlint import docs
from genlint.rules import BUILTIN_ENTRIES, RuleEntry, builtin_rules
from genlint.rules.base import Example, Rule, Severity

REPO_ROOT = Path(__file__).resolve().parent.parent


def _copy_docs(target: Path) -> Path:
    """A copy of the README, docs/rules/ and the rule catalog in `target`, to modify without touching the real
    ones."""
    shutil.copy(REPO_ROOT / "README.md", target / "README.md")
    shutil.copytree(REPO_ROOT / "docs" / "rules", target / "docs" / "rules")
    (target / docs.CATALOG).parent.mkdir(parents=True)
    shutil.copy(REPO_ROOT / docs.CATALOG, target / docs.CATALOG)
    return target


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.code)
def test_docstring_has_the_required_headings_in_order(rule: type[Rule]) -> None:
    assert docs.heading_problems(rule) == []
    headings = [heading for heading, _ in docs.sections(rule)]
    assert headings[:2] == ["What it does", "Why is this bad?"]


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.code)
def test_every_rule_has_a_docs_page(rule: type[Rule]) -> None:
    assert (REPO_ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()


def test_docs_and_readme_table_are_in_sync() -> None:
    stale = [path.relative_to(REPO_ROOT).as_posix() for path in docs.stale_files(REPO_ROOT)]
    assert stale == [], "run `python -m genlint.docs` to regenerate the docs"


def test_check_reports_a_modified_page(tmp_path: Path) -> None:
    root = _copy_docs(tmp_path)
    page = root / "docs" / "rules" / "GEN101.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nhand-edited\n", encoding="utf-8")
    assert docs.stale_files(root) == [page]
    assert docs.main(["--check", "--root", str(root)]) == 1
    assert "hand-edited" in page.read_text(encoding="utf-8"), "--check must not write"


def test_check_reports_a_missing_page_and_a_stale_readme_table(tmp_path: Path) -> None:
    root = _copy_docs(tmp_path)
    (root / "docs" / "rules" / "GEN201.md").unlink()
    readme = root / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("`finite-generator`", "`x`"), encoding="utf-8")
    assert set(docs.stale_files(root)) == {root / "docs" / "rules" / "GEN201.md", readme}


def test_the_catalog_lists_every_rule_module_as_its_class_says() -> None:
    found = docs.rules_in_modules()
    assert found == builtin_rules()
    assert tuple(RuleEntry.of(rule) for rule in found) == BUILTIN_ENTRIES  # code, name, default, fix, module


def test_check_reports_a_stale_catalog(tmp_path: Path) -> None:
    root = _copy_docs(tmp_path)
    catalog = root / docs.CATALOG
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('"shuffle-once", False', '"shuffle-once", True'))
    assert docs.stale_files(root) == [catalog]
    assert docs.main(["--root", str(root)]) == 0
    assert catalog.read_text(encoding="utf-8") == (REPO_ROOT / docs.CATALOG).read_text(encoding="utf-8")


def test_a_rule_outside_the_module_its_code_and_name_give_is_an_error() -> None:
    class Misplaced(Rule):
        code = "GEN999"
        name = "misplaced"

    with pytest.raises(docs.DocsError, match=r"belongs in genlint\.rules\.gen999_misplaced"):
        docs.render_catalog([Misplaced])


def test_render_rewrites_stale_files_then_check_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy_docs(tmp_path)
    (root / "docs" / "rules" / "GEN102.md").write_text("old\n", encoding="utf-8")
    assert docs.main(["--root", str(root)]) == 0
    assert "wrote: docs/rules/GEN102.md" in capsys.readouterr().out
    assert docs.main(["--check", "--root", str(root)]) == 0
    assert (root / "docs" / "rules" / "GEN102.md").read_text(encoding="utf-8") == (
        REPO_ROOT / "docs" / "rules" / "GEN102.md"
    ).read_text(encoding="utf-8")


def test_readme_without_markers_is_an_error(tmp_path: Path) -> None:
    root = _copy_docs(tmp_path)
    (root / "README.md").write_text("# genlint\n", encoding="utf-8")
    assert docs.main(["--check", "--root", str(root)]) == 2


class _SampleRule(Rule):
    """
    ## What it does
    Finds a sample, e.g. `a.b`. Then more.

    ## Why is this bad?
    Because.

    ## References
    - Somewhere
    """

    code = "GEN999"
    name = "sample-rule"
    severity = Severity.INFO
    message = "sample"
    invalid = (
        Example(
            "from helpers import batches\n\nmodel.fit(batches())  # error: GEN999, GEN201\n",
            files={"helpers.py": "def batches():  # error: GEN999\n    yield 1\n"},
            title="two files",
        ),
    )
    valid = (Example("model.fit(batches(), steps_per_epoch=1)\n"),)


def test_page_puts_examples_after_why_and_strips_markers() -> None:
    page = docs.render_rule_page(_SampleRule)
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert headings == [
        "# GEN999: sample-rule",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ]
    assert "**Severity:** info · **Default:** on · **Fix:** none" in page
    assert "# error" not in page
    assert "model.fit(batches())\n```" in page
    assert "`helpers.py`:\n\n```python\ndef batches():\n" in page
    assert "Two files:" in page


def test_summary_is_the_first_sentence_of_what_it_does() -> None:
    assert docs.summary(_SampleRule) == "Finds a sample, e.g. `a.b`."


def test_misplaced_heading_is_reported() -> None:
    class Backwards(_SampleRule):
        """
        ## Why is this bad?
        Because.

        ## What it does
        Finds it.

        ## Example
        Written by hand.
        """

    problems = docs.heading_problems(Backwards)
    assert any("out of order" in problem for problem in problems)
    assert any("unknown heading `## Example`" in problem for problem in problems)
    with pytest.raises(docs.DocsError):
        docs.render_rule_page(Backwards)
