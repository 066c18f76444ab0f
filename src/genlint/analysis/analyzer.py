"""The analyzer: one FileModel per linted file, from its astroid tree and the project modules it imports."""

from __future__ import annotations

import ast
import gc
import re

from genlint import notebooks
from genlint.analysis.consumers import ConsumerFinder
from genlint.analysis.generators import GeneratorAnalyzer
from genlint.analysis.model import FileModel
from genlint.analysis.project import Project, parse_module
from genlint.analysis.reading import read_source, syntax_problem
from genlint.analysis.resolve import Resolver
from genlint.discovery import read_bytes

# How many parsed modules the analyzer keeps for reuse by later files before it starts afresh: memory stays
# flat on large trees, and a file's own imports are parsed again at most once per this many files. (With 300,
# a worker's memory still grew from a 200-file run to a 2,000-file one, and the runs took as long.)
MODULES_KEPT = 100
# `os.environ["KERAS_BACKEND"] = "jax"`, `os.environ.setdefault("KERAS_BACKEND", "torch")`, `%env KERAS_BACKEND=jax`
# (a notebook magic, kept as a comment), `KERAS_BACKEND=jax python train.py` in a docstring.
BACKEND_CHOICE = re.compile(r"KERAS_BACKEND\W{1,8}(jax|torch|numpy)\b")


class Analyzer:
    """Builds a FileModel per file; project modules read along the way are shared across files."""

    def __init__(self) -> None:
        self._start_afresh()

    def _start_afresh(self) -> None:
        # The caches below hold astroid nodes (and key some on their ids): they are replaced together.
        self.project = Project()
        resolver = Resolver(self.project)
        self.consumers = ConsumerFinder(resolver, GeneratorAnalyzer(resolver))

    def analyze(
        self, path: str, display_path: str, source: str | None = None, tree: ast.Module | None = None
    ) -> FileModel:
        """The file's model. `tree`: its `parse_tree`, when the caller parsed `source` already."""
        try:
            if source is None:
                source = read_source(path)
            module = parse_module(source, path, tree)
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError) as error:
            return FileModel(path, display_path, syntax_problem=syntax_problem(error))
        if len(self.project) >= MODULES_KEPT:
            self._start_afresh()
            gc.collect()  # the dropped trees are cyclic garbage (parent links): free them now, in one go
        self.project.read.clear()
        self.project.add(path, module)
        # Walking the whole tree for `from_generator` calls is wasted on the many files that never name it.
        mentions_from_generator = "from_generator" in source
        return FileModel(
            path,
            display_path,
            consumers=self.consumers.find(module),
            generator_datasets=self.consumers.sources.generator_datasets(module) if mentions_from_generator else (),
            keras_backend=selected_backend(path, source),
        )


def selected_backend(path: str, source: str) -> str:
    """The Keras 3 backend other than TensorFlow that the file's text selects, or "". A notebook's magics
    (`%env KERAS_BACKEND=jax`) are masked in its module: its own text is searched."""
    if notebooks.is_notebook(path):
        try:
            source = read_bytes(path).decode("utf-8", "replace")
        except OSError:
            return ""
    match = BACKEND_CHOICE.search(source) if "KERAS_BACKEND" in source else None
    return match.group(1) if match else ""
