"""Jupyter notebooks end to end: found, linted by cell, suppressed, fixed in place, and refused when broken.

The notebooks in tests/fixtures/notebooks/ are real nbformat 4 files, written as three tools write them:
`training.ipynb` as Jupyter does (one-space indent, sorted keys, UTF-8 as is, outputs with text and an image,
magics of every kind, markdown and raw cells), `colab.ipynb` as Colab does (two-space indent, its own key
order, no final newline; here with non-ASCII characters escaped) and `string_sources.ipynb` (sources as one
string each, the document on one line). `broken.ipynb` is cut off mid-file; `nbformat3.ipynb` is an old one.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import shutil
from pathlib import Path

import pytest

from genlint import cache
from genlint.cli import main
from genlint.notebooks import BOUNDARY, FixRefused, load, mask, parse

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
REAL_DEFAULT_FOLDER = cache.default_folder  # conftest gives every other test a cache of its own


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture notebooks, and the working folder, so that paths print relative to it."""
    for notebook in FIXTURES.glob("*.ipynb"):
        shutil.copy(notebook, tmp_path / notebook.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*arguments: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--isolated", "--no-cache", *arguments], stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def findings(*arguments: str) -> list[dict[str, object]]:
    _, output, _ = run("--output-format", "json", *arguments)
    return json.loads(output)["diagnostics"]


def places(*arguments: str) -> list[tuple[object, ...]]:
    return [
        (entry["path"], entry.get("cell"), entry["line"], entry["column"], entry["code"])
        for entry in findings(*arguments)
    ]


def notebook_json(cells: list[dict[str, object]], **metadata: object) -> str:
    document = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def code_cell(source: str) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": source.splitlines(True),
    }


def changed_lines(before: str, after: str) -> list[str]:
    """The lines that differ between two texts, as `-old` / `+new`."""
    diff = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    return [line[0] + line[2:] for line in diff if line.startswith(("- ", "+ "))]


# Linting: findings in their cells


def test_findings_are_reported_in_their_cells(folder: Path) -> None:
    # Cell 7 is a `%%time` cell: its body is Python and is linted. The generator is defined in cell 4. Cell 10's
    # finding is suppressed by its comment; the raw cell, the markdown code block and the `%%bash` cell all
    # spell `model.fit_generator(...)`, and none of them is Python that runs.
    assert places("training.ipynb") == [
        ("training.ipynb", 7, 4, 11, "GEN201"),
        ("training.ipynb", 9, 1, 16, "GEN501"),
    ]


def test_a_message_names_other_lines_by_cell(folder: Path) -> None:
    missing_steps = findings("training.ipynb")[0]

    assert "(unbounded loop in `batches`, cell 4, line 2)" in str(missing_steps["message"])


def test_concise_output_names_the_cell_then_the_line_in_it(folder: Path) -> None:
    code, output, _ = run("--output-format", "concise", "training.ipynb")

    assert code == 1
    assert output.splitlines()[0].startswith("training.ipynb:cell 7:4:11: GEN201 `batches(x_train, y_train, 32)`")


def test_full_output_shows_the_cell_and_its_line(folder: Path) -> None:
    _, output, _ = run("--output-format", "full", "training.ipynb")

    assert "training.ipynb:cell 7:line 4:11: GEN201 [error]" in output
    assert "    4 | history = model.fit(batches(x_train, y_train, 32), epochs=3)\n" in output
    assert "      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n" in output
    assert "training.ipynb:cell 9:line 1:16: GEN501 [*] [error]" in output
    assert "    1 | legacy = model.fit_generator(\n" in output


def test_sarif_names_the_cell_of_each_result(folder: Path) -> None:
    _, output, _ = run("--output-format", "sarif", "training.ipynb")

    results = json.loads(output)["runs"][0]["results"]
    location = results[0]["locations"][0]
    assert location["properties"] == {"cell": 7}
    assert location["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 11, "endLine": 4, "endColumn": 61}
    assert [result["locations"][0]["properties"]["cell"] for result in results] == [7, 9]


def test_sarif_fingerprints_hash_the_cells_line(folder: Path) -> None:
    # Moving the cell, or adding a cell above it, keeps the alert's fingerprint.
    _, before, _ = run("--output-format", "sarif", "training.ipynb")
    document = json.loads((folder / "training.ipynb").read_text(encoding="utf-8"))
    document["cells"].insert(0, code_cell("print('a new first cell')\n"))
    (folder / "training.ipynb").write_text(json.dumps(document, indent=1), encoding="utf-8")
    _, after, _ = run("--output-format", "sarif", "training.ipynb")

    def fingerprints(log: str) -> list[str]:
        return [result["partialFingerprints"]["genlint/v1"] for result in json.loads(log)["runs"][0]["results"]]

    assert fingerprints(after) == fingerprints(before)


def test_github_annotates_the_notebook_with_the_cell_in_the_message(folder: Path) -> None:
    _, output, _ = run("--output-format", "github", "training.ipynb")

    # Lines of a notebook file are lines of JSON: the annotation names no line, the message names the cell.
    assert output.splitlines()[0].startswith("::error file=training.ipynb,title=GEN201::cell 7, line 4: `batches(")


def test_python_files_have_no_cell(folder: Path) -> None:
    (folder / "train.py").write_text("model.fit_generator(data)\n", encoding="utf-8")

    [entry] = findings("train.py")
    assert "cell" not in entry
    assert (entry["line"], entry["column"]) == (1, 7)


def test_notebooks_are_linted_with_python_files_and_the_cache_keeps_their_cells(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "default_folder", REAL_DEFAULT_FOLDER)
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    for name in ("broken.ipynb", "nbformat3.ipynb"):
        (folder / name).unlink()
    (folder / "train.py").write_text("model.fit_generator(data)\n", encoding="utf-8")

    def lint() -> str:
        stdout = io.StringIO()
        main(["--isolated", "--output-format", "concise", "."], stdout=stdout, stderr=io.StringIO())
        return stdout.getvalue()

    cold = lint()
    assert len(list((folder / cache.FOLDER).iterdir())) > 1  # entries were written
    assert lint() == cold
    assert [line.split(": ")[0] for line in cold.splitlines()] == [
        "colab.ipynb:cell 3:4:13",
        "string_sources.ipynb:cell 3:1:7",
        "train.py:1:7",
        "training.ipynb:cell 7:4:11",
        "training.ipynb:cell 9:1:16",
    ]


# Discovery


def test_folders_are_walked_for_notebooks_with_excludes_and_gitignore(folder: Path) -> None:
    checkpoint = folder / ".ipynb_checkpoints" / "training-checkpoint.ipynb"
    checkpoint.parent.mkdir()
    shutil.copy(folder / "training.ipynb", checkpoint)
    (folder / "scratch").mkdir()
    shutil.copy(folder / "string_sources.ipynb", folder / "scratch" / "ignored.ipynb")
    (folder / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    (folder / "broken.ipynb").unlink()

    linted = {str(entry["path"]) for entry in findings("--exclude", "nbformat3.ipynb", ".")}

    assert linted == {"colab.ipynb", "string_sources.ipynb", "training.ipynb"}


def test_a_notebook_named_on_the_command_line_is_linted_even_if_excluded(folder: Path) -> None:
    assert places("--exclude", "*.ipynb", "string_sources.ipynb") == [("string_sources.ipynb", 3, 1, 7, "GEN502")]


def test_a_notebook_is_never_imported_as_a_module(folder: Path) -> None:
    finite = "def batches(x):\n    for start in range(0, len(x), 32):\n        yield x[start:start + 32], x[start:]\n"
    (folder / "helpers.ipynb").write_text(notebook_json([code_cell(finite)]), encoding="utf-8")
    (folder / "train.py").write_text(
        "from helpers import batches\n\nmodel.fit(batches(x), epochs=3)\n", encoding="utf-8"
    )
    assert findings("train.py") == []

    (folder / "helpers.py").write_text(finite, encoding="utf-8")  # the same code as a module: followed
    assert [entry["code"] for entry in findings("train.py")] == ["GEN101"]


# Magics


@pytest.mark.parametrize(
    ("cell", "masked"),
    [
        ("%matplotlib inline\nimport keras\n", "# masked magic\nimport keras\n"),
        ("!pip install -q keras\n", "# masked magic\n"),
        ("files = !ls data\n", "files = ...  # masked magic\n"),
        ("a, b = %sx echo 1 2\n", "a, b = ...  # masked magic\n"),
        ("x_train.shape?\n?model.fit\nmodel.fit??\n", "# masked magic\n# masked magic\n# masked magic\n"),
        ("for i in range(3):\n    %time step(i)\n", "for i in range(3):\n    pass; step(i)\n"),  # timed: kept
        ("%timeit   y = f(x)\n", "pass;     y = f(x)\n"),
        ("%timeit -n 3 f(x)\n", "# masked magic\n"),  # options: not a statement
        ("for i in range(3):\n    %time for j in range(2): f(j)\n", "for i in range(3):\n    pass  # masked magic\n"),
        ("%time\n", "# masked magic\n"),
        ("!pip install \\\n    keras\nx = 1\n", "# masked magic\n# masked magic\nx = 1\n"),
        ("%%time\nmodel.fit(data)\n", "# masked magic\nmodel.fit(data)\n"),
        ("%%timeit -n 3\nmodel.predict(x)", "# masked magic\nmodel.predict(x)"),
        ("%%capture log\n!nvidia-smi\nmodel.fit(data)\n", "# masked magic\n# masked magic\nmodel.fit(data)\n"),
        ('%%bash\necho "model.fit_generator(gen)"\n\nls\n', "# masked magic\n# masked magic\n\n# masked magic\n"),
        ("\n%%writefile train.py\nimport keras\n", "\n# masked magic\n# masked magic\n"),
    ],
)
def test_ipython_syntax_is_masked_line_for_line(cell: str, masked: str) -> None:
    lines, _ = mask(cell)

    assert "".join(lines) == masked
    ast.parse(masked)


@pytest.mark.parametrize(
    "cell",
    [
        "total = (first\n% second)\n",  # inside brackets
        'usage = """\n!important: read me\n%d files\nready?\n"""\n',  # inside a string
        "ratio = first \\\n    % second\n",  # a backslash continuation
        "x = 1  # done?\n",  # a comment
    ],
)
def test_code_that_only_looks_like_a_magic_is_kept(cell: str) -> None:
    lines, masked = mask(cell)

    assert "".join(lines) == cell
    assert masked == frozenset()


def test_a_magic_hides_its_line_from_the_rules(folder: Path) -> None:
    source = "import keras\n%run -i train.py --fit_generator\n!python fit.py --model.fit_generator(data)\n"
    (folder / "magic.ipynb").write_text(notebook_json([code_cell(source)]), encoding="utf-8")

    assert findings("magic.ipynb") == []


def test_a_timed_statement_is_linted_in_its_place_and_fixed_behind_its_magic(folder: Path) -> None:
    """`%time history = model.fit_generator(…)` runs the statement in the kernel: it is checked, at its own
    columns, and `--fix` writes the repaired statement back behind `%time`."""
    source = "import keras\nfor epoch in range(2):\n    %time model.fit_generator(data, steps_per_epoch=8)\n"
    (folder / "timed.ipynb").write_text(notebook_json([code_cell(source)]), encoding="utf-8")

    [finding] = findings("timed.ipynb")
    assert (finding["code"], finding["cell"], finding["line"], finding["column"]) == (
        "GEN501",
        1,
        3,
        17,
    )  # at `fit_generator`

    run("--fix", "timed.ipynb")
    fixed = json.loads((folder / "timed.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"]
    assert "".join(fixed) == source.replace("fit_generator", "fit")
    assert findings("timed.ipynb") == []


def test_the_virtual_module_keeps_every_cells_line_numbers() -> None:
    notebook = load(str(FIXTURES / "training.ipynb"))
    lines = notebook.source.splitlines()

    ast.parse(notebook.source)
    assert [cell.number for cell in notebook.cells] == [2, 4, 5, 7, 8, 9, 10, 11, 14]
    assert lines.count(BOUNDARY) == len(notebook.cells) - 1
    for cell in notebook.cells:
        written = cell.text.splitlines()
        for offset, line in enumerate(written):
            virtual = lines[cell.first_line - 1 + offset]
            assert virtual == line or offset in cell.masked
            assert notebook.locate(cell.first_line + offset) == (cell.number, offset + 1)


def test_a_statement_split_across_two_cells_is_a_syntax_error_in_the_first(folder: Path) -> None:
    cells = [code_cell("import keras\n"), code_cell("model.fit(batches(),\n"), code_cell("    epochs=3)\n")]
    (folder / "split.ipynb").write_text(notebook_json(cells), encoding="utf-8")

    [entry] = findings("split.ipynb")
    assert (entry["code"], entry["cell"], entry["line"], entry["column"]) == ("GEN001", 2, 1, 21)  # just after the line
    assert str(entry["message"]).startswith("invalid syntax: the cell ends inside a statement")


def test_a_notebook_of_another_language_is_not_linted(folder: Path) -> None:
    cells = [code_cell("library(keras)\nmodel %>% fit(x, y, epochs = 3)\n")]
    kernel = {"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}}
    (folder / "analysis.ipynb").write_text(notebook_json(cells, **kernel), encoding="utf-8")

    assert run("analysis.ipynb")[0] == 0


# Suppression comments


def test_a_suppression_comment_in_a_cell_hides_the_finding_on_its_line(folder: Path) -> None:
    path = folder / "training.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("  # genlint: ignore[GEN201]", ""), encoding="utf-8")

    assert ("training.ipynb", 10, 4, 1, "GEN201") in places("training.ipynb")


def test_suppression_problems_are_reported_in_their_cells(folder: Path) -> None:
    cells = [
        code_cell("import keras\n# genlint: ignore[GEN999]\nmodel = keras.Sequential()\n"),
        code_cell("model.fit_generator(data)  # genlint: ignore[GEN201]\n"),
    ]
    (folder / "comments.ipynb").write_text(notebook_json(cells), encoding="utf-8")

    entries = findings("--extend-select", "GEN003", "comments.ipynb")

    assert [(entry["cell"], entry["line"], entry["code"]) for entry in entries] == [
        (1, 2, "GEN002"),
        (2, 1, "GEN501"),
        (2, 1, "GEN003"),
    ]
    assert "suppressed no finding on line 1:" in str(entries[2]["message"])


# Fixes


def test_diff_shows_each_changed_cell_and_changes_nothing(folder: Path) -> None:
    before = (folder / "training.ipynb").read_bytes()

    code, output, _ = run("--diff", "training.ipynb")

    assert code == 1
    assert output == (
        "--- a/training.ipynb:cell 9\n"
        "+++ b/training.ipynb:cell 9\n"
        "@@ -1,4 +1,4 @@\n"
        "-legacy = model.fit_generator(\n"
        "+legacy = model.fit(\n"
        "     batches(x_train, y_train, 32),\n"
        "     steps_per_epoch=math.ceil(len(x_train) / 32),\n"
        "     epochs=3,\n"
    )
    assert (folder / "training.ipynb").read_bytes() == before


def test_fix_rewrites_only_the_fixed_cells_source(folder: Path) -> None:
    path = folder / "training.ipynb"
    before = path.read_text(encoding="utf-8")

    code, output, errors = run("--fix", "--output-format", "concise", "training.ipynb")

    after = path.read_text(encoding="utf-8")
    assert errors == "genlint: fixed 1 finding in 1 file\n"
    assert code == 1 and output.startswith("training.ipynb:cell 7:4:11: GEN201")  # no fix: it remains
    assert changed_lines(before, after) == [
        '-    "legacy = model.fit_generator(\\n",\n',
        '+    "legacy = model.fit(\\n",\n',
    ]
    old, new = json.loads(before), json.loads(after)
    new["cells"][8]["source"][0] = old["cells"][8]["source"][0]
    assert new == old  # outputs (the image too), metadata, execution counts: all as they were
    assert list(json.loads(after)) == list(old)


def test_fix_keeps_colab_layout_key_order_escapes_and_missing_final_newline(folder: Path) -> None:
    path = folder / "colab.ipynb"
    before = path.read_text(encoding="utf-8")

    run("--fix", "colab.ipynb")

    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        '-        "            yield [x[start:start + batch_size], y[start:start + batch_size]]"\n',
        '+        "            yield (x[start:start + batch_size], y[start:start + batch_size])"\n',
    ]
    assert not after.endswith("\n") and after.isascii()
    assert '"def batches(x, y, batch_size):  # lots \\u00ab infinis \\u00bb\\n",' in after  # an untouched line
    assert run("colab.ipynb")[0] == 0


def test_fix_keeps_a_source_written_as_one_string(folder: Path) -> None:
    path = folder / "string_sources.ipynb"
    before = path.read_text(encoding="utf-8")

    run("--fix", "string_sources.ipynb")

    after = path.read_text(encoding="utf-8")
    fixed = before.replace(
        '"model.predict_generator(stream(x, y), steps=5)"', '"model.predict(stream(x, y), steps=5, verbose=0)"'
    )
    assert after == fixed != before


def test_fix_keeps_crlf_line_endings_and_a_byte_order_mark(folder: Path) -> None:
    path = folder / "training.ipynb"
    original = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + original.encode("utf-8"))

    run("--fix", "training.ipynb")

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    after = data[3:].decode("utf-8")
    assert after.count("\r\n") == original.count("\r\n") and "\n" not in after.replace("\r\n", "")
    assert changed_lines(original, after) == [
        '-    "legacy = model.fit_generator(\\n",\r\n',
        '+    "legacy = model.fit(\\n",\r\n',
    ]


def test_a_fixed_cell_keeps_its_magics(folder: Path) -> None:
    source = (
        "%load_ext autoreload\nfor x in range(2):\n    %time f(x)\nmodel.fit_generator(data, steps_per_epoch=4)\n!ls"
    )
    (folder / "magics.ipynb").write_text(notebook_json([code_cell(source)]), encoding="utf-8")

    run("--fix", "magics.ipynb")

    fixed = json.loads((folder / "magics.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"]
    assert "".join(fixed) == source.replace("fit_generator", "fit")


def test_a_fix_that_would_change_a_masked_line_is_refused() -> None:
    notebook = load(str(FIXTURES / "training.ipynb"))
    cell = notebook.cells[0]  # `%matplotlib inline` on its first line
    lines = notebook.source.splitlines(keepends=True)
    lines[cell.first_line - 1] = "import os\n"

    with pytest.raises(FixRefused, match="masked IPython line in cell 2"):
        notebook.write_back("".join(lines))


def test_a_fix_that_would_cross_a_cell_boundary_is_refused() -> None:
    notebook = load(str(FIXTURES / "training.ipynb"))

    with pytest.raises(FixRefused, match="cross a cell boundary"):
        notebook.write_back(notebook.source.replace(BOUNDARY + "\n", "", 1))


def test_lines_written_into_an_empty_cell_follow_the_files_indentation() -> None:
    notebook = load(str(FIXTURES / "colab.ipynb"))
    assert notebook.source.endswith(BOUNDARY + "\n")  # the last cell is empty

    text = notebook.write_back(notebook.source + "model.summary()\nmodel.save('m.keras')\n")

    assert '"source": [\n        "model.summary()\\n",\n        "model.save(\'m.keras\')\\n"\n      ],' in text
    assert [cell.text for cell in parse(text).cells][-1] == "model.summary()\nmodel.save('m.keras')\n"


# Notebooks genlint cannot read


def test_broken_json_is_a_syntax_error_with_the_reason_and_place(folder: Path) -> None:
    code, output, _ = run("--output-format", "concise", "broken.ipynb", "string_sources.ipynb")

    assert code == 1
    assert output.splitlines() == [
        "broken.ipynb:95:4: GEN001 notebook is not valid JSON: Expecting property name enclosed in double quotes "
        "(line 95, column 4): the file cannot be parsed, so genlint could not check it",
        "string_sources.ipynb:cell 3:1:7: GEN502 `model.predict_generator()` was removed in Keras 3, which raises "
        "AttributeError: object has no attribute 'predict_generator'; call `model.predict()`, which accepts generators",
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (None, "unknown notebook format: nbformat 3 (genlint reads nbformat 4)"),
        ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', "not a notebook: it has no `cells` list"),
        ('{"cells": [], "metadata": {}}', "unknown notebook format: nbformat missing (genlint reads nbformat 4)"),
        ('[{"cell_type": "code"}]', "not a notebook: the JSON document is not an object"),
        ('{"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4}', "the source of cell 1 is not text"),
        ("", "notebook is not valid JSON: Expecting value (line 1, column 1)"),
    ],
)
def test_an_unknown_notebook_format_is_a_syntax_error_with_the_reason(
    folder: Path, text: str | None, reason: str
) -> None:
    if text is not None:
        (folder / "nbformat3.ipynb").write_text(text, encoding="utf-8")

    [entry] = findings("nbformat3.ipynb")

    assert entry["code"] == "GEN001" and "cell" not in entry
    assert reason in str(entry["message"])


def test_a_notebook_that_is_not_utf8_is_a_syntax_error(folder: Path) -> None:
    (folder / "latin.ipynb").write_bytes(notebook_json([code_cell("# é\n")]).encode("latin-1"))

    [entry] = findings("latin.ipynb")

    assert entry["code"] == "GEN001"
    assert str(entry["message"]).startswith("notebook is not valid UTF-8 (byte 0xe9)")


def test_fix_leaves_a_broken_notebook_alone(folder: Path) -> None:
    before = (folder / "broken.ipynb").read_bytes()

    code, _, errors = run("--fix", "broken.ipynb")

    assert code == 1 and errors == ""
    assert (folder / "broken.ipynb").read_bytes() == before


def test_an_ignore_file_comment_at_the_top_of_the_first_code_cell_covers_the_notebook(folder: Path) -> None:
    cells: list[dict[str, object]] = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Legacy training\n"]},
        code_cell("%matplotlib inline\n# genlint: ignore-file[GEN5]\nimport keras\n"),
        code_cell("model.fit_generator(data, steps_per_epoch=4)\n"),
    ]
    (folder / "legacy.ipynb").write_text(notebook_json(cells), encoding="utf-8")

    assert findings("legacy.ipynb") == []


@pytest.mark.parametrize("name", ["training.ipynb", "colab.ipynb", "string_sources.ipynb"])
def test_writing_back_an_unchanged_module_gives_the_file_back_unchanged(name: str) -> None:
    notebook = load(str(FIXTURES / name))

    assert notebook.write_back(notebook.source) == (FIXTURES / name).read_text(encoding="utf-8")


def test_a_null_character_in_a_cell_is_a_syntax_error_not_a_crash(folder: Path) -> None:
    (folder / "null.ipynb").write_text(notebook_json([code_cell("x = 1\n"), code_cell("y = '\0'\n")]), encoding="utf-8")

    code, output, errors = run("--output-format", "concise", "null.ipynb")

    assert (code, errors) == (1, "")
    assert output.startswith("null.ipynb:1:1: GEN001 cell 2 holds a null character, which Python refuses")
