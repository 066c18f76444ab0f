"""genlint reads the user's code and never runs it, not even the modules a training script imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from genlint.engine import PARALLEL_MINIMUM_FILES

# Each of these would leave a trace, or end the process, if it were ever imported or executed.
HOSTILE_MODULES = {
    "project/data_utils.py": """\
open("PWNED", "w").write("data_utils was imported")


def endless_batches(features, labels, batch_size):
    while True:
        for start in range(0, len(features), batch_size):
            yield features[start : start + batch_size], labels[start : start + batch_size]
""",
    "project/exits.py": """\
raise SystemExit(3)
""",
    "project/shell.py": """\
import os

os.system("touch PWNED2")
""",
    "project/__init__.py": """\
open("PWNED_PACKAGE", "w").close()
""",
}
TRAINING_SCRIPT = """\
import numpy as np

import exits
import shell
from data_utils import endless_batches

open("PWNED_TRAIN", "w").close()
features = np.zeros((100, 4))
labels = np.zeros((100,))
model.fit(endless_batches(features, labels, 10), epochs=3)
"""


# A script whose findings have fixes (GEN501 safe, GEN201 none), importing the hostile modules.
LEGACY_SCRIPT = """\
import exits
import shell
from data_utils import endless_batches

open("PWNED_LEGACY", "w").close()
model.fit_generator(endless_batches(features, labels, 10), steps_per_epoch=10, epochs=3)
"""


def files_under(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


@pytest.mark.parametrize(
    "options",
    [
        pytest.param([], id="one process"),
        # Enough training scripts for the worker pool to start: the workers never run the project either.
        pytest.param(["--jobs", "2"], id="worker processes"),
        # Fixing lints the fixed source again, in memory: that never runs it either.
        pytest.param(["--fix", "--unsafe-fixes"], id="fix"),
    ],
)
def test_linting_never_imports_or_runs_the_project(tmp_path: Path, options: list[str]) -> None:
    for relative, source in HOSTILE_MODULES.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(source, encoding="utf-8")
    (tmp_path / "project" / "train.py").write_text(TRAINING_SCRIPT, encoding="utf-8")
    if "--jobs" in options:
        for index in range(PARALLEL_MINIMUM_FILES):
            (tmp_path / "project" / f"train_{index:02d}.py").write_text(TRAINING_SCRIPT, encoding="utf-8")
    if "--fix" in options:
        (tmp_path / "project" / "legacy.py").write_text(LEGACY_SCRIPT, encoding="utf-8")
    before = files_under(tmp_path)

    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "--no-cache", "--output-format", "concise", *options, "project"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert files_under(tmp_path) == before  # no PWNED* file, and no __pycache__ either
    assert completed.returncode == 1, completed.stderr  # not 3, from SystemExit(3)
    # The finding needs the generator's body from data_utils.py: the sibling module was read, as text.
    assert "project/train.py:10:1: GEN201 `endless_batches(features, labels, 10)` never ends" in completed.stdout
    assert "data_utils.py:5" in completed.stdout
    assert "Traceback" not in completed.stderr
    assert "Traceback" not in completed.stdout
    if "--fix" in options:  # the fixes were made, and the fixed files were linted again, without running them
        assert "model.fit(" in (tmp_path / "project" / "legacy.py").read_text(encoding="utf-8")
        assert "GEN501" not in completed.stdout
