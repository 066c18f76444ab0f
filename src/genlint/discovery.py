"""Paths on the command line → the Python files and notebooks to lint, honouring .gitignore files and excludes."""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

# The folders skipped at any depth whatever the settings say, judged by their name; so are `*.egg-info` folders,
# and virtual environments (folders with `pyvenv.cfg`): they are never user code. `exclude` and `extend-exclude`
# add gitignore-style patterns to them.
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
SKIPPED_FOLDER_SUFFIX = ".egg-info"
PYTHON_SUFFIXES = (".py", ".ipynb")  # .ipynb: Jupyter notebooks, linted by their code cells


@dataclass(frozen=True)
class ExcludePatterns:
    """Gitignore-style patterns that skip files and folders below a walked folder, and where they are read from:
    `folder`, the folder of the configuration file that gives them, or, when it is empty (the command line),
    the walked folder and the working folder."""

    patterns: tuple[str, ...]
    folder: str = ""


class MissingPathError(Exception):
    """A path given on the command line does not exist."""


@functools.lru_cache(maxsize=256)
def gitignore_spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    """The matcher of gitignore-style `patterns`, built once per tuple of patterns.

    pathspec is imported here, when first needed: a walk where no pattern and no .gitignore file applies, the
    common case, does without it.
    """
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(list(patterns))


# Per folder of the walk, the .gitignore files that judge its entries, nearest first, each with the prefix that
# makes an entry's name relative to the folder of the .gitignore.
_IgnoreChain = list[tuple["pathspec.PathSpec", str]]


@dataclass
class _IgnoreFiles:
    """The .gitignore files that apply below a repository root, parsed once each."""

    specs: dict[Path, pathspec.PathSpec | None] = field(default_factory=dict)

    def spec(self, folder: Path) -> pathspec.PathSpec | None:
        if folder not in self.specs:
            try:
                lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self.specs[folder] = None
            else:
                self.specs[folder] = gitignore_spec(tuple(lines))
        return self.specs[folder]

    def chain(self, folder: Path, top: Path) -> _IgnoreChain:
        """The .gitignore files from `folder` up to `top` that judge the entries of `folder`."""
        chain = []
        for above in (folder, *folder.parents):
            spec = self.spec(above)
            if spec is not None:
                relative = folder.relative_to(above).as_posix()
                chain.append((spec, "" if relative == "." else relative + "/"))
            if above == top:
                break
        return chain


def _ignored(chain: _IgnoreChain, name: str, is_folder: bool) -> bool:
    """Whether the .gitignore files of a folder's `chain` ignore its entry `name`.

    As in git, the nearest .gitignore with a matching pattern decides, so a nested `!pattern` can re-include a
    file that a .gitignore higher up ignores.
    """
    suffix = "/" if is_folder else ""
    for spec, prefix in chain:
        decision = spec.check_file(prefix + name + suffix).include
        if decision is not None:
            return decision
    return False


def _below(chain: _IgnoreChain, name: str) -> _IgnoreChain:
    """The chain of a folder's subfolder `name`, before the subfolder's own .gitignore is added."""
    return [(spec, f"{prefix}{name}/") for spec, prefix in chain]


@functools.lru_cache(maxsize=256)
def _command_line_anchors(patterns: tuple[str, ...], root: Path, working_folder: Path) -> tuple[Path, ...]:
    """Command-line patterns are read from the walked folder and from the working folder, so that
    `genlint src --exclude src/legacy` and `genlint src --exclude legacy` agree. The working folder is no anchor
    when the patterns exclude `root` itself from there: a folder named on the command line is walked, like a
    file named there is linted."""
    if root == working_folder or not root.is_relative_to(working_folder):
        return (root,)
    if gitignore_spec(patterns).match_file(root.relative_to(working_folder).as_posix() + "/"):
        return (root,)
    return (root, working_folder)


# Per folder of the walk, for each exclude pattern group that applies there and each folder its patterns are read
# from (anchor): the spec, and how an entry of the folder is named from the anchor: `prefix + name` when the
# folder is at or below the anchor; "." for the one entry that is the anchor itself (then its name is given).
_Judges = list[tuple["pathspec.PathSpec", str, str]]


@dataclass(frozen=True)
class _Excludes:
    """Exclude patterns during the walk from `root`. As in .gitignore, a pattern without a slash matches at any
    depth, an anchored one (`/train.py`) only at the top of the folder it is read from.

    Which patterns apply to a file or folder is asked of its parent folder, so that a configuration file below
    the walked folder decides what is excluded below it.
    """

    root: Path
    patterns_for: Callable[[Path], Sequence[ExcludePatterns]]
    working_folder: Path = field(default_factory=Path.cwd)

    def judges(self, folder: Path) -> _Judges:
        """What judges the entries of `folder`; empty when no pattern applies there."""
        judges: _Judges = []
        for group in self.patterns_for(folder):
            if not group.patterns:
                continue
            if group.folder:
                anchors: tuple[Path, ...] = (Path(group.folder),)
            else:
                anchors = _command_line_anchors(group.patterns, self.root, self.working_folder)
            spec = gitignore_spec(group.patterns)
            for anchor in anchors:
                if folder.is_relative_to(anchor):
                    relative = folder.relative_to(anchor).as_posix()
                    judges.append((spec, "" if relative == "." else relative + "/", ""))
                elif anchor.parent == folder:
                    judges.append((spec, "", anchor.name))
        return judges


def _excluded(judges: _Judges, name: str, is_folder: bool) -> bool:
    """Whether the exclude patterns that judge a folder's entries exclude its entry `name`."""
    suffix = "/" if is_folder else ""
    for spec, prefix, anchor_name in judges:
        if anchor_name and name != anchor_name:
            continue
        if spec.match_file(("." if anchor_name else prefix + name) + suffix):
            return True
    return False


def _repository_top(start: Path) -> Path:
    """The nearest folder at or above `start` that holds `.git`; `start` itself when there is none."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _is_skipped_folder(name: str) -> bool:
    return name in SKIPPED_FOLDERS or name.endswith(SKIPPED_FOLDER_SUFFIX)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A folder, not a symlink to one: symlinked folders are not followed."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_regular(entry: os.DirEntry[str]) -> bool:
    """False for a named pipe, socket, device or folder, which would block or never end when read.

    A dangling symlink counts as regular: it is linted, and reported as a file that cannot be read.
    """
    try:
        if not entry.is_symlink():
            return entry.is_file(follow_symlinks=False)  # the type the listing gives: no stat on most systems
        return stat.S_ISREG(os.stat(entry.path).st_mode)
    except OSError:
        return True


def _is_virtual_environment(entries: dict[str, os.DirEntry[str]]) -> bool:
    """Whether a folder with these entries is a virtual environment."""
    marker = entries.get("pyvenv.cfg")
    return marker is not None and marker.is_file()


def read_bytes(path: str) -> bytes:
    """The bytes of a file to lint. Raises OSError, also for a named pipe, socket or device named on the
    command line: reading one would wait for a writer for ever, or never end."""
    # Opening a named pipe without O_NONBLOCK already waits for a writer; O_BINARY: no newline translation.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a folder, named pipe, socket or device)", path)
        return handle.read()


def discover(
    paths: Iterable[str],
    excludes: Iterable[str] = (),
    exclude_for: Callable[[Path], Sequence[ExcludePatterns]] | None = None,
) -> list[Path]:
    """Files to lint, sorted and without duplicates.

    Files named on the command line are always linted. Folders named there are always walked; the skipped
    folders, .gitignore files and exclude patterns apply to what is below them. `exclude_for(folder)` gives the
    patterns that apply in a folder (the configuration's); without it, `excludes` (command-line patterns) apply
    everywhere.
    """
    if exclude_for is None:
        exclude_for = functools.partial(_same_everywhere, (ExcludePatterns(tuple(excludes)),))
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
    """The files to lint below `root`, in no particular order.

    Each folder is listed once; its entries tell a file's type without a stat. What judges a folder's entries
    (exclude patterns, .gitignore files) is worked out once per folder, and where nothing does, the common case,
    entries are judged by their name and type alone.
    """
    top = _repository_top(root)
    ignore_chain: _IgnoreChain = []
    if top != root:
        above = ignore_files.chain(root.parent, top)
        # Named on the command line, though a .gitignore above ignores it: only its own .gitignore files count.
        if not _ignored(above, root.name, True):
            ignore_chain = _below(above, root.name)
    pending = [(root, ignore_chain)]
    while pending:
        folder, ignore_chain = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = {entry.name: entry for entry in listing}
        except OSError:
            continue  # as os.walk does: a folder that cannot be listed is passed over
        if folder != root and _is_virtual_environment(entries):
            continue
        own = ignore_files.spec(folder) if ".gitignore" in entries else None
        if own is not None:
            ignore_chain = [(own, ""), *ignore_chain]
        judges = excludes.judges(folder)
        judged = bool(judges or ignore_chain)
        for name, entry in entries.items():
            if _is_folder(entry):
                if _is_skipped_folder(name) or (
                    judged and (_excluded(judges, name, True) or _ignored(ignore_chain, name, True))
                ):
                    continue
                pending.append((folder / name, _below(ignore_chain, name)))
            elif name.endswith(PYTHON_SUFFIXES) and _is_regular(entry):
                if judged and (_excluded(judges, name, False) or _ignored(ignore_chain, name, False)):
                    continue
                yield folder / name
