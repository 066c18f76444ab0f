"""Fuzzing with hypothesmith: generated programs, alone and inside a training script, lint with every rule (those
off by default too) and fix without an internal error or an exception. The number of examples is bounded, so
that the suite stays fast; hypothesis keeps the failing examples it finds in .hypothesis/ and tries them first."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genlint.engine import lint_files
from genlint.fixes import fix_result
from genlint.rules import all_rules

RULES = all_rules()
BOUNDED = settings(
    max_examples=20,
    deadline=None,  # the first example pays for astroid's start-up; some programs are large
    # hypothesmith discards many of the trees it draws (those that do not compile): the filtering is theirs
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)


def in_training_script(program: str) -> str:
    """The program at the top of a training script and in the body of the generator that feeds `fit`, where the
    rules look hardest: steps, yields, loops, legacy calls with fixes."""
    body = textwrap.indent(program, "    ", lambda line: True) if program.strip() else ""
    return f"""\
import keras


def batches(x, y, batch_size):
{body}
    while True:
        yield x[:batch_size], y[:batch_size]


{program}
model.fit(batches(x, y, 32), epochs=3)
model.fit_generator(batches(x, y, 32), steps_per_epoch=len(x) / 32, batch_size=32, workers=4)
model.evaluate(batches(x, y, 32))
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def lint_and_fix(folder: Path, source: str) -> None:
    path = folder / "train.py"
    path.write_text(source, encoding="utf-8", errors="surrogatepass")

    result = lint_files([path], rules=RULES)

    assert result.internal_errors == []
    for file_fix in fix_result(result, rules=RULES, unsafe=True):
        assert file_fix.refused == ""
        if file_fix.changed:
            ast.parse(file_fix.fixed)  # a fix never breaks the file


@BOUNDED
@given(program=hypothesmith.from_grammar())
def test_programs_from_the_grammar(folder: Path, program: str) -> None:
    lint_and_fix(folder, program)


@BOUNDED
@given(program=hypothesmith.from_node())
def test_programs_from_syntax_trees(folder: Path, program: str) -> None:
    lint_and_fix(folder, program)


@BOUNDED
@given(program=st.one_of(hypothesmith.from_node(), hypothesmith.from_grammar()))
def test_programs_inside_a_training_script(folder: Path, program: str) -> None:
    lint_and_fix(folder, in_training_script(program))
