"""Command line: arguments and exit codes, nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from genlint import __version__
from genlint.discovery import MissingPathError
from genlint.engine import lint_paths
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
        help="skip files and folders that match this gitignore-style pattern (repeatable)",
    )
    parser.add_argument("--version", action="version", version=f"genlint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as exit_request:  # argparse exits 2 on usage errors, 0 for --help / --version
        return int(exit_request.code or 0)
    try:
        result = lint_paths(options.paths, options.exclude)
    except MissingPathError as error:
        print(f"genlint: error: {error}", file=stderr)
        return EXIT_FAILURE
    except PluginError as error:
        print(f"genlint: error: {error}", file=stderr)
        return EXIT_FAILURE
    is_terminal = _is_terminal(stdout)
    output_format = options.output_format or ("full" if is_terminal else "concise")
    color = is_terminal and "NO_COLOR" not in os.environ
    REPORTERS[output_format](result, stdout, color=color)
    for error in result.internal_errors:
        print(f"genlint: {error}", file=stderr)
    if result.internal_errors:
        return EXIT_FAILURE
    return EXIT_DIAGNOSTICS if result.diagnostics else EXIT_CLEAN


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
