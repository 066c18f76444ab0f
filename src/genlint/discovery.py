"""Paths on the command line → the Python files and notebooks to lint, honouring .gitignore files and excludes."""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
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
PYTHON_SUFFIXES = (".py", ".ipynb")  # .ipynb: Jupyter notebooks, linted by their code cells


@dataclass(frozen=True)
class ExcludePatterns:
    """Gitignore-style patterns that skip files and folders below a walked folder, and where they are read from:
    `folder`, the folder of the configuration file that gives them, or, when it is empty (the command line),
    the walked folder and the working folder."""

    patterns: tuple[str, ...]
    folder: str = ""


# The folders skipped at any depth whatever the settings say; `exclude` and `extend-exclude` add to them.
# (A virtual environment, a folder with `pyvenv.cfg`, is skipped too: it is never user code.)
DEFAULT_EXCLUDE = ExcludePatterns((*(f"{name}/" for name in sorted(SKIPPED_FOLDERS)), "*.egg-info/"))


class MissingPathError(Exception):
    """A path given on the command line does not exist."""


@dataclass
class _IgnoreFiles:
    """The .gitignore files that apply below a repository root, parsed once each."""

    specs: dict[Path, pathspec.PathSpec | None] = field(default_factory=dict)
    # Per folder and top: the .gitignore files that judge its entries, nearest first, each with the prefix that
    # makes an entry's name relative to it. Worked out once per folder: pathlib is slow on every file of a tree.
    chains: dict[tuple[Path, Path], list[tuple[pathspec.PathSpec, str]]] = field(default_factory=dict)

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
        """Whether the .gitignore files from `top` down to `path`'s folder ignore it.

        As in git, the nearest .gitignore with a matching pattern decides, so a nested `!pattern` can
        re-include a file that a .gitignore higher up ignores.
        """
        suffix = "/" if is_folder else ""
        for spec, prefix in self._chain(path.parent, top):
            decision = spec.check_file(prefix + path.name + suffix).include
            if decision is not None:
                return decision
        return False

    def _chain(self, start: Path, top: Path) -> list[tuple[pathspec.PathSpec, str]]:
        if (start, top) not in self.chains:
            chain = []
            for folder in (start, *start.parents):
                spec = self.spec(folder)
                if spec is not None:
                    relative = start.relative_to(folder).as_posix()
                    chain.append((spec, "" if relative == "." else relative + "/"))
                if folder == top:
                    break
            self.chains[start, top] = chain
        return self.chains[start, top]


@functools.lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(list(patterns))


@functools.lru_cache(maxsize=256)
def _command_line_anchors(patterns: tuple[str, ...], root: Path, working_folder: Path) -> tuple[Path, ...]:
    """Command-line patterns are read from the walked folder and from the working folder, so that
    `genlint src --exclude src/legacy` and `genlint src --exclude legacy` agree. The working folder is no anchor
    when the patterns exclude `root` itself from there: a folder named on the command line is walked, like a
    file named there is linted."""
    if root == working_folder or not root.is_relative_to(working_folder):
        return (root,)
    if _spec(patterns).match_file(root.relative_to(working_folder).as_posix() + "/"):
        return (root,)
    return (root, working_folder)


@dataclass(frozen=True)
class _Excludes:
    """Exclude patterns during the walk from `root`. As in .gitignore, a pattern without a slash matches at any
    depth, an anchored one (`/train.py`) only at the top of the folder it is read from.

    Which patterns apply to a file or folder is asked of its parent folder, so that a configuration file below
    the walked folder decides what is excluded below it.
    """

    root: Path
    patterns_for: Callable[[Path], Sequence[ExcludePatterns]]
    # Per folder: what `_judges` gives, worked out once per folder (pathlib is slow on every file of a tree).
    folders: dict[Path, list[tuple[pathspec.PathSpec, str, str]]] = field(default_factory=dict, compare=False)

    def match(self, path: Path, is_folder: bool) -> bool:
        suffix = "/" if is_folder else ""
        for spec, prefix, anchor_name in self._judges(path.parent):
            if anchor_name and path.name != anchor_name:
                continue
            if spec.match_file(("." if anchor_name else prefix + path.name) + suffix):
                return True
        return False

    def _judges(self, folder: Path) -> list[tuple[pathspec.PathSpec, str, str]]:
        """For each pattern group that applies in `folder` and each folder its patterns are read from (anchor):
        the spec, and how an entry of `folder` is named from the anchor: `prefix + name` when `folder` is at or
        below the anchor; "." for the one entry that is the anchor itself (then its name is given)."""
        if folder not in self.folders:
            judges = []
            for group in self.patterns_for(folder):
                if not group.patterns:
                    continue
                if group.folder:
                    anchors: tuple[Path, ...] = (Path(group.folder),)
                else:
                    anchors = _command_line_anchors(group.patterns, self.root, Path.cwd())
                spec = _spec(group.patterns)
                for anchor in anchors:
                    if folder.is_relative_to(anchor):
                        relative = folder.relative_to(anchor).as_posix()
                        judges.append((spec, "" if relative == "." else relative + "/", ""))
                    elif anchor.parent == folder:
                        judges.append((spec, "", anchor.name))
            self.folders[folder] = judges
        return self.folders[folder]


def _repository_top(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `.git`; `start` itself when there is none."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _is_regular(file: Path) -> bool:
    """False for a named pipe, socket or device, which would block or never end when read.

    A dangling symlink counts as regular: it is linted, and reported as a file that cannot be read.
    """
    try:
        return stat.S_ISREG(file.stat().st_mode)
    except OSError:
        return True


def read_bytes(path: str) -> bytes:
    """The bytes of a file to lint. Raises OSError, also for a named pipe, socket or device named on the
    command line: reading one would wait for a writer for ever, or never end."""
    # Opening a named pipe without O_NONBLOCK already waits for a writer; O_BINARY: no newline translation.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, named pipe, socket or device)", path)
        return handle.read()


def _is_virtual_environment(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def discover(
    paths: Iterable[str],
    excludes: Iterable[str] = (),
    exclude_for: Callable[[Path], Sequence[ExcludePatterns]] | None = None,
) -> list[Path]:
    """Files to lint, sorted and without duplicates.

    Files named on the command line are always linted. Folders named there are always walked; the skipped
    folders, .gitignore files and exclude patterns apply to what is below them. `exclude_for(folder)` gives the
    patterns that apply in a folder (the configuration's); without it, the default skipped folders and
    `excludes` (command-line patterns) apply everywhere.
    """
    if exclude_for is None:
        exclude_for = functools.partial(_same_everywhere, (DEFAULT_EXCLUDE, ExcludePatterns(tuple(excludes))))
    ignore_files = _IgnoreFiles()
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise MissingPathError(f"{raw}: no such file or directory")
        absolute = Path(os.path.abspath(path))  # abspath also folds `..`, so one file is not linted twice
        if path.is_dir():
            for file in _walk(absolute, _Excludes(absolute, exclude_for), ignore_files):
                found.setdefault(file, None)
        else:
            found.setdefault(absolute, None)
    return sorted(found)


def _same_everywhere(patterns: Sequence[ExcludePatterns], folder: Path) -> Sequence[ExcludePatterns]:
    return patterns


def _walk(root: Path, excludes: _Excludes, ignore_files: _IgnoreFiles) -> Iterator[Path]:
    top = _repository_top(root)
    if top != root and ignore_files.ignored(root, True, top):
        # Named on the command line, though a .gitignore above ignores it: only its own .gitignore files count.
        top = root
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        kept = []
        for name in sorted(subfolders):
            child = here / name
            if _is_virtual_environment(child) or excludes.match(child, True) or ignore_files.ignored(child, True, top):
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            if not name.endswith(PYTHON_SUFFIXES):
                continue
            file = here / name
            if not _is_regular(file) or excludes.match(file, False) or ignore_files.ignored(file, False, top):
                continue
            yield file
