"""The keras tier: each error-severity rule, proven against real Keras 3.

For every such rule, its runnable invalid example (`runs=True`) runs after `prelude.py` as a tiny training
job in a subprocess (JAX backend, CPU) and must show the rule's documented `symptom`: the exception type
and message, the warning, or a hang that only the timeout ends. Its runnable valid example must train.
genlint must flag the runnable invalid example itself, so the documented example and the real symptom
are one and the same code.

Run it with `pip install -e '.[test,keras]'` and `python -m pytest -m keras`. Without Keras installed the
tier is skipped, unless GENLINT_KERAS_TIER=required (as in .ci/run), where that is an error.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib.machinery import PathFinder
from pathlib import Path

import pytest

from conftest import lint_example, write_example
from genlint.rules import builtin_rules
from genlint.rules.base import Example, KerasSymptom, Rule, Severity

REQUIRED = os.environ.get("GENLINT_KERAS_TIER") == "required"
INSTALL_HINT = "pip install -e '.[test,keras]'"
TESTS = Path(__file__).resolve().parent.parent


def _installed(module: str) -> bool:
    """Whether the example's subprocess can import `module`; found, not imported.

    pytest puts `tests/` on `sys.path`, where the folder `tests/keras/` would pass for a `keras` namespace
    package: the search leaves the test folders out, as the subprocess's `sys.path` does.
    """
    if module in sys.builtin_module_names:
        return True
    outside_tests = [entry for entry in sys.path if not Path(entry or ".").resolve().is_relative_to(TESTS)]
    return PathFinder.find_spec(module, outside_tests) is not None


# Not imported: importing keras picks its backend, and without KERAS_BACKEND=jax it reaches for TensorFlow.
_missing = [name for name in ("keras", "jax") if not _installed(name)]
if _missing:
    _reason = f"the keras tier needs {' and '.join(_missing)}: {INSTALL_HINT}"
    if REQUIRED:
        raise RuntimeError(f"GENLINT_KERAS_TIER=required, but {_reason}")
    pytest.skip(_reason, allow_module_level=True)

pytestmark = pytest.mark.keras

PRELUDE = (Path(__file__).resolve().parent / "prelude.py").read_text(encoding="utf-8")

# Error-severity rules whose mistake never reaches Keras: there is no Keras behaviour to prove.
NOT_KERAS_SYMPTOMS = {
    "GEN001": "a file Python cannot parse: the symptom is Python's own SyntaxError before Keras is imported",
    "GEN002": "a malformed `# genlint:` suppression comment: Python ignores comments, so Keras never sees it",
    "GEN503": "TensorFlow's tf.data raises it while the dataset is built, before Keras is involved; the tier runs "
    "Keras on JAX without TensorFlow (the oracle's row 13a records the TypeError on the TensorFlow backend)",
}
PROVEN_RULES = [
    rule for rule in builtin_rules() if rule.severity is Severity.ERROR and rule.code not in NOT_KERAS_SYMPTOMS
]

# A hang is a run still going this many seconds after it started (Keras and JAX import in about 3 s).
HANG_SECONDS = 20
# Any other run must be over by then; a tiny job takes 4-10 s, more on a loaded machine.
RUN_SECONDS = 120
# How long a stopped run gets to print its batch counts and stack before it is killed.
STOP_GRACE_SECONDS = 10
# A hang must be a loop that spins, not a deadlock: it ran this many batches before it was stopped.
# Keras runs hundreds of tiny batches a second; no example has a finite epoch this long.
HANG_MIN_BATCHES = 200
WORKERS = int(os.environ.get("GENLINT_KERAS_WORKERS", "3"))

TRACEBACK = "Traceback (most recent call last)"
BATCH_REPORT = re.compile(r"^keras-tier: (?P<how>[^;]+); batches train=(\d+) test=(\d+) predict=(\d+)$", re.M)
KERAS_LOOP_FRAME = re.compile(r"keras[/\\]src[/\\](?:trainers[/\\]|backend[/\\]\w+[/\\]trainer\.py)")


@dataclass(frozen=True)
class Run:
    """How one example's script ended."""

    returncode: int | None  # None: still running when its time was up, and then stopped
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def batches(self) -> tuple[str, int] | None:
        """How the prelude saw the script end, and how many batches Keras ran in all."""
        reports = list(BATCH_REPORT.finditer(self.stderr))
        if not reports:
            return None
        last = reports[-1]
        return last["how"], sum(int(count) for count in last.groups()[1:])

    def describe(self) -> str:
        ending = "still running when stopped" if self.returncode is None else f"exit status {self.returncode}"
        return (
            f"{ending} after {self.seconds:.1f} s\n"
            f"--- stderr (end) ---\n{self.stderr[-4000:]}\n--- stdout (end) ---\n{self.stdout[-1500:]}"
        )


def _runnable(rule: type[Rule], kind: str) -> list[Example]:
    examples: tuple[Example, ...] = getattr(rule, kind)
    return [example for example in examples if example.runs]


def _symptom_problem(symptom: KerasSymptom) -> str:
    kinds = [bool(symptom.exception), symptom.warning, symptom.hang]
    if kinds.count(True) != 1:
        return "its `symptom` must be exactly one of: an exception, a warning, a hang"
    if symptom.warning and not symptom.message.strip():
        return "its `symptom` needs the `message` fragment of the warning that Keras prints"
    if symptom.exception and not symptom.exception.isidentifier():
        return f"its `symptom.exception` must be an exception type name, not {symptom.exception!r}"
    return ""


def _proof_problems(rule: type[Rule]) -> list[str]:
    """What the rule lacks for this tier to prove it against Keras."""
    problems = []
    if rule.symptom is None:
        problems.append("it has no `symptom = KerasSymptom(...)`")
    elif problem := _symptom_problem(rule.symptom):
        problems.append(problem)
    for kind in ("invalid", "valid"):
        count = len(_runnable(rule, kind))
        if count != 1:
            problems.append(f"it has {count} `runs=True` {kind} examples, not exactly one")
    return problems


def _example_of(rule: type[Rule], kind: str) -> Example:
    examples = _runnable(rule, kind)
    if len(examples) != 1:
        pytest.fail(f"{rule.code} has {len(examples)} `runs=True` {kind} examples, not exactly one")
    return examples[0]


def _unavailable_imports(example: Example) -> list[str]:
    """Top-level modules the example imports that are neither installed nor among its own files."""
    own = {Path(relative).parts[0].removesuffix(".py") for relative in example.files}
    wanted: set[str] = set()
    for source in (example.code, *example.files.values()):
        for node in ast.walk(ast.parse(textwrap.dedent(source))):
            if isinstance(node, ast.Import):
                wanted.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                wanted.add(node.module.split(".")[0])
    return sorted(name for name in wanted - own if not _installed(name))


def _require_imports(example: Example) -> None:
    missing = _unavailable_imports(example)
    if missing:
        reason = f"the example imports {', '.join(missing)}, which the keras extra does not install"
        if REQUIRED:
            pytest.fail(f"GENLINT_KERAS_TIER=required, but {reason}")
        pytest.skip(reason)


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("PYTHONWARNINGS", None)  # a warning can be the symptom: nothing may hide it
    environment.update(KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", TF_CPP_MIN_LOG_LEVEL="3", PYTHONUNBUFFERED="1")
    return environment


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ask a hanging run to report and exit (the prelude handles SIGTERM); kill it if it does not."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _run_example(example: Example, folder: Path, time_limit: float) -> Run:
    """Run `prelude + code` as `train.py` in `folder`, next to the example's other files."""
    script = write_example(example, folder)
    script.write_text(PRELUDE + "\n" + textwrap.dedent(example.code), encoding="utf-8")
    stdout_path, stderr_path = folder / "stdout.txt", folder / "stderr.txt"
    started = time.monotonic()
    # Output goes to files, not pipes: a hanging run can print without end, and a full pipe would block it.
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, script.name],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=_environment(),
            start_new_session=True,
        )
        try:
            returncode: int | None = process.wait(timeout=time_limit)
        except subprocess.TimeoutExpired:
            returncode = None
            _stop(process)
        finally:
            _kill_leftovers(process)
    return Run(
        returncode=returncode,
        stdout=stdout_path.read_text(encoding="utf-8", errors="replace"),
        stderr=stderr_path.read_text(encoding="utf-8", errors="replace"),
        seconds=time.monotonic() - started,
    )


def _kill_leftovers(process: subprocess.Popen[bytes]) -> None:
    """Worker processes an example started (a PyDataset with use_multiprocessing) end with it."""
    if process.poll() is None:
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(process.pid, signal.SIGKILL)


# The tests that use a run, and which example of the rule each one runs.
RUN_KIND_OF_TEST = {"test_invalid_example_shows_the_symptom": "invalid", "test_valid_example_trains": "valid"}


def _selected_runs(session: pytest.Session) -> set[tuple[str, str]]:
    """(code, kind) of the runs that the selected tests need: `-k GEN201` runs two scripts, not all."""
    selected = set()
    for item in session.items:
        kind = RUN_KIND_OF_TEST.get(getattr(item, "originalname", ""))
        callspec = getattr(item, "callspec", None)
        if kind and callspec is not None:
            selected.add((callspec.params["rule"].code, kind))
    return selected


@pytest.fixture(scope="session")
def keras_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[tuple[str, str], Future[Run]]]:
    """The runnable examples of the selected tests, run in parallel: (code, "invalid"/"valid") → its Run."""
    selected = _selected_runs(request.session)
    jobs = []
    for rule in PROVEN_RULES:
        for kind in ("invalid", "valid"):
            examples = _runnable(rule, kind)
            if (rule.code, kind) not in selected or len(examples) != 1 or _unavailable_imports(examples[0]):
                continue  # the tests of this rule fail or skip with the reason
            hangs = kind == "invalid" and rule.symptom is not None and rule.symptom.hang
            jobs.append((hangs, rule.code, kind, examples[0]))
    jobs.sort(key=lambda job: not job[0])  # hangs take the longest: start them first
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="keras-tier")
    try:
        yield {
            (code, kind): pool.submit(
                _run_example,
                example,
                tmp_path_factory.mktemp(f"{code}-{kind}"),
                HANG_SECONDS if hangs else RUN_SECONDS,
            )
            for hangs, code, kind, example in jobs
        }
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _squeeze(text: str) -> str:
    """Whitespace runs as one space: Keras wraps long messages at other places than the docs do."""
    return " ".join(text.split())


def _assert_raises(run: Run, symptom: KerasSymptom) -> None:
    assert run.returncode not in (0, None), f"expected {symptom.exception}, but the run had {run.describe()}"
    # An empty `message` documents a bare `raise NotImplementedError`: then the line must be bare too.
    ending = "(?::|$)" if symptom.message else "$"
    raised = re.search(rf"^(?:[\w.]+\.)?{re.escape(symptom.exception)}{ending}", run.stderr, re.M)
    assert raised, f"expected {symptom.exception}: {symptom.message!r}, but the run had {run.describe()}"
    assert _squeeze(symptom.message) in _squeeze(run.stderr[raised.start() :]), (
        f"{symptom.exception} was raised without the documented message {symptom.message!r}: {run.describe()}"
    )


def _assert_warns(run: Run, symptom: KerasSymptom) -> None:
    assert run.returncode == 0, f"expected training to finish with a warning, but the run had {run.describe()}"
    assert _squeeze(symptom.message) in _squeeze(run.output), (
        f"training finished without the documented warning {symptom.message!r}: {run.describe()}"
    )


def _assert_hangs(run: Run) -> None:
    assert run.returncode is None, f"expected a hang, but the run ended by itself: {run.describe()}"
    batches = run.batches()
    assert batches is not None and batches[0] == "stopped while still running", (
        f"the stopped run printed no batch counts (it was stuck before the prelude was ready?): {run.describe()}"
    )
    assert batches[1] >= HANG_MIN_BATCHES, (
        f"the run was stopped after only {batches[1]} batches: a deadlock or a slow start, not a loop that "
        f"never ends: {run.describe()}"
    )
    assert KERAS_LOOP_FRAME.search(run.stderr), f"the run was not inside Keras's loop when stopped: {run.describe()}"


def _code(rule: type[Rule]) -> str:
    return rule.code


@pytest.mark.parametrize("rule", PROVEN_RULES, ids=_code)
def test_error_rule_can_be_proven(rule: type[Rule]) -> None:
    problems = _proof_problems(rule)
    assert not problems, f"{rule.code} ({rule.name}) is an error-severity rule, but " + "; ".join(problems)


def test_exemptions_name_builtin_rules() -> None:
    """A renamed or retired code must leave the exemptions too, so that they cannot hide another rule."""
    assert set(NOT_KERAS_SYMPTOMS) <= {rule.code for rule in builtin_rules()}


@pytest.mark.parametrize("rule", PROVEN_RULES, ids=_code)
def test_runnable_examples_are_linted_as_documented(rule: type[Rule], tmp_path: Path) -> None:
    (tmp_path / "invalid").mkdir()
    (tmp_path / "valid").mkdir()
    invalid = lint_example(_example_of(rule, "invalid"), tmp_path / "invalid", (rule,))
    assert rule.code in {diagnostic.code for diagnostic in invalid}, (
        f"genlint does not flag {rule.code}'s runnable invalid example"
    )
    valid = lint_example(_example_of(rule, "valid"), tmp_path / "valid", (rule,))
    assert rule.code not in {diagnostic.code for diagnostic in valid}


@pytest.mark.parametrize("rule", PROVEN_RULES, ids=_code)
def test_invalid_example_shows_the_symptom(rule: type[Rule], keras_runs: dict[tuple[str, str], Future[Run]]) -> None:
    example = _example_of(rule, "invalid")
    _require_imports(example)
    symptom = rule.symptom
    if symptom is None or _symptom_problem(symptom):
        pytest.fail(f"{rule.code} has no well-formed `symptom` to check")
    run = keras_runs[rule.code, "invalid"].result()
    if symptom.hang:
        _assert_hangs(run)
    elif symptom.warning:
        _assert_warns(run, symptom)
    else:
        _assert_raises(run, symptom)


@pytest.mark.parametrize("rule", PROVEN_RULES, ids=_code)
def test_valid_example_trains(rule: type[Rule], keras_runs: dict[tuple[str, str], Future[Run]]) -> None:
    example = _example_of(rule, "valid")
    _require_imports(example)
    run = keras_runs[rule.code, "valid"].result()
    assert run.returncode == 0 and TRACEBACK not in run.stderr, f"the valid example failed: {run.describe()}"
    batches = run.batches()
    assert batches is not None and batches[1] > 0, f"the valid example ran no batch through Keras: {run.describe()}"
