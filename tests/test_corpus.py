"""A corpus of correct Keras 3 training scripts: genlint must report nothing on any of them.

Every script under tests/corpus is code that real Keras 3 runs correctly. A diagnostic on one of them is a
false alarm, so the assertion message lists every diagnostic found.
"""

from __future__ import annotations

from pathlib import Path

from genlint.discovery import discover
from genlint.engine import lint_files
from genlint.rules.base import Diagnostic

CORPUS = Path(__file__).resolve().parent / "corpus"
MINIMUM_SCRIPTS = 18


def _describe(diagnostic: Diagnostic) -> str:
    where = Path(diagnostic.path).resolve().relative_to(CORPUS)
    return f"{where}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {diagnostic.message}"


def test_corpus_is_large_enough() -> None:
    files = discover([str(CORPUS)])
    scripts = [file for file in files if file.parent == CORPUS or file.name == "train.py"]
    assert len(scripts) >= MINIMUM_SCRIPTS, [str(file) for file in files]


def test_corpus_has_no_diagnostics() -> None:
    files = discover([str(CORPUS)])
    assert files, f"no Python files found under {CORPUS}"
    result = lint_files(files)
    assert result.internal_errors == [], "\n".join(str(error) for error in result.internal_errors)
    shown = "\n".join(_describe(diagnostic) for diagnostic in result.diagnostics)
    assert result.diagnostics == [], f"{len(result.diagnostics)} false positive(s) on correct code:\n{shown}"
