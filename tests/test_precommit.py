"""The pre-commit hook (.pre-commit-hooks.yaml), run for real: `pre-commit try-repo` installs genlint from this
checkout into a fresh hook environment (pip fetches its dependencies) and runs it in a throwaway git repository
that holds a buggy Keras training script.

try-repo installs from a git repository at a commit. Given a checkout with uncommitted changes, it commits the
modified tracked files and the staged ones into a shadow clone, but leaves untracked files out
(pre_commit/commands/try_repo.py, `_repo_ref`), so a hook manifest or module not yet `git add`-ed would be
missing. The tests therefore point try-repo at a committed snapshot of this checkout's working tree (tracked and
untracked files, less the git-ignored ones): in CI's fresh clone that is HEAD, in a working copy it is what is
on disk. try-repo builds its hook environment in a temporary store of its own each time (it does not use
PRE_COMMIT_HOME), so each run installs genlint anew: about 10 seconds each with pip's cache warm.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_config, load_manifest

from genlint.engine import ISSUE_URL

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CI_DOC = ROOT / "docs" / "ci.md"
REPOSITORY_URL = ISSUE_URL.removesuffix("/issues")
TIMEOUT = 300  # seconds for one pre-commit run; the first one may download genlint's dependencies

DATA_UTILS = '''\
def batches(x, y, batch_size):
    """Endless batches: the loop never ends, so Keras needs a step count."""
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start : start + batch_size], y[start : start + batch_size]
'''

# A leftover in data_utils.py that genlint reports (GEN501) whenever that file itself is linted: its absence
# from the output shows that pre-commit did not pass the file, while genlint still read it to follow `batches`.
DATA_UTILS_SMOKE_TEST = """

if __name__ == "__main__":  # a smoke test nobody has run since Keras 2
    import keras
    import numpy as np

    model = keras.models.load_model("model.keras")
    model.fit_generator(batches(np.zeros((8, 4)), np.zeros((8, 1)), 4), steps_per_epoch=2)
"""

TRAIN = """\
import keras
import numpy as np

from data_utils import batches

x = np.zeros((64, 4))
y = np.zeros((64, 1))
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(batches(x, y, 16), epochs=3)
"""
LEGACY_TRAIN = TRAIN.replace(
    "model.fit(batches(x, y, 16), epochs=3)",
    "model.fit_generator(\n    generator=batches(x, y, 16),\n    steps_per_epoch=4,\n    epochs=3,\n)",
)
FIT_LINE = TRAIN.splitlines().index("model.fit(batches(x, y, 16), epochs=3)") + 1
FIXED_TRAIN = TRAIN.replace("epochs=3)", "steps_per_epoch=4, epochs=3)")
GEN201_IN_TRAIN = re.compile(rf"^train\.py:{FIT_LINE}:1: GEN201 .*never ends", re.MULTILINE)


def _clean_environment() -> dict[str, str]:
    """This process's environment without what would steer git or pre-commit elsewhere: GIT_DIR,
    GIT_INDEX_FILE and the like are set when the tests run inside a git hook, and SKIP skips hooks by id."""
    return {name: value for name, value in os.environ.items() if not name.startswith("GIT_") and name != "SKIP"}


def _environment(pre_commit_home: Path) -> dict[str, str]:
    """The environment for git and pre-commit, with pre-commit's cache in a temporary folder."""
    environment = _clean_environment()
    environment["PRE_COMMIT_HOME"] = str(pre_commit_home)
    environment["PRE_COMMIT_COLOR"] = "never"
    environment["NO_COLOR"] = "1"
    return environment


def _git(repository: Path, *arguments: str, environment: dict[str, str]) -> str:
    completed = subprocess.run(
        ["git", *arguments],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, f"git {' '.join(arguments)}: {completed.stdout}{completed.stderr}"
    return completed.stdout


def _init_repository(repository: Path, environment: dict[str, str]) -> None:
    repository.mkdir(parents=True, exist_ok=True)
    _git(repository, "init", "--quiet", environment=environment)
    for key, value in (
        ("user.name", "genlint tests"),
        ("user.email", "tests@genlint.invalid"),
        ("commit.gpgsign", "false"),
        ("core.autocrlf", "false"),
    ):
        _git(repository, "config", "--local", key, value, environment=environment)


def _commit(repository: Path, message: str, environment: dict[str, str]) -> None:
    _git(repository, "add", "--all", environment=environment)
    _git(repository, "commit", "--quiet", "--no-verify", "--message", message, environment=environment)


def _checkout_files() -> list[Path]:
    """The files of this checkout's working tree that git would commit: tracked and untracked, not ignored."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            env=_clean_environment(),
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked sdist): take what builds
        return [
            path.relative_to(ROOT)
            for top in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src")
            for path in ([ROOT / top] if (ROOT / top).is_file() else sorted((ROOT / top).rglob("*")))
            if path.is_file() and "__pycache__" not in path.parts
        ]
    names = {os.fsdecode(name) for name in listed.split(b"\0") if name}
    return sorted(Path(name) for name in names if (ROOT / name).is_file())  # tracked but deleted: left out


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory, pre_commit_home: Path) -> tuple[Path, str]:
    """A git repository holding this checkout's working tree in one commit, and that commit."""
    snapshot = tmp_path_factory.mktemp("genlint-checkout")
    environment = _environment(pre_commit_home)
    _init_repository(snapshot, environment)
    for relative in _checkout_files():
        (snapshot / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, snapshot / relative)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _commit(snapshot, "genlint working tree", environment)
    return snapshot, _git(snapshot, "rev-parse", "HEAD", environment=environment).strip()


def _try_repo(
    project: Path,
    hook_repository: tuple[Path, str],
    environment: dict[str, str],
    *arguments: str,
    hook: str = "genlint",
) -> subprocess.CompletedProcess[str]:
    repository, commit = hook_repository
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(repository), hook, "--ref", commit]
    return subprocess.run(
        [*command, "--color", "never", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )


def _report(completed: subprocess.CompletedProcess[str]) -> str:
    return f"exit {completed.returncode}\n--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}"


def test_the_manifest_declares_the_genlint_hook() -> None:
    hooks = {hook["id"]: hook for hook in load_manifest(str(MANIFEST))}
    assert set(hooks) == {"genlint", "genlint-fix"}
    for name, entry in (("genlint", "genlint"), ("genlint-fix", "genlint --fix")):
        hook = hooks[name]
        assert (hook["entry"], hook["language"]) == (entry, "python")
        assert (hook["types"], hook["types_or"]) == (["file"], ["python", "jupyter"])  # scripts and notebooks
        assert hook["pass_filenames"]  # the staged files; genlint reads the modules they import itself
        assert hook["require_serial"]  # one process for all of them: shared modules parsed once, findings once


def test_the_documented_configuration_uses_this_repository_and_its_hooks(tmp_path: Path) -> None:
    """The `.pre-commit-config.yaml` of docs/ci.md is valid for pre-commit, names this project's repository
    and only hooks that the manifest declares; every YAML block in the page parses."""
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks
    for block in blocks:
        yaml.safe_load(block)
    configurations = [block for block in blocks if block.startswith("repos:")]
    assert len(configurations) == 1
    config_file = tmp_path / ".pre-commit-config.yaml"
    config_file.write_text(configurations[0], encoding="utf-8")
    (repository,) = load_config(str(config_file))["repos"]
    assert repository["repo"] == REPOSITORY_URL
    declared = {hook["id"] for hook in load_manifest(str(MANIFEST))}
    assert {hook["id"] for hook in repository["hooks"]} <= declared


def test_the_hook_fails_on_an_endless_generator_and_passes_after_the_fix(
    tmp_path: Path, hook_repository: tuple[Path, str], pre_commit_home: Path
) -> None:
    environment = _environment(pre_commit_home)
    project = tmp_path / "project"
    _init_repository(project, environment)
    (project / "data_utils.py").write_text(DATA_UTILS, encoding="utf-8")
    (project / "train.py").write_text(TRAIN, encoding="utf-8")
    _commit(project, "train for three epochs", environment)

    failed = _try_repo(project, hook_repository, environment, "--all-files")
    assert failed.returncode != 0, _report(failed)
    assert re.search(r"^genlint\.+Failed$", failed.stdout, re.MULTILINE), _report(failed)
    assert GEN201_IN_TRAIN.search(failed.stdout), _report(failed)

    (project / "train.py").write_text(FIXED_TRAIN, encoding="utf-8")
    _commit(project, "four steps per epoch", environment)
    passed = _try_repo(project, hook_repository, environment, "--all-files")
    assert passed.returncode == 0, _report(passed)
    assert re.search(r"^genlint\.+Passed$", passed.stdout, re.MULTILINE), _report(passed)
    assert not re.search(r"GEN[0-9]{3}", passed.stdout), _report(passed)


def test_the_hook_follows_an_import_into_a_file_that_was_not_staged(
    tmp_path: Path, hook_repository: tuple[Path, str], pre_commit_home: Path
) -> None:
    """At commit time pre-commit passes only the staged files: here train.py. genlint must still read
    data_utils.py, committed earlier and unchanged, to see that `batches` never ends."""
    environment = _environment(pre_commit_home)
    project = tmp_path / "project"
    _init_repository(project, environment)
    (project / "data_utils.py").write_text(DATA_UTILS + DATA_UTILS_SMOKE_TEST, encoding="utf-8")
    _commit(project, "batches", environment)
    (project / "train.py").write_text(TRAIN, encoding="utf-8")
    _git(project, "add", "train.py", environment=environment)

    failed = _try_repo(project, hook_repository, environment)  # no --all-files: the staged files only
    assert failed.returncode != 0, _report(failed)
    assert GEN201_IN_TRAIN.search(failed.stdout), _report(failed)
    assert "GEN501" not in failed.stdout, _report(failed)  # data_utils.py was read, not linted


def test_the_fix_hook_fixes_a_staged_file_and_passes_once_the_fix_is_staged(
    tmp_path: Path, hook_repository: tuple[Path, str], pre_commit_home: Path
) -> None:
    """genlint-fix rewrites `fit_generator(generator=…)` (GEN501) in the staged train.py and fails, as pre-commit
    does when a hook modified files; once the fix is staged, the hook passes and changes nothing."""
    environment = _environment(pre_commit_home)
    project = tmp_path / "project"
    _init_repository(project, environment)
    (project / "data_utils.py").write_text(DATA_UTILS, encoding="utf-8")
    _commit(project, "batches", environment)
    (project / "train.py").write_text(LEGACY_TRAIN, encoding="utf-8")
    _git(project, "add", "train.py", environment=environment)

    failed = _try_repo(project, hook_repository, environment, hook="genlint-fix")
    assert failed.returncode != 0, _report(failed)
    assert re.search(r"^genlint \(fix\)\.+Failed$", failed.stdout, re.MULTILINE), _report(failed)
    assert "- files were modified by this hook" in failed.stdout, _report(failed)
    assert "genlint: fixed 1 finding in 1 file" in failed.stdout, _report(failed)
    assert not re.search(r"GEN[0-9]{3}", failed.stdout), _report(failed)  # nothing remains
    fixed = LEGACY_TRAIN.replace("model.fit_generator(\n    generator=", "model.fit(\n    x=")
    assert fixed != LEGACY_TRAIN
    assert (project / "train.py").read_text(encoding="utf-8") == fixed

    _git(project, "add", "train.py", environment=environment)
    passed = _try_repo(project, hook_repository, environment, hook="genlint-fix")
    assert passed.returncode == 0, _report(passed)
    assert re.search(r"^genlint \(fix\)\.+Passed$", passed.stdout, re.MULTILINE), _report(passed)
    assert (project / "train.py").read_text(encoding="utf-8") == fixed
