"""The bundled example project: genlint finds exactly its planted bugs and nothing in the correct code."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from genlint.cli import EXIT_DIAGNOSTICS, main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONCISE_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]+[0-9]{3}) ")

# (file, code) for every bug planted in examples/. Update it together with the examples.
PLANTED = Counter(
    {
        ("data_utils.py", "GEN101"): 1,  # single_pass_batches feeds fit(epochs=5)
        ("data_utils.py", "GEN102"): 1,  # image_batches skips a missing image but keeps its label
        ("legacy_keras2.py", "GEN103"): 1,  # the autoencoder generator yields no targets
        ("legacy_keras2.py", "GEN501"): 1,
        ("legacy_keras2.py", "GEN502"): 2,  # evaluate_generator and predict_generator
        ("legacy_keras2.py", "GEN206"): 1,  # workers=4, which Keras 3's fit rejects
        ("legacy_keras2.py", "GEN302"): 3,  # `len(...) // BATCH_SIZE` steps over generators with a short last batch
        ("train_classifier.py", "GEN202"): 1,
        ("train_classifier.py", "GEN301"): 1,  # steps_per_epoch = len(...) / BATCH_SIZE
        ("train_regressor.py", "GEN104"): 1,  # yield [x, y]
        ("train_regressor.py", "GEN201"): 1,
    }
)


def _run_on_examples() -> tuple[int, list[tuple[str, str]]]:
    stdout, stderr = io.StringIO(), io.StringIO()
    exit_code = main(["--output-format", "concise", str(EXAMPLES)], stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    found = []
    for line in stdout.getvalue().splitlines():
        match = CONCISE_LINE.match(line)
        if match:
            found.append((Path(match["path"]).name, match["code"]))
    return exit_code, found


def test_examples_report_the_planted_codes() -> None:
    exit_code, found = _run_on_examples()
    assert exit_code == EXIT_DIAGNOSTICS
    assert {code for _, code in found} == {code for _, code in PLANTED}


def test_examples_report_each_planted_bug_once_and_nothing_else() -> None:
    _, found = _run_on_examples()
    assert Counter(found) == PLANTED


def test_fix_leaves_only_what_has_no_safe_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`genlint --fix examples/` then `genlint examples/`: what remains offers no safe fix, and fixing added
    no finding."""
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    monkeypatch.chdir(tmp_path)
    before = _findings(project)

    stdout, stderr = io.StringIO(), io.StringIO()
    main(["--fix", "--output-format", "concise", "examples"], stdout=stdout, stderr=stderr)
    after = _findings(project)

    fixed = re.fullmatch(r"genlint: fixed (\d+) findings? in (\d+) files?\n", stderr.getvalue())
    assert fixed is not None, stderr.getvalue()
    changed = [path.name for path in EXAMPLES.iterdir() if path.read_bytes() != (project / path.name).read_bytes()]
    assert int(fixed[1]) > 0 and int(fixed[2]) == len(changed) > 0
    assert len(after) < len(before)
    assert [finding for finding in after if finding["fix"] == "safe"] == []
    assert Counter(_codes(after)) <= Counter(_codes(before))
    assert {path.name for path in project.iterdir()} == {path.name for path in EXAMPLES.iterdir()}


def _findings(project: Path) -> list[dict]:
    stdout, stderr = io.StringIO(), io.StringIO()
    main(["--output-format", "json", str(project)], stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    return json.loads(stdout.getvalue())["diagnostics"]


def _codes(findings: list[dict]) -> list[tuple[str, str]]:
    return [(Path(finding["path"]).name, finding["code"]) for finding in findings]
