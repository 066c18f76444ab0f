"""`--fix` and `--diff`: apply the fixes that findings carry, file by file, and write the result safely.

All fixes of a file are applied together: their edits are sorted, a fix whose edits overlap an edit already
taken waits for the next round, and the file is linted again (in memory) until no fix is left, at most
`MAXIMUM_ROUNDS` times. The result must still parse (libcst); otherwise the file is left as it was and the
refusal is reported. Files are written atomically (a temporary file in the same folder, then `os.replace`),
with their encoding, byte order mark, line endings and permission bits.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import libcst

from genlint import notebooks
from genlint.analysis import Analyzer
from genlint.analysis.reading import decode_source, read_source
from genlint.config import Configuration
from genlint.engine import RunResult, _RuleSet
from genlint.rules import Rule
from genlint.rules.base import Edit, Fix, FixSafety, RuleContext, display_path
from genlint.suppression import Suppressor

MAXIMUM_ROUNDS = 4
LINE_BREAK = re.compile(r"\r\n|\r|\n")

Relint = Callable[[str, str], list[Fix]]  # (path, source) → the fixes to apply to that source


@dataclass(frozen=True)
class FileFix:
    """What fixing one file gives: `fixed` is `original` when nothing changed or the fix was refused."""

    path: str  # as the user reads it
    original: str
    fixed: str
    applied: int  # how many fixes were applied
    refused: str = ""  # why the fixed source was not kept, when it was not

    @property
    def changed(self) -> bool:
        return self.fixed != self.original

    def diff(self) -> str:
        """A unified diff of the change, empty when there is none (for a notebook: of each changed cell)."""
        if notebooks.is_notebook(self.path):
            return notebooks.notebook_diff(self.path, self.original, self.fixed)
        before = self.original.splitlines(keepends=True)
        after = self.fixed.splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, fromfile=f"a/{self.path}", tofile=f"b/{self.path}")
        return "".join(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines
        )


def allowed_safeties(unsafe: bool) -> frozenset[FixSafety]:
    return frozenset({FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE})


def apply_fixes(source: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply the fixes whose edits overlap no edit of a fix taken before (in order of position); returns
    the new source and how many fixes were applied. Two edits overlap when they share a character, or
    when both insert at one place."""
    starts = _line_starts(source)
    placed: list[tuple[int, int, str]] = []
    applied = 0
    ordered = sorted(
        fixes, key=lambda fix: min((edit.line, edit.column) for edit in fix.edits) if fix.edits else (0, 0)
    )
    for fix in ordered:
        spans = [_offsets(edit, starts, len(source)) for edit in fix.edits]
        if not spans or any(span is None for span in spans):
            continue
        edits = [(start, end, edit.replacement) for (start, end), edit in zip(_known(spans), fix.edits, strict=True)]
        if any(_overlap(edit, other) for edit in edits for other in placed) or any(
            _overlap(edit, other) for index, edit in enumerate(edits) for other in edits[index + 1 :]
        ):
            continue
        placed += edits
        applied += 1
    for start, end, replacement in sorted(placed, reverse=True):
        source = source[:start] + replacement + source[end:]
    return source, applied


def fix_source(path: str, source: str, fixes: Sequence[Fix], relint: Relint) -> FileFix:
    """Apply `fixes`, then the fixes that linting the result finds, until none is left (at most
    `MAXIMUM_ROUNDS` rounds). The result is refused when it no longer parses."""
    fixed, total = source, 0
    for _ in range(MAXIMUM_ROUNDS):
        if not fixes:
            break
        fixed, applied = apply_fixes(fixed, fixes)
        total += applied
        if not applied:
            break
        fixes = relint(path, fixed)
    shown = display_path(path)
    if fixed == source:
        return FileFix(shown, source, source, 0)
    try:
        libcst.parse_module(fixed)
    except (libcst.ParserSyntaxError, RecursionError) as error:
        problem = " ".join(str(error).split())
        return FileFix(shown, source, source, 0, f"the fixed source would not parse ({problem})")
    return FileFix(shown, source, fixed, total)


def fix_result(
    result: RunResult,
    configuration: Configuration | None = None,
    *,
    unsafe: bool = False,
    rules: Sequence[type[Rule]] | None = None,
    only: Collection[str] | None = None,
) -> list[FileFix]:
    """Fix every file that a finding of `result` offers a fix for (safe ones, and unsafe ones with `unsafe`),
    in memory: nothing is written. `only`: the files that may change (absolute paths), e.g. the linted ones,
    so that a finding reported in an imported module outside them leaves it alone. A file that cannot be read
    is reported as refused."""
    relint = _relinter(configuration or Configuration(), rules, unsafe)
    safeties = {rule.code: rule.fix_safety for rule in result.rules}
    allowed = allowed_safeties(unsafe)
    by_file: dict[str, list[Fix]] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.fix is not None and safeties.get(diagnostic.code, FixSafety.NONE) in allowed:
            by_file.setdefault(os.path.abspath(diagnostic.path), []).append(diagnostic.fix)
    fixed = []
    for path, fixes in sorted(by_file.items()):
        if only is not None and path not in only:
            continue
        if notebooks.is_notebook(path):
            fixed.append(fix_notebook(path, fixes, relint))
            continue
        try:
            source, _ = read_text(path)
        except (OSError, ValueError, SyntaxError) as error:
            fixed.append(FileFix(display_path(path), "", "", 0, f"cannot read it: {error}"))
            continue
        fixed.append(fix_source(path, source, fixes, relint))
    return fixed


def fix_notebook(path: str, fixes: Sequence[Fix], relint: Relint) -> FileFix:
    """Fix a notebook's code cells as the one module they make, then write the changed cells back into the
    notebook's text; `original` and `fixed` are the file's text."""
    shown = display_path(path)
    try:
        notebook = notebooks.load(path)
    except (OSError, SyntaxError) as error:
        return FileFix(shown, "", "", 0, f"cannot read it: {error}")
    module_fix = fix_source(path, notebook.source, fixes, relint)
    if not module_fix.changed:
        return FileFix(shown, notebook.text, notebook.text, 0, module_fix.refused)
    try:
        return FileFix(shown, notebook.text, notebook.write_back(module_fix.fixed), module_fix.applied)
    except notebooks.FixRefused as error:
        return FileFix(shown, notebook.text, notebook.text, 0, str(error))


def read_text(path: str) -> tuple[str, str]:
    """The file's text, line endings untouched, and the encoding to write it back with (`utf-8-sig` keeps
    a byte order mark)."""
    with open(path, "rb") as handle:
        return decode_source(handle.read())


def write_atomically(path: str, text: str, encoding: str) -> None:
    """Replace the file's content: a temporary file beside it, with the file's permission bits, then
    `os.replace`. On any failure the original stays and the temporary file is removed."""
    folder = os.path.dirname(os.path.abspath(path))
    mode = stat.S_IMODE(os.stat(path).st_mode)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".genlint")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode(encoding))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_fixes(fixes: Iterable[FileFix]) -> list[tuple[FileFix, str]]:
    """Write every changed file; returns the files that could not be written, with the reason."""
    failures = []
    for file_fix in fixes:
        if not file_fix.changed:
            continue
        path = os.path.abspath(file_fix.path)
        try:
            _, encoding = read_text(path)
            write_atomically(path, file_fix.fixed, encoding)
        except (OSError, ValueError, SyntaxError, UnicodeEncodeError) as error:
            failures.append((file_fix, str(error)))
    return failures


def _relinter(configuration: Configuration, rules: Sequence[type[Rule]] | None, unsafe: bool) -> Relint:
    """Lint one file's new source in memory, as the engine would, and return the fixes to apply next: those
    of its own findings that no suppression comment or per-file ignore hides."""
    rule_set = _RuleSet(rules)
    analyzer = Analyzer()
    allowed = allowed_safeties(unsafe)

    def relint(path: str, source: str) -> list[Fix]:
        settings = configuration.settings_for(path)
        model = analyzer.analyze(path, display_path(path), source)
        if model.syntax_problem is not None:
            return []
        suppressor = Suppressor(rule_set.catalog, read_source)
        suppressor.add(path, source)
        fixes = []
        for entry in rule_set.chosen(settings):
            if entry.fix_safety not in allowed:
                continue
            rule = rule_set.instance(entry)
            context = RuleContext(rule, display_path, settings.target)
            try:
                rule.check(model, context)
            except Exception:  # reported by the lint run that follows the fix
                continue
            for diagnostic in context.diagnostics:
                if (
                    diagnostic.fix is not None
                    and os.path.abspath(diagnostic.path) == os.path.abspath(path)
                    and diagnostic.code not in settings.ignored_codes(diagnostic.path)
                    and not suppressor.suppresses(diagnostic)
                ):
                    fixes.append(diagnostic.fix)
        return fixes

    return relint


def _line_starts(source: str) -> list[int]:
    return [0, *(match.end() for match in LINE_BREAK.finditer(source))]


def _offsets(edit: Edit, starts: list[int], size: int) -> tuple[int, int] | None:
    if not (1 <= edit.line <= edit.end_line <= len(starts)) or edit.column < 1 or edit.end_column < 1:
        return None
    start = starts[edit.line - 1] + edit.column - 1
    end = starts[edit.end_line - 1] + edit.end_column - 1
    return (start, end) if start <= end <= size else None


def _known(spans: list[tuple[int, int] | None]) -> list[tuple[int, int]]:
    return [span for span in spans if span is not None]


def _overlap(one: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    if one[0] == one[1] and other[0] == other[1]:
        return one[0] == other[0]
    return one[0] < other[1] and other[0] < one[1]
