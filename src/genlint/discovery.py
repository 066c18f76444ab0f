"""Paths on the command line → the Python files to lint, honouring .gitignore files and excludes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "site-packages",
        "dist-packages",
        "build",
        "dist",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "node_modules",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".genlint_cache",
        ".ipynb_checkpoints",
    }
)
PYTHON_SUFFIXES = (".py",)


class MissingPathError(Exception):
    """A path given on the command line does not exist."""


@dataclass
class _IgnoreFiles:
    """The .gitignore files that apply below a repository root, parsed once each."""

    specs: dict[Path, pathspec.PathSpec | None] = field(default_factory=dict)

    def spec(self, folder: Path) -> pathspec.PathSpec | None:
        if folder not in self.specs:
            ignore_file = folder / ".gitignore"
            try:
                lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self.specs[folder] = None
            else:
                self.specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
        return self.specs[folder]

    def ignored(self, path: Path, is_folder: bool, top: Path) -> bool:
        """Whether a .gitignore in `path`'s parents, from `top` down, ignores it."""
        for folder in (path.parent, *path.parent.parents):
            spec = self.spec(folder)
            if spec is not None:
                relative = path.relative_to(folder).as_posix() + ("/" if is_folder else "")
                if spec.match_file(relative):
                    return True
            if folder == top:
                break
        return False


def _repository_top(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `.git`; `start` itself when there is none."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _is_virtual_environment(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def discover(paths: Iterable[str], excludes: Iterable[str] = ()) -> list[Path]:
    """Files to lint, sorted and without duplicates. Files named on the command line are always linted."""
    exclude_spec = pathspec.GitIgnoreSpec.from_lines(list(excludes))
    ignore_files = _IgnoreFiles()
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise MissingPathError(f"{raw}: no such file or directory")
        if path.is_dir():
            for file in _walk(path.absolute(), exclude_spec, ignore_files):
                found.setdefault(file, None)
        else:
            found.setdefault(path.absolute(), None)
    return sorted(found)


def _walk(root: Path, exclude_spec: pathspec.PathSpec, ignore_files: _IgnoreFiles) -> Iterator[Path]:
    top = _repository_top(root)
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        kept = []
        for name in sorted(subfolders):
            child = here / name
            if name in SKIPPED_FOLDERS or name.endswith(".egg-info") or _is_virtual_environment(child):
                continue
            if _excluded(child, root, exclude_spec, True) or ignore_files.ignored(child, True, top):
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            file = here / name
            if _excluded(file, root, exclude_spec, False) or ignore_files.ignored(file, False, top):
                continue
            yield file


def _excluded(path: Path, root: Path, spec: pathspec.PathSpec, is_folder: bool) -> bool:
    suffix = "/" if is_folder else ""
    relative = path.relative_to(root).as_posix() + suffix
    return spec.match_file(relative) or spec.match_file(path.name + suffix)
