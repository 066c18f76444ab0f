"""Analysis features that cut across rules: sources passed through a helper's parameter, and Keras names
imported one of two ways."""

from __future__ import annotations

from pathlib import Path

from conftest import lint_example
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
