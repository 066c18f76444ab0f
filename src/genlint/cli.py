"""Command line: arguments and exit codes, nothing else."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from genlint import __version__
from genlint.discovery import MissingPathError
from genlint.engine import TARGETS, RunResult, SelectionError, lint_paths
from genlint.reporters import REPORTERS
from genlint.rules import PluginError

EXIT_CLEAN = 0
EXIT_DIAGNOSTICS = 1
EXIT_FAILURE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genlint",
        description="Find input-pipeline bugs in Keras training code, without running it.",
    )
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders to lint (default: .)")
    parser.add_argument(
        "--output-format",
        choices=sorted(REPORTERS),
        default=None,
        help="full (default on a terminal) or concise (default otherwise): path:line:col: CODE message",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and folders below the linted folders that match this gitignore-style pattern, read from "
        "the linted folder or the working folder (repeatable)",
    )
    parser.add_argument(
        "--target",
        choices=TARGETS,
        default="keras3",
        help="the Keras the code runs on: keras3 (default) or tf-keras (Keras 2); it changes some findings' "
        "wording and severity",
    )
    parser.add_argument(
        "--extend-select",
        action="append",
        default=[],
        metavar="CODES",
        help="also run these rules, e.g. the ones that are off by default such as GEN003: codes, names or "
        "prefixes like GEN1, separated by commas (repeatable)",
    )
    parser.add_argument("--version", action="version", version=f"genlint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = _tolerant(sys.stdout if stdout is None else stdout)
    stderr = _tolerant(sys.stderr if stderr is None else stderr)
    parser = build_parser()
    try:
        # argparse prints usage errors, --help and --version itself: send those to our streams too.
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            options = parser.parse_args(argv)
    except SystemExit as exit_request:  # argparse exits 2 on usage errors, 0 for --help / --version
        return int(exit_request.code or 0)
    selected = [code.strip() for value in options.extend_select for code in value.split(",") if code.strip()]
    try:
        result = lint_paths(options.paths, options.exclude, target=options.target, extend_select=selected)
    except SelectionError as error:
        print(f"genlint: error: --extend-select: {error}", file=stderr)
        return EXIT_FAILURE
    except (MissingPathError, PluginError) as error:
        message = " ".join(str(error).splitlines())  # a plugin's error may span lines; ours is one
        print(f"genlint: error: {message}", file=stderr)
        return EXIT_FAILURE
    _write_report(result, options.output_format, stdout)
    for internal_error in result.internal_errors:
        print(f"genlint: {internal_error}", file=stderr)
    if result.internal_errors:
        return EXIT_FAILURE
    return EXIT_DIAGNOSTICS if result.diagnostics else EXIT_CLEAN


def _write_report(result: RunResult, output_format: str | None, stdout: TextIO) -> None:
    is_terminal = _is_terminal(stdout)
    # https://no-color.org: NO_COLOR counts when it is set to anything but the empty string.
    color = is_terminal and not os.environ.get("NO_COLOR")
    reporter = REPORTERS[output_format or ("full" if is_terminal else "concise")]
    try:
        reporter(result, stdout, color=color)
        stdout.flush()
    except BrokenPipeError:  # the reader went away, as in `genlint . | head`: stop writing, quietly
        _discard_further_output(stdout)


def _discard_further_output(stream: TextIO) -> None:
    """Point the stream's file at /dev/null, so that the interpreter's last flush at exit does not fail too."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not backed by a file: nothing will flush it at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _tolerant(stream: TextIO) -> TextIO:
    """Let a stream that cannot encode every character (an ASCII console, a file name with undecodable
    bytes) write an escape for it, instead of failing in the middle of the report."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors="backslashreplace")
    return stream


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
