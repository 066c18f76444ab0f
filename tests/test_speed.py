"""What makes genlint fast must not change what it finds: the pre-filter, parsing once, lazy imports, the
suppression pre-check and the collector's thresholds."""

from __future__ import annotations

import ast
import gc
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from astroid import nodes

from genlint import suppression
from genlint.analysis import analyzer as analyzer_module
from genlint.analysis.consumers import CONSUMER_METHODS
from genlint.analysis.project import parse_module
from genlint.analysis.reading import parse_tree
from genlint.engine import ANALYSED_METHODS, COLLECTION_THRESHOLDS, _calls_analysed_method, lint_files
from genlint.rules import all_rules
from genlint.suppression import FileSuppressions, RuleCatalog, may_hold_directives, read_suppressions

ENDLESS = """\
def batches():
    while True:
        yield (1,), (2,)
"""


def _calls(source: str) -> bool:
    source = textwrap.dedent(source)
    return _calls_analysed_method(source, parse_tree(source, "train.py"))


def test_the_pre_filter_knows_every_consumer_method() -> None:
    """GEN503 needs `from_generator` calls that reach no consumer; every other rule starts from a consumer."""
    assert {*CONSUMER_METHODS, "from_generator"} == ANALYSED_METHODS


@pytest.mark.parametrize(
    "source",
    [
        "model.fit(x, y)\n",
        "model.fit_generator(batches(), steps_per_epoch=3)\n",
        "ds = tf.data.Dataset.from_generator(batches, output_signature=spec)\n",
        "(model.\n    fit\n    (x))\n",  # the name on a line of its own
        "def a():\r    pass\r\r\rdef b(model):\r    model.fit(x)\r",  # `\r` ends a line for the parser
        "def a():\r\n    pass\r\n\r\ndef b(model):\r\n    model.evaluate(x)\r\n",
        "@model.predict(x)\ndef f():\n    pass\n",  # a decorator sits before its `def` line
        'print(f"""loss:\n{model.evaluate(\n    x)}""")\n',  # inside a multi-line f-string
        "run = lambda: model.predict(x)\n",
        "class Trainer:\n    def go(self):\n        return [m.fit(x) for m in self.models]\n",
    ],
)
def test_a_file_that_calls_a_consumer_is_analysed(source: str) -> None:
    assert _calls(source)


@pytest.mark.parametrize(
    "source",
    [
        '"""Train with `model.fit(x, y)`."""\n',
        "def train(model):\n    # model.fit(x) once the data is ready\n    pass\n",
        "callback = model.predict  # passed on, not called here\n",
        "def fit(x):\n    return x\n\nfit(3)\n",  # a function named fit is no method call
        "x = 1\n",
    ],
)
def test_a_file_that_only_mentions_a_consumer_is_not_analysed(source: str) -> None:
    assert not _calls(source)


def test_a_file_without_consumer_calls_gets_no_astroid_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []

    def counting(source: str, path: str, tree: ast.Module | None = None) -> object:
        built.append(Path(path).name)
        return parse_module(source, path, tree)

    monkeypatch.setattr(analyzer_module, "parse_module", counting)
    (tmp_path / "helpers.py").write_text(ENDLESS + '\n"""Feed `batches()` to `model.fit`."""\n', encoding="utf-8")
    (tmp_path / "train.py").write_text("from helpers import batches\n\nmodel.fit(batches(), epochs=2)\n")
    (tmp_path / "broken.py").write_text('"""model.fit("""\ndef (:\n', encoding="utf-8")

    result = lint_files(sorted(tmp_path.glob("*.py")))

    assert built == ["train.py"]  # helpers.py is parsed as train.py's import, broken.py only for GEN001
    assert sorted((Path(d.path).name, d.code) for d in result.diagnostics) == [
        ("broken.py", "GEN001"),
        ("train.py", "GEN201"),
    ]


def test_parse_module_builds_the_same_tree_from_a_parsed_ast() -> None:
    source = textwrap.dedent(
        """\
        from __future__ import annotations
        import keras  # type: ignore


        @decorated
        class Batches(keras.utils.PyDataset):
            def __len__(self):  # type: () -> int
                return 3
        """
    )
    parsed_here = parse_module(source, "/project/train.py", parse_tree(source, "/project/train.py"))
    parsed_there = parse_module(source, "/project/train.py")

    def shape(module: nodes.Module) -> list[tuple[object, ...]]:
        return [
            (type(node).__name__, node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, node.position)
            for node in module.nodes_of_class(nodes.NodeNG)
        ]

    assert parsed_here.as_string() == parsed_there.as_string()
    assert shape(parsed_here) == shape(parsed_there)
    assert next(parsed_here.nodes_of_class(nodes.ClassDef)).position is not None  # the header's span, for plugins
    assert parsed_here.file == parsed_there.file == "/project/train.py"
    assert parsed_here.file_bytes == source.encode("utf-8")
    assert parsed_here.future_imports == {"annotations"}


def test_a_misplaced_type_comment_is_no_syntax_error() -> None:
    source = "def f():\n    # type: () -> None\n    x = 1  # type: int\n    return x\n"
    assert isinstance(parse_tree(source, "f.py"), ast.Module)
    assert parse_module(source, "f.py").body[0].name == "f"


def test_the_collector_thresholds_are_restored_after_a_run(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(ENDLESS + "\nmodel.fit(batches(), epochs=2)\n", encoding="utf-8")
    before = gc.get_threshold()
    assert before != COLLECTION_THRESHOLDS
    lint_files([tmp_path / "train.py"])
    assert gc.get_threshold() == before


@pytest.mark.parametrize(
    ("comment", "relevant"),
    [
        ("x = 1  # noqa: E501\n", False),  # another tool's code: no tokenizing needed
        ("import os  # noqa: F401,E501\n", False),
        ("x = 1  # noqa\n", False),  # a bare noqa is left to flake8
        ("x = 1  # noqa: E501, GEN201\n", True),
        ("x = 1  # NOQA:gen201\n", True),
        ("# genlint: ignore-file[GEN3]\n", True),
        ("x = 1  # Genlint : ignor[GEN201]\n", True),  # misspelt: reported as GEN002, so it must be read
        ('s = "# genlint: ignore[GEN201]"\n', True),  # in a string: not a comment, but the pre-check may say yes
    ],
)
def test_the_suppression_pre_check_never_misses_a_directive(
    comment: str, relevant: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = RuleCatalog.of(all_rules())
    assert may_hold_directives(comment, catalog) == relevant
    monkeypatch.setattr(suppression, "may_hold_directives", lambda source, catalog: True)
    tokenized = read_suppressions(comment, catalog)  # what tokenizing every comment finds
    assert relevant or tokenized == FileSuppressions()


def test_a_plain_run_loads_neither_rich_nor_the_analysis(tmp_path: Path) -> None:
    """Start-up is most of a warm run: the full report's rich, and the analysis behind astroid's parser, load
    only when a run needs them."""
    (tmp_path / "util.py").write_text('"""Helpers for `model.fit`."""\n\n\ndef double(x):\n    return 2 * x\n')
    script = (
        "import sys\n"
        "from genlint.cli import main\n"
        f"code = main(['--output-format', 'concise', '--isolated', '--no-cache', {str(tmp_path)!r}])\n"
        "loaded = sorted(name for name in ('rich', 'genlint.analysis.analyzer', 'libcst') if name in sys.modules)\n"
        "print(code, loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0 []"


def test_the_rule_contract_and_the_model_load_without_astroid() -> None:
    """A warm run reads every result from the cache and builds no tree: what it imports must not pull in
    astroid, which alone takes tens of milliseconds to load."""
    script = (
        "import sys\n"
        "import genlint.analysis.model, genlint.rules.base\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'astroid'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


WARM_PROJECT = {
    "train.py": """\
        from data import batches  # genlint: ignore[GEN999]


        def endless(x, y):
            while True:
                yield x, y


        model.fit(endless(x_train, y_train), epochs=3)
        model.fit(batches(x_train, y_train), epochs=3, steps_per_epoch=10)  # noqa: GEN101
        """,
    "data.py": """\
        def batches(x, y):
            for start in range(0, len(x), 32):
                yield x[start : start + 32], y[start : start + 32]
        """,
    "notes.ipynb": '{"cells": [{"cell_type": "code", "metadata": {}, "source": ["model.fit_generator(g)\\n"],'
    ' "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
}


def test_a_warm_run_imports_no_rule_no_tree_and_reports_the_same(tmp_path: Path) -> None:
    """When every result comes from the cache a run is its start-up: it works from the rule catalog and the
    cached findings, and imports no rule module, no model record, astroid, libcst or rich; its report is the
    cold run's, suppression comments (used, unused and invalid) and notebook cells included."""
    project = tmp_path / "project"
    for name, text in WARM_PROJECT.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (project / "pyproject.toml").write_text("", encoding="utf-8")  # the project root: the cache goes there
    arguments = ["--output-format", "concise", "--isolated", "--extend-select", "GEN003", str(project)]
    script = (
        "import sys\n"
        "from genlint.cli import main\n"
        f"code = main({arguments!r})\n"
        "heavy = ('astroid', 'libcst', 'rich', 'genlint.analysis.model', 'genlint.analysis.analyzer')\n"
        "loaded = [name for name in sys.modules if name.startswith(heavy) or name.startswith('genlint.rules.gen')]\n"
        "print('loaded:', sorted(loaded), code)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True) for _ in "12"]
    cold, warm = (run.stdout.splitlines() for run in runs)
    assert warm[:-1] == cold[:-1]  # the same findings, in the same order
    codes = sorted(line.split(": ")[1].split()[0] for line in warm[:-1])  # `notes.ipynb:cell 1:1:7: GEN501 …`
    assert codes == ["GEN002", "GEN003", "GEN101", "GEN201", "GEN501"], warm
    assert cold[-1].startswith("loaded: ['astroid") and cold[-1].endswith(" 1")
    # GEN002 and GEN003 are reported from the comments read, so those two rule modules load; no other does.
    expected = ["genlint.rules.gen002_invalid_suppression", "genlint.rules.gen003_unused_suppression"]
    assert warm[-1] == f"loaded: {expected} 1"
