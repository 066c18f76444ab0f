"""Analysis features that cut across rules: sources passed through a helper's parameter, and Keras names
imported one of two ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import lint_example
from genlint.analysis.analyzer import selected_backend
from genlint.engine import lint_files
from genlint.rules.base import Example

THROUGH_A_HELPER = """\
def endless(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def train(model, data, epochs):
    return model.fit(data, epochs=epochs)


train(model, endless(x_train, y_train, 32), 5)
train(model, (x_train, y_train), 5)
"""


def test_a_source_passed_to_a_helper_reaches_the_fit_inside_it(tmp_path: Path) -> None:
    found = [(d.code, d.line) for d in lint_example(Example(THROUGH_A_HELPER), tmp_path)]

    assert found == [("GEN201", 8)]


def test_a_helper_called_only_with_unknown_data_stays_silent(tmp_path: Path) -> None:
    code = THROUGH_A_HELPER.replace("train(model, endless(x_train, y_train, 32), 5)\n", "")

    assert lint_example(Example(code), tmp_path) == []


EITHER_IMPORT = """\
try:
    from tensorflow.keras.utils import Sequence
except ImportError:
    from keras.utils import Sequence


class Rows(Sequence):  # error: GEN402
    def __len__(self):
        return 3


model.fit(Rows(), epochs=2)
"""


def test_a_keras_class_imported_one_of_two_ways_is_still_keras(tmp_path: Path) -> None:
    found = [(d.code, d.line) for d in lint_example(Example(EITHER_IMPORT), tmp_path)]

    assert found == [("GEN402", 7)]


def test_two_imports_of_different_things_stay_unknown(tmp_path: Path) -> None:
    code = EITHER_IMPORT.replace("from keras.utils import Sequence", "from collections.abc import Sequence")

    assert lint_example(Example(code), tmp_path) == []


OWN_FIT = """\
import keras


class Trainer(keras.Model):
    def fit(self, data, epochs=1, workers=1):
        for _ in range(epochs):
            for batch in data:
                self.train_on_batch(*batch)
        return self

    def run(self, data):
        return self.fit(data, epochs=3, workers=4)
"""


def test_a_keras_subclass_with_its_own_fit_is_not_kerass_fit(tmp_path: Path) -> None:
    assert lint_example(Example(OWN_FIT), tmp_path) == []


def test_a_fit_that_delegates_to_super_is_still_kerass_fit(tmp_path: Path) -> None:
    code = OWN_FIT.replace(
        """        for _ in range(epochs):
            for batch in data:
                self.train_on_batch(*batch)
        return self""",
        "        return super().fit(data, epochs=epochs, workers=workers)",
    )

    found = [(d.code, d.line) for d in lint_example(Example(code), tmp_path)]

    assert ("GEN206", 9) in found


ALLOCATED_BATCHES = """\
import numpy as np


def steering_batches(paths, angles, batch_size):
    images = np.empty([batch_size, 66, 200, 3])
    steers = np.empty(batch_size)
    while True:
        i = 0
        for index in np.random.permutation(len(paths)):
            images[i] = load_image(paths[index])
            steers[i] = angles[index]
            i += 1
            if i == batch_size:
                break
        yield images, steers


model.fit(
    steering_batches(x_train, y_train, 40),
    steps_per_epoch=500,
    epochs=10,
    validation_data=steering_batches(x_valid, y_valid, 40),
    validation_steps=len(x_valid),
)
"""


def test_arrays_allocated_with_the_batch_size_make_batches_of_many_samples(tmp_path: Path) -> None:
    found = [(d.code, d.line) for d in lint_example(Example(ALLOCATED_BATCHES), tmp_path)]

    assert found == [("GEN303", 23)]


def test_arrays_allocated_one_row_at_a_time_are_single_samples(tmp_path: Path) -> None:
    code = ALLOCATED_BATCHES.replace("np.empty([batch_size, 66, 200, 3])", "np.empty([1, 66, 200, 3])")

    assert lint_example(Example(code), tmp_path) == []


def test_an_absolute_import_through_the_importers_own_package_folder_is_followed(tmp_path: Path) -> None:
    """`from src.frames import Frames` inside `src/train.py` (run as `python -m src.train` from the folder
    above, with no project marker there) reaches `src/frames.py`."""
    package = tmp_path / "src"
    package.mkdir()
    (package / "frames.py").write_text(
        "import keras\n\n\n"
        "class Frames(keras.utils.PyDataset):\n"
        "    def __init__(self, paths, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.paths = paths\n\n"
        "    def __getitem__(self, index):\n"
        "        return self.paths[index], self.paths[index]\n"
    )
    train = package / "train.py"
    train.write_text("from src.frames import Frames\n\nmodel.fit(Frames(train_paths), epochs=2)\n")

    found = {(Path(d.path).name, d.code) for d in lint_files([train]).diagnostics}

    assert found == {("frames.py", "GEN401")}


def test_modules_that_import_a_name_from_each_other_end_the_search(tmp_path: Path) -> None:
    """`from pkg.a import batches` in b and `from pkg.b import batches` in a: a circle, not a recursion error."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from pkg.b import batches\n", encoding="utf-8")
    (package / "b.py").write_text("from pkg.a import batches\n", encoding="utf-8")
    train = package / "train.py"
    train.write_text("from pkg.a import batches\n\nmodel.fit(batches(), epochs=3)\n", encoding="utf-8")

    result = lint_files([train])

    assert (result.internal_errors, result.diagnostics) == ([], [])


@pytest.mark.parametrize(
    ("text", "backend"),
    [
        ('import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n', "jax"),
        ("import os\nos.environ.setdefault('KERAS_BACKEND', 'torch')\n", "torch"),
        ('"""Run as `KERAS_BACKEND=jax python train.py`."""\n', "jax"),
        ('import os\nos.environ["KERAS_BACKEND"] = "tensorflow"\n', ""),
        ("import keras\n", ""),
    ],
)
def test_the_backend_a_script_selects(text: str, backend: str, tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text(text, encoding="utf-8")
    assert selected_backend(str(path), text) == backend


def test_the_backend_a_notebook_selects_with_a_magic(tmp_path: Path) -> None:
    """`%env KERAS_BACKEND=jax` is masked in the notebook's module, so the notebook's own text is read."""
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": [line]}
        for line in ("%env KERAS_BACKEND=jax\n", "import keras\n")
    ]
    path = tmp_path / "train.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), "utf-8")
    assert selected_backend(str(path), "pass  # masked\nimport keras\n") == "jax"
