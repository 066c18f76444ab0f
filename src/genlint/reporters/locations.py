"""Where a finding is, as the reporters show it: its source line, and its path from the repository root."""

from __future__ import annotations

import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from genlint.notebooks import cell_lines
from genlint.rules.base import Diagnostic


def source_lines(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    """The file's lines as Python numbers them: decoded by its coding cookie, split at line breaks only."""
    if path not in cache:
        text: str | None
        try:
            with tokenize.open(path) as handle:
                text = handle.read()
        except (SyntaxError, UnicodeDecodeError):  # no valid cookie: show what can be shown
            text = _read_replacing(path)
        except OSError:
            text = None
        # Not str.splitlines(): it also splits at form feeds and other characters Python does not count.
        cache[path] = text.split("\n") if text is not None else None
    return cache[path]


def finding_lines(diagnostic: Diagnostic, cache: dict[str, list[str] | None]) -> list[str] | None:
    """The lines that the finding's line numbers count: its file's, or in a notebook its cell's."""
    if not diagnostic.cell:
        return source_lines(diagnostic.path, cache)
    key = f"{diagnostic.path}\0cell {diagnostic.cell}"
    if key not in cache:
        cache[key] = cell_lines(diagnostic.path, diagnostic.cell)
    return cache[key]


def place(diagnostic: Diagnostic) -> str:
    """`train.py:12:5`, or in a notebook `analysis.ipynb:cell 4:3:5` (the line within the cell)."""
    cell = f"cell {diagnostic.cell}:" if diagnostic.cell else ""
    return f"{diagnostic.path}:{cell}{diagnostic.line}:{diagnostic.column}"


def _read_replacing(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def span_end(diagnostic: Diagnostic) -> tuple[int, int]:
    """Where the finding's span ends (line, column just after it), never before where it starts."""
    end_line = max(diagnostic.end_line, diagnostic.line)
    if end_line > diagnostic.line:
        return end_line, diagnostic.end_column
    return end_line, max(diagnostic.end_column, diagnostic.column)


def repository_root(start: str | None = None) -> Path:
    """The top folder of the git work tree that holds `start` (default: the working folder), or `start`
    itself outside git. A `.git` file counts too: worktrees and submodules have one instead of a folder."""
    folder = Path(os.path.abspath(start if start is not None else os.getcwd()))
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


@dataclass
class RepositoryPaths:
    """Paths relative to one repository root, as CI services (GitHub code scanning, annotations) want them."""

    root: Path = field(default_factory=repository_root)

    def relative(self, path: str) -> str | None:
        """`src/train.py` (forward slashes on every system), or None for a file outside the root."""
        absolute = Path(os.path.abspath(path))
        if not absolute.is_relative_to(self.root):
            return None
        return absolute.relative_to(self.root).as_posix()

    def uri(self, path: str) -> tuple[str, bool]:
        """The path as a URI reference and whether it is relative to the root; outside it, a `file:` URI."""
        relative = self.relative(path)
        if relative is not None:
            return _percent_encoded(relative), True
        return _percent_encoded(Path(os.path.abspath(path)).as_posix(), prefix="file://"), False

    def root_uri(self) -> str:
        """The root as an absolute `file:` URI ending in a slash, as SARIF's originalUriBaseIds needs it."""
        return _percent_encoded(self.root.as_posix().rstrip("/") + "/", prefix="file://")


def _percent_encoded(path: str, prefix: str = "") -> str:
    # A space, `#`, `%` or a non-ASCII letter would make an invalid URI. A file name with undecodable
    # bytes arrives holding surrogate escapes; surrogateescape gives those original bytes back.
    if not prefix:  # a relative reference: a `:` in its first segment would read as a URI scheme
        return quote(path, safe="/", errors="surrogateescape")
    if not path.startswith("/"):
        path = "/" + path  # a Windows drive path: file:///C:/...
    return prefix + quote(path, safe="/:", errors="surrogateescape")
