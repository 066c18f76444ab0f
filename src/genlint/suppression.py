"""Suppression comments: the only code in genlint that reads comments.

Comments come from `tokenize`, so a `# genlint: ignore[…]` inside a string is text, not a comment. The forms:

- `# genlint: ignore[GEN101]` at the end of a line suppresses the named rules on that physical line.
- `# genlint: ignore[GEN101]` on a line of its own suppresses them on the next line of code, through the end
  of the statement (the logical line) that the line belongs to: all lines of a multi-line call, but only the
  header of a `def`/`class`/`for` (not its body). Further comment lines in between are skipped; a blank line
  or the end of the file is not, and such a comment is itself reported (GEN002). Above a decorator it covers
  the decorators and the `def`/`class` line they decorate.
- `# genlint: ignore-file[GEN3]` suppresses the named rules in the whole file. It counts only among the
  comments at the top of the file, before the first statement (the module docstring does not count).
- `# noqa: GEN101` keeps its flake8 meaning: the physical line it is on. Codes of other tools in it are left
  to them, and a bare `# noqa` is left to flake8/ruff entirely: genlint honours nothing and says nothing.

Rules are named by code (`GEN101`) or name (`finite-generator`), several separated by commas. A group
(a prefix with a digit, `GEN3`) is accepted only by `ignore-file`: a line-level group or a bare
`# genlint: ignore` would silently widen what is hidden, so it suppresses nothing and is reported (GEN002), as
is an unknown code or name (with the closest valid one suggested). GEN001 cannot be suppressed: a file that
does not parse has not been checked at all, and hiding that would hide every other finding too.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import sys
import tokenize
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genlint.rules import RuleEntry
    from genlint.rules.base import Diagnostic, Rule

UNSUPPRESSIBLE = "GEN001"
INVALID_CODE = "GEN002"  # invalid-suppression: reported from the comments read, once every file is linted
UNUSED_CODE = "GEN003"  # unused-suppression, likewise; a suppression of its reports is never judged unused itself
WHOLE_FILE = sys.maxsize  # the last line covered by an `ignore-file` suppression
VERBS = ("ignore", "ignore-file")

# One directive starts at a `#`; a comment may hold several, as in a type-checker ignore followed by a noqa.
GENLINT_DIRECTIVE = re.compile(r"#\s*genlint\s*:\s*(?P<verb>[A-Za-z_-]*)", re.IGNORECASE)
# flake8's own grammar: codes are letters then digits, separated by commas or spaces.
NOQA_DIRECTIVE = re.compile(
    r"#\s*noqa\b(?::\s*(?P<codes>{code}(?:[,\s]+{code})*))?".format(code=r"[A-Za-z]+[0-9][A-Za-z0-9]*"),
    re.IGNORECASE,
)
ENTRY = re.compile(r"[^,\s]+")
GROUP = re.compile(r"[A-Za-z]+[0-9]{0,2}")
CODE_LIKE = re.compile(r"[A-Za-z]+[0-9]")


@dataclass(frozen=True)
class RuleCatalog:
    """Every rule genlint knows (on or off, built in or plugin): what a suppression may name."""

    names: dict[str, str]  # code → name

    @classmethod
    def of(cls, rules: Iterable[RuleEntry | type[Rule]]) -> RuleCatalog:
        return cls({rule.code: rule.name for rule in rules})

    def code_for(self, written: str) -> str | None:
        """The code of the rule named by its code (any case) or its name."""
        if written.upper() in self.names:
            return written.upper()
        return next((code for code, name in self.names.items() if name == written.lower()), None)

    def group(self, prefix: str) -> frozenset[str]:
        """The codes that start with `prefix` (`GEN3`), when it has the shape of a group."""
        if not GROUP.fullmatch(prefix):
            return frozenset()
        return frozenset(code for code in self.names if code.startswith(prefix.upper()))

    def codes_of(self, written: str) -> frozenset[str]:
        """The codes an entry names: one rule by code or name, or a group; GEN001 never."""
        code = self.code_for(written)
        return frozenset({code}) if code is not None else self.group(written) - {UNSUPPRESSIBLE}

    def closest(self, written: str) -> str | None:
        """The valid code or name nearest to a misspelt one, for "did you mean"."""
        typed = written.upper() if CODE_LIKE.match(written) else written.lower()
        candidates = list(self.names) if CODE_LIKE.match(written) else list(self.names.values())

        def likeness(candidate: str) -> tuple[float, int, str]:
            # Same-place characters break ties, so that `GEN0O3` suggests GEN003 rather than GEN503.
            same_place = sum(left == right for left, right in zip(typed, candidate, strict=False))
            return difflib.SequenceMatcher(None, typed, candidate).ratio(), same_place, candidate

        best = min(candidates, key=lambda candidate: _negated(likeness(candidate)), default=None)
        return best if best is not None and likeness(best)[0] >= 0.6 else None


def _negated(likeness: tuple[float, int, str]) -> tuple[float, int, str]:
    """Sorts the likest first, and equally like ones by their text."""
    ratio, same_place, text = likeness
    return -ratio, -same_place, text


@dataclass(frozen=True)
class Suppression:
    """One rule (or group) named in a suppression comment, and the lines where it applies."""

    entry: str  # as written: `GEN101`, `finite-generator`, `GEN3`
    codes: frozenset[str]
    directive: str  # the whole directive as written, for messages
    line: int  # where the entry is written
    column: int  # 1-based, in characters
    first_line: int  # the lines it covers
    last_line: int
    below: bool = False  # an own-line comment that covers the statement below it

    def covers(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.code in self.codes and self.first_line <= diagnostic.line <= self.last_line

    @property
    def end_column(self) -> int:
        return self.column + len(self.entry)

    @property
    def scope(self) -> str:
        """Where it applies, in words: `on line 7`, `in the statement below it (lines 8–10)`, `in this file`."""
        if self.last_line == WHOLE_FILE:
            return "in this file"
        lines = f"line {self.first_line}"
        if self.last_line != self.first_line:
            lines = f"lines {self.first_line}–{self.last_line}"
        return f"in the statement below it ({lines})" if self.below else f"on {lines}"


@dataclass(frozen=True)
class CommentProblem:
    """A suppression comment that cannot mean what it seems to (reported as GEN002)."""

    directive: str
    problem: str  # says what is wrong and that it suppresses nothing
    line: int
    column: int  # 1-based
    end_column: int


@dataclass(frozen=True)
class FileSuppressions:
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[CommentProblem, ...] = ()


@dataclass
class _Comment:
    """One comment token and, for a comment on its own line, the statement below it."""

    text: str
    line: int
    column: int  # 0-based, in characters
    own_line: bool
    in_header: bool  # before the first statement (the module docstring does not count)
    next_code_line: int = 0  # own-line comments: the next line of code
    no_target: str = ""  # own-line comments with no code below: why
    target: tuple[int, int] = (0, 0)


@dataclass
class _Scan:
    comments: list[_Comment] = field(default_factory=list)
    logical_lines: list[tuple[int, int, str]] = field(default_factory=list)  # first line, last line, first token
    first_statement: int = 0  # the line of the first statement that is not the module docstring


def read_suppressions(source: str, catalog: RuleCatalog) -> FileSuppressions:
    """Every suppression comment of a file, and the problems with them."""
    if not may_hold_directives(source, catalog):
        return FileSuppressions()
    scan = _scan(source)
    suppressions: list[Suppression] = []
    problems: list[CommentProblem] = []
    for comment in scan.comments:
        _resolve_target(comment, scan.logical_lines)
        for offset, segment in _segments(comment.text):
            column = comment.column + offset + 1
            if match := GENLINT_DIRECTIVE.match(segment):
                found = _genlint_directive(match, segment, comment, column, scan, catalog)
            elif match := NOQA_DIRECTIVE.match(segment):
                found = _noqa_directive(match, comment, column, catalog)
            else:
                continue
            suppressions.extend(item for item in found if isinstance(item, Suppression))
            problems.extend(item for item in found if isinstance(item, CommentProblem))
    return FileSuppressions(tuple(suppressions), tuple(problems))


def may_hold_directives(source: str, catalog: RuleCatalog) -> bool:
    """False when no comment of the file can be a directive for genlint, found without tokenizing (which
    costs more than parsing): no `# genlint:` anywhere, and every `# noqa: …` names only other tools' codes,
    such as the `# noqa: E501` that many files hold. The text holds every comment, so this never misses one.
    (The engine asks too, to keep only the sources that read_suppressions must see.)"""
    if GENLINT_DIRECTIVE.search(source):
        return True
    for match in NOQA_DIRECTIVE.finditer(source):
        codes = match.group("codes")
        if codes and any(_names_ours(entry.group(), catalog) for entry in ENTRY.finditer(codes)):
            return True
    return False


def _names_ours(written: str, catalog: RuleCatalog) -> bool:
    """Whether a `# noqa` entry is genlint's to judge; other entries belong to flake8, ruff and the like."""
    return written.upper().startswith("GEN") or written.upper() in catalog.names


def _scan(source: str) -> _Scan:
    """Comments, logical lines and the first statement, from the tokens; a tokenize error ends the scan."""
    scan = _Scan()
    waiting: list[_Comment] = []  # own-line comments not yet followed by code
    start, first_token = 0, ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                own_line = not token.line[: token.start[1]].strip()
                comment = _Comment(token.string, token.start[0], token.start[1], own_line, not scan.first_statement)
                scan.comments.append(comment)
                waiting += [comment] if own_line else []
            elif token.type == tokenize.NL and not token.line.strip():  # a blank line
                for comment in waiting:
                    comment.no_target = "is followed by a blank line"
                waiting.clear()
            elif token.type == tokenize.NEWLINE:
                scan.logical_lines.append((start, token.start[0], first_token))
                start = 0
            elif token.type not in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                if not start:
                    start, first_token = token.start[0], token.string
                is_docstring = not scan.logical_lines and token.type == tokenize.STRING
                if not scan.first_statement and not is_docstring:
                    scan.first_statement = token.start[0]
                for comment in waiting:
                    comment.next_code_line = token.start[0]
                waiting.clear()
    except (tokenize.TokenError, SyntaxError):  # a file that does not parse gets GEN001, not suppressions
        pass
    for comment in waiting:
        comment.no_target = "is at the end of the file"
    return scan


def _resolve_target(comment: _Comment, logical_lines: list[tuple[int, int, str]]) -> None:
    """The lines an own-line comment covers: from the next line of code to the end of its statement."""
    line = comment.next_code_line
    if not comment.own_line or not line:
        comment.target = (comment.line, comment.line)
        return
    for index, (first, last, first_token) in enumerate(logical_lines):
        if first <= line <= last:
            if first == line and first_token == "@":  # decorators: go on to the `def`/`class` line
                while index + 1 < len(logical_lines) and logical_lines[index][2] == "@":
                    index += 1
                last = logical_lines[index][1]
            comment.target = (line, last)
            return
    comment.target = (line, line)


def _segments(text: str) -> Iterator[tuple[int, str]]:
    """The parts of a comment that start with `#`, with their offsets."""
    starts = [index for index, character in enumerate(text) if character == "#"]
    for start, end in zip(starts, [*starts[1:], len(text)], strict=False):
        yield start, text[start:end]


def _genlint_directive(
    match: re.Match[str], segment: str, comment: _Comment, column: int, scan: _Scan, catalog: RuleCatalog
) -> list[Suppression | CommentProblem]:
    """`# genlint: ignore[…]` or `# genlint: ignore-file[…]`: a suppression per entry, or one problem."""
    verb = match.group("verb").lower()
    directive, entries = _bracketed(segment, match.end())
    problem = _directive_problem(verb, entries, comment, scan)
    if problem:
        directive = directive if verb in VERBS else segment.rstrip()
        return [CommentProblem(directive, problem, comment.line, column, column + len(directive))]
    whole_file = verb == "ignore-file"
    first, last = (1, WHOLE_FILE) if whole_file else comment.target
    found: list[Suppression | CommentProblem] = []
    for entry in entries or ():
        written, where = entry.group(), column + entry.start()
        codes = catalog.codes_of(written)
        below = comment.own_line and not whole_file
        suppression = Suppression(written, codes, directive, comment.line, where, first, last, below)
        found.append(_entry(written, directive, whole_file, comment.line, where, catalog) or suppression)
    return found


def _bracketed(segment: str, verb_end: int) -> tuple[str, list[re.Match[str]] | None]:
    """The directive as written and the entries in its brackets: [] when it has none, None when the
    bracket is not closed."""
    opening = verb_end
    while opening < len(segment) and segment[opening] == " ":
        opening += 1
    if opening >= len(segment) or segment[opening] != "[":
        return segment[:verb_end].rstrip(), []
    closing = segment.find("]", opening)
    if closing < 0:
        return segment.rstrip(), None
    return segment[: closing + 1], list(ENTRY.finditer(segment, opening + 1, closing))


def _directive_problem(verb: str, entries: list[re.Match[str]] | None, comment: _Comment, scan: _Scan) -> str:
    """What makes a whole directive suppress nothing, or "" when its entries are to be read."""
    if verb not in VERBS:
        return _unknown_verb(verb)
    if entries is None:
        return "has no closing `]`, so it suppresses nothing"
    if not entries:
        return (
            f"names no rule, so it suppresses nothing (genlint has no blanket suppression): name the rules in "
            f"brackets, e.g. `# genlint: {verb}[GEN201]`"
        )
    if verb == "ignore-file" and not comment.in_header:
        return (
            f"comes after the first statement (line {scan.first_statement}), so it suppresses nothing: "
            f"`ignore-file` counts only in the comments at the top of the file"
        )
    if verb == "ignore" and comment.no_target:
        return (
            f"{comment.no_target}, so it applies to no statement: put it directly above the statement, or at "
            f"the end of the reported line"
        )
    return ""


def _noqa_directive(
    match: re.Match[str], comment: _Comment, column: int, catalog: RuleCatalog
) -> list[Suppression | CommentProblem]:
    """`# noqa: E501, GEN101`: genlint takes its own codes and leaves the others to flake8 and ruff."""
    if match.group("codes") is None:
        return []
    directive = match.group(0)
    found: list[Suppression | CommentProblem] = []
    for entry in ENTRY.finditer(directive, match.start("codes") - match.start()):
        written, where = entry.group(), column + entry.start()
        if _names_ours(written, catalog):
            problem = _entry(written, directive, False, comment.line, where, catalog)
            codes = catalog.codes_of(written)
            line = comment.line  # flake8's meaning: the physical line of the comment, even on a line of its own
            found.append(problem or Suppression(written, codes, directive, line, where, line, line))
    return found


def _entry(
    written: str, directive: str, groups_allowed: bool, line: int, column: int, catalog: RuleCatalog
) -> CommentProblem | None:
    """The problem with one entry of a directive, if it names no rule genlint can suppress there."""
    problem = _entry_problem(written, groups_allowed, catalog)
    return CommentProblem(directive, problem, line, column, column + len(written)) if problem else None


def _entry_problem(written: str, groups_allowed: bool, catalog: RuleCatalog) -> str:
    """What is wrong with one entry, or "" when it names rules that may be suppressed there."""
    code = catalog.code_for(written)
    if code == UNSUPPRESSIBLE:
        return (
            f"names `{written}`, which cannot be suppressed: a file that does not parse is not checked at all "
            f"(exclude the file instead)"
        )
    if code is not None:
        return ""
    group = catalog.group(written) - {UNSUPPRESSIBLE}
    if group and not any(character.isdigit() for character in written):
        return (
            f"names `{written}`, every rule of that family, which is a blanket suppression: name a group with a "
            f"digit, e.g. `{written.upper()}2`, or the rules"
        )
    if group and not groups_allowed:
        return (
            f"names the group `{written}`, which only `ignore-file` accepts, so it suppresses nothing here: "
            f"name the rules, e.g. `{min(group)}`"
        )
    if group:
        return ""
    closest = catalog.closest(written)
    hint = f" (did you mean `{closest}`?)" if closest else ""
    return f"names `{written}`, which is no genlint rule{hint}, so it suppresses nothing for it"


def _unknown_verb(verb: str) -> str:
    closest = difflib.get_close_matches(verb, VERBS, n=1, cutoff=0.6)
    hint = f"did you mean `{closest[0]}`?" if closest else "write `# genlint: ignore[CODE]` or `ignore-file[CODE]`"
    what = f"`{verb}` is no genlint directive" if verb else "no directive follows `genlint:`"
    return f"suppresses nothing: {what} ({hint})"


class Suppressor:
    """The suppression comments of every file a run touches, and which of them suppressed something."""

    def __init__(self, catalog: RuleCatalog, read: Callable[[str], str]) -> None:
        self.catalog = catalog
        self._read = read
        self._files: dict[str, FileSuppressions] = {}
        self._used: set[Suppression] = set()
        self.failures: list[tuple[str, Exception]] = []  # genlint bugs met while parsing a file's comments

    def add(self, path: str, source: str) -> None:
        """Parse the comments of a file whose source the engine has already read ("" when it holds no
        directive: most files)."""
        key = _key(path)
        self._files[key] = self._parse(key, source) if source else NO_SUPPRESSIONS

    def _parse(self, key: str, source: str) -> FileSuppressions:
        try:
            return read_suppressions(source, self.catalog)
        except Exception as error:  # a bug here must not stop the run: the engine reports it as internal
            self.failures.append((key, error))
            return FileSuppressions()

    def of(self, path: str) -> FileSuppressions:
        """The comments of a file, read on first use (a sibling module where a finding is reported)."""
        key = _key(path)
        if key not in self._files:
            try:
                source = self._read(key)
            except (OSError, ValueError, SyntaxError):  # unreadable: nothing there suppresses anything
                source = ""
            self._files[key] = self._parse(key, source)
        return self._files[key]

    def paths(self) -> list[str]:
        """Every file whose comments were read so far."""
        return list(self._files)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """True when a comment in the diagnostic's own file hides it; every such comment counts as used."""
        if diagnostic.code == UNSUPPRESSIBLE or not diagnostic.path:
            return False
        covering = [item for item in self.of(diagnostic.path).suppressions if item.covers(diagnostic)]
        self._used.update(covering)
        return bool(covering)

    def unused(self, path: str, ran: frozenset[str]) -> list[Suppression]:
        """Suppressions in `path` that hid nothing, among those whose every rule ran (so they could have)."""
        return [
            item
            for item in self.of(path).suppressions
            if item not in self._used and item.codes <= ran and UNUSED_CODE not in item.codes
        ]


NO_SUPPRESSIONS = FileSuppressions()


def _key(path: str) -> str:
    return os.path.abspath(path)
