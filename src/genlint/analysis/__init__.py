"""The model of a Keras input pipeline, built once per file for the rules to query."""

from __future__ import annotations

from genlint.analysis.consumers import ConsumerFinder
from genlint.analysis.generators import GeneratorAnalyzer
from genlint.analysis.model import FileModel
from genlint.analysis.project import Project, parse_module, read_source, syntax_problem
from genlint.analysis.resolve import Resolver

# How many parsed modules the analyzer keeps for reuse by later files before it starts afresh: memory stays
# flat on large trees, and a file's own imports are parsed again at most once per this many files.
MODULES_KEPT = 300


class Analyzer:
    """Builds a FileModel per file; project modules read along the way are shared across files."""

    def __init__(self) -> None:
        self._start_afresh()

    def _start_afresh(self) -> None:
        # The caches below hold astroid nodes (and key some on their ids): they are replaced together.
        self.project = Project()
        resolver = Resolver(self.project)
        self.consumers = ConsumerFinder(resolver, GeneratorAnalyzer(resolver))

    def analyze(self, path: str, display_path: str, source: str | None = None) -> FileModel:
        try:
            if source is None:
                source = read_source(path)
            module = parse_module(source, path)
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError) as error:
            return FileModel(path, display_path, syntax_problem=syntax_problem(error))
        if len(self.project) >= MODULES_KEPT:
            self._start_afresh()
        self.project.read.clear()
        self.project.add(path, module)
        return FileModel(
            path,
            display_path,
            consumers=self.consumers.find(module),
            generator_datasets=self.consumers.sources.generator_datasets(module),
        )


__all__ = ["Analyzer", "FileModel"]
