from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from genlint import cache
from genlint.engine import lint_files
from genlint.rules.base import Diagnostic, Example, Rule

MARKER = re.compile(r"#\s*error:\s*((?:[A-Z]+[0-9]{3}(?:\s*,\s*)?)+)")


def write_example(example: Example, folder: Path) -> Path:
    """Write an example project into `folder`; returns the path of its `train.py`."""
    for relative, source in example.files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source), encoding="utf-8")
    main = folder / "train.py"
    main.write_text(textwrap.dedent(example.code), encoding="utf-8")
    return main


def expected_markers(example: Example, folder: Path) -> set[tuple[str, int, str]]:
    """(file name, line, code) for every `# error: CODE` marker in the example's files."""
    sources = {"train.py": example.code, **example.files}
    expected = set()
    for relative, source in sources.items():
        for number, line in enumerate(textwrap.dedent(source).splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1).strip()):
                    expected.add((str((folder / relative).resolve()), number, code))
    return expected


def lint_example(example: Example, folder: Path, rules: tuple[type[Rule], ...] | None = None) -> list[Diagnostic]:
    main = write_example(example, folder)
    return lint_files([main], rules).diagnostics


def found_markers(diagnostics: list[Diagnostic], code: str) -> set[tuple[str, int, str]]:
    return {(str(Path(d.path).resolve()), d.line, d.code) for d in diagnostics if d.code == code}


@pytest.fixture(autouse=True)
def _separate_result_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's CLI runs get a result cache of their own, so that no test reuses another's results."""
    folder = tmp_path_factory.mktemp("cache") / cache.FOLDER
    monkeypatch.setattr(cache, "default_folder", lambda paths: folder)
