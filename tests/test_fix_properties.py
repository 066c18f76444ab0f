"""Properties of `--fix` over generated training scripts (hypothesis): fixing is idempotent, changes nothing
outside the fixes' edits and the statements that the findings are in, gives code that parses, and writing it
keeps the file's byte order mark and line endings.

Each template writes a small piece of a training script that triggers some fixable rules, drawing its layout:
indentation (spaces, two spaces, tabs), comments and blank lines in odd places, redundant and nested
parentheses, trailing commas, calls on one line or spread over several. A script joins a few of them, maybe
inside a function, then gets CRLF line endings and a byte order mark, or not. To cover another rule's fix, write
a template and list it in TEMPLATES.
"""

from __future__ import annotations

import ast
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import genlint.fixes
from genlint.engine import lint_files
from genlint.fixes import fix_result, write_fixes
from genlint.rules import builtin_rules
from genlint.rules.base import Diagnostic, Edit, Fix

LINE_BREAK = re.compile(r"\r\n|\r|\n")
Span = tuple[int, int]  # offsets into a text: start, end (exclusive)


class Writer:
    """Draws the formatting of one generated script: its indentation unit, comments, blank lines, parentheses
    and the layout of each call."""

    def __init__(self, draw: st.DrawFn, indent: str) -> None:
        self.draw = draw
        self.indent = indent

    def choice(self, options: Sequence[str]) -> str:
        return self.draw(st.sampled_from(options))

    def flag(self) -> bool:
        return self.draw(st.booleans())

    def comment(self) -> str:
        """A trailing comment, often none; some hold brackets and commas, or non-ASCII characters."""
        return self.choice(["", "", "  # note", "  #: (tricky) [brackets], commas,", "  # é ünïcode"])

    def gap(self, level: int) -> str:
        """What goes between two statements: nothing, blank lines (one with spaces), or a comment line."""
        return self.choice(["", "\n", "\n\n", "   \n", f"{self.indent * level}# a comment line\n", "# at column 1\n"])

    def parens(self, expression: str) -> str:
        """The expression, maybe in redundant (nested) parentheses."""
        depth = self.draw(st.sampled_from([0, 0, 1, 2]))
        return "(" * depth + expression + ")" * depth

    def call(self, function: str, arguments: Sequence[str], level: int) -> str:
        """`function(arguments)`: on one line, one argument a line, continued under the first one, or with
        leading commas; the statement is indented `level` times. It may span lines, and ends without a line
        break."""
        comma = "," if self.flag() else ""
        layout = self.choice(["one line", "one argument a line", "one argument a line", "continued", "leading commas"])
        if layout == "one line" or (layout == "continued" and len(arguments) == 1):
            return f"{function}({', '.join(arguments)}{comma})"
        inner = self.indent * (level + 1)
        if layout == "leading commas":  # `, argument` lines, or a comma on a line of its own
            lines = [f"{function}({self.choice(['', '  # open'])}", f"{inner}{arguments[0]}{self.comment()}"]
            for argument in arguments[1:]:
                separator = self.choice([", ", f",\n{inner}"])
                lines.append(f"{inner}{separator}{argument}{self.comment()}")
            return "\n".join([*lines, f"{self.indent * level})"])
        if layout == "continued":
            lines = [f"{function}({arguments[0]},{self.comment()}"]
            lines += [f"{inner}{inner}{argument},{self.comment()}" for argument in arguments[1:-1]]
            return "\n".join(lines) + f"\n{inner}{inner}{arguments[-1]}{comma})"
        lines = [f"{function}({self.choice(['', '  # open'])}"]
        for index, argument in enumerate(arguments):
            separator = comma if index == len(arguments) - 1 else ","
            lines.append(f"{inner}{argument}{separator}{self.comment()}")
            if index < len(arguments) - 1 and self.draw(st.integers(0, 4)) == 0:
                lines.append(self.choice(["", f"{inner}# between the arguments"]))
        return "\n".join([*lines, f"{self.indent * level})"])

    def keywords(self, *pairs: tuple[str, str]) -> list[str]:
        """`name=value` arguments in a drawn order, the values maybe in parentheses."""
        ordered = self.draw(st.permutations(pairs))
        return [f"{name}={self.parens(value)}" for name, value in ordered]


@dataclass(frozen=True)
class Piece:
    """What a template writes: generator definitions (at module level) and the statements that use them."""

    definitions: str
    statements: list[str]
    codes: frozenset[str]  # the rules whose fixable findings this piece must give


Template = Callable[[Writer, int, int], Piece]  # (writer, number for unique names, level of the statements)


def yields_a_list(writer: Writer, number: int, level: int) -> Piece:
    """GEN104: `yield [x, y]` (one or two elements, maybe with a trailing comma, maybe over several lines)."""
    i = writer.indent
    elements = writer.draw(
        st.sampled_from([["x[start:start + size]", "y[start:start + size]"], ["x[start:start + size]"]])
    )
    elements = [writer.parens(element) for element in elements]
    comma = "," if writer.flag() else ""
    if writer.flag():
        listed = f"[{', '.join(elements)}{comma}]"
    else:
        inner = i * 4
        rows = [f"{inner}{element},{writer.comment()}" for element in elements[:-1]]
        rows.append(f"{inner}{elements[-1]}{comma}{writer.comment()}")
        listed = "[{}\n{}\n{}]".format(writer.choice(["", "  # open"]), "\n".join(rows), i * 3)
    definitions = (
        f"def pairs_{number}(x, y, size):{writer.comment()}\n"
        f"{i}while True:{writer.comment()}\n"
        f"{writer.gap(2)}"
        f"{i * 2}for start in range(0, len(x), size):\n"
        f"{i * 3}yield {writer.parens(listed)}{writer.comment()}\n"
    )
    arguments = [f"pairs_{number}(x_train, y_train, 32)", *writer.keywords(("steps_per_epoch", "3"), ("epochs", "2"))]
    return Piece(definitions, [writer.call("model.fit", arguments, level)], frozenset({"GEN104"}))


def raises_stop_iteration(writer: Writer, number: int, level: int) -> Piece:
    """GEN106: `raise StopIteration` at the end, under an `if`, or in an `except` handler."""
    i = writer.indent
    raised = writer.choice(["StopIteration", "StopIteration()", "(StopIteration)", "StopIteration ( )"])
    where = writer.choice(["end", "if", "except"])
    body = f"{i}for start in range(0, len(x), size):{writer.comment()}\n"
    if where == "if":
        body += f"{i * 2}if start >= limit:{writer.comment()}\n{i * 3}raise {raised}{writer.comment()}\n"
    if where == "except":
        body += (
            f"{i * 2}try:\n{i * 3}row = x[start]\n{i * 2}except IndexError:{writer.comment()}\n"
            f"{writer.gap(3)}{i * 3}raise {raised}{writer.comment()}\n"
        )
    body += f"{writer.gap(2)}{i * 2}yield x[start:start + size], y[start:start + size]\n"
    if where == "end":
        body += f"{writer.gap(1)}{i}raise {raised}{writer.choice(['', '; pass'])}{writer.comment()}\n"
    definitions = f"def batches_{number}(x, y, size, limit=10):\n{body}"
    call = writer.call("model.fit", [f"batches_{number}(x_train, y_train, 32)", "epochs=1"], level)
    return Piece(definitions, [call], frozenset({"GEN106"}))


def ignored_arguments(writer: Writer, number: int, level: int) -> Piece:
    """GEN205 and GEN208: `batch_size=` (or `validation_batch_size=`) and `shuffle=True` with generators, alone
    or both in one call (their removals overlap, so the second waits for another round)."""
    i = writer.indent
    definitions = (
        f"def stream_{number}(x, y, size):\n{i}while True:\n"
        f"{i * 2}for start in range(0, len(x), size):\n{i * 3}yield x[start:start + size], y[start:start + size]\n"
    )
    method = writer.choice(["fit", "fit", "evaluate", "predict"])
    pairs = [("steps_per_epoch" if method == "fit" else "steps", "3")]
    codes = set()
    if method != "fit" or writer.flag():
        pairs.append(("batch_size", writer.choice(["64", "BATCH_SIZE", "2 * 32"])))
        codes.add("GEN205")
    if method == "fit" and (writer.flag() or not codes):
        pairs.append(("shuffle", writer.choice(["True", "SHUFFLE"])))
        codes.add("GEN208")
    if method == "fit" and writer.flag():
        pairs += [("validation_data", f"stream_{number}(x_val, y_val, 16)"), ("validation_steps", "2")]
        if writer.flag():
            pairs.append(("validation_batch_size", "16"))
    if ("validation_batch_size", "16") in pairs:
        codes.add("GEN205")
    keywords = writer.keywords(*pairs)
    call = writer.call(f"model.{method}", [f"stream_{number}(x_train, y_train, 32)", *keywords], level)
    return Piece(definitions, [call], frozenset(codes))


def legacy_methods(writer: Writer, number: int, level: int) -> Piece:
    """GEN501 and GEN502: `fit_generator`, `evaluate_generator`, `predict_generator`, the data positional or
    as `generator=`; `verbose` given or not; with `shuffle=True` (GEN208 too) on `fit_generator`."""
    i = writer.indent
    definitions = (
        f"def flow_{number}(x, y, size):\n{i}while True:\n"
        f"{i * 2}for start in range(0, len(x), size):\n{i * 3}yield x[start:start + size], y[start:start + size]\n"
    )
    method = writer.choice(["fit_generator", "evaluate_generator", "predict_generator"])
    data = writer.parens(f"flow_{number}(x_train, y_train, 32)")
    pairs = [("steps_per_epoch" if method == "fit_generator" else "steps", "len(x_train) // 32")]
    codes = {"GEN501" if method == "fit_generator" else "GEN502"}
    if writer.choice(["", "", "verbose"]):
        pairs.append(("verbose", "1"))
    if method == "fit_generator" and writer.flag():
        pairs.append(("shuffle", "True"))
        codes.add("GEN208")
    by_keyword = writer.flag()  # `generator=data` anywhere among the keywords
    arguments = writer.keywords(("generator", data), *pairs) if by_keyword else [data, *writer.keywords(*pairs)]
    receiver = writer.choice(["model", "self.model", "(model)"])
    assigned = writer.choice(["", "history = ", "scores = "])
    return Piece(definitions, [assigned + writer.call(f"{receiver}.{method}", arguments, level)], frozenset(codes))


def uncalled_generator_function(writer: Writer, number: int, level: int) -> Piece:
    """GEN203: a generator function without parameters passed uncalled, as `x` or as `validation_data`."""
    i = writer.indent
    definitions = (
        f"def batches_{number}():{writer.comment()}\n{i}while True:\n{i * 2}for start in range(0, len(x_train), 32):\n"
        f"{i * 3}yield x_train[start:start + 32], y_train[start:start + 32]\n"
    )
    pairs = [("steps_per_epoch", "3"), ("epochs", "2")]
    first = writer.parens(f"batches_{number}")
    if writer.flag():
        pairs += [("y", "y_train"), ("validation_data", first), ("validation_steps", "2")]
        first = "x_train"
    call = writer.call("model.fit", [first, *writer.keywords(*pairs)], level)
    return Piece(definitions, [call], frozenset({"GEN203"}))


def float_steps(writer: Writer, number: int, level: int) -> Piece:
    """GEN301: a float step count: a true division (made `math.ceil(...)`, maybe adding `import math`), also
    through a name; `np.ceil(...)` (wrapped in `int`); a whole float constant."""
    i = writer.indent
    definitions = (
        f"def stream_{number}(x, y, size):\n{i}while True:\n"
        f"{i * 2}for start in range(0, len(x), size):\n{i * 3}yield x[start:start + size], y[start:start + size]\n"
    )
    steps = writer.choice(["len(x_train) / BATCH_SIZE", "np.ceil(len(x_train) / 32)", "30.0", "a name"])
    statements = []
    if steps == "a name":
        statements.append(f"steps_{number} = {writer.parens('len(x_train) / BATCH_SIZE')}{writer.comment()}")
        steps = f"steps_{number}"
    keywords = writer.keywords(("steps_per_epoch", steps), ("epochs", "2"))
    statements.append(writer.call("model.fit", [f"stream_{number}(x_train, y_train, 32)", *keywords], level))
    return Piece(definitions, statements, frozenset({"GEN301"}))


# Each template, with the codes of the rules whose fixes it exercises.
TEMPLATES: dict[Template, set[str]] = {
    yields_a_list: {"GEN104"},
    raises_stop_iteration: {"GEN106"},
    ignored_arguments: {"GEN205", "GEN208"},
    legacy_methods: {"GEN501", "GEN502", "GEN208"},
    uncalled_generator_function: {"GEN203"},
    float_steps: {"GEN301"},
}
RULES = tuple(rule for rule in builtin_rules() if any(rule.code in codes for codes in TEMPLATES.values()))
# An edit that adds an import (`import math` for `math.ceil`) goes at the top of the file, not at the finding.
ADDED_IMPORT = re.compile(r"\s*(import \w+|from [\w.]+ import \w+)\s*")

HEADER = '''"""A generated training script."""

{imports}import numpy as np{comment}

BATCH_SIZE = 64
SHUFFLE = True
'''


@st.composite
def scripts(draw: st.DrawFn) -> tuple[str, frozenset[str]]:
    """A training script (LF line endings, no byte order mark) and the codes it must give fixable findings for."""
    writer = Writer(draw, draw(st.sampled_from(["    ", "  ", "\t"])))
    templates = draw(st.lists(st.sampled_from(list(TEMPLATES)), min_size=1, max_size=3))
    level = draw(st.sampled_from([0, 1]))
    pieces = [template(writer, number, level) for number, template in enumerate(templates)]
    imports = writer.choice(["", "import math\n", "import os\n\n"])
    parts = [HEADER.format(imports=imports, comment=writer.comment()), "\n\n"]
    parts += [piece.definitions + "\n\n" for piece in pieces]
    if level:
        parts.append(f"def main():{writer.comment()}\n")
    for piece in pieces:
        for statement in piece.statements:
            parts.append(writer.gap(level) + writer.indent * level + statement + writer.comment() + "\n")
    if level:
        parts.append('\n\nif __name__ == "__main__":\n' + writer.indent + "main()\n")
    return "".join(parts), frozenset().union(*(piece.codes for piece in pieces))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script=scripts(), crlf=st.booleans(), bom=st.booleans())
def test_fixes_are_local_idempotent_and_keep_the_file_format(
    script: tuple[str, frozenset[str]], crlf: bool, bom: bool
) -> None:
    source, codes = script
    text = source.replace("\n", "\r\n") if crlf else source
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "train.py"
        path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))

        findings = lint_files([path], RULES).diagnostics
        assert {finding.code for finding in findings if finding.fix is not None} >= codes, source
        rounds: list[tuple[str, list[Fix], str]] = []
        with mock.patch.object(genlint.fixes, "apply_fixes", _recording(genlint.fixes.apply_fixes, rounds)):
            (file_fix,) = fix_result(lint_files([path], RULES), rules=RULES)
        assert file_fix.refused == ""
        _assert_only_the_edits_changed(text, rounds, file_fix.fixed)
        _assert_local(text, findings, file_fix.fixed)

        # The result parses; writing it keeps the byte order mark and the line endings.
        ast.parse(file_fix.fixed)
        assert write_fixes([file_fix]) == []
        written = path.read_bytes()
        assert written.startswith(b"\xef\xbb\xbf") == bom
        assert set(re.findall(rb"\r\n|\r|\n", written)) == {b"\r\n" if crlf else b"\n"}
        assert written.decode("utf-8-sig") == file_fix.fixed

        # Fixing again changes nothing, and no fixable finding is left.
        again = lint_files([path], RULES).diagnostics
        assert [finding for finding in again if finding.fix is not None] == []
        assert not any(file_fix.changed for file_fix in fix_result(lint_files([path], RULES), rules=RULES))


def _assert_only_the_edits_changed(original: str, rounds: list[tuple[str, list[Fix], str]], fixed: str) -> None:
    """Each round of fixing changed its source only inside the edits of its fixes; the rounds follow one
    another from the original to the fixed source."""
    assert rounds and rounds[0][0] == original and rounds[-1][2] == fixed
    for (before, fixes, after), following in zip(rounds, [*rounds[1:], None], strict=True):
        assert _changed_only_within(before, after, [_span(before, edit) for fix in fixes for edit in fix.edits])
        assert following is None or following[0] == after


def _assert_local(original: str, findings: list[Diagnostic], fixed: str) -> None:
    """Each fix edits the statement of its finding (or adds an import), and the fixed source differs from
    the original only there, whatever the rounds."""
    allowed = []
    for finding in findings:
        for edit in finding.fix.edits if finding.fix is not None else ():
            span, statement = _span(original, edit), _statement_span(original, finding)
            addition = _adds_an_import(original, span, edit)
            assert addition or _within(span, statement), finding
            allowed.append(span if addition else statement)
    assert _changed_only_within(original, fixed, allowed)


def _recording(
    apply: Callable[[str, Iterable[Fix]], tuple[str, int]], rounds: list[tuple[str, list[Fix], str]]
) -> Callable[[str, Iterable[Fix]], tuple[str, int]]:
    """`apply_fixes`, noting each round's source, fixes and result."""

    def apply_and_record(source: str, fixes: Iterable[Fix]) -> tuple[str, int]:
        fixes = list(fixes)
        result = apply(source, fixes)
        rounds.append((source, fixes, result[0]))
        return result

    return apply_and_record


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


def _span(text: str, edit: Edit) -> Span:
    starts = _line_starts(text)
    return starts[edit.line - 1] + edit.column - 1, starts[edit.end_line - 1] + edit.end_column - 1


def _within(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] <= inner[1] <= outer[1]


def _adds_an_import(text: str, span: Span, edit: Edit) -> bool:
    """An insertion, at the start of a line, of import lines (and blank lines)."""
    at_line_start = span[0] == 0 or text[span[0] - 1] in "\r\n"
    return span[0] == span[1] and at_line_start and ADDED_IMPORT.fullmatch(edit.replacement) is not None


def _statement_span(text: str, finding: Diagnostic) -> Span:
    """The innermost statement of `text` that holds the finding's start, as offsets."""
    starts, lines = _line_starts(text), LINE_BREAK.split(text)
    position = starts[finding.line - 1] + finding.column - 1

    def offset(line: int, byte_column: int) -> int:  # ast counts UTF-8 bytes in a line
        return starts[line - 1] + len(lines[line - 1].encode()[:byte_column].decode())

    spans = [
        (offset(node.lineno, node.col_offset), offset(node.end_lineno or node.lineno, node.end_col_offset or 0))
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.stmt)
    ]
    return min((span for span in spans if span[0] <= position < span[1]), key=lambda span: span[1] - span[0])


def _changed_only_within(before: str, after: str, spans: Iterable[Span]) -> bool:
    """Whether `after` is `before` with only the text inside `spans` replaced: the pieces of `before` outside
    them appear in `after` in order, the first as its start and the last as its end."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if not merged:
        return before == after
    bounds = [0, *(offset for span in merged for offset in span), len(before)]
    kept = [before[bounds[index] : bounds[index + 1]] for index in range(0, len(bounds), 2)]
    first, *middle, last = kept
    if not (after.startswith(first) and after.endswith(last) and len(first) + len(last) <= len(after)):
        return False
    position, limit = len(first), len(after) - len(last)
    for piece in middle:  # the leftmost place of each piece leaves the most room for the next ones
        found = after.find(piece, position, limit)
        if found < 0:
            return False
        position = found + len(piece)
    return True
