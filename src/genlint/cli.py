"""Command line: arguments and exit codes, nothing else."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from genlint import __version__, cache
from genlint.config import TARGETS, ConfigError, Configuration, Options, parse_per_file_ignores
from genlint.discovery import MissingPathError, discover
from genlint.engine import RunResult, lint_paths
from genlint.reporters import REPORTERS, STATISTICS_FORMATS, ReportOptions, write_report
from genlint.rules import PluginError, Rule, all_rules
from genlint.suppression import RuleCatalog

if TYPE_CHECKING:
    from genlint.fixes import FileFix

EXIT_CLEAN = 0
EXIT_DIAGNOSTICS = 1
EXIT_FAILURE = 2


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genlint",
        description="Find input-pipeline bugs in Keras training code, without running it.",
    )
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders to lint (default: .)")
    _add_output_options(parser)
    _add_configuration_options(parser)
    _add_fix_options(parser)
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="lint with N worker processes (default: the number of CPUs; large runs only); the output is the same",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help=f"neither read nor write the result cache ({cache.FOLDER}/)"
    )
    parser.add_argument("--version", action="version", version=f"genlint {__version__}")
    return parser


def _add_configuration_options(parser: argparse.ArgumentParser) -> None:
    """Which rules run, on which files, for which Keras: each overrides the same key of [tool.genlint]."""
    configuration = parser.add_argument_group(
        "configuration",
        "By default each file is linted with the [tool.genlint] table of the nearest pyproject.toml above it that "
        "has one. These options override its keys of the same names. CODES: codes, rule names or prefixes such "
        "as GEN1, separated by commas; the options that take them are repeatable.",
    )
    source = configuration.add_mutually_exclusive_group()
    source.add_argument(
        "--config", metavar="PATH", help="read [tool.genlint] from this file only, for every linted file"
    )
    source.add_argument("--isolated", action="store_true", help="read no configuration file")
    configuration.add_argument(
        "--select", action="append", metavar="CODES", help="run only these rules (and GEN001, which always runs)"
    )
    configuration.add_argument(
        "--extend-select",
        action="append",
        default=[],
        metavar="CODES",
        help="also run these rules, e.g. the ones that are off by default, GEN003 and GEN108",
    )
    configuration.add_argument("--ignore", action="append", default=[], metavar="CODES", help="do not run these rules")
    configuration.add_argument(
        "--per-file-ignores",
        action="append",
        metavar="PATTERN:CODES",
        help="drop these rules' findings in the files that match a gitignore-style pattern read from the working "
        "folder, e.g. 'tests/:GEN101,GEN2'; replaces per-file-ignores of the configuration",
    )
    configuration.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="skip files and folders below the linted folders that match this gitignore-style pattern, read from "
        "the linted folder or the working folder, besides the folders always skipped (.git, .venv, build, "
        "__pycache__, ...); replaces the configuration's exclude (repeatable)",
    )
    configuration.add_argument(
        "--extend-exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="like --exclude, but adds to the default excludes and those of the configuration",
    )
    configuration.add_argument(
        "--target",
        choices=TARGETS,
        default=None,
        help="the Keras the code runs on: keras3 (default) or tf-keras (Keras 2); it changes some findings' "
        "wording and severity",
    )


def _add_fix_options(parser: argparse.ArgumentParser) -> None:
    """`--fix`, `--diff`, `--unsafe-fixes`: repair what the findings' rules know how to repair."""
    fixing = parser.add_argument_group("fixes")
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes, then report what remains (the exit status reflects what remains)",
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what --fix would change, and change nothing; exit 1 when there is a diff",
    )
    fixing.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, apply the unsafe fixes too: they may change what the code does",
    )


def _fix(options: argparse.Namespace, configuration: Configuration, result: RunResult, stderr: TextIO) -> list[FileFix]:
    """Fix the files in memory, report refusals, and write them unless this is `--diff`."""
    from genlint.fixes import fix_result, write_fixes  # libcst loads only when fixing: it slows start-up

    linted = {os.path.abspath(path) for path in discover(options.paths, exclude_for=configuration.exclude_for)}
    fixed = fix_result(result, configuration, unsafe=options.unsafe_fixes, only=linted)
    for file_fix in fixed:
        if file_fix.refused:
            print(f"genlint: not fixing {file_fix.path}: {file_fix.refused}", file=stderr)
    if not options.diff:
        failures = write_fixes(fixed)
        for file_fix, reason in failures:
            print(f"genlint: cannot write {file_fix.path}: {reason}", file=stderr)
        unwritten = {file_fix.path for file_fix, _ in failures}
        written = [file_fix for file_fix in fixed if file_fix.changed and file_fix.path not in unwritten]
        if written and not options.quiet:
            count = sum(file_fix.applied for file_fix in written)
            findings = "finding" if count == 1 else "findings"
            files = "file" if len(written) == 1 else "files"
            print(f"genlint: fixed {count} {findings} in {len(written)} {files}", file=stderr)
    return fixed


def _configuration(options: argparse.Namespace) -> Configuration:
    """The configuration of a run: the configuration files (unless --isolated), the command line on top."""
    per_file_ignores = options.per_file_ignores
    command_line = Options(
        select=None if options.select is None else _codes(options.select),
        extend_select=_codes(options.extend_select),
        ignore=_codes(options.ignore),
        per_file_ignores=None if per_file_ignores is None else parse_per_file_ignores(per_file_ignores),
        exclude=None if options.exclude is None else tuple(options.exclude),
        extend_exclude=tuple(options.extend_exclude),
        target=options.target,
    )
    return Configuration(command_line, config_file=options.config, isolated=options.isolated)


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """`--select GEN1,GEN201 --select GEN3` → ("GEN1", "GEN201", "GEN3")."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    """What is printed and the exit status; `genlint rule CODE` is a command of its own (see `main`)."""
    output = parser.add_argument_group("output")
    output.add_argument(
        "--output-format",
        choices=sorted(REPORTERS),
        default=None,
        help="full (default on a terminal); concise (default otherwise): path:line:col: CODE message; json: a "
        "versioned object with every finding and a summary; sarif: SARIF 2.1.0 for GitHub code scanning; github: "
        "GitHub Actions annotations",
    )
    output.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings each rule has (code and name) instead of the findings; as JSON with "
        "--output-format json",
    )
    output.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print the findings only: no summary, and nothing when there are none",
    )
    output.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit with 0 even when there are findings (still 2 when genlint cannot do its job)",
    )


def _check_output_options(parser: argparse.ArgumentParser, options: argparse.Namespace) -> None:
    if options.statistics and options.output_format not in (None, *STATISTICS_FORMATS):
        parser.error(f"--statistics cannot be combined with --output-format {options.output_format}")


def _rule_command(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    """`genlint rule GEN101`, `genlint rule finite-generator`, `genlint rule --all`: the documentation."""
    parser = argparse.ArgumentParser(prog="genlint rule", description="Print a rule's documentation.")
    parser.add_argument("rule", nargs="?", help="a rule code (GEN101) or name (finite-generator)")
    parser.add_argument("--all", action="store_true", help="print the documentation of every rule")
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            options = parser.parse_args(argv)
            if options.all == (options.rule is not None):
                parser.error("give one rule code or name, or --all")
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    try:
        rules = all_rules()
    except PluginError as error:
        print(f"genlint: error: {' '.join(str(error).splitlines())}", file=stderr)
        return EXIT_FAILURE
    chosen = _rule_named(options.rule, rules, stderr) if options.rule is not None else rules
    if not chosen:
        return EXIT_FAILURE
    from genlint.reporters.documentation import write_rule_documentation  # rich loads only when it is used

    rendered = _is_terminal(stdout)
    color = rendered and not os.environ.get("NO_COLOR")
    try:
        write_rule_documentation(chosen, stdout, rendered=rendered, color=color)
        stdout.flush()
    except BrokenPipeError:  # `genlint rule --all | head`
        _discard_further_output(stdout)
    return EXIT_CLEAN


def _rule_named(written: str, rules: Sequence[type[Rule]], stderr: TextIO) -> tuple[type[Rule], ...]:
    """The rule a code or name names, or nothing after an error message with the closest match."""
    catalog = RuleCatalog.of(rules)
    code = catalog.code_for(written)
    if code is not None:
        return tuple(rule for rule in rules if rule.code == code)
    closest = catalog.closest(written)
    hint = f"did you mean `{closest}`? " if closest else ""
    print(
        f"genlint rule: error: unknown rule `{written}` ({hint}give a code such as GEN101 or a name such as "
        "finite-generator; `genlint rule --all` prints every rule)",
        file=stderr,
    )
    return ()


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = _tolerant(sys.stdout if stdout is None else stdout)
    stderr = _tolerant(sys.stderr if stderr is None else stderr)
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["rule"]:  # a command of its own; lint a folder named `rule` as `./rule`
        return _rule_command(arguments[1:], stdout, stderr)
    parser = build_parser()
    try:
        # argparse prints usage errors, --help and --version itself: send those to our streams too.
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            options = parser.parse_args(argv)
            _check_output_options(parser, options)
    except SystemExit as exit_request:  # argparse exits 2 on usage errors, 0 for --help / --version
        return int(exit_request.code or 0)
    try:
        configuration = _configuration(options)
        cache_dir = None if options.no_cache else cache.default_folder(options.paths)
        result = lint_paths(options.paths, configuration, jobs=options.jobs, cache_dir=cache_dir)
        if options.fix or options.diff:
            fixed = _fix(options, configuration, result, stderr)
            if options.diff:
                return _write_diff(fixed, result, stdout, stderr)
            result = lint_paths(options.paths, configuration, jobs=options.jobs, cache_dir=cache_dir)  # what remains
    except (ConfigError, MissingPathError, PluginError) as error:
        message = " ".join(str(error).splitlines())  # a plugin's error may span lines; ours is one
        print(f"genlint: error: {message}", file=stderr)
        return EXIT_FAILURE
    _write_report(result, options, stdout)
    for internal_error in result.internal_errors:
        print(f"genlint: {internal_error}", file=stderr)
    if result.internal_errors:
        return EXIT_FAILURE
    return EXIT_DIAGNOSTICS if result.diagnostics and not options.exit_zero else EXIT_CLEAN


def _write_diff(fixed: list[FileFix], result: RunResult, stdout: TextIO, stderr: TextIO) -> int:
    """`--diff`: the diffs only; 1 when there is one, 2 on internal errors."""
    diffs = [file_fix.diff() for file_fix in fixed if file_fix.changed]
    try:
        stdout.write("".join(diffs))
        stdout.flush()
    except BrokenPipeError:
        _discard_further_output(stdout)
    for internal_error in result.internal_errors:
        print(f"genlint: {internal_error}", file=stderr)
    if result.internal_errors:
        return EXIT_FAILURE
    return EXIT_DIAGNOSTICS if diffs else EXIT_CLEAN


def _write_report(result: RunResult, options: argparse.Namespace, stdout: TextIO) -> None:
    is_terminal = _is_terminal(stdout)
    # https://no-color.org: NO_COLOR counts when it is set to anything but the empty string.
    color = is_terminal and not os.environ.get("NO_COLOR")
    output_format = options.output_format or ("full" if is_terminal else "concise")
    report = ReportOptions(output_format, color=color, quiet=options.quiet, statistics=options.statistics)
    try:
        write_report(result, stdout, report)
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
