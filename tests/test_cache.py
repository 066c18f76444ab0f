"""The result cache changes how fast genlint runs, never what it says."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from genlint import cache
from genlint.cli import main
from genlint.engine import PARALLEL_MINIMUM_FILES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REAL_DEFAULT_FOLDER = cache.default_folder  # conftest gives every other test a cache of its own

HELPERS = """\
def batches(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start : start + batch_size]
"""
ENDLESS_HELPERS = """\
def batches(x, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start : start + batch_size]
"""
TRAIN = """\
from helpers import batches


def main(model, x):
    model.fit(batches(x, 32), epochs=5)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache, "default_folder", REAL_DEFAULT_FOLDER)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*arguments: str) -> tuple[int, str]:
    stdout = io.StringIO()
    code = main(["--output-format", "concise", "--isolated", *arguments], stdout=stdout)
    return code, stdout.getvalue()


def _entries(project: Path) -> list[Path]:
    return [path for path in (project / cache.FOLDER).iterdir() if path.name != ".gitignore"]


def test_warm_output_is_identical_to_cold_with_workers(project: Path) -> None:
    copies = PARALLEL_MINIMUM_FILES // len(list(EXAMPLES.glob("*.py"))) + 1
    for index in range(copies):  # enough files for the worker pool to start
        shutil.copytree(EXAMPLES, project / f"project_{index}")
    uncached = _run("--no-cache", "--jobs", "2", ".")
    assert not (project / cache.FOLDER).exists()

    cold = _run("--jobs", "2", ".")
    assert len(_entries(project)) >= PARALLEL_MINIMUM_FILES
    warm = _run("--jobs", "2", ".")
    serial_warm = _run("--jobs", "1", ".")

    assert cold[0] == 1 and cold[1].count("\n") >= copies * 10
    assert warm == cold == serial_warm == uncached
    assert (project / cache.FOLDER / ".gitignore").read_text(encoding="utf-8").strip() == "*"


def test_editing_a_file_invalidates_its_entry(project: Path) -> None:
    (project / "helpers.py").write_text(HELPERS, encoding="utf-8")
    (project / "train.py").write_text(TRAIN, encoding="utf-8")
    cold = _run(".")
    assert "train.py" in cold[1]

    (project / "train.py").write_text(TRAIN.replace("model.fit", "model.evaluate"), encoding="utf-8")
    assert _run(".") == _run("--no-cache", ".") != cold


def test_editing_an_imported_module_changes_the_findings_of_its_importer(project: Path) -> None:
    (project / "helpers.py").write_text(HELPERS, encoding="utf-8")
    (project / "train.py").write_text(TRAIN, encoding="utf-8")
    finite = _run("train.py")
    assert finite == _run("train.py")  # warm

    (project / "helpers.py").write_text(ENDLESS_HELPERS, encoding="utf-8")
    endless = _run("train.py")

    assert endless != finite
    assert endless == _run("--no-cache", "train.py")


def test_no_cache_writes_nothing(project: Path) -> None:
    (project / "train.py").write_text(TRAIN, encoding="utf-8")
    _run("--no-cache", ".")
    assert not (project / cache.FOLDER).exists()


def test_a_corrupt_entry_is_a_miss(project: Path) -> None:
    (project / "helpers.py").write_text(HELPERS, encoding="utf-8")
    (project / "train.py").write_text(TRAIN, encoding="utf-8")
    cold = _run(".")
    for entry in _entries(project):
        entry.write_bytes(b"not a pickle")
    assert _run(".") == cold
    for entry in _entries(project):
        entry.write_bytes(entry.read_bytes()[:10])  # rewritten by the run above; now truncated
    assert _run(".") == cold


def test_the_cache_sits_at_the_project_root(project: Path) -> None:
    (project / "src" / "pkg").mkdir(parents=True)
    (project / "src" / "pkg" / "train.py").write_text(TRAIN, encoding="utf-8")
    _run("src/pkg")
    assert _entries(project)
    assert (project / cache.FOLDER / ".gitignore").is_file()
