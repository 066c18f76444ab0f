"""Renders the rule documentation from the rules themselves: docs/rules/*.md and the README rule table, and the
rule catalog (src/genlint/rules/catalog.py) that lets a run choose rules without importing them.

`python -m genlint.docs` writes the files that changed; `python -m genlint.docs --check` writes nothing
and exits 1 when a file is out of date (for CI).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import pkgutil
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from genlint.rules import rule_module
from genlint.rules.base import Example, FixSafety, Rule

REQUIRED_HEADINGS = ("What it does", "Why is this bad?")
OPTIONAL_HEADINGS = ("Fix safety", "Known limitations", "References")
# Docstring sections, in the order they must appear. Example / Use instead are generated, never written.
ALLOWED_HEADINGS = REQUIRED_HEADINGS + OPTIONAL_HEADINGS
EXAMPLES_AFTER = "Why is this bad?"
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"
ERROR_MARKER = re.compile(r"\s*#\s*error:\s*[A-Z]+[0-9]{3}(?:\s*,\s*[A-Z]+[0-9]{3})*\s*$")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
MAIN_FILE = "train.py"
DESCRIPTION = "Render docs/rules/*.md, the README rule table and the rule catalog from the rules."
RULES_PACKAGE = "genlint.rules"
RULE_MODULE = re.compile(r"gen[0-9]{3}_[a-z0-9_]+")  # genlint/rules/gen101_finite_generator.py
CATALOG = Path("src", "genlint", "rules", "catalog.py")

Section = tuple[str, str]


class DocsError(Exception):
    """A rule docstring or the README is not in the shape the renderer needs."""


# --- reading a rule's docstring -------------------------------------------------------------------


def sections(rule: type[Rule]) -> list[Section]:
    """The `## Heading` sections of a rule's docstring, as (heading, body) in order."""
    found: list[Section] = []
    heading: str | None = None
    body: list[str] = []
    for line in rule.documentation().splitlines():
        if line.startswith("## "):
            if heading is not None:
                found.append((heading, "\n".join(body).strip()))
            heading, body = line[3:].strip(), []
        elif heading is not None:
            body.append(line)
    if heading is not None:
        found.append((heading, "\n".join(body).strip()))
    return found


def heading_problems(rule: type[Rule]) -> list[str]:
    """What is wrong with a rule docstring's headings: missing, unknown, empty or out of order."""
    headings = [heading for heading, _ in sections(rule)]
    problems = [f"missing `## {heading}`" for heading in REQUIRED_HEADINGS if heading not in headings]
    problems += [f"unknown heading `## {heading}`" for heading in headings if heading not in ALLOWED_HEADINGS]
    problems += [f"empty section `## {heading}`" for heading, body in sections(rule) if not body]
    known = [heading for heading in headings if heading in ALLOWED_HEADINGS]
    if known != sorted(known, key=ALLOWED_HEADINGS.index) or len(set(known)) != len(known):
        problems.append(f"headings out of order: {known}, expected the order {list(ALLOWED_HEADINGS)}")
    return problems


def summary(rule: type[Rule]) -> str:
    """The first sentence of "What it does", on one line."""
    body = dict(sections(rule)).get("What it does", "")
    text = " ".join(body.split())
    for match in SENTENCE_END.finditer(text):
        before = text[: match.end()]
        if before.count("`") % 2 == 0 and not before.endswith(("e.g.", "i.e.")):
            return before
    return text


# --- one rule page --------------------------------------------------------------------------------


def strip_markers(source: str) -> str:
    """An example's source as a reader should see it: without the `# error: GENxxx` test markers."""
    lines = textwrap.dedent(source).strip("\n").splitlines()
    return "\n".join(ERROR_MARKER.sub("", line) for line in lines)


def render_example(example: Example) -> str:
    """An example as Markdown: a lead-in from its title, then each of its files in a python block."""
    parts = [_sentence(example.title)] if example.title else []
    files = {MAIN_FILE: example.code, **example.files}
    for name, source in files.items():
        if len(files) > 1:
            parts.append(f"`{name}`:")
        parts.append(f"```python\n{strip_markers(source)}\n```")
    return "\n\n".join(parts)


def render_fix(rule: type[Rule]) -> str:
    """What the rule's fix does to the first invalid example that it changes, as a diff; empty when none."""
    for example in rule.invalid:
        if example.fixed is None:
            continue
        before, after = strip_markers(example.code), strip_markers(example.fixed)
        if before == after:
            continue
        option = "--fix --unsafe-fixes" if rule.fix_safety is FixSafety.UNSAFE else "--fix"
        lines = difflib.unified_diff(before.splitlines(), after.splitlines(), MAIN_FILE, MAIN_FILE, lineterm="")
        diff = "\n".join(list(lines)[2:])  # without the ---/+++ header
        which = "the example above" if example is rule.invalid[0] else "one of the rule's invalid examples"
        return f"What `genlint {option}` changes in {which}:\n\n```diff\n{diff}\n```"
    return ""


def _sentence(title: str) -> str:
    text = title[0].upper() + title[1:]
    return text if text.endswith((".", ":")) else text + ":"


def status_line(rule: type[Rule]) -> str:
    default = "on" if rule.default_enabled else "off"
    return f"**Severity:** {rule.severity.value} · **Default:** {default} · **Fix:** {rule.fix_safety.value}"


def page_sections(rule: type[Rule]) -> list[Section]:
    """The docstring sections with `Example` and `Use instead` inserted after "Why is this bad?"."""
    generated: list[Section] = []
    if rule.invalid:
        generated.append(("Example", render_example(rule.invalid[0])))
    if rule.valid:
        generated.append(("Use instead", render_example(rule.valid[0])))
    fix = render_fix(rule)
    if fix:
        generated.append(("Example fix", fix))
    result: list[Section] = []
    for section in sections(rule):
        result.append(section)
        if section[0] == EXAMPLES_AFTER:
            result += generated
    return result


def render_rule_page(rule: type[Rule]) -> str:
    problems = heading_problems(rule)
    if problems:
        raise DocsError(f"{rule.code} ({rule.__qualname__}) docstring: {'; '.join(problems)}")
    parts = [f"# {rule.code}: {rule.name}", status_line(rule)]
    parts += [f"## {heading}\n\n{body}" for heading, body in page_sections(rule)]
    return "\n\n".join(parts) + "\n"


# --- tables ---------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_rule_table(rules: Sequence[type[Rule]], link_prefix: str) -> str:
    """A Markdown table of the rules; each code links to `{link_prefix}{code}.md`."""
    rows = ["| Code | Name | Severity | What it finds |", "|---|---|---|---|"]
    for rule in rules:
        link = f"[{rule.code}]({link_prefix}{rule.code}.md)"
        rows.append(f"| {link} | `{rule.name}` | {rule.severity.value} | {_cell(summary(rule))} |")
    return "\n".join(rows)


def render_index(rules: Sequence[type[Rule]]) -> str:
    intro = (
        "The rules built into genlint. Each page is generated from the rule's own docstring and examples "
        "by `python -m genlint.docs`; do not edit these files by hand."
    )
    return f"# genlint rules\n\n{intro}\n\n{render_rule_table(rules, '')}\n"


def render_readme(readme: str, rules: Sequence[type[Rule]]) -> str:
    """The README text with the rule table between its markers replaced."""
    start, end = readme.find(TABLE_START), readme.find(TABLE_END)
    if start < 0 or end < start:
        raise DocsError(f"README.md needs the markers {TABLE_START} and {TABLE_END}, in that order")
    table = render_rule_table(rules, "docs/rules/")
    return f"{readme[: start + len(TABLE_START)]}\n{table}\n{readme[end:]}"


# --- the rule catalog -----------------------------------------------------------------------------


def rules_in_modules() -> tuple[type[Rule], ...]:
    """Every built-in rule, by code: the one Rule class that each `genNNN_name.py` module of genlint.rules
    defines. What the catalog lists; a new rule module is found without registering it anywhere."""
    package = importlib.import_module(RULES_PACKAGE)
    found = []
    for module_info in pkgutil.iter_modules(package.__path__):
        if not RULE_MODULE.fullmatch(module_info.name):
            continue
        module = importlib.import_module(f"{RULES_PACKAGE}.{module_info.name}")
        defined = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__
        ]
        if len(defined) != 1:
            raise DocsError(f"{module.__name__} defines {len(defined)} rule classes; a rule module defines one")
        found.append(defined[0])
    return tuple(sorted(found, key=lambda rule: rule.code))


def render_catalog(rules: Sequence[type[Rule]]) -> str:
    """catalog.py: per rule, what a run needs before it imports the rule's module; formatted as ruff formats."""
    rows = "".join(f"    ({', '.join(_literal(value) for value in _catalog_row(rule))}),\n" for rule in rules)
    return (
        '"""The built-in rules, by code, as a run knows them before it imports any rule module: code, name, on\n'
        "by default, fix safety and class. Each lives in the module named by its code and name (GEN101,\n"
        "finite-generator: gen101_finite_generator.py).\n\n"
        "Generated from the rule modules by `python -m genlint.docs`, which `--check`s it in CI: do not edit.\n"
        '"""\n\n'
        f"BUILTIN: tuple[tuple[str, str, bool, str, str], ...] = (\n{rows})\n"
    )


def _catalog_row(rule: type[Rule]) -> tuple[str, str, bool, str, str]:
    expected = rule_module(rule.code, rule.name)
    if rule.__module__ != expected:
        raise DocsError(f"rule {rule.code} ({rule.name}) is in {rule.__module__}; it belongs in {expected}")
    return (rule.code, rule.name, rule.default_enabled, rule.fix_safety.value, rule.__qualname__)


def _literal(value: str | bool) -> str:
    return repr(value) if isinstance(value, bool) else json.dumps(value)


# --- the files on disk ----------------------------------------------------------------------------


def expected_files(root: Path, rules: Sequence[type[Rule]] | None = None) -> dict[Path, str]:
    """Every generated file below `root` (the repository) and the text it should hold; by default for the
    rules in genlint's rule modules."""
    if rules is None:
        rules = rules_in_modules()
    rules_folder = root / "docs" / "rules"
    files = {rules_folder / f"{rule.code}.md": render_rule_page(rule) for rule in rules}
    files[rules_folder / "index.md"] = render_index(rules)
    readme = root / "README.md"
    readme_text = _read(readme)
    if readme_text is None:
        raise DocsError(f"{readme}: no such file")
    files[readme] = render_readme(readme_text, rules)
    files[root / CATALOG] = render_catalog(rules)
    return files


def stale_files(root: Path, rules: Sequence[type[Rule]] | None = None) -> list[Path]:
    """The generated files that are missing or differ from what the rules say."""
    return [path for path, text in expected_files(root, rules).items() if _read(path) != text]


def write_files(root: Path, rules: Sequence[type[Rule]] | None = None) -> list[Path]:
    """Write the generated files that changed; returns them."""
    written = []
    for path, text in expected_files(root, rules).items():
        if _read(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


# --- command line ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m genlint.docs", description=DESCRIPTION)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root (default: .)")
    options = parser.parse_args(argv)
    try:
        changed = stale_files(options.root) if options.check else write_files(options.root)
    except (DocsError, OSError) as error:
        print(f"genlint.docs: error: {error}", file=sys.stderr)
        return 2
    for path in changed:
        print(f"{'stale' if options.check else 'wrote'}: {_shown(path, options.root)}")
    if options.check and changed:
        print("run `python -m genlint.docs` to regenerate them", file=sys.stderr)
        return 1
    return 0


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
