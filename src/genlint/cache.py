"""The result cache: one entry per linted file, reused while nothing its findings depend on has changed.

An entry's name hashes the file's bytes, its settings, genlint's version, the rules that run and where the
run stands; the entry holds the outcome and the content hash of every project module its analysis read, which
must all still match. Entries are written atomically, so two runs may share the folder; an entry that cannot
be read is a miss."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from genlint import __version__
from genlint.discovery import read_bytes

FOLDER = ".genlint_cache"
ROOT_MARKERS = (".git", "pyproject.toml")


def default_folder(paths: Iterable[str]) -> Path:
    """`.genlint_cache` in the nearest folder above the first path holding .git or pyproject.toml, else in
    the working folder."""
    first = Path(next(iter(paths), ".")).resolve()
    for folder in (first, *first.parents):
        if folder.is_dir() and any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder / FOLDER
    return Path.cwd() / FOLDER


def content_hash(path: str) -> str:
    """The hash of a file's bytes; "" when it cannot be read."""
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except OSError:
        return ""


class ResultCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._entries = str(folder)  # entry paths are joined as text: pathlib costs on every file of a run
        self._working_folder = os.getcwd()
        self._described: dict[int, tuple[object, str]] = {}  # id(settings) → the settings and their text
        self._hashes: dict[str, str] = {}  # project module → its content hash, once per run

    def key(self, path: str, settings: object, codes: Iterable[str]) -> str | None:
        """The name of the file's entry, or None when the file cannot be read."""
        try:
            data = read_bytes(path)
        except OSError:
            return None
        parts = (
            __version__,
            self._working_folder,
            os.path.abspath(path),
            self._describe(settings),
            ",".join(sorted(codes)),
        )
        digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass"))  # a path may be any bytes
        digest.update(b"\0" + data)
        return digest.hexdigest()

    def _describe(self, settings: object) -> str:
        """`repr(settings)`, worked out once per settings object: a run shares a few among all its files."""
        described = self._described.get(id(settings))
        if described is None or described[0] is not settings:
            described = self._described[id(settings)] = (settings, repr(settings))
        return described[1]

    def load(self, key: str) -> Any | None:
        """The stored outcome, or None when there is none, it cannot be read, or a module it read changed."""
        try:
            with open(os.path.join(self._entries, key), "rb") as handle:
                dependencies, outcome = pickle.load(handle)
            if all(self._content_hash(path) == digest for path, digest in dependencies.items()):
                return outcome
        except Exception:  # a corrupt, truncated or foreign entry is a miss
            return None
        return None

    def _content_hash(self, path: str) -> str:
        """`content_hash`, worked out once per module in a run: many files import the same project modules."""
        digest = self._hashes.get(path)
        if digest is None:
            digest = self._hashes[path] = content_hash(path)
        return digest

    def store(self, key: str, outcome: object, read: Iterable[str]) -> None:
        """Record an outcome with the hashes of the modules its analysis read; failing to is no error."""
        import tempfile  # only runs that store something need it

        dependencies = {path: self._content_hash(path) for path in read}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump((dependencies, outcome), stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.folder / key)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except Exception:  # a read-only tree, a full disk, an outcome that cannot be pickled
            return
