"""Reading the user's own modules: parse (never import) project files, and map import names to them."""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.manager import AstroidManager
from astroid.rebuilder import TreeRebuilder

from genlint.analysis.reading import parse_tree, read_source

# Folders that never hold the user's own modules, even when they sit inside the project.
NOT_PROJECT_PARTS = frozenset(
    {"site-packages", "dist-packages", ".venv", "venv", "env", ".env", ".tox", ".nox", "__pycache__", ".git"}
)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
# The share of the stack left that building an astroid tree may use; the rest is for analysing it.
BUILD_STACK_SHARE = 1 / 2


class _Builder(AstroidBuilder):
    """An astroid builder that only parses.

    The stock builder resolves `from x import *` and `obj.attr = …` by importing and inferring other
    modules, which would pull TensorFlow's sources in. genlint resolves names itself, project-locally.
    """

    def add_from_names_to_locals(self, node: nodes.ImportFrom, global_name: object) -> None:
        module = node.root()
        for name, asname in node.names:
            if name != "*":
                target = module if name in global_name else node.parent  # type: ignore[operator]
                target.set_local(asname or name, node)

    def delayed_assattr(self, node: nodes.AssignAttr) -> None:
        return None


@functools.cache
def _parser() -> tuple[AstroidManager, _Builder]:
    """Made on first use: astroid's manager bootstraps its builtins module, which a run of files that call
    no consumer never needs."""
    manager = AstroidManager()
    return manager, _Builder(manager, apply_transforms=False)


def prepare_parser() -> None:
    """Make astroid's parser now rather than at the first parse (see _parser)."""
    _parser()


def parse_module(source: str, path: str, tree: ast.Module | None = None) -> nodes.Module:
    """Parse source into an astroid tree without touching any other module. Raises SyntaxError.

    `tree`, the `parse_tree` of the same source when the caller has it, spares parsing the file again; the
    astroid tree is built from it (which changes it)."""
    if tree is None:
        try:
            tree = parse_tree(source, path)
        except (TypeError, ValueError, MemoryError) as error:
            raise SyntaxError(str(error)) from None
    module_name = "genlint_" + str(abs(hash(path)))
    manager, builder = _parser()
    # What `AstroidBuilder.string_build` does once it has parsed, minus the parse.
    rebuilder = TreeRebuilder(manager, data=source)
    is_package = os.path.splitext(os.path.basename(path))[0] == "__init__"
    try:
        with _stack_share_for_building():
            module = rebuilder.visit_module(tree, module_name, os.path.abspath(path), is_package)
        module.file_bytes = source.encode("utf-8")
        return builder._post_build(module, rebuilder, "utf-8")
    finally:
        manager.astroid_cache.pop(module_name, None)


@contextlib.contextmanager
def _stack_share_for_building() -> Iterator[None]:
    """Lower the recursion limit to BUILD_STACK_SHARE of what is left of it while a tree is built.

    Analysing a tree recurses deeper than building it, and astroid's `as_string` retries a deep attribute
    chain after a RecursionError, in time exponential in its depth: a tree too deep to build in a share of
    the stack is reported as nested too deeply rather than analysed."""
    limit = sys.getrecursionlimit()
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(depth + int((limit - depth) * BUILD_STACK_SHARE))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


@functools.lru_cache(maxsize=4096)
def find_project_root(path: Path) -> Path:
    """The nearest folder above `path` with a project marker; else the file's own folder."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


class Project:
    """Parses project-local modules on demand and caches them for the whole run. `read` collects the paths of
    the modules asked for (parsed now or before) since it was last cleared: what one file's analysis depends on."""

    def __init__(self) -> None:
        self._modules: dict[str, nodes.Module | None] = {}
        self.read: set[str] = set()
        # (importer's folder, dotted name, level) → the module file, if any: the same imports are resolved
        # over and over, and most name no project module (numpy, keras), which costs up to six `stat` calls.
        self._files: dict[tuple[str, str, int], str | None] = {}

    def __len__(self) -> int:
        return len(self._modules)

    def add(self, path: str, module: nodes.Module) -> None:
        self._modules[os.path.abspath(path)] = module

    def module_at(self, path: str) -> nodes.Module | None:
        path = os.path.abspath(path)
        self.read.add(path)
        if path not in self._modules:
            try:
                self._modules[path] = parse_module(read_source(path), path)
            except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
                self._modules[path] = None
        return self._modules[path]

    def find_module(self, importer: nodes.Module, dotted: str, level: int = 0) -> nodes.Module | None:
        """The project module that `importer` means by `dotted` (relative when `level` > 0), or None."""
        file = importer.file
        if not file or not os.path.isabs(file):
            return None
        key = (os.path.dirname(file), dotted, level)
        if key not in self._files:
            self._files[key] = self._find_file(file, dotted, level)
        found = self._files[key]
        return self.module_at(found) if found is not None else None

    def _find_file(self, file: str, dotted: str, level: int) -> str | None:
        here = Path(file).parent
        parts = [part for part in dotted.split(".") if part]
        if level:
            base = here
            for _ in range(level - 1):
                base = base.parent
            bases = [base]
        else:
            root = find_project_root(Path(file))
            bases = [here, root, root / "src"]
            # `from src.model import …` in `src/train.py`, run as `python -m src.train` from the folder above
            bases += [folder.parent for folder in (here, *here.parents) if parts and folder.name == parts[0]][:1]
        for base in bases:
            candidate = self._module_file(base, parts)
            if candidate is not None:
                return str(candidate)
        return None

    @staticmethod
    def _module_file(base: Path, parts: list[str]) -> Path | None:
        if any(part in NOT_PROJECT_PARTS for part in base.parts):
            return None
        target = base.joinpath(*parts) if parts else base
        for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
            if candidate is not None and candidate.is_file():
                return candidate
        return None
