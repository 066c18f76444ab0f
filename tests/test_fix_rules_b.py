"""Fixes of GEN203, GEN209, GEN406 and GEN503 on layouts that the rules' own examples do not show: tabs,
multi-line signatures, CRLF line endings, docstrings, and the cases where no fix is offered."""

from __future__ import annotations

import textwrap
from pathlib import Path

import astroid
import libcst
import pytest
from astroid import nodes

from genlint.engine import lint_files
from genlint.fixes import apply_fixes, fix_result
from genlint.rules import Rule
from genlint.rules.base import Fix, FixSafety
from genlint.rules.edits import wrapping
from genlint.rules.gen203_uncalled_generator_function import UncalledGeneratorFunctionRule
from genlint.rules.gen209_non_generator_iterator import NonGeneratorIteratorRule
from genlint.rules.gen406_pydataset_missing_super_init import PydatasetMissingSuperInitRule
from genlint.rules.gen503_from_generator_given_generator import FromGeneratorGivenGeneratorRule

PYDATASET_METHODS = """\

    def __len__(self):
        return 1

    def __getitem__(self, index):
        return self.x, self.x


model.fit(Batches(x_train), epochs=1)
"""


def fix(tmp_path: Path, rule: type[Rule], source: str, newline: str = "\n") -> str:
    """`train.py` after `--fix` (with `--unsafe-fixes` for an unsafe rule), written with `newline` line
    endings; the result must parse and no longer have the rule's finding, unless nothing changed."""
    path = tmp_path / "train.py"
    path.write_bytes(textwrap.dedent(source).replace("\n", newline).encode("utf-8"))
    result = lint_files([path], (rule,))
    assert any(diagnostic.code == rule.code for diagnostic in result.diagnostics), "the rule must report"
    file_fixes = fix_result(result, unsafe=rule.fix_safety is FixSafety.UNSAFE, rules=(rule,))
    assert [file_fix.refused for file_fix in file_fixes if file_fix.refused] == []
    fixed = file_fixes[0].fixed if file_fixes else path.read_text(encoding="utf-8")
    if file_fixes and file_fixes[0].changed:
        libcst.parse_module(fixed)
        path.write_bytes(fixed.encode("utf-8"))
        assert [d for d in lint_files([path], (rule,)).diagnostics if d.code == rule.code] == []
    return fixed


def pydataset(init: str) -> str:
    """A PyDataset module whose class has the given `__init__` (written at class-body indentation)."""
    return "import keras\n\n\nclass Batches(keras.utils.PyDataset):\n" + init + PYDATASET_METHODS


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


# --- GEN406 --------------------------------------------------------------------------------------------


def test_gen406_tab_indented_body_gets_a_tab_indented_call(tmp_path: Path) -> None:
    source = pydataset("\tdef __init__(self, x):\n\t\tself.x = x\n").replace("    ", "\t")
    fixed = fix(tmp_path, PydatasetMissingSuperInitRule, source)
    assert "\tdef __init__(self, x, **kwargs):\n\t\tsuper().__init__(**kwargs)\n\t\tself.x = x\n" in fixed


def test_gen406_multi_line_signature_with_trailing_comma_gets_a_line_of_its_own(tmp_path: Path) -> None:
    init = """\
    def __init__(
        self,
        x,  # the features
        batch_size: int = 32,
    ) -> None:
        self.x = x
"""
    fixed = fix(tmp_path, PydatasetMissingSuperInitRule, pydataset(init))
    expected = """\
    def __init__(
        self,
        x,  # the features
        batch_size: int = 32,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.x = x
"""
    assert expected in fixed


def test_gen406_packed_multi_line_signature_keeps_its_layout(tmp_path: Path) -> None:
    init = "    def __init__(\n        self, x, *args, scale=1.0,\n    ):\n        self.x = x\n"
    fixed = fix(tmp_path, PydatasetMissingSuperInitRule, pydataset(init))
    assert "    def __init__(\n        self, x, *args, scale=1.0, **kwargs,\n    ):\n" in fixed


def test_gen406_keyword_only_parameters_and_docstring(tmp_path: Path) -> None:
    init = '''\
    def __init__(self, x, *, batch_size=32):  # keyword-only
        """Batches of `x`."""

        # keep the data
        self.x = x
'''
    fixed = fix(tmp_path, PydatasetMissingSuperInitRule, pydataset(init))
    expected = '''\
    def __init__(self, x, *, batch_size=32, **kwargs):  # keyword-only
        """Batches of `x`."""
        super().__init__(**kwargs)

        # keep the data
        self.x = x
'''
    assert expected in fixed


def test_gen406_crlf_file_gets_crlf_lines(tmp_path: Path) -> None:
    source = pydataset("    def __init__(self, x):\n        self.x = x\n")
    fixed = fix(tmp_path, PydatasetMissingSuperInitRule, source, newline="\r\n")
    assert "def __init__(self, x, **kwargs):\r\n        super().__init__(**kwargs)\r\n        self.x = x\r\n" in fixed
    assert "\n" not in fixed.replace("\r\n", "")


def test_gen406_existing_double_star_parameter_is_passed_on(tmp_path: Path) -> None:
    source = pydataset("    def __init__(self, x, **options):\n        self.x = x\n")
    fixed = fix(tmp_path, PydatasetMissingSuperInitRule, source)
    assert "def __init__(self, x, **options):\n        super().__init__(**options)\n" in fixed


@pytest.mark.parametrize(
    "init",
    [
        "    def __init__(self, x): self.x = x\n",  # body on the `def` line
        "    def __init__(self, x, **options):\n        self.size = options.pop('size')\n        self.x = x\n",
        "    def __init__(self, x, **options):\n        self.x = x\n        self.loader = Loader(**options)\n",
    ],
    ids=["same-line-body", "reads-a-key", "unpacks-elsewhere"],
)
def test_gen406_offers_no_fix(tmp_path: Path, init: str) -> None:
    source = pydataset(init)
    assert fix(tmp_path, PydatasetMissingSuperInitRule, source) == source


# --- GEN203 --------------------------------------------------------------------------------------------

GENERATOR = "def batches(x=None):\n    while True:\n        yield x_train, y_train\n\n\n"


def test_gen203_adds_parentheses_inside_parentheses_and_on_crlf(tmp_path: Path) -> None:
    fixed = fix(tmp_path, UncalledGeneratorFunctionRule, GENERATOR + "model.fit((batches), epochs=1)\n", "\r\n")
    assert fixed.endswith("model.fit((batches()), epochs=1)\r\n")


def test_gen203_leaves_a_method_taken_from_its_class(tmp_path: Path) -> None:
    source = """\
class Trainer:
    def batches(self):
        while True:
            yield x_train, y_train


model.fit(Trainer.batches, steps_per_epoch=3)
"""
    assert fix(tmp_path, UncalledGeneratorFunctionRule, source) == source


# --- GEN503 --------------------------------------------------------------------------------------------

DATASET = "import tensorflow as tf\n\n\ndef samples(x, y=None):\n    for row in x:\n        yield row, row\n\n\n"


def test_gen503_wraps_a_multi_line_call_in_a_lambda(tmp_path: Path) -> None:
    source = DATASET + (
        "ds = tf.data.Dataset.from_generator(\n"
        "    samples(\n        x_train,  # rows\n    ),\n"
        "    output_types=(tf.float32, tf.float32),\n)\n"
    )
    fixed = fix(tmp_path, FromGeneratorGivenGeneratorRule, source)
    assert "from_generator(\n    lambda: samples(\n        x_train,  # rows\n    ),\n    output_types" in fixed


def test_gen503_bare_generator_expression_gets_its_own_parentheses(tmp_path: Path) -> None:
    source = "import tensorflow as tf\n\nrows = [1, 2, 3]\nds = tf.data.Dataset.from_generator(row for row in rows)\n"
    fixed = fix(tmp_path, FromGeneratorGivenGeneratorRule, source)
    assert fixed.endswith("from_generator(lambda: (row for row in rows))\n")


@pytest.mark.parametrize(
    "tail",
    [
        # each dataset would see the last `split`: the lambda reads the loop variable when tf.data calls it
        "for split in (x_train, x_val):\n    tf.data.Dataset.from_generator(samples(split), output_types=tf.float32)\n",
        # `load` runs once now; in a lambda it would run once per epoch
        "tf.data.Dataset.from_generator(samples(load('train')), output_types=tf.float32)\n",
        "stream = iter(x_train)\ntf.data.Dataset.from_generator(samples(stream), output_types=tf.float32)\n",
        "tf.data.Dataset.from_generator(samples(), args=(x_train,), output_types=tf.float32)\n",
    ],
    ids=["loop-variable", "call-argument", "one-shot-iterator", "with-args"],
)
def test_gen503_offers_no_lambda_when_deferring_changes_the_arguments(tmp_path: Path, tail: str) -> None:
    source = DATASET + tail
    assert fix(tmp_path, FromGeneratorGivenGeneratorRule, source) == source


# --- GEN209 --------------------------------------------------------------------------------------------


def test_gen209_wraps_a_multi_line_iterator(tmp_path: Path) -> None:
    source = (
        "import itertools\n\nmodel.fit(\n    itertools.cycle(\n        batches,\n    ),\n    steps_per_epoch=3,\n)\n"
    )
    fixed = fix(tmp_path, NonGeneratorIteratorRule, source)
    assert "model.fit(\n    (batch for batch in itertools.cycle(\n        batches,\n    )),\n" in fixed


def test_wrapping_puts_an_expression_that_is_not_an_operand_in_parentheses() -> None:
    source = "model.fit(a if ready else b, epochs=1)\nmodel.fit(stream, epochs=1)\n"
    conditional, name = (call.args[0] for call in astroid.parse(source).nodes_of_class(nodes.Call))
    fixes = [Fix("wrap", wrapping(node, "(batch for batch in ", ")")) for node in (conditional, name)]
    assert apply_fixes(source, fixes) == (
        "model.fit((batch for batch in (a if ready else b)), epochs=1)\n"
        "model.fit((batch for batch in stream), epochs=1)\n",
        2,
    )
