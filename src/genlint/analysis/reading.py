"""Reading a file to lint: bytes → text (as the interpreter decodes it) → Python's own syntax tree, and what to
report when that fails. Light: a run whose results all come from the cache reads comments with it."""

from __future__ import annotations

import ast
import tokenize
import warnings
from typing import TYPE_CHECKING

from genlint import notebooks
from genlint.discovery import read_bytes

if TYPE_CHECKING:
    from genlint.analysis.model import SyntaxProblem


def read_source(path: str) -> str:
    """Read a Python file as the interpreter would: honour a coding cookie and a BOM.

    Raises OSError when the file cannot be read, and SyntaxError (with the line of the first bad byte)
    or ValueError (null bytes) when it is not source code. A Jupyter notebook gives the module its code cells
    make (see genlint.notebooks); one genlint cannot read raises a SyntaxError saying why.
    """
    if notebooks.is_notebook(path):
        return notebooks.load(path).source
    data = read_bytes(path)
    if b"\x00" in data:
        raise ValueError("source code contains null bytes")
    return decode_source(data)[0]


def decode_source(data: bytes) -> tuple[str, str]:
    """Source bytes → text (line endings untouched) and the encoding to write it back with (`utf-8-sig` keeps a
    byte order mark). Raises SyntaxError for a bad coding cookie or an undecodable byte, with its line."""
    lines = iter(data.splitlines(keepends=True)[:2])
    try:
        encoding, _ = tokenize.detect_encoding(lambda: next(lines, b""))
    except SyntaxError as error:
        if "invalid or missing encoding declaration" not in str(error):
            raise SyntaxError(str(error).replace(" for None", "")) from None
        encoding = "utf-8"  # the first lines are not UTF-8: decoding below finds the exact byte
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        message = f"byte 0x{byte:02x} is not valid {encoding} (declare the encoding or save the file as UTF-8)"
        raise SyntaxError(message, (None, line, column, None)) from None


def parse_tree(source: str, path: str) -> ast.Module:
    """Parse source with Python's own parser, keeping type comments as astroid does. Raises SyntaxError,
    ValueError, RecursionError or MemoryError. The parser's warnings about the code (`SyntaxWarning: invalid
    escape sequence`, `"is" with a literal`) are the user's business, not a linter's output: silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(source, filename=path, type_comments=True)
        except SyntaxError:
            # A misplaced `# type:` comment is an error only for the type-comment parser: Python runs the file.
            return ast.parse(source, filename=path)


def syntax_problem(error: BaseException) -> SyntaxProblem:
    from genlint.analysis.model import SyntaxProblem  # the model records load when a file is linted

    if isinstance(error, RecursionError):  # Python's parser, or astroid's tree builder (see above)
        return SyntaxProblem(f"the code is nested too deeply to be parsed ({error})", 1, 1)
    if isinstance(error, SyntaxError):
        message = error.msg or "invalid syntax"
        return SyntaxProblem(message, error.lineno or 1, max(error.offset or 1, 1))
    if isinstance(error, OSError):
        return SyntaxProblem(f"cannot read the file: {error.strerror or error}", 1, 1)
    if isinstance(error, UnicodeDecodeError):
        return SyntaxProblem(f"file is not valid text in its declared encoding ({error.reason})", 1, 1)
    return SyntaxProblem(str(error) or type(error).__name__, 1, 1)
