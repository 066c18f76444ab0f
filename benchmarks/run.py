"""Speed and scale benchmark for genlint (issue 6): genlint against the `ast.parse` floor and pylint.

    .venv/bin/python benchmarks/run.py                 # everything, median of 3 runs
    .venv/bin/python benchmarks/run.py --runs 5 --skip-pylint --only training
    .venv/bin/python benchmarks/run.py --stdlib            # only lint the standard library (smoke test)

On first use it downloads the `tf-keras==2.21.0` wheel with pip and unpacks its .py files, generates the
training-heavy corpus (2,000 files, and its first 200 files for the scaling ratio; see corpus.py), and
installs pylint into a virtual environment of its own. All of that goes to benchmarks/.cache/ and is reused
by later runs. Then it measures, round by round so that each tool sees the same machine state:

- the floor: a fresh `python -c` process that reads and `ast.parse`s every file;
- genlint cold: `python -m genlint --output-format concise <corpus>` (with `--no-cache` when genlint has it);
- genlint warm: the same run again with the cache filled (without a cache, simply another cold run);
- pylint: `pylint --disable=all --enable=unused-import <every file>`;

and prints wall times (median), ratios, the scaling ratio from 200 to 2,000 files, peak memory, and the
issue's goals, each met or not met with the measured figure. Standard library only (pip for the downloads).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
TF_KERAS = "tf-keras==2.21.0"
PYLINT_REQUIREMENT = "pylint==4.1.4"
TRAINING_FILES = 2000
SMALL_FILES = 200
PYLINT_ARGS = ["--disable=all", "--enable=unused-import"]
TIMEOUT = 1800  # seconds, for any one measured process

# Goals from issue 6.
FLOOR_GOAL = 2.0  # cold run at most 2x the ast.parse floor
PYLINT_GOAL = 20.0  # cold run at least 20x faster than pylint
WARM_GOAL = 0.3  # warm run at most 0.3x the floor
SCALING_GOAL = 1.3  # time per file at 2,000 files within 1.3x of that at 200 files
MEMORY_GOAL_MB = 1024.0  # peak memory under 1 GB
MEMORY_GROWTH_GOAL = 1.25  # peak at 2,000 files at most 1.25x the peak at 200 files ("does not grow")

FLOOR_CODE = """
import ast, sys, time
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
start = time.perf_counter()
failed = 0
for path in paths:
    with open(path, "rb") as handle:
        source = handle.read()
    try:
        ast.parse(source, path)
    except (SyntaxError, ValueError):
        failed += 1
print(f"{len(paths)} files, {failed} not parsed, {time.perf_counter() - start:.3f} s in process")
"""

FINDING = re.compile(r"^(?P<path>.+?):\d+:\d+: (?P<code>[A-Z]+\d+) ")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- measuring one process -----------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    returncode: int
    peak_mb: float | None  # the largest of: the process's max RSS, the sampled RSS of its whole process tree
    processes: int  # the most processes seen at once in its tree (1 unless it starts workers)
    stdout: str
    stderr: str


def _tree_rss(pid: int) -> tuple[int, int]:
    """Resident memory (bytes) and number of processes in the tree below `pid`, from /proc; (0, 0) if absent."""
    total, count, todo = 0, 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            count += 1
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total, count


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run `command`, return its wall time, exit status, output and peak memory.

    The peak is the process's own maximum RSS from wait4() (which also covers children it waited for), or,
    when it runs workers side by side, the largest total RSS of its process tree seen by sampling /proc every
    20 ms, whichever is larger.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        peak_tree, most = 0, 1
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree, most
            while not done.wait(0.02):
                rss, count = _tree_rss(process.pid)
                peak_tree, most = max(peak_tree, rss), max(most, count)

        def kill() -> None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()

        sampler = threading.Thread(target=sample, daemon=True)
        timer = threading.Timer(TIMEOUT, kill)
        if os.path.isdir("/proc"):
            sampler.start()
        timer.start()
        maxrss_mb: float | None = None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
            maxrss_mb = usage.ru_maxrss * scale / 2**20
        else:
            process.wait()
        seconds = time.perf_counter() - start
        timer.cancel()
        done.set()
        if sampler.is_alive():
            sampler.join()
        out.seek(0)
        err.seek(0)
        peaks = [value for value in (maxrss_mb, peak_tree / 2**20 if peak_tree else None) if value is not None]
        return Sample(
            seconds=seconds,
            returncode=process.returncode,
            peak_mb=max(peaks) if peaks else None,
            processes=most,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


# ---- preparing the corpora and tools ---------------------------------------------------------------------------


def python_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if path.is_file())


def count_lines(files: list[Path]) -> int:
    total = 0
    for path in files:
        data = path.read_bytes()
        total += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return total


def prepare_tf_keras() -> Path:
    name, version = TF_KERAS.split("==")
    target = CACHE / f"{name}-{version}"
    if (target / ".complete").exists():
        return target
    wheels = CACHE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    if not list(wheels.glob(pattern)):
        log(f"downloading {TF_KERAS} with pip ...")
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", TF_KERAS]
        subprocess.run([*command, "--dest", str(wheels), "--quiet"], check=True)
    wheel = sorted(wheels.glob(pattern))[0]
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as archive:
        members = [member for member in archive.namelist() if member.endswith(".py")]
        for member in members:
            destination = target / member
            if not destination.resolve().is_relative_to(target.resolve()):
                raise SystemExit(f"{wheel.name}: unsafe path in the wheel: {member}")
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))
    (target / ".complete").write_text(wheel.name + "\n")
    log(f"unpacked {len(members)} .py files from {wheel.name}")
    return target


def prepare_training(n_files: int) -> tuple[Path, dict]:
    """The generated corpus of `n_files` files; regenerated when corpus.py or the seed changed."""
    root = CACHE / f"training-{n_files}"
    manifest_path = CACHE / f"training-{n_files}.manifest.json"
    stamp = hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest()[:16]
    if manifest_path.exists() and root.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("generator") == stamp and manifest.get("seed") == corpus.DEFAULT_SEED:
            return root, manifest
    if root.exists():
        shutil.rmtree(root)
    log(f"generating the training corpus: {n_files} files ...")
    manifest = corpus.generate(root, n_files, corpus.DEFAULT_SEED)
    manifest["generator"] = stamp
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return root, manifest


def prepare_pylint() -> tuple[list[str] | None, str]:
    """The command that runs pylint from its own virtual environment, and its version (or why it failed)."""
    venv = CACHE / "pylint-venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    requirement = PYLINT_REQUIREMENT.split("==")[1]

    def version() -> str | None:
        try:
            result = subprocess.run([str(python), "-m", "pylint", "--version"], capture_output=True, text=True)
        except OSError:
            return None
        found = re.search(r"pylint (\S+)", result.stdout)
        return found.group(1) if result.returncode == 0 and found else None

    installed = version() if python.exists() else None
    if installed != requirement:
        log(f"installing {PYLINT_REQUIREMENT} into {venv.relative_to(HERE.parent)} ...")
        try:
            if venv.exists():
                shutil.rmtree(venv)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PYLINT_REQUIREMENT],
                check=True,
                capture_output=True,
                text=True,
            )
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", None) or str(error)
            log(f"pylint could not be installed: {detail.strip().splitlines()[-1] if detail.strip() else error}")
            return None, "install failed"
        installed = version()
        if installed is None:
            return None, "install failed"
    rcfile = CACHE / "empty-pylintrc"  # no user or project configuration can change what pylint runs
    rcfile.write_text("")
    return [str(python), "-m", "pylint", f"--rcfile={rcfile}", *PYLINT_ARGS], installed


@dataclass
class GenlintInfo:
    version: str
    no_cache: bool
    jobs: bool
    cache_dir: bool
    isolated: bool
    package: str  # the folder of the genlint package that runs


def genlint_info() -> GenlintInfo:
    command = [sys.executable, "-m", "genlint"]
    try:
        helped = subprocess.run([*command, "--help"], capture_output=True, text=True, check=True).stdout
        version = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True).stdout
        where = "import os, genlint; print(os.path.dirname(genlint.__file__))"
        package = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit(
            f"genlint does not run with {sys.executable}; use the project's environment:\n"
            "    .venv/bin/python benchmarks/run.py"
        ) from None
    return GenlintInfo(
        version=version.strip().split()[-1] if version.strip() else "?",
        no_cache=bool(re.search(r"--no-cache\b", helped)),
        jobs=bool(re.search(r"--jobs\b", helped)),
        cache_dir=bool(re.search(r"--cache-dir\b", helped)),
        isolated=bool(re.search(r"--isolated\b", helped)),
        package=package.strip(),
    )


def compile_bytecode(info: GenlintInfo, wanted: bool) -> str:
    """Compile genlint's modules to bytecode, as pip does when it installs a package, and say what was done.

    Without it, an editable checkout run with PYTHONDONTWRITEBYTECODE=1 (as in some containers) compiles every
    genlint module in every run, which the timings would count as genlint's start-up; an installed genlint
    never pays that. (`py_compile` writes the files whatever that variable says.)"""
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        why = "PYTHONDONTWRITEBYTECODE is set here, so runs would not write it themselves"
    else:
        why = "the first run would write it otherwise"
    if not wanted:
        return f"genlint's bytecode not compiled up front (--no-compile; {why})"
    result = subprocess.run([sys.executable, "-m", "compileall", "-q", info.package], capture_output=True, text=True)
    if result.returncode != 0:
        return f"compiling genlint's bytecode failed ({result.stdout.strip() or result.stderr.strip()})"
    return f"genlint's bytecode compiled up front, as pip does on install ({why})"


# ---- the benchmark -------------------------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    failed: str = ""

    @property
    def median(self) -> float | None:
        good = [sample.seconds for sample in self.samples]
        return statistics.median(good) if good and not self.failed else None

    @property
    def peak_mb(self) -> float | None:
        peaks = [sample.peak_mb for sample in self.samples if sample.peak_mb is not None]
        return max(peaks) if peaks else None

    @property
    def processes(self) -> int:
        return max((sample.processes for sample in self.samples), default=1)


@dataclass
class Corpus:
    name: str
    root: Path
    files: list[Path]
    lines: int
    manifest: dict | None = None
    series: dict[str, Series] = field(default_factory=dict)
    findings: int | None = None
    recall: tuple[int, int] | None = None
    warm_identical: bool | None = None


def genlint_command(info: GenlintInfo, args: argparse.Namespace, cold: bool) -> list[str]:
    command = [sys.executable, "-m", "genlint", "--output-format", "concise"]
    if info.isolated:
        command.append("--isolated")  # no pyproject.toml above the corpus (this repository's) changes the run
    if cold and info.no_cache:
        command.append("--no-cache")
    if info.cache_dir:
        command += ["--cache-dir", str(CACHE / "genlint-cache")]
    if args.jobs is not None and info.jobs:
        command += ["--jobs", str(args.jobs)]
    return command


def empty_cache(info: GenlintInfo, root: Path) -> None:
    """Remove the result cache that genlint uses for `root`, so that its first run fills it from nothing (a run
    earlier on the same files, by this benchmark or by hand, would otherwise have filled it already)."""
    if info.cache_dir:
        folder = str(CACHE / "genlint-cache")
    else:
        where = f"from genlint.cache import default_folder; print(default_folder([{str(root)!r}]))"
        found = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, cwd=CACHE)
        folder = found.stdout.strip() if found.returncode == 0 else ""
    if folder and Path(folder).name.endswith("cache") and Path(folder).is_dir():
        shutil.rmtree(folder)


def check(series: Series, sample: Sample, ok_codes: tuple[int, ...]) -> None:
    series.samples.append(sample)
    if sample.returncode not in ok_codes and not series.failed:
        tail = (sample.stderr.strip() or sample.stdout.strip()).splitlines()[-3:]
        series.failed = f"exit {sample.returncode}: " + " | ".join(tail)
        log(f"{series.label}: {series.failed}")


def pylint_failed(sample: Sample) -> bool:
    # pylint's exit status is a bit field: 1 fatal, 32 usage error; 2/4/8/16 only mean messages were issued.
    return bool(sample.returncode & 33) or sample.returncode < 0


def run_corpus(
    corp: Corpus,
    info: GenlintInfo,
    args: argparse.Namespace,
    pylint: list[str] | None,
    pylint_runs: int,
) -> None:
    """Measure one corpus: floor, genlint cold, genlint warm and pylint, round by round."""
    list_file = CACHE / f"{corp.name}.files.txt"
    list_file.write_text("".join(f"{path}\n" for path in corp.files))
    floor = corp.series.setdefault("floor", Series("ast.parse floor"))
    cold = corp.series.setdefault("cold", Series("genlint cold"))
    warm = corp.series.setdefault("warm", Series("genlint warm"))
    lint = Series("pylint unused-import")
    if pylint_runs:
        corp.series["pylint"] = lint
    relative = [str(path.relative_to(corp.root)) for path in corp.files]
    target = [str(corp.root.relative_to(CACHE))]

    # Untimed: the files into the page cache, bytecode of the tools compiled.
    measure([sys.executable, "-c", FLOOR_CODE, str(list_file)], CACHE)
    if info.no_cache:
        empty_cache(info, corp.root)
        first = Series("genlint first run (fills the cache)")
        check(first, measure(genlint_command(info, args, cold=False) + target, CACHE), (0, 1))
        corp.series["first"] = first
    for round_index in range(args.runs):
        log(f"{corp.name}: round {round_index + 1}/{args.runs}")
        check(floor, measure([sys.executable, "-c", FLOOR_CODE, str(list_file)], CACHE), (0,))
        check(cold, measure(genlint_command(info, args, cold=True) + target, CACHE), (0, 1))
        check(warm, measure(genlint_command(info, args, cold=False) + target, CACHE), (0, 1))
        if pylint is not None and round_index < pylint_runs and not lint.failed:
            sample = measure(pylint + relative, corp.root)
            lint.samples.append(sample)
            if pylint_failed(sample):
                lint.failed = f"exit {sample.returncode}: " + " | ".join(sample.stderr.strip().splitlines()[-2:])
                log(f"pylint: {lint.failed}")
    if not info.no_cache:
        warm.note = "no cache yet: a second cold run"
    if pylint is None:
        lint.failed = "skipped" if args.skip_pylint else "not installed"
    elif 0 < pylint_runs < args.runs:
        lint.note = f"{pylint_runs} run" + ("s" if pylint_runs != 1 else "")

    if cold.samples and not cold.failed:
        output = cold.samples[0].stdout
        corp.findings = sum(1 for line in output.splitlines() if FINDING.match(line))
        if warm.samples and not warm.failed:
            corp.warm_identical = all(sample.stdout == output for sample in warm.samples + cold.samples)
        if corp.manifest is not None:
            corp.recall = planted_recall(corp, output)


def planted_recall(corp: Corpus, output: str) -> tuple[int, int]:
    """How many units with a planted bug got a finding with that bug's code: (found, planted)."""
    found: dict[str, set[str]] = {}
    for line in output.splitlines():
        match = FINDING.match(line)
        if match:
            path = Path(os.path.abspath(CACHE / match.group("path")))
            with contextlib.suppress(ValueError):
                found.setdefault(path.relative_to(corp.root).as_posix(), set()).add(match.group("code"))
    planted = hits = 0
    assert corp.manifest is not None
    for unit in corp.manifest["units"]:
        if unit["planted"]:
            planted += 1
            codes = set().union(*(found.get(name, set()) for name in unit["files"]))
            hits += unit["planted"][0] in codes
    return hits, planted


def run_empty(info: GenlintInfo, args: argparse.Namespace) -> tuple[Series, Series]:
    """The fixed cost of a run: the interpreter starting (`python -c pass`, which the floor pays too), and
    genlint on an empty folder (interpreter and imports), for the net scaling ratio and the warm goal."""
    empty = CACHE / "empty"
    empty.mkdir(exist_ok=True)
    python = Series("python -c pass (start-up)")
    series = Series("genlint, empty folder")
    for _ in range(args.runs):
        check(python, measure([sys.executable, "-c", "pass"], CACHE), (0,))
        check(series, measure([*genlint_command(info, args, cold=True), "empty"], CACHE), (0,))
    return python, series


# ---- the report ----------------------------------------------------------------------------------------------


def seconds_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def mb_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def ratio_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def in_process_seconds(floor: Series) -> float | None:
    """The median time the floor's processes spent reading and parsing, as they print it (the rest of their
    wall time is the interpreter starting and exiting)."""
    found = [re.search(r"([0-9.]+) s in process", sample.stdout) for sample in floor.samples]
    seconds = [float(match.group(1)) for match in found if match]
    return statistics.median(seconds) if seconds else None


def report(
    corpora: list[Corpus],
    empty: Series | None,
    python_start: Series | None,
    info: GenlintInfo,
    args: argparse.Namespace,
    pylint_version: str,
    bytecode: str,
) -> str:
    lines: list[str] = []
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines.append(
        f"genlint benchmark, {when}: genlint {info.version}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.machine()}; "
        f"median of {args.runs} run{'s' if args.runs != 1 else ''}"
    )
    cache = "--no-cache for cold runs" if info.no_cache else "no cache yet (no --no-cache flag)"
    if info.jobs:
        jobs = f"--jobs {args.jobs}" if args.jobs is not None else "--jobs: genlint's default"
    else:
        jobs = "no --jobs flag" + (f" (--jobs {args.jobs} requested: ignored)" if args.jobs is not None else "")
    isolated = "--isolated; " if info.isolated else ""
    lines.append(f"genlint: {isolated}{cache}; {jobs}.  pylint {pylint_version}: {' '.join(PYLINT_ARGS)}")
    lines.append(
        "Every time is the wall time of a whole process, interpreter start-up included: genlint's, pylint's and "
        "the floor's (a fresh python that reads and ast.parses every file)."
    )
    lines.append(f"{bytecode[0].upper()}{bytecode[1:]}.")
    lines.append("")
    header = ("corpus", "files", "lines", "run", "wall s", "x floor", "pylint/this", "peak RSS", "note")
    rows: list[tuple[str, ...]] = [header]
    for corp in corpora:
        floor = corp.series["floor"].median
        pylint = corp.series["pylint"].median if "pylint" in corp.series else None
        first_row = True
        for key in ("floor", "cold", "first", "warm", "pylint"):
            series = corp.series.get(key)
            if series is None:
                continue
            value = series.median
            note = series.failed or series.note
            if key == "cold" and corp.findings is not None:
                note = f"{corp.findings} findings" + (f"; {note}" if note else "")
            if key == "first" and not note:
                note = "1 run"
            parsing = in_process_seconds(series) if key == "floor" else None
            if parsing is not None:
                note = f"{parsing:.2f} s of it reading and parsing"
            if series.processes > 1:
                note = f"{note}; {series.processes} processes" if note else f"{series.processes} processes"
            rows.append(
                (
                    corp.name if first_row else "",
                    f"{len(corp.files):,}" if first_row else "",
                    f"{corp.lines:,}" if first_row else "",
                    series.label,
                    seconds_text(value),
                    ratio_text(value / floor if value and floor else None),
                    ratio_text(pylint / value if value and pylint else None),
                    mb_text(series.peak_mb),
                    note,
                )
            )
            first_row = False
    for fixed in (python_start, empty):
        if fixed is not None:
            wall, peak = seconds_text(fixed.median), mb_text(fixed.peak_mb)
            rows.append(("(none)", "0", "0", fixed.label, wall, "", "", peak, ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {1, 2, 4, 5, 6, 7}
    for index, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))

    by_name = {corp.name: corp for corp in corpora}
    goals: list[tuple[bool | None, str]] = []
    tf = next((corp for corp in corpora if corp.name.startswith("tf-keras")), None)
    if tf is not None:
        lint = tf.series.get("pylint", Series("pylint", failed="not measured"))
        floor, cold, warm = (tf.series[key].median for key in ("floor", "cold", "warm"))
        pylint = lint.median
        if cold and floor:
            goals.append(
                (
                    cold / floor <= FLOOR_GOAL,
                    f"cold run on {tf.name} at most {FLOOR_GOAL:g}x the ast.parse floor: {cold / floor:.2f}x "
                    f"({cold:.2f} s vs {floor:.2f} s)",
                )
            )
        else:
            goals.append((None, "cold run vs the ast.parse floor: not measured"))
        if cold and pylint:
            goals.append(
                (
                    pylint / cold >= PYLINT_GOAL,
                    f"cold run on {tf.name} at least {PYLINT_GOAL:g}x faster than pylint: {pylint / cold:.1f}x "
                    f"({cold:.2f} s vs {pylint:.2f} s" + (f", pylint {lint.note}" if lint.note else "") + ")",
                )
            )
        else:
            why = lint.failed or "not measured"
            goals.append((None, f"cold run at least {PYLINT_GOAL:g}x faster than pylint: pylint {why}"))
        if warm and floor:
            text = f"warm run on {tf.name} at most {WARM_GOAL:g}x the floor: {warm / floor:.2f}x ({warm:.2f} s)"
            if not info.no_cache:
                text += ": no cache yet, the warm run is another cold run"
            if empty is not None and empty.median:
                text += f"; genlint on an empty folder alone takes {empty.median / floor:.2f}x ({empty.median:.2f} s)"
            goals.append((warm / floor <= WARM_GOAL, text))
        else:
            goals.append((None, "warm run vs the floor: not measured"))
    else:
        goals.append((None, "tf-keras goals (floor, pylint, warm): not measured (--only training)"))

    big, small = by_name.get(f"training-{TRAINING_FILES}"), by_name.get(f"training-{SMALL_FILES}")
    scaling_lines: list[str] = []
    if big and small and big.series["cold"].median and small.series["cold"].median:
        t_big, t_small = big.series["cold"].median, small.series["cold"].median
        per_big, per_small = t_big / len(big.files), t_small / len(small.files)
        raw = per_big / per_small
        scaling_lines.append(
            f"scaling (genlint cold, training corpus): {per_small * 1000:.1f} ms/file at {len(small.files)} files, "
            f"{per_big * 1000:.1f} ms/file at {len(big.files):,} files: ratio {raw:.2f}"
        )
        net = None
        base = empty.median if empty is not None else None
        if base is not None and t_small > base:
            net = ((t_big - base) / len(big.files)) / ((t_small - base) / len(small.files))
            scaling_lines.append(
                f"  net of the fixed cost of a run ({base:.2f} s on an empty folder): "
                f"{(t_small - base) / len(small.files) * 1000:.1f} vs "
                f"{(t_big - base) / len(big.files) * 1000:.1f} ms/file: ratio {net:.2f}"
            )
        judged = net if net is not None else raw
        goals.append(
            (
                judged <= SCALING_GOAL,
                f"time per file at {len(big.files):,} files within {SCALING_GOAL:g}x of that at {len(small.files)}: "
                f"{judged:.2f}x" + (" net of start-up" if net is not None else "") + f" ({raw:.2f}x with it)",
            )
        )
        peak_big, peak_small = big.series["cold"].peak_mb, small.series["cold"].peak_mb
        if peak_big is not None and peak_small is not None:
            goals.append(
                (
                    peak_big < MEMORY_GOAL_MB,
                    f"peak memory under 1 GB: {peak_big:.0f} MB at {len(big.files):,} files",
                )
            )
            extra_files = len(big.files) - len(small.files)
            growth_kb = (peak_big - peak_small) * 1024 / extra_files
            output_kb = (
                (
                    len(big.series["cold"].samples[0].stdout.encode())
                    - len(small.series["cold"].samples[0].stdout.encode())
                )
                / 1024
                / extra_files
            )
            goals.append(
                (
                    peak_big <= MEMORY_GROWTH_GOAL * peak_small,
                    f"memory does not grow with the files (at most {MEMORY_GROWTH_GOAL:g}x from {len(small.files)} "
                    f"to {len(big.files):,} files): {peak_small:.0f} MB -> {peak_big:.0f} MB, "
                    f"{peak_big / peak_small:.2f}x: {growth_kb:.0f} KB more per file, against {output_kb:.2f} KB of "
                    "reported results per file",
                )
            )
        else:
            goals.append((None, "peak memory: not measured on this platform"))
    else:
        goals.append((None, "training-corpus goals (scaling, memory): not measured"))

    if scaling_lines:
        lines.append("")
        lines += scaling_lines
    lines.append("")
    lines.append("goals (issue 6):")
    for met, text in goals:
        mark = "n/a    " if met is None else ("met    " if met else "NOT MET")
        lines.append(f"  [{mark}] {text}")

    checks = []
    for corp in corpora:
        if corp.warm_identical is not None:
            checks.append(f"{corp.name}: warm output identical to cold: {'yes' if corp.warm_identical else 'NO'}")
        if corp.recall is not None:
            hits, planted = corp.recall
            checks.append(f"{corp.name}: planted bugs found: {hits}/{planted} units")
    if checks:
        lines.append("")
        lines.append("checks:")
        lines += [f"  {check}" for check in checks]
    return "\n".join(lines)


def stdlib_smoke(jobs: int | None) -> int:
    """Lint the running interpreter's standard library with every rule (issue 7's smoke test, also run by
    tests/test_stdlib_smoke.py) and report the files, the internal errors and the time; 1 on internal errors."""
    import sysconfig

    stdlib = sysconfig.get_paths()["stdlib"]
    command = [sys.executable, "-m", "genlint", "--no-cache", "--isolated", "--select", "GEN", "--jobs", str(jobs or 2)]
    command += ["--output-format", "json", stdlib]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    seconds = time.perf_counter() - started
    try:
        summary = json.loads(completed.stdout)["summary"]
    except (ValueError, KeyError):
        print(f"stdlib smoke: genlint failed (exit {completed.returncode}): {completed.stderr.strip()[-2000:]}")
        return 1
    unparsed = summary["by_code"].get("GEN001", {}).get("count", 0)
    print(
        f"stdlib smoke: {stdlib}: {summary['files']:,} files, {unparsed} not parsed (GEN001), "
        f"{summary['internal_errors']} internal errors, {seconds:.1f} s"
    )
    if completed.stderr:
        print(completed.stderr, end="")
    return 1 if summary["internal_errors"] else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement; the median is reported")
    parser.add_argument(
        "--pylint-runs",
        type=int,
        default=None,
        help="timed pylint runs per corpus (default: --runs; pylint is not run on the 200-file prefix unless given)",
    )
    parser.add_argument("--skip-pylint", action="store_true", help="do not install or run pylint")
    parser.add_argument("--only", choices=["tf-keras", "training"], help="benchmark one corpus only")
    parser.add_argument("--jobs", type=int, help="passed to genlint as --jobs N, if this genlint has --jobs")
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="do not compile genlint's bytecode up front, as pip would on install (see compile_bytecode)",
    )
    parser.add_argument(
        "--stdlib",
        action="store_true",
        help="only lint this interpreter's standard library: files, internal errors and seconds (issue 7)",
    )
    args = parser.parse_args(argv)
    if args.stdlib:
        return stdlib_smoke(args.jobs)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    CACHE.mkdir(parents=True, exist_ok=True)
    ignore = CACHE / ".gitignore"  # like .pytest_cache: git, ruff and friends skip the folder from the start
    if not ignore.exists():
        ignore.write_text("# Created by benchmarks/run.py: downloads, generated corpora, a pylint venv.\n*\n")
    info = genlint_info()
    bytecode = compile_bytecode(info, not args.no_compile)
    log(bytecode)
    if args.jobs is not None and not info.jobs:
        log(f"this genlint has no --jobs flag: --jobs {args.jobs} is ignored")
    pylint, pylint_version = (None, "skipped") if args.skip_pylint else prepare_pylint()

    corpora: list[Corpus] = []
    if args.only in (None, "tf-keras"):
        root = prepare_tf_keras()
        files = python_files(root)
        corpora.append(Corpus(root.name, root, files, count_lines(files)))
    if args.only in (None, "training"):
        for n_files in (TRAINING_FILES, SMALL_FILES):
            root, manifest = prepare_training(n_files)
            files = python_files(root)
            corpora.append(Corpus(root.name, root, files, count_lines(files), manifest))

    started = time.perf_counter()
    for corp in corpora:
        runs = args.pylint_runs if args.pylint_runs is not None else args.runs
        if corp.name == f"training-{SMALL_FILES}":
            runs = 0 if args.pylint_runs is None else args.pylint_runs  # the scaling rows need genlint only
        log(f"{corp.name}: {len(corp.files):,} files, {corp.lines:,} lines")
        run_corpus(corp, info, args, pylint, runs)
    python_start, empty = run_empty(info, args)
    log(f"measured in {time.perf_counter() - started:.0f} s")

    text = report(corpora, empty, python_start, info, args, pylint_version, bytecode)
    print(text)
    (CACHE / "last-run.txt").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
