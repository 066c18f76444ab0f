"""`genlint rule CODE`: a rule's documentation page in the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from genlint.reporters.catalog import documentation_page
from genlint.reporters.full import print_markdown
from genlint.rules.base import Rule


def write_rule_documentation(rules: Sequence[type[Rule]], stream: TextIO, *, rendered: bool, color: bool) -> None:
    """Each rule's page, as docs/rules/CODE.md has it: rendered Markdown for a terminal (`rendered`), the
    Markdown text itself otherwise, which reads as plain text and can be piped into a file or a pager."""
    for position, rule in enumerate(rules):
        page = documentation_page(rule)
        if position:
            stream.write("\n")
        if rendered:
            print_markdown(page, stream, color=color)
        else:
            stream.write(page)
