"""The model of a Keras input pipeline, built once per file for the rules to query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from genlint.analysis.analyzer import Analyzer
    from genlint.analysis.model import FileModel


def __getattr__(name: str) -> Any:
    """`Analyzer` and `FileModel` load on first use: the analysis modules and astroid's parser behind the one,
    the model records behind the other. A run whose files call no consumer never analyses anything, and one
    whose results all come from the cache does not even make a model (it reads files with `reading`)."""
    if name == "Analyzer":
        from genlint.analysis.analyzer import Analyzer

        return Analyzer
    if name == "FileModel":
        from genlint.analysis.model import FileModel

        return FileModel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Analyzer", "FileModel"]
