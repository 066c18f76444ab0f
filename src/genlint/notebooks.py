"""Jupyter notebooks: their code cells as one virtual Python module, and fixes of that module written back.

A notebook (nbformat 4) is linted as the module that its code cells make in cell order, as the kernel runs
them; markdown and raw cells are left out. Between two cells the module holds a boundary line (a `pass`
statement), so that a cell that does not parse alone (an unclosed bracket, a block header without a body)
is still a syntax error, and a fix that would reach across cells is caught when it is written back.

IPython syntax is masked line for line, so that numbering stays put: line magics (`%matplotlib inline`,
`%matplotlib notebook`), shell commands (`!pip install x`), help (`?obj`, `obj?`) become a comment, or `pass`
where a statement is needed (an indented magic in a loop body); `x = !ls` becomes `x = ...`; a continuation
line of a magic (`\\` at the end) is masked too. A timed statement keeps its Python, which the kernel runs:
`%time history = model.fit(…)` becomes `pass; history = model.fit(…)`, the same length, so that columns stay
put and a fix of the statement is written back behind `%time`. A line counts only where a new logical line starts, as in
IPython: a `%` inside brackets or a `!` inside a triple-quoted string is code. A cell magic masks its whole
cell (`%%bash`, `%%html`, `%%writefile`), except the magics that run their body as Python in the kernel
(`%%time`, `%%timeit`, `%%capture`, `%%prun`), which mask their first line only.

Cells are numbered from 1 among all cells, markdown ones included, as VS Code and JupyterLab's table of
contents number them (execution counts change with every run, so they name nothing); findings report the
line within the cell. A notebook whose kernel is not Python gives an empty module: nothing to lint.

A fix rewrites only the `source` of the cells it changes, in place in the file's text: outputs, metadata,
key order, indentation, escapes and everything else stay byte for byte, and the cell keeps its form (a list
of lines or one string). A fix that would change a masked line or cross a cell boundary is refused.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import difflib
import functools
import io
import json
import os
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from genlint.discovery import read_bytes

if TYPE_CHECKING:  # annotations only: reading a notebook needs no rule
    from genlint.rules.base import Diagnostic

NOTEBOOK_SUFFIX = ".ipynb"
SYNTAX_ERROR_CODE = "GEN001"
NBFORMAT = 4
# Cell magics whose body is Python run in the kernel's namespace: only their first line is masked.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
MASKED = "# masked magic"
TIMED_PREFIX = "pass;"
COMPOUND_STATEMENTS = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
)
BOUNDARY = "pass  # \N{MATHEMATICAL LEFT DOUBLE ANGLE BRACKET}end of cell\N{MATHEMATICAL RIGHT DOUBLE ANGLE BRACKET}"

LINE_BREAK = re.compile(r"\r\n|\r|\n")
ESCAPED = re.compile(r"[ \t]*[%!?]")  # `%magic`, `!command`, `?help`
HELP_AFTER = re.compile(r"[ \t]*[\w.*]+\?\??[ \t]*")  # `obj?`, `obj.attr??`, `*Error?`
ASSIGNED = re.compile(r"(?P<target>[ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*)[ \t]*=[ \t]*[%!]")
CELL_MAGIC = re.compile(r"[ \t]*%%(?P<name>\w*)")
# `%time stmt` / `%timeit stmt` (no options): the kernel runs one simple statement; `pass;` plus spaces fills the
# magic's place, so the statement keeps its columns.
TIMED = re.compile(r"(?P<indent>[ \t]*)(?P<magic>%time(?:it)?[ \t]+)(?P<statement>[^-\s].*)")
# A message names places in the virtual module: `line 7`, `lines 7–9`, `notebook.ipynb:7`.
LINE_MENTION = re.compile(r"\b(?P<word>lines?) (?P<first>\d+)(?:\N{EN DASH}(?P<last>\d+))?")
WHITESPACE = re.compile(r"[ \t\n\r]*")
NON_ASCII_ESCAPE = re.compile(r"\\u(?!00[0-7])[0-9a-fA-F]{4}")
DECODER = json.JSONDecoder()


class NotebookError(SyntaxError):
    """The file is no notebook that genlint can read: broken JSON, not UTF-8, or not nbformat 4. A
    SyntaxError, so that it is reported as GEN001, at the place in the file when there is one."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message, (None, line, column, None))


class FixRefused(ValueError):
    """A fixed module that cannot be written back into the cells (the reason says why)."""


@dataclass(frozen=True)
class CodeCell:
    """One code cell: its text as written, and its lines in the virtual module (masked, each with its line
    break; the last one gets a newline when the cell has none)."""

    number: int  # 1-based among all cells
    index: int  # 0-based position in the notebook's `cells`
    text: str
    lines: tuple[str, ...]
    masked: frozenset[int]  # 0-based lines that hold IPython syntax
    first_line: int  # its first line in the virtual module


@dataclass(frozen=True)
class Notebook:
    text: str  # the file's text, without a byte order mark
    cells: tuple[CodeCell, ...]
    source: str  # the virtual module

    def locate(self, line: int) -> tuple[int, int] | None:
        """(cell number, line in the cell) of a line of the virtual module; a boundary line belongs to the end
        of the cell before it. None when there are no code cells."""
        if not self.cells:
            return None
        position = max(bisect.bisect_right([cell.first_line for cell in self.cells], line) - 1, 0)
        cell = self.cells[position]
        return cell.number, min(max(line - cell.first_line + 1, 1), max(len(cell.lines), 1))

    def between_cells(self, line: int) -> bool:
        """Whether a line of the virtual module is a boundary line, which no cell holds."""
        return not any(cell.first_line <= line < cell.first_line + len(cell.lines) for cell in self.cells)

    def cell_lines(self, number: int) -> list[str] | None:
        """The lines of cell `number` as written, without line breaks."""
        cell = next((cell for cell in self.cells if cell.number == number), None)
        return LINE_BREAK.split(cell.text) if cell is not None else None

    def write_back(self, fixed_source: str) -> str:
        """The file's text with the cells that `fixed_source` (the virtual module, fixed) changes. Raises
        FixRefused when a fix crossed a cell boundary or changed a masked line."""
        pieces = _cell_pieces(fixed_source, len(self.cells))
        replacements: dict[int, str] = {}
        for cell, piece in zip(self.cells, pieces, strict=True):
            if tuple(piece) != cell.lines:
                replacements[cell.index] = _unmasked(cell, piece)
        text = _replace_sources(self.text, replacements) if replacements else self.text
        try:
            check = parse(text)  # the new file must read back as the intended cells
        except NotebookError as error:
            raise FixRefused(f"the fixed notebook would not read back ({error.msg})") from None
        if [cell.text for cell in check.cells] != [replacements.get(cell.index, cell.text) for cell in self.cells]:
            raise FixRefused("the fixed cells would not read back as written")
        return text


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


def load(path: str) -> Notebook:
    """Read a notebook file. Raises OSError, or NotebookError when it is not a notebook genlint can read.

    The last few notebooks read are kept: a run reads a notebook to lint it, then to place its findings in
    cells and to show their lines."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise NotebookError(f"notebook is not valid UTF-8 (byte 0x{data[error.start]:02x})", line, column) from None
    return _parsed(text)


def parse(text: str) -> Notebook:
    """A notebook from the file's text. Raises NotebookError."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"notebook is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise NotebookError(message, error.lineno, error.colno) from None
    except RecursionError:
        raise NotebookError("notebook is not valid JSON: nested too deeply") from None
    cells = _cells_of(document)
    return _virtual(text, cells if _is_python(document) else [])


_parsed = functools.lru_cache(maxsize=4)(parse)


def _cells_of(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        raise NotebookError("not a notebook: the JSON document is not an object")
    version = document.get("nbformat")
    if version != NBFORMAT:
        shown = "missing" if version is None else json.dumps(version)
        raise NotebookError(f"unknown notebook format: nbformat {shown} (genlint reads nbformat 4)")
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: it has no `cells` list")
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError(f"not a notebook: cell {number} has no `cell_type`")
        source = _source_text(cell.get("source")) if cell["cell_type"] == "code" else ""
        if source is None:
            raise NotebookError(f"not a notebook: the source of cell {number} is not text")
        if "\0" in source:
            raise NotebookError(f"cell {number} holds a null character, which Python refuses in source code")
    return cells


def _is_python(document: dict[str, Any]) -> bool:
    """False for a notebook whose kernel runs another language (R, Julia, Scala)."""
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return True
    names = [
        part.get(key)
        for part, key in ((metadata.get("kernelspec"), "language"), (metadata.get("language_info"), "name"))
        if isinstance(part, dict)
    ]
    return all(not isinstance(name, str) or name.lower().startswith(("python", "ipython")) for name in names)


def _source_text(source: Any) -> str | None:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None


def _virtual(text: str, cells: list[Any]) -> Notebook:
    code_cells: list[CodeCell] = []
    module: list[str] = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code" or not _python_cell(cell):
            continue
        if code_cells:
            module.append(BOUNDARY + "\n")
        cell_text = _source_text(cell.get("source")) or ""
        lines, masked = mask(cell_text)
        if lines and not LINE_BREAK.search(lines[-1]):
            lines[-1] += "\n"
        code_cells.append(CodeCell(index + 1, index, cell_text, tuple(lines), masked, len(module) + 1))
        module += lines
    return Notebook(text, tuple(code_cells), "".join(module))


def _python_cell(cell: dict[str, Any]) -> bool:
    """False for a cell that VS Code marks as another language (`%%sql` cells in a Python notebook)."""
    metadata = cell.get("metadata")
    vscode = metadata.get("vscode") if isinstance(metadata, dict) else None
    language = vscode.get("languageId") if isinstance(vscode, dict) else None
    return not isinstance(language, str) or language == "python"


# Masking IPython syntax


def split_lines(text: str) -> list[str]:
    """Lines with their line breaks, split where Python splits them (not at form feeds, as str.splitlines)."""
    lines, start = [], 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def mask(text: str) -> tuple[list[str], frozenset[int]]:
    """A cell's lines with IPython syntax masked, and the (0-based) lines masked."""
    lines = split_lines(text)
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    magic = CELL_MAGIC.match(lines[first]) if first is not None else None
    header: set[int] = set()
    if first is not None and magic is not None:
        if magic["name"] not in PYTHON_CELL_MAGICS:  # the body is not Python: the whole cell goes
            hidden = {number for number, line in enumerate(lines) if line.strip()}
            return [_comment(line) if number in hidden else line for number, line in enumerate(lines)], frozenset(
                hidden
            )
        header = {first}
        lines[first] = _comment(lines[first])
    masked = list(lines)
    candidates = _magic_lines(lines)
    for start, spanned in candidates.items():
        for number in spanned:
            masked[number] = _masked_line(lines[number]) if number == start else _comment(lines[number])
    starts, reached = _logical_starts("".join(masked)) if candidates else (set(), -1)
    kept = set(header)
    for start, spanned in candidates.items():
        if start in starts or start > reached:
            kept.update(spanned)
        else:  # code after all: inside brackets, a string, or a backslash continuation
            for number in spanned:
                masked[number] = lines[number]
    return masked, frozenset(kept)


def _magic_lines(lines: list[str]) -> dict[int, list[int]]:
    """Lines that look like IPython syntax → the lines each one spans (a `\\` at the end continues it)."""
    found: dict[int, list[int]] = {}
    number = 0
    while number < len(lines):
        content = LINE_BREAK.sub("", lines[number])
        if ESCAPED.match(content) or HELP_AFTER.fullmatch(content) or ASSIGNED.match(content):
            spanned = [number]
            while content.rstrip().endswith("\\") and spanned[-1] + 1 < len(lines):
                spanned.append(spanned[-1] + 1)
                content = LINE_BREAK.sub("", lines[spanned[-1]])
            found[number] = spanned
            number = spanned[-1]
        number += 1
    return found


def _masked_line(line: str) -> str:
    content = LINE_BREAK.sub("", line)
    ending = line[len(content) :]
    timed = _timed_statement(content)
    if timed is not None:
        return timed + ending
    assigned = ASSIGNED.match(content)
    if assigned is not None:  # `x = !ls`: x is still bound, to something unknown
        return f"{assigned['target']} = ...  {MASKED}{ending}"
    indent = content[: len(content) - len(content.lstrip())]
    return f"{indent}pass  {MASKED}{ending}" if indent else MASKED + ending


def _timed_statement(content: str) -> str | None:
    """`%time x = f()` → `pass; x = f()`; None unless the magic times one simple statement."""
    timed = TIMED.fullmatch(content)
    if timed is None or timed["statement"].rstrip().endswith("\\"):
        return None
    try:
        body = ast.parse(timed["statement"]).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(body) != 1 or isinstance(body[0], COMPOUND_STATEMENTS):  # `pass; for …` would not parse
        return None
    return timed["indent"] + TIMED_PREFIX.ljust(len(timed["magic"])) + timed["statement"]


def _timed_magic(line: str, fixed: str) -> str | None:
    """The fixed line of a timed statement given back its magic: `pass; fit(…)` → `%time fit(…)`."""
    timed = TIMED.fullmatch(LINE_BREAK.sub("", line))
    if timed is None:
        return None
    place = len(timed["indent"]) + len(timed["magic"])
    if not fixed.startswith(timed["indent"] + TIMED_PREFIX.ljust(len(timed["magic"]))):
        return None
    return line[:place] + fixed[place:]


def _comment(line: str) -> str:
    content = LINE_BREAK.sub("", line)
    return MASKED + line[len(content) :]


def _logical_starts(text: str) -> tuple[set[int], int]:
    """The (0-based) lines where a logical line starts, and the last line the tokenizer reached (it stops at
    the first error; what follows is taken as it looks)."""
    starts: set[int] = set()
    depth, previous, reached = 0, tokenize.NEWLINE, -1
    opening, closing = "([{", ")]}"
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            row = token.start[0] - 1
            if row > reached:
                if depth == 0 and previous in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
                    starts.add(row)
                reached = row
            if token.type == tokenize.OP:
                depth += (token.string in opening) - (token.string in closing)
            if token.type not in (tokenize.INDENT, tokenize.DEDENT):
                previous = token.type
    except (tokenize.TokenError, SyntaxError):
        pass
    return starts, reached


# Mapping findings to cells


def in_cells(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics, with those in notebooks moved from the virtual module to their cells."""
    notebooks: dict[str, Notebook | None] = {}
    placed = []
    for diagnostic in diagnostics:
        if diagnostic.path and is_notebook(diagnostic.path) and not diagnostic.cell:
            if diagnostic.path not in notebooks:
                notebooks[diagnostic.path] = _readable(os.path.abspath(diagnostic.path))
            notebook = notebooks[diagnostic.path]
            if notebook is not None:
                diagnostic = relocated(diagnostic, notebook)
        placed.append(diagnostic)
    return placed


def relocated(diagnostic: Diagnostic, notebook: Notebook) -> Diagnostic:
    """A diagnostic of the virtual module placed in its cell, with the lines its message names too."""
    start = notebook.locate(diagnostic.line)
    if start is None:
        return diagnostic
    column, message = diagnostic.column, diagnostic.message
    if notebook.between_cells(diagnostic.line):  # met at the boundary: the cell ended inside a statement
        column = _line_length(notebook, *start) + 1
        if diagnostic.code == SYNTAX_ERROR_CODE:
            message = message.replace("invalid syntax", "invalid syntax: the cell ends inside a statement", 1)
    end = notebook.locate(diagnostic.end_line or diagnostic.line) or start
    end_line, end_column = end[1], diagnostic.end_column
    if end[0] != start[0] or end_line < start[1] or (end_line == start[1] and end_column < column):
        end_line, end_column = start[1], max(_line_length(notebook, *start) + 1, column)  # up to its line's end
    rename = functools.partial(_relocated_mentions, notebook, start[0], os.path.basename(diagnostic.path))
    return dataclasses.replace(
        diagnostic,
        cell=start[0],
        line=start[1],
        column=column,
        end_line=end_line,
        end_column=end_column,
        message=rename(message),
        help=rename(diagnostic.help),
    )


def _line_length(notebook: Notebook, cell: int, line: int) -> int:
    lines = notebook.cell_lines(cell) or []
    return len(lines[line - 1]) if 1 <= line <= len(lines) else 0


def _relocated_mentions(notebook: Notebook, cell: int, name: str, text: str) -> str:
    def place(line: int) -> tuple[int, int]:
        return notebook.locate(line) or (cell, line)

    def mention(match: re.Match[str]) -> str:
        first = place(int(match["first"]))
        last = place(int(match["last"])) if match["last"] else first
        if first[0] == last[0] == cell:
            return f"{match['word']} {first[1]}" + (f"\N{EN DASH}{last[1]}" if match["last"] else "")
        if first == last:
            return f"cell {first[0]}, line {first[1]}"
        return f"cell {first[0]}, line {first[1]} \N{EN DASH} cell {last[0]}, line {last[1]}"

    def located(match: re.Match[str]) -> str:
        where = place(int(match[1]))
        return f"{name}:cell {where[0]}:line {where[1]}"

    text = re.sub(rf"\b{re.escape(name)}:(\d+)\b", located, text)
    return LINE_MENTION.sub(mention, text)


def cell_lines(path: str, number: int) -> list[str] | None:
    """The lines of cell `number` of the notebook at `path` as written; None when it cannot be read."""
    notebook = _readable(os.path.abspath(path))
    return notebook.cell_lines(number) if notebook is not None else None


def _readable(path: str) -> Notebook | None:
    try:
        return load(path)
    except (OSError, SyntaxError, ValueError):
        return None


# Writing fixes back


def _cell_pieces(fixed_source: str, count: int) -> list[list[str]]:
    """The fixed module cut at the boundary lines into the lines of each cell."""
    pieces: list[list[str]] = [[]]
    for line in split_lines(fixed_source):
        if LINE_BREAK.sub("", line) == BOUNDARY:
            pieces.append([])
        else:
            pieces[-1].append(line)
    if len(pieces) != count or (count == 0 and fixed_source):
        raise FixRefused("a fix would cross a cell boundary")
    return pieces


def _unmasked(cell: CodeCell, piece: list[str]) -> str:
    """The cell's new text: the fixed lines, with the masked lines given back their IPython syntax."""
    original = split_lines(cell.text)
    added_newline = bool(original) and LINE_BREAK.search(original[-1]) is None
    if added_newline:  # as in the virtual module, where each cell ends with a line break
        original[-1] += "\n"
    new: list[str] = []
    matcher = difflib.SequenceMatcher(None, cell.lines, piece, autojunk=False)
    for tag, first, last, fixed_first, fixed_last in matcher.get_opcodes():
        if tag == "equal":
            new += original[first:last]
            continue
        if any(number in cell.masked for number in range(first, last)):
            new += _restored(cell, original, piece, (tag, first, last, fixed_first, fixed_last))
            continue
        new += piece[fixed_first:fixed_last]
    text = "".join(new)
    return text[:-1] if added_newline and text.endswith("\n") else text


def _restored(
    cell: CodeCell, original: list[str], piece: list[str], opcode: tuple[str, int, int, int, int]
) -> list[str]:
    """Fixed lines that include masked ones: a timed statement's line gets its magic back (`%time fit(…)`);
    a fix that changes any other masked line, or adds or removes lines there, is refused."""
    tag, first, last, fixed_first, fixed_last = opcode
    refused = FixRefused(f"a fix would change a masked IPython line in cell {cell.number}")
    if tag != "replace" or last - first != fixed_last - fixed_first:
        raise refused
    lines = []
    for number, fixed in zip(range(first, last), piece[fixed_first:fixed_last], strict=True):
        line = _timed_magic(original[number], fixed) if number in cell.masked else fixed
        if line is None:
            raise refused
        lines.append(line)
    return lines


def _replace_sources(text: str, replacements: dict[int, str]) -> str:
    """`text` with the `source` of the cells at the given indexes replaced, formatted as the old one was."""
    ensure_ascii = text.isascii() and NON_ASCII_ESCAPE.search(text) is not None
    edits = []
    for index, (start, end, key_indent) in _source_spans(text).items():
        if index in replacements:
            written = _written_source(replacements[index], text[start:end], key_indent, text, ensure_ascii)
            edits.append((start, end, written))
    for start, end, written in sorted(edits, reverse=True):
        text = text[:start] + written + text[end:]
    return text


def _written_source(source: str, old: str, key_indent: str, text: str, ensure_ascii: bool) -> str:
    """The JSON for a new `source`: one string, or a list of lines laid out as the old list was."""
    if old.startswith('"'):
        return json.dumps(source, ensure_ascii=ensure_ascii)
    items = [json.dumps(line, ensure_ascii=ensure_ascii) for line in source.splitlines(keepends=True)]
    if not items:
        return "[]"
    inner = old[1:-1]
    if inner.strip():
        before = inner[: _skip(inner, 0)]
        after = inner[len(inner.rstrip(" \t\n\r")) :]
        _, first_end = DECODER.raw_decode(inner, len(before))
        comma = re.match(r"[ \t\n\r]*,([ \t\n\r]*)", inner[first_end:])
        separator = "," + (comma.group(1) if comma is not None else before if "\n" in before else " ")
    else:  # `[]` before: lay the lines out one level below the key, as the file indents
        unit = _indent_unit(text)
        if unit is None:
            before, after, separator = "", "", ", "
        else:
            newline = "\r\n" if "\r\n" in text else "\n"
            before, after = newline + key_indent + unit, newline + key_indent
            separator = "," + before
    return "[" + before + separator.join(items) + after + "]"


def _indent_unit(text: str) -> str | None:
    """The file's indentation step (nbformat writes one space), or None for JSON on one line."""
    match = re.match(r"\s*\{[ \t]*\r?\n([ \t]+)\"", text)
    return match.group(1) if match is not None else None


def _source_spans(text: str) -> dict[int, tuple[int, int, str]]:
    """For each cell (by index): where its `source` value starts and ends in the text, and the indentation of
    its `source` key. The text is known to be valid JSON."""
    spans: dict[int, tuple[int, int, str]] = {}
    for key, _, start, _ in _members(text, WHITESPACE.match(text).end()):  # type: ignore[union-attr]
        if key != "cells":
            continue
        spans.clear()  # a repeated key: the last one counts, as for json.loads
        for index, cell_start in enumerate(_elements(text, start)):
            for cell_key, key_start, value_start, value_end in _members(text, cell_start):
                if cell_key == "source":
                    line_start = text.rfind("\n", 0, key_start) + 1
                    indent = text[line_start:key_start]
                    spans[index] = (value_start, value_end, indent if not indent.strip() else "")
    return spans


def _members(text: str, index: int) -> Iterator[tuple[str, int, int, int]]:
    """(key, key start, value start, value end) of each member of the object that starts at `index`."""
    index = _skip(text, index + 1)  # past `{`
    while text[index] != "}":
        key_start = index
        key, index = DECODER.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)  # past `:`
        _, end = DECODER.raw_decode(text, index)
        yield key, key_start, index, end
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)


def _elements(text: str, index: int) -> Iterator[int]:
    """Where each element of the array that starts at `index` starts."""
    index = _skip(text, index + 1)  # past `[`
    while text[index] != "]":
        yield index
        _, end = DECODER.raw_decode(text, index)
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)


def _skip(text: str, index: int) -> int:
    match = WHITESPACE.match(text, index)
    return match.end() if match is not None else index


def notebook_diff(path: str, original: str, fixed: str) -> str:
    """A unified diff of each code cell that changed, headed `a/notebook.ipynb:cell 4`."""
    try:
        before, after = parse(original), parse(fixed)
    except NotebookError:
        return ""
    pieces = []
    for old, new in zip(before.cells, after.cells, strict=False):
        if old.text == new.text:
            continue
        lines = difflib.unified_diff(
            split_lines(old.text),
            split_lines(new.text),
            fromfile=f"a/{path}:cell {old.number}",
            tofile=f"b/{path}:cell {new.number}",
        )
        pieces.append(
            "".join(
                line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of cell\n" for line in lines
            )
        )
    return "".join(pieces)
