"""The unsafe fixes of GEN101 (wrap the pass in `while True:`), GEN108 (move the shuffle into the loop) and
GEN206 (remove or move the worker arguments) on layouts that the rules' own examples do not show: tabs,
CRLF line endings, comments and strings inside the moved code, nested loops, multi-line calls, and the
shapes where no fix is offered."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst
import pytest

from genlint.analysis.project import parse_module
from genlint.engine import lint_files
from genlint.fixes import fix_result
from genlint.rules import Rule
from genlint.rules.base import FixSafety
from genlint.rules.gen101_finite_generator import FiniteGeneratorRule
from genlint.rules.gen108_shuffle_once import ShuffleOnceRule
from genlint.rules.gen206_removed_worker_arguments import RemovedWorkerArgumentsRule
from genlint.rules.reindent import layout_of


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def fix(tmp_path: Path, rule: type[Rule], source: str, newline: str = "\n") -> str:
    """`train.py` after `--fix --unsafe-fixes`, written with `newline` line endings. The rule must report;
    a changed result must parse, no longer have the finding, and stay as it is when fixed again."""
    assert rule.fix_safety is FixSafety.UNSAFE
    path = tmp_path / "train.py"
    path.write_bytes(textwrap.dedent(source).replace("\n", newline).encode("utf-8"))
    result = lint_files([path], (rule,))
    assert any(diagnostic.code == rule.code for diagnostic in result.diagnostics), "the rule must report"
    assert fix_result(result, unsafe=False, rules=(rule,)) == [], "an unsafe fix needs --unsafe-fixes"
    file_fixes = fix_result(result, unsafe=True, rules=(rule,))
    assert [file_fix.refused for file_fix in file_fixes if file_fix.refused] == []
    if not file_fixes or not file_fixes[0].changed:
        return path.read_bytes().decode("utf-8")
    fixed = file_fixes[0].fixed
    libcst.parse_module(fixed)
    path.write_bytes(fixed.encode("utf-8"))
    after = lint_files([path], (rule,))
    assert [diagnostic for diagnostic in after.diagnostics if diagnostic.code == rule.code] == []
    assert not any(file_fix.changed for file_fix in fix_result(after, unsafe=True, rules=(rule,)))
    return fixed


# --- GEN101: wrap the pass over the data in `while True:` ----------------------------------------------

ONE_PASS_CALL = "\n\nmodel.fit(batches(x_train, y_train, 32), steps_per_epoch=10, epochs=3)\n"


def test_gen101_tab_indented_generator_gets_a_tab_level(tmp_path: Path) -> None:
    source = (
        "def batches(x, y, batch_size):\n\tfor start in range(0, len(x), batch_size):\n\t\tyield x[start], y[start]\n"
    )
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL)
    assert fixed.startswith(
        "def batches(x, y, batch_size):\n\twhile True:\n\t\tfor start in range(0, len(x), batch_size):\n"
        "\t\t\tyield x[start], y[start]\n"
    )


def test_gen101_two_space_indentation_gets_two_spaces(tmp_path: Path) -> None:
    source = (
        "def batches(x, y, batch_size):\n  for start in range(0, len(x), batch_size):\n    yield x[start], y[start]\n"
    )
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL)
    assert fixed.startswith(
        "def batches(x, y, batch_size):\n  while True:\n    for start in range(0, len(x), batch_size):\n"
        "      yield x[start], y[start]\n"
    )


def test_gen101_crlf_file_gets_a_crlf_while_line(tmp_path: Path) -> None:
    source = """\
    def batches(x, y, batch_size):
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
    """
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL, newline="\r\n")
    assert "\r\n    while True:\r\n        for start" in fixed
    assert fixed.count("\n") == fixed.count("\r\n")


def test_gen101_comments_and_blank_lines_move_with_the_loop(tmp_path: Path) -> None:
    source = """\
    def batches(x, y, batch_size):
        # the pass over the data
        for start in range(0, len(x), batch_size):
            # one batch
            rows = slice(start, start + batch_size)

            yield x[rows], y[rows]  # a tuple
            # the partial last batch is served as it is
    """
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL)
    assert fixed.startswith(
        textwrap.dedent(
            """\
            def batches(x, y, batch_size):
                # the pass over the data
                while True:
                    for start in range(0, len(x), batch_size):
                        # one batch
                        rows = slice(start, start + batch_size)

                        yield x[rows], y[rows]  # a tuple
                        # the partial last batch is served as it is
            """
        )
    )


def test_gen101_multi_line_string_keeps_its_text(tmp_path: Path) -> None:
    source = '''\
    def batches(x, y, batch_size):
        header = """rows
      of data
    """
        for start in range(0, len(x), batch_size):
            label = f"""batch {start}
    of {len(x)}"""
            yield x[start:start + batch_size], y[start:start + batch_size]
    '''
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL)
    assert '        header = """rows\n  of data\n"""\n' in fixed
    assert '            label = f"""batch {start}\nof {len(x)}"""\n' in fixed
    strings = [node.value for node in ast.walk(ast.parse(fixed)) if isinstance(node, ast.Constant)]
    assert "rows\n  of data\n" in strings


def test_gen101_nested_loops_move_as_one(tmp_path: Path) -> None:
    source = """\
    def batches(x, y, batch_size):
        chunks = [(x[i:i + 1000], y[i:i + 1000]) for i in range(0, len(x), 1000)]
        for chunk_x, chunk_y in chunks:
            for start in range(0, len(chunk_x), batch_size):
                yield chunk_x[start:start + batch_size], chunk_y[start:start + batch_size]
    """
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL)
    assert fixed.startswith(
        textwrap.dedent(
            """\
            def batches(x, y, batch_size):
                while True:
                    chunks = [(x[i:i + 1000], y[i:i + 1000]) for i in range(0, len(x), 1000)]
                    for chunk_x, chunk_y in chunks:
                        for start in range(0, len(chunk_x), batch_size):
                            yield chunk_x[start:start + batch_size], chunk_y[start:start + batch_size]
            """
        )
    )


def test_gen101_setup_that_rebinds_a_parameter_runs_once(tmp_path: Path) -> None:
    source = """\
    def batches(x, y, batch_size):
        x = x / 255.0
        order = list(range(len(x)))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]
    """
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + ONE_PASS_CALL)
    assert fixed.startswith(
        textwrap.dedent(
            """\
            def batches(x, y, batch_size):
                x = x / 255.0
                while True:
                    order = list(range(len(x)))
                    for start in range(0, len(order), batch_size):
            """
        )
    )


NO_FIX = {
    "the loop in a try": """\
    def batches(x, y, batch_size):
        try:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]
        finally:
            print("done")
    """,
    "a return value": """\
    def batches(x, y, batch_size):
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
        return len(x)
    """,
    "two loops": """\
    def batches(x, y, batch_size):
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size] * -1, y[start:start + batch_size]
    """,
    "a statement after the loop": """\
    def batches(x, y, batch_size):
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
        print("one pass done")
    """,
    "a file object read once": """\
    import numpy as np


    def batches(path, batch_size):
        handle = open(path)
        for line in handle:
            yield np.array([float(value) for value in line.split(",")]), 0
    """,
    "a counter set before the loop would not restart": """\
    def batches(x, y, batch_size):
        served = 0
        x = x[:1000]
        for start in range(0, len(x), batch_size):
            served += 1
            yield x[start:start + batch_size], y[start:start + batch_size]
    """,
}


@pytest.mark.parametrize("source", NO_FIX.values(), ids=NO_FIX.keys())
def test_gen101_offers_no_fix_for_other_shapes(tmp_path: Path, source: str) -> None:
    call = "\n\nmodel.fit(batches(train_x, train_y, 32), steps_per_epoch=10, epochs=3)\n"
    if "path" in source:
        call = call.replace("train_x, train_y", '"train.csv"')
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + call)
    assert fixed == textwrap.dedent(source) + call


NO_FIX_CALLERS = {
    "no steps_per_epoch": "model.fit(batches(x_train, y_train, 32), epochs=3)\n",
    "also read to its end by predict": (
        "model.fit(batches(x_train, y_train, 32), steps_per_epoch=10, epochs=3)\n"
        "scores = model.predict(batches(x_test, y_test, 32))\n"
    ),
    "also looped over by hand": (
        "model.fit(batches(x_train, y_train, 32), steps_per_epoch=10, epochs=3)\n"
        "count = sum(1 for _ in batches(x_test, y_test, 32))\n"
    ),
}


@pytest.mark.parametrize("calls", NO_FIX_CALLERS.values(), ids=NO_FIX_CALLERS.keys())
def test_gen101_offers_no_fix_when_a_caller_needs_the_end(tmp_path: Path, calls: str) -> None:
    source = """\
    def batches(x, y, batch_size):
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


    """
    fixed = fix(tmp_path, FiniteGeneratorRule, textwrap.dedent(source) + calls)
    assert fixed == textwrap.dedent(source) + calls


@pytest.mark.parametrize(
    ("argument", "fixed_too"),
    [
        ("rows = (row for row in [1.0, 2.0, 3.0])", False),
        ("rows = iter([1.0, 2.0, 3.0])", False),
        ("rows = [row * 2 for row in range(10)]", True),
    ],
    ids=["a generator expression", "an iterator", "a list"],
)
def test_gen101_loop_over_a_parameter_depends_on_what_the_caller_passes(
    tmp_path: Path, argument: str, fixed_too: bool
) -> None:
    source = f"def batches(rows):\n    for row in rows:\n        yield row, 0\n\n\n{argument}\n"
    source += "model.fit(batches(rows), steps_per_epoch=2, epochs=3)\n"
    fixed = fix(tmp_path, FiniteGeneratorRule, source)
    assert (fixed != source) is fixed_too


def test_gen101_loop_over_a_parameter_the_caller_fills_with_a_list(tmp_path: Path) -> None:
    source = """\
    def batches(paths, batch_size):
        for path in paths:
            yield path, 0


    train_paths = sorted([f"{index}.npy" for index in range(10)])
    model.fit(batches(train_paths, 32), steps_per_epoch=10, epochs=3)
    """
    fixed = fix(tmp_path, FiniteGeneratorRule, source)
    assert "    while True:\n        for path in paths:\n            yield path, 0\n" in fixed


# --- GEN108: move the shuffle into the loop --------------------------------------------------------------

ENDLESS_CALL = "\n\nmodel.fit(batches(x_train, y_train, 32), steps_per_epoch=10, epochs=5)\n"


def test_gen108_tab_indented_shuffle_moves_one_tab_in(tmp_path: Path) -> None:
    source = (
        "import numpy as np\n\n\ndef batches(x, y, batch_size):\n\torder = np.random.permutation(len(x))\n"
        "\twhile True:\n\t\tfor start in range(0, len(x), batch_size):\n\t\t\trows = order[start:start + batch_size]\n"
        "\t\t\tyield x[rows], y[rows]\n"
    )
    fixed = fix(tmp_path, ShuffleOnceRule, textwrap.dedent(source) + ENDLESS_CALL)
    assert "\twhile True:\n\t\torder = np.random.permutation(len(x))\n\t\tfor start" in fixed
    assert "\torder" not in fixed.split("\twhile True:")[0]


def test_gen108_crlf_multi_line_shuffle_keeps_its_layout(tmp_path: Path) -> None:
    source = """\
    from sklearn.utils import shuffle


    def batches(x, y, batch_size):
        x, y = shuffle(
            x,
            y,  # the targets
        )
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]
    """
    fixed = fix(tmp_path, ShuffleOnceRule, textwrap.dedent(source) + ENDLESS_CALL, newline="\r\n")
    expected = """\
    def batches(x, y, batch_size):
        while True:
            x, y = shuffle(
                x,
                y,  # the targets
            )
            for start in range(0, len(x), batch_size):
    """
    assert textwrap.dedent(expected).replace("\n", "\r\n") in fixed
    assert fixed.count("\n") == fixed.count("\r\n")


def test_gen108_shuffle_goes_above_a_comment_that_opens_the_loop(tmp_path: Path) -> None:
    source = """\
    import random


    def batches(x, y, batch_size):
        pairs = list(zip(x, y))
        random.shuffle(pairs)
        while True:
            # a pass over the pairs

            for start in range(0, len(pairs), batch_size):
                chunk = pairs[start:start + batch_size]
                yield [p for p, _ in chunk], [t for _, t in chunk]
    """
    fixed = fix(tmp_path, ShuffleOnceRule, textwrap.dedent(source) + ENDLESS_CALL)
    assert "    while True:\n        random.shuffle(pairs)\n        # a pass over the pairs\n\n        for" in fixed


GEN108_NO_FIX = {
    "two shuffles": """\
    import numpy as np


    def batches(x, y, batch_size):
        order = np.random.permutation(len(x))
        np.random.shuffle(y)
        while True:
            for start in range(0, len(x), batch_size):
                rows = order[start:start + batch_size]
                yield x[rows], y[rows]
    """,
    "the loop serves one batch per turn": """\
    import numpy as np


    def batches(x, y, batch_size):
        position = 0
        order = np.random.permutation(len(x))
        while True:
            rows = order[position:position + batch_size]
            position = (position + batch_size) % len(x)
            yield x[rows], y[rows]
    """,
    "a statement on the shuffle's line": """\
    import numpy as np


    def batches(x, y, batch_size):
        order = np.arange(len(x)); np.random.shuffle(order)
        while True:
            for start in range(0, len(x), batch_size):
                rows = order[start:start + batch_size]
                yield x[rows], y[rows]
    """,
}


@pytest.mark.parametrize("source", GEN108_NO_FIX.values(), ids=GEN108_NO_FIX.keys())
def test_gen108_offers_no_fix_unless_clearly_right(tmp_path: Path, source: str) -> None:
    fixed = fix(tmp_path, ShuffleOnceRule, textwrap.dedent(source) + ENDLESS_CALL)
    assert fixed == textwrap.dedent(source) + ENDLESS_CALL


# --- GEN206: remove the worker arguments, or move them to the PyDataset ---------------------------------

GENERATOR = """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


"""

PYDATASET = """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y

    def __len__(self):
        return 1

    def __getitem__(self, index):
        return self.x, self.y


"""


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            "model.fit(batches(x, y, 8), workers=4, use_multiprocessing=True, epochs=3, steps_per_epoch=2)",
            "model.fit(batches(x, y, 8), epochs=3, steps_per_epoch=2)",
        ),
        (
            "model.fit(batches(x_train, y_train, 32), workers=4, epochs=3, max_queue_size=8, steps_per_epoch=3)",
            "model.fit(batches(x_train, y_train, 32), epochs=3, steps_per_epoch=3)",
        ),
        (
            "model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=3, workers=4, max_queue_size=8,)",
            "model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=3,)",
        ),
    ],
    ids=["first two", "two runs", "last two with a trailing comma"],
)
def test_gen206_removes_every_worker_argument_in_one_fix(tmp_path: Path, call: str, expected: str) -> None:
    fixed = fix(tmp_path, RemovedWorkerArgumentsRule, GENERATOR + call + "\n")
    assert fixed == GENERATOR + expected + "\n"


def test_gen206_multi_line_call_loses_the_argument_lines_only(tmp_path: Path) -> None:
    call = """\
    model.fit(
        batches(x_train, y_train, 32),
        workers=4,  # Keras 2
        steps_per_epoch=3,
        max_queue_size=8,
        epochs=3
    )
    """
    fixed = fix(tmp_path, RemovedWorkerArgumentsRule, GENERATOR + textwrap.dedent(call), newline="\r\n")
    expected = "model.fit(\n    batches(x_train, y_train, 32),\n    steps_per_epoch=3,\n    epochs=3\n)\n"
    assert fixed == (GENERATOR + expected).replace("\n", "\r\n")


def test_gen206_moves_into_a_multi_line_constructor_with_crlf(tmp_path: Path) -> None:
    calls = """\
    train_data = Batches(
        x_train,
        y_train
    )
    model.fit(train_data, epochs=3, use_multiprocessing=False, workers=2)
    """
    fixed = fix(tmp_path, RemovedWorkerArgumentsRule, PYDATASET + textwrap.dedent(calls), newline="\r\n")
    expected = """\
    train_data = Batches(
        x_train,
        y_train,
        use_multiprocessing=False,
        workers=2
    )
    model.fit(train_data, epochs=3)
    """
    assert fixed == (PYDATASET + textwrap.dedent(expected)).replace("\n", "\r\n")


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (
            "model.fit(Batches(x_train, y_train), epochs=3, workers=4)",
            "model.fit(Batches(x_train, y_train, workers=4), epochs=3)",
        ),
        (
            "data = Batches(x_train, y_train, workers=2)\nmodel.fit(data, epochs=3, workers=4)",
            "data = Batches(x_train, y_train, workers=2)\nmodel.fit(data, epochs=3)",
        ),
        (
            "data = Batches(x_train, y_train)\ncount = 4\nmodel.fit(data, epochs=3, workers=count)",
            "data = Batches(x_train, y_train)\ncount = 4\nmodel.fit(data, epochs=3)",
        ),
        (
            "data = Batches(x_train, y_train)\nmodel.fit(data, epochs=3, workers=min(\n    4, 8))",
            "data = Batches(x_train, y_train)\nmodel.fit(data, epochs=3)",
        ),
    ],
    ids=["inline", "already set in the constructor", "a value bound after the constructor", "a multi-line value"],
)
def test_gen206_moves_only_when_the_meaning_stays(tmp_path: Path, calls: str, expected: str) -> None:
    fixed = fix(tmp_path, RemovedWorkerArgumentsRule, PYDATASET + calls + "\n")
    assert fixed == PYDATASET + expected + "\n"


def test_gen206_pydataset_without_kwargs_loses_the_arguments(tmp_path: Path) -> None:
    source = PYDATASET.replace("x, y, **kwargs", "x, y").replace("(**kwargs)", "()")
    fixed = fix(
        tmp_path, RemovedWorkerArgumentsRule, source + "model.fit(Batches(x_train, y_train), epochs=3, workers=4)\n"
    )
    assert fixed.endswith("model.fit(Batches(x_train, y_train), epochs=3)\n")


# --- the layout helper ---------------------------------------------------------------------------------


def test_layout_knows_string_lines_and_statement_starts(tmp_path: Path) -> None:
    source = 'a = """x\ny"""\nb = (1,\n     2)\nc = 1 + \\\n    2\n# note\nd = 3\r\ne = 4\r'
    module = parse_module(source, str(tmp_path / "train.py"))
    layout = layout_of(module)
    assert layout is not None
    assert layout.inside_string == {2}
    assert layout.statement_starts == {1, 3, 5, 8, 9}
    assert layout.ending(8) == "\r\n" and layout.ending(9) == "\r" and layout.ending(1) == "\n"
    assert layout.indented_text(3, 4, "", "    ") == "    b = (1,\n         2)\n"
