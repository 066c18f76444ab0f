"""Bad inputs and internal errors: each gets a clear diagnostic or is skipped, every other file is still linted,
no traceback reaches the user, and the exit status says what happened.

The bad-input matrix is the table BAD_INPUTS: each case puts one bad input beside `known.py`, a file with a
known finding, and gives the line the bad input must give (none when it is skipped). Internal errors are injected
into the child process of a real run (see FAULTS), so that they reach the worker processes of `--jobs 2` too.
"""

from __future__ import annotations

import errno
import io
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import genlint.engine
from genlint.cli import main
from genlint.engine import ISSUE_URL, PARALLEL_MINIMUM_FILES

ENDLESS_FIT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), epochs=3)
"""
KNOWN_FINDING = "known.py:6:1: GEN201 "  # what the file beside each bad input gives
DEEP = 10_000  # levels of nesting, far beyond what Python's parser accepts
SOCKETS = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="UNIX sockets are a POSIX feature")
PIPES = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
NOT_AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a file whatever its permission bits say"
)


def run(argv: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


class Stalled(BaseException):
    """Raised in a test that runs too long: a BaseException, so that no `except Exception` catches it."""


@pytest.fixture(autouse=True)
def _fail_rather_than_hang() -> Iterator[None]:
    """A regression that makes genlint wait for ever (a named pipe read, a runaway recursion) fails the test
    instead of stalling the whole run."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        signal.alarm(5)  # again, should something catch this and wait again
        raise Stalled("genlint did not finish within 120 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Makers of bad inputs: each creates its input in the folder (the working folder of the run).


def file_with(name: str, data: bytes) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def make(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    return make


def huge_training_script(size: int) -> str:
    """A valid training script of about `size` characters: ENDLESS_FIT, then thousands of data-loading
    functions and a large embedded CSV table, as generated or vendored training code may hold."""
    function = textwrap.dedent(
        '''

        def load_shard_{index}(paths, batch_size=32):
            """Read shard {index} and yield (features, labels) batches, once."""
            features, labels = [], []
            for path in paths:
                with open(path, encoding="utf-8") as handle:
                    for line in handle:
                        *values, label = line.rstrip("\\n").split(",")
                        features.append([float(value) for value in values])
                        labels.append(int(label))
            for start in range(0, len(features), batch_size):
                yield features[start : start + batch_size], labels[start : start + batch_size]
        '''
    )
    code = ENDLESS_FIT + "".join(function.format(index=index) for index in range(2500))
    row_length = len(csv_row(0))
    table = "".join(csv_row(row) for row in range(max(0, size - len(code)) // row_length))
    return code + '\n\nCALIBRATION_CSV = """\\\n' + table + '"""\n'


def huge_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "huge.py").write_text(huge_training_script(5_000_000), encoding="utf-8")
    assert (folder / "huge.py").stat().st_size >= 5_000_000


def csv_row(row: int) -> str:
    return f"{row:07d},{row * 37 % 1000 / 10:05.1f},{row * 91 % 1000 / 10:05.1f},{row % 2}\n"


def nested(opening: str, middle: str, closing: str, depth: int) -> bytes:
    return f"x = {opening * depth}{middle}{closing * depth}\nmodel.fit(x)\n".encode()


def symlink_loop(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "pkg").mkdir()
    (folder / "pkg" / "train.py").write_text("x = 1\n", encoding="utf-8")
    (folder / "pkg" / "loop").symlink_to(folder, target_is_directory=True)


def dangling_symlink(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "gone.py").symlink_to(folder / "deleted_long_ago.py")


def permission_denied(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "locked.py").write_text(ENDLESS_FIT, encoding="utf-8")
    (folder / "locked.py").chmod(0)


def permission_denied_to_anyone(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As `permission_denied`, for root too: opening the file fails as a chmod 000 file does for others."""
    (folder / "locked.py").write_text(ENDLESS_FIT, encoding="utf-8")
    real_open = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        if os.path.basename(path) == "locked.py":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refusing_open)


def deleted_after_discovery(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "deleted.py").write_text(ENDLESS_FIT, encoding="utf-8")
    real_discover = genlint.engine.discover

    def discover_then_delete(*args: object, **kwargs: object) -> list[Path]:
        files = real_discover(*args, **kwargs)  # type: ignore[arg-type]
        (folder / "deleted.py").unlink()
        return files

    monkeypatch.setattr(genlint.engine, "discover", discover_then_delete)


def named_pipe(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def make(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        os.mkfifo(folder / name)  # reading it would wait for a writer for ever

    return make


def unix_socket(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def make(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        # Bound by a relative name, from the folder: a socket's path may hold about 100 bytes only.
        working_folder = os.getcwd()
        os.chdir(folder)
        try:
            listener = socket.socket(socket.AF_UNIX)
            listener.bind(name)
            listener.close()  # the socket file stays
        finally:
            os.chdir(working_folder)

    return make


def folder_named_like_a_module(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "folder.py").mkdir()


def undecodable_file_name(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        (folder / os.fsdecode(b"bad\xff.py")).write_text(ENDLESS_FIT, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system only takes file names that are valid text")


@dataclass(frozen=True)
class BadInput:
    name: str
    make: Callable[[Path, pytest.MonkeyPatch], None]
    expected: str  # a regular expression for the one line the bad input gives; "" when it is skipped
    arguments: tuple[str, ...] = (".",)
    marks: tuple[pytest.MarkDecorator, ...] = ()
    alone: bool = False  # needs a run of its own: it patches genlint, or takes long to make and lint


NOT_PARSED = ": the file cannot be parsed, so genlint could not check it"
TOO_DEEP = r"GEN001 (too many nested parentheses|the code is nested too deeply to be parsed \(maximum recursion depth)"
BAD_INPUTS = (
    # What is in the file.
    BadInput(
        "syntax error",
        file_with("bad.py", b"model.fit(batches(), epochs=3\n"),
        r"bad\.py:1:10: GEN001 '\(' was never closed",
    ),
    BadInput("null bytes", file_with("bad.py", b"x = 1\x00\n"), r"bad\.py:1:1: GEN001 source code contains null bytes"),
    BadInput(
        "undecodable bytes",
        file_with("bad.py", b'"""Data."""\nlabel = "caf\xe9"\n'),
        r"bad\.py:2:13: GEN001 byte 0xe9 is not valid utf-8 ",
    ),
    BadInput(
        "unknown coding cookie",
        file_with("bad.py", b"# -*- coding: klingon -*-\nx = 1\n"),
        r"bad\.py:1:1: GEN001 unknown encoding: klingon",
    ),
    BadInput("UTF-8 BOM", file_with("bom.py", b"\xef\xbb\xbf" + ENDLESS_FIT.encode()), r"bom\.py:6:1: GEN201 "),
    BadInput(
        "CRLF line endings", file_with("crlf.py", ENDLESS_FIT.replace("\n", "\r\n").encode()), r"crlf\.py:6:1: GEN201 "
    ),
    BadInput("CR line endings", file_with("cr.py", ENDLESS_FIT.replace("\n", "\r").encode()), r"cr\.py:6:1: GEN201 "),
    BadInput("tabs", file_with("tabs.py", ENDLESS_FIT.replace("    ", "\t").encode()), r"tabs\.py:6:1: GEN201 "),
    BadInput(
        "tabs and spaces mixed",
        file_with("bad.py", b"if x:\n\tpass\n        pass\n"),
        r"bad\.py:3:1: GEN001 inconsistent use of tabs and spaces",
    ),
    BadInput("5 MB file", huge_file, r"huge\.py:6:1: GEN201 ", alone=True),
    BadInput(
        "1 MB line",
        file_with("long.py", ("x = [" + "1, " * 350_000 + "]\n" + ENDLESS_FIT).encode()),
        r"long\.py:7:1: GEN201 ",
    ),
    BadInput(
        "1 MB line, error at its end",
        file_with("bad.py", ("x = [" + "1, " * 350_000 + "])\n").encode()),
        r"bad\.py:1:1050007: GEN001 unmatched '\)'",
    ),
    # Nesting deeper than Python's parser takes; an attribute chain that astroid parses but renders in time
    # exponential in its depth when the stack runs out (genlint reports it as too deep).
    BadInput(
        "10,000 nested parentheses", file_with("deep.py", nested("(", "1", ")", DEEP)), rf"deep\.py:1:\d+: {TOO_DEEP}"
    ),
    BadInput("10,000 nested lists", file_with("deep.py", nested("[", "1", "]", DEEP)), rf"deep\.py:1:\d+: {TOO_DEEP}"),
    BadInput("10,000 nested calls", file_with("deep.py", nested("f(", "1", ")", DEEP)), rf"deep\.py:1:\d+: {TOO_DEEP}"),
    BadInput(
        "10,000-term sum",
        file_with("deep.py", ("x = " + " + ".join(["a"] * DEEP) + "\nmodel.fit(x)\n").encode()),
        rf"deep\.py:1:1: {TOO_DEEP}",
    ),
    BadInput(
        "350-level attribute chain",
        file_with("deep.py", ("x = a" + ".b" * 350 + "\nmodel.fit(x)\n").encode()),
        rf"deep\.py:1:1: {TOO_DEEP}",
    ),
    # What is in the tree.
    BadInput("folder symlink loop", symlink_loop, ""),
    BadInput("dangling symlink", dangling_symlink, r"gone\.py:1:1: GEN001 cannot read the file: "),
    BadInput(
        "permission denied",
        permission_denied,
        r"locked\.py:1:1: GEN001 cannot read the file: Permission denied",
        marks=(NOT_AS_ROOT,),
        alone=True,
    ),
    BadInput(
        "permission denied, even to root",
        permission_denied_to_anyone,
        r"locked\.py:1:1: GEN001 cannot read the file: Permission denied",
        alone=True,
    ),
    BadInput(
        "deleted between discovery and reading",
        deleted_after_discovery,
        r"deleted\.py:1:1: GEN001 cannot read the file: No such file",
        alone=True,
    ),
    BadInput("named pipe in the tree", named_pipe("pipe.py"), "", marks=(PIPES,)),
    BadInput(
        "named pipe named on the command line",
        named_pipe("pipe.py"),
        r"pipe\.py:1:1: GEN001 cannot read the file: not a regular file",
        ("pipe.py", "known.py"),
        (PIPES,),
    ),
    BadInput(
        "notebook that is a named pipe",
        named_pipe("pipe.ipynb"),
        r"pipe\.ipynb:1:1: GEN001 cannot read the file: not a regular file",
        ("pipe.ipynb", "known.py"),
        (PIPES,),
    ),
    BadInput("socket in the tree", unix_socket("socket.py"), "", marks=(SOCKETS,)),
    BadInput(
        "socket named on the command line",
        unix_socket("socket.py"),
        r"socket\.py:1:1: GEN001 cannot read the file: ",
        ("socket.py", "known.py"),
        (SOCKETS,),
    ),
    BadInput("folder named like a module", folder_named_like_a_module, ""),
    BadInput(
        "non-ASCII path",
        file_with("données/entraînement.py", ENDLESS_FIT.encode()),
        r"données/entraînement\.py:6:1: GEN201 ",
    ),
    BadInput("file name that is not valid UTF-8", undecodable_file_name, r"bad\udcff\.py:6:1: GEN201 "),
)


@pytest.mark.parametrize("case", [pytest.param(case, id=case.name, marks=case.marks) for case in BAD_INPUTS])
def test_bad_input(case: BadInput, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "known.py").write_text(ENDLESS_FIT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    case.make(tmp_path, monkeypatch)

    code, stdout, stderr = run(["--output-format", "concise", *case.arguments])

    assert stderr == ""  # no traceback, no internal error
    assert "Traceback" not in stdout
    lines = stdout.replace(os.sep, "/").splitlines()
    others = [line for line in lines if not line.startswith(KNOWN_FINDING)]
    if case.expected:
        [line] = others
        assert re.match(case.expected, line), line
        assert " GEN001 " not in line or line.endswith(NOT_PARSED)
    else:
        assert others == []
    assert len(lines) - len(others) == 1  # the file beside it is linted, once (a loop does not repeat it)
    assert code == 1


# The same bad inputs in one tree, through `python -m genlint` with worker processes, and with --fix.

FIXABLE = "model.fit_generator(batches(), steps_per_epoch=5)\n"  # GEN501, whose fix renames the method
FIXABLE_FILES = {
    "bom.py": b"\xef\xbb\xbf" + (ENDLESS_FIT + FIXABLE).encode(),
    "crlf.py": (ENDLESS_FIT + FIXABLE).replace("\n", "\r\n").encode(),
    "cr.py": (ENDLESS_FIT + FIXABLE).replace("\n", "\r").encode(),
    "tabs.py": (ENDLESS_FIT + FIXABLE).replace("    ", "\t").encode(),
    "données/entraînement.py": (ENDLESS_FIT + FIXABLE).encode(),
}


def make_tree(folder: Path) -> dict[str, BadInput]:
    """Each bad input that can share a run in a folder of its own (named after it), the files of FIXABLE_FILES
    in `fixable/`, and enough copies of `known.py` for the worker pool to start. Returns the cases made, by
    folder."""
    for index in range(PARALLEL_MINIMUM_FILES):
        (folder / f"known_{index:02d}.py").write_text(ENDLESS_FIT, encoding="utf-8")
    made = {}
    for case in BAD_INPUTS:
        if case.alone or case.arguments != (".",):
            continue
        case_folder = folder / re.sub(r"\W+", "_", case.name)
        case_folder.mkdir()
        try:
            case.make(case_folder, pytest.MonkeyPatch())
        except pytest.skip.Exception:  # this system cannot make it
            continue
        made[case_folder.name] = case
    for name, data in FIXABLE_FILES.items():
        (folder / "fixable" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "fixable" / name).write_bytes(data)
    return made


def run_module(folder: Path, *arguments: str) -> tuple[int, list[str], str]:
    """Run `python -m genlint` with two workers; returns the exit status, the lines of its output (paths with
    `/`) and its error output."""
    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "--no-cache", "--output-format", "concise", "--jobs", "2", *arguments],
        cwd=folder,
        # A file name that is not valid UTF-8 is written as its own bytes, read back here as it was made.
        env={**os.environ, "PYTHONIOENCODING": "utf-8:surrogateescape"},
        capture_output=True,
        timeout=300,
        check=False,
    )
    stdout = completed.stdout.decode("utf-8", "surrogateescape").replace(os.sep, "/")
    return completed.returncode, stdout.splitlines(), completed.stderr.decode("utf-8", "backslashreplace")


def test_bad_inputs_in_one_tree_with_worker_processes(tmp_path: Path) -> None:
    made = make_tree(tmp_path)

    code, lines, stderr = run_module(tmp_path, ".")

    assert (code, stderr) == (1, "")
    expected = [re.escape(f"known_{index:02d}.py:") + r"6:1: GEN201 " for index in range(PARALLEL_MINIMUM_FILES)]
    expected += [re.escape(f"{folder}/") + case.expected for folder, case in made.items() if case.expected]
    expected += [re.escape(f"fixable/{name}:") + r"(6:1: GEN201|7:1: GEN501) " for name in FIXABLE_FILES for _ in "12"]
    assert len(lines) == len(expected)
    for pattern in expected:
        assert sum(bool(re.match(pattern, line)) for line in lines) >= 1, pattern


def test_fix_on_bad_inputs_changes_only_what_it_fixes(tmp_path: Path) -> None:
    make_tree(tmp_path)
    others = [path for path in tmp_path.rglob("*.py") if path.is_file() and "fixable" not in path.parts]
    before = {path: path.read_bytes() for path in others}

    code, lines, stderr = run_module(tmp_path, "--fix", ".")

    assert code == 1  # the GEN001 and GEN201 findings remain
    assert stderr.splitlines() == [f"genlint: fixed {len(FIXABLE_FILES)} findings in {len(FIXABLE_FILES)} files"]
    assert not any(" GEN501 " in line for line in lines)
    assert {path: path.read_bytes() for path in others} == before
    for name, data in FIXABLE_FILES.items():
        # Each keeps its byte order mark, line endings and indentation.
        assert (tmp_path / "fixable" / name).read_bytes() == data.replace(b"fit_generator(", b"fit(")


# Internal errors: injected into every process of a real run, where a rule or the analyzer fails on one file.

FAULTS = '''\
"""Fault injection for genlint's tests: imported at start-up by every process, workers included."""
import os

FAULT = os.environ.get("GENLINT_TEST_FAULT", "")


def recurse(depth=0):
    return recurse(depth + 1)


def failing(original, error):
    """`original` (a rule's `check`, or the analyzer's `find`), failing on explodes.py."""

    def replacement(self, first, *args, **kwargs):
        where = getattr(first, "file", None) or first.path  # an astroid Module's file, or a FileModel's path
        if os.path.basename(where) == "explodes.py":
            if error == "recursion":
                recurse()
            if error == "exit":
                os._exit(1)  # as a worker killed for lack of memory, or crashed in an extension module
            raise RuntimeError("injected bug")
        return original(self, first, *args, **kwargs)

    return replacement


if FAULT.startswith("rule-"):
    from genlint.rules.gen201_missing_steps_per_epoch import MissingStepsPerEpochRule as target

    target.check = failing(target.check, FAULT.split("-")[1])
elif FAULT.startswith("analyzer-"):
    from genlint.analysis.consumers import ConsumerFinder as target

    target.find = failing(target.find, FAULT.split("-")[1])
'''
# explodes.py gives GEN201 (the rule that may fail) and GEN501 (a rule that does not).
EXPLODES = ENDLESS_FIT + "model.fit_generator(batches(), steps_per_epoch=5)\n"


def run_with_fault(folder: Path, fault: str, jobs: int) -> subprocess.CompletedProcess[str]:
    """Lint explodes.py and enough other files for the worker pool to start, with FAULTS injected."""
    (folder / "faults").mkdir()
    (folder / "faults" / "sitecustomize.py").write_text(FAULTS, encoding="utf-8")
    project = folder / "project"
    project.mkdir()
    (project / "explodes.py").write_text(EXPLODES, encoding="utf-8")
    for index in range(PARALLEL_MINIMUM_FILES):
        (project / f"train_{index:02d}.py").write_text(ENDLESS_FIT, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "genlint", "--no-cache", "--output-format", "concise", "--jobs", str(jobs), "."],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(folder / "faults"), "GENLINT_TEST_FAULT": fault},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("fault", "jobs", "failed", "error"),
    [
        ("rule-exception", 2, "rule GEN201", "RuntimeError: injected bug"),
        ("rule-recursion", 2, "rule GEN201", "RecursionError: maximum recursion depth exceeded"),
        ("rule-recursion", 1, "rule GEN201", "RecursionError: maximum recursion depth exceeded"),
        ("analyzer-exception", 2, "the analyzer", "RuntimeError: injected bug"),
        ("analyzer-recursion", 2, "the analyzer", "RecursionError: maximum recursion depth exceeded"),
        ("analyzer-recursion", 1, "the analyzer", "RecursionError: maximum recursion depth exceeded"),
    ],
)
def test_internal_error_on_one_file(tmp_path: Path, fault: str, jobs: int, failed: str, error: str) -> None:
    completed = run_with_fault(tmp_path, fault, jobs)

    assert completed.returncode == 2, completed.stderr
    assert len(completed.stderr.splitlines()) == 1, completed.stderr  # one line, no traceback
    message = completed.stderr.strip()
    assert message.startswith(f"genlint: explodes.py: internal error in {failed}: {error}")
    assert message.endswith(f"(please report this at {ISSUE_URL})")
    findings = {tuple(line.split(" ")[:2]) for line in completed.stdout.splitlines()}
    # Every other file is linted by every rule; the failing file by every rule that did not fail.
    assert {(f"train_{index:02d}.py:6:1:", "GEN201") for index in range(PARALLEL_MINIMUM_FILES)} <= findings
    if failed.startswith("rule"):
        assert ("explodes.py:7:7:", "GEN501") in findings
        assert ("explodes.py:6:1:", "GEN201") not in findings
    else:
        assert not any(file.startswith("explodes.py") for file, _ in findings)
    assert len(findings) == PARALLEL_MINIMUM_FILES + (1 if failed.startswith("rule") else 0)


def test_a_worker_process_that_dies_is_reported_without_a_traceback(tmp_path: Path) -> None:
    completed = run_with_fault(tmp_path, "rule-exit", jobs=2)

    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    messages = completed.stderr.splitlines()
    # The files the dead worker had not finished are each named as not linted; none is cached as clean.
    assert any(message.startswith("genlint: explodes.py: ") for message in messages)
    assert all(": not linted: a worker process ended abruptly" in message for message in messages)
    linted = {line.split(":")[0] for line in completed.stdout.splitlines()}
    assert len(linted) + len(messages) == PARALLEL_MINIMUM_FILES + 1
