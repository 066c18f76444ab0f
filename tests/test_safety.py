"""genlint reads the user's code and never runs it, not even the modules a training script imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def files_under(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def test_linting_never_imports_or_runs_the_project(tmp_path: Path) -> None:
    for relative, source in HOSTILE_MODULES.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(source, encoding="utf-8")
    (tmp_path / "project" / "train.py").write_text(TRAINING_SCRIPT, encoding="utf-8")
    before = files_under(tmp_path)

    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "--no-cache", "--output-format", "concise", "project"],
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
