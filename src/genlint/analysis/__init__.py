"""The model of a Keras input pipeline, built once per file for the rules to query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genlint.analysis.model import FileModel

if TYPE_CHECKING:
    from genlint.analysis.analyzer import Analyzer


def __getattr__(name: str) -> Any:
    """`Analyzer` loads on first use, with the analysis modules and astroid's parser behind it: the rules
    import the model records from this package, and a run whose files call no consumer, or whose results all
    come from the cache, never analyses anything."""
    if name == "Analyzer":
        from genlint.analysis.analyzer import Analyzer

        return Analyzer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Analyzer", "FileModel"]
