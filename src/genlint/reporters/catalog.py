"""What the reporters say about a rule: its documentation page, its link, the fixes it offers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from genlint import REPOSITORY_URL
from genlint.docs import DocsError, render_rule_page, sections, status_line, summary
from genlint.engine import RunResult
from genlint.rules import BUILTIN_ENTRIES, RuleEntry
from genlint.rules.base import Diagnostic, FixSafety, Rule

# The branch whose docs/rules/ pages the links point at.
DOCS_BRANCH = "main"
MARKDOWN_BLOCKS = ("- ", "* ", "+ ", "|", "```", ">")


def documentation_url(rule: RuleEntry) -> str | None:
    """The rule's page in the repository; None for a plugin rule, whose documentation lives elsewhere."""
    if not rule.builtin:
        return None
    return f"{REPOSITORY_URL}/blob/{DOCS_BRANCH}/docs/rules/{rule.code}.md"


def documentation_page(rule: type[Rule]) -> str:
    """The rule's page in Markdown, as docs/rules/CODE.md has it; a plugin rule whose docstring lacks the
    standard headings still gets its title, status line and docstring."""
    try:
        return render_rule_page(rule)
    except DocsError:
        parts = [f"# {rule.code}: {rule.name}", status_line(rule), rule.documentation()]
        return "\n\n".join(part for part in parts if part) + "\n"


def short_description(rule: type[Rule]) -> str:
    """The first sentence of "What it does"; the rule's name when its docstring has no such section."""
    return summary(rule) or rule.name


def full_description(rule: type[Rule]) -> str:
    """The whole "What it does" section with its paragraphs unwrapped (a viewer wraps them to its own width);
    the docstring when it has no such section."""
    text = dict(sections(rule)).get("What it does") or rule.documentation() or rule.name
    return "\n\n".join(_unwrapped(paragraph) for paragraph in re.split(r"\n\s*\n", text.strip()))


def _unwrapped(paragraph: str) -> str:
    lines = paragraph.splitlines()
    # A list, a table or a code block keeps its line breaks: they carry meaning.
    if any(line.lstrip().startswith(MARKDOWN_BLOCKS) or line.startswith("    ") for line in lines):
        return paragraph
    return " ".join(line.strip() for line in lines)


def rules_by_code(result: RunResult) -> dict[str, RuleEntry]:
    """The rules behind the result's findings: those that ran, then built-in rules for findings of a result
    assembled by hand."""
    found = {entry.code: entry for entry in BUILTIN_ENTRIES}
    found.update({entry.code: entry for entry in result.rules})
    return found


def fix_safety(code: str, rules: dict[str, RuleEntry]) -> FixSafety:
    rule = rules.get(code)
    return rule.fix_safety if rule is not None else FixSafety.NONE


def offered_fix(diagnostic: Diagnostic, rules: dict[str, RuleEntry]) -> FixSafety:
    """The fix this finding offers: its rule's fix safety when the finding carries a fix, else none (a rule
    that can fix some findings may not know how to fix this one)."""
    return fix_safety(diagnostic.code, rules) if diagnostic.fix is not None else FixSafety.NONE


def fixable_counts(diagnostics: Iterable[Diagnostic], safeties: dict[str, FixSafety]) -> tuple[int, int]:
    """How many findings `--fix` would repair, and how many more `--unsafe-fixes` would."""
    safe = unsafe = 0
    for diagnostic in diagnostics:
        if diagnostic.fix is None:
            continue
        safety = safeties.get(diagnostic.code, FixSafety.NONE)
        safe += safety is FixSafety.SAFE
        unsafe += safety is FixSafety.UNSAFE
    return safe, unsafe
