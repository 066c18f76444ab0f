"""Smoke test: the running interpreter's whole standard library (about 2,000 files, with the deliberately broken
files of its test suite) lints with every rule and without an internal error. About 10 s with two workers;
`benchmarks/run.py --stdlib` runs the same and reports the figures."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from genlint.config import Configuration, Options
from genlint.engine import lint_paths

STANDARD_LIBRARY = Path(sysconfig.get_paths()["stdlib"]).resolve()


def test_the_standard_library_lints_without_an_internal_error() -> None:
    every_rule = Configuration(Options(select=("GEN",)), isolated=True)

    result = lint_paths([str(STANDARD_LIBRARY)], every_rule, jobs=2, cache_dir=None)

    assert result.internal_errors == []
    assert result.files > 500  # a distribution may leave the test suite out, never the library itself
    # Python's own modules all parse: the files genlint cannot parse are test data (or lib2to3's Python 2).
    unparsed = {Path(diagnostic.path).resolve() for diagnostic in result.diagnostics if diagnostic.code == "GEN001"}
    assert all({"test", "tests"} & set(path.relative_to(STANDARD_LIBRARY).parts) for path in unparsed), unparsed
