"""Reading the user's own modules: parse (never import) project files, and map import names to them."""

from __future__ import annotations

import functools
import os
import tokenize
from pathlib import Path

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.exceptions import AstroidSyntaxError
from astroid.manager import AstroidManager

from genlint.analysis.model import SyntaxProblem

# Folders that never hold the user's own modules, even when they sit inside the project.
NOT_PROJECT_PARTS = frozenset(
    {"site-packages", "dist-packages", ".venv", "venv", "env", ".env", ".tox", ".nox", "__pycache__", ".git"}
)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


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


def read_source(path: str) -> str:
    """Read a Python file as the interpreter would: honour a coding cookie and a BOM.

    Raises OSError when the file cannot be read, and SyntaxError (with the line of the first bad byte)
    or ValueError (null bytes) when it is not source code.
    """
    with open(path, "rb") as handle:
        data = handle.read()
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


def parse_module(source: str, path: str) -> nodes.Module:
    """Parse source into an astroid tree without touching any other module. Raises SyntaxError."""
    module_name = "genlint_" + str(abs(hash(path)))
    manager, builder = _parser()
    try:
        module = builder.string_build(source, modname=module_name, path=path)
    except AstroidSyntaxError as error:
        cause = error.error
        if isinstance(cause, SyntaxError):
            raise cause from None
        raise SyntaxError(str(cause)) from None
    finally:
        manager.astroid_cache.pop(module_name, None)
    return module


def syntax_problem(error: BaseException) -> SyntaxProblem:
    if isinstance(error, SyntaxError):
        message = error.msg or "invalid syntax"
        return SyntaxProblem(message, error.lineno or 1, max(error.offset or 1, 1))
    if isinstance(error, OSError):
        return SyntaxProblem(f"cannot read the file: {error.strerror or error}", 1, 1)
    if isinstance(error, UnicodeDecodeError):
        return SyntaxProblem(f"file is not valid text in its declared encoding ({error.reason})", 1, 1)
    return SyntaxProblem(str(error) or type(error).__name__, 1, 1)


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
        for base in bases:
            candidate = self._module_file(base, parts)
            if candidate is not None:
                return self.module_at(str(candidate))
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
