"""Worker processes change how fast genlint runs, never what it says."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from genlint.cli import main
from genlint.engine import PARALLEL_MINIMUM_FILES

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(folder: Path, jobs: int) -> tuple[int, str]:
    stdout = io.StringIO()
    code = main(["--output-format", "concise", "--isolated", "--jobs", str(jobs), str(folder)], stdout=stdout)
    return code, stdout.getvalue()


def test_output_is_identical_with_one_and_two_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copies = PARALLEL_MINIMUM_FILES // len(list(EXAMPLES.glob("*.py"))) + 1
    for index in range(copies):  # enough files for the worker pool to start
        shutil.copytree(EXAMPLES, tmp_path / f"project_{index}")
    monkeypatch.chdir(tmp_path)

    serial = _run(tmp_path, 1)
    parallel = _run(tmp_path, 2)

    assert serial[0] == 1 and serial[1].count("\n") >= copies * 10
    assert parallel == serial


def test_jobs_must_be_a_positive_whole_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--jobs", "0", "examples"]) == 2
    assert "--jobs" in capsys.readouterr().err
