"""Findings whose severity or presence depends on the Keras target (`--target keras3` / `tf-keras`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_example
from genlint.config import Settings
from genlint.engine import lint_files
from genlint.rules.base import Diagnostic, Example, Severity

GENERATOR = """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


"""

PYDATASET = """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


"""


def _findings(code: str, rule_code: str, target: str, folder: Path) -> list[Diagnostic]:
    folder.mkdir(parents=True, exist_ok=True)
    main = write_example(Example(code), folder)
    settings = Settings(target=target)
    return [d for d in lint_files([main], settings=settings).diagnostics if d.code == rule_code]


def _line(code: str, fragment: str) -> int:
    return next(number for number, text in enumerate(code.splitlines(), start=1) if fragment in text)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, workers=4)", True),
        ("model.fit(x_train, y_train, validation_data=batches(x_val, y_val, 8), validation_steps=2, workers=2)", True),
        ("model.fit_generator(batches(x_train, y_train, 32), 3, 2, workers=4)", True),
        ("model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, workers=4, use_multiprocessing=True)", False),
        ("model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, workers=1)", False),
        ("model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, max_queue_size=10)", False),
        ("model.fit(x_train, y_train, workers=4)", False),
    ],
)
def test_gen206_tf_keras_warns_only_about_threads_on_a_plain_generator(call: str, expected: bool, tmp_path) -> None:
    code = GENERATOR + call + "\n"
    found = _findings(code, "GEN206", "tf-keras", tmp_path)
    assert [(d.line, d.severity) for d in found] == ([(_line(code, call), Severity.WARNING)] if expected else [])
    if expected:
        assert "NOT thread-safe" in found[0].message


def test_gen206_tf_keras_leaves_a_sequence_with_workers_alone(tmp_path) -> None:
    code = PYDATASET + "model.fit(Batches(x_train, y_train, 32), epochs=2, workers=4)\n"
    assert _findings(code, "GEN206", "tf-keras", tmp_path) == []
    assert [d.severity for d in _findings(code, "GEN206", "keras3", tmp_path / "k3")] == [Severity.ERROR]


def test_gen209_is_info_for_tf_keras_and_error_for_keras3(tmp_path) -> None:
    code = "model.fit(zip(x_batches, y_batches), steps_per_epoch=3)\n"
    assert [d.severity for d in _findings(code, "GEN209", "tf-keras", tmp_path / "tfk")] == [Severity.INFO]
    assert [d.severity for d in _findings(code, "GEN209", "keras3", tmp_path)] == [Severity.ERROR]


def test_gen204_class_weight_with_a_generator_works_in_tf_keras(tmp_path) -> None:
    code = GENERATOR + "model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, class_weight={0: 1.0, 1: 2.0})\n"
    assert _findings(code, "GEN204", "tf-keras", tmp_path / "tfk") == []
    assert len(_findings(code, "GEN204", "keras3", tmp_path)) == 1


def test_gen204_y_with_a_generator_fails_in_tf_keras_too(tmp_path) -> None:
    code = GENERATOR + "model.fit(batches(x_train, y_train, 32), y_train, steps_per_epoch=3)\n"
    found = _findings(code, "GEN204", "tf-keras", tmp_path)
    assert [d.severity for d in found] == [Severity.ERROR]
    assert "python generator as input" in found[0].message


def test_gen203_names_the_tf_keras_error(tmp_path) -> None:
    code = GENERATOR + "model.fit(batches, steps_per_epoch=3)\n"
    found = _findings(code, "GEN203", "tf-keras", tmp_path)
    assert len(found) == 1 and "Failed to find data adapter" in found[0].message


def test_gen503_shared_object_in_a_lambda_is_a_warning(tmp_path) -> None:
    code = (
        "import tensorflow as tf\n\n\n"
        + "def one_pass(x, y):\n    for row in range(len(x)):\n        yield x[row], y[row]\n\n\n"
        + "stream = one_pass(x_train, y_train)\n"
        + "direct = tf.data.Dataset.from_generator(stream, output_types=('float32', 'float32'))\n"
        + "shared = tf.data.Dataset.from_generator(lambda: stream, output_types=('float32', 'float32'))\n"
    )
    found = _findings(code, "GEN503", "keras3", tmp_path)
    assert [(d.line, d.severity) for d in found] == [
        (_line(code, "direct ="), Severity.ERROR),
        (_line(code, "shared ="), Severity.WARNING),
    ]


LIST_YIELD_AND_LEGACY_CALLS = """\
def pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield [x[start:start + batch_size], y[start:start + batch_size]]


model.fit_generator(pairs(x_train, y_train, 32), steps_per_epoch=3, epochs=2)
model.predict_generator(pairs(x_test, y_test, 32), steps=1)
"""


@pytest.mark.parametrize("rule_code", ["GEN104", "GEN501", "GEN502"])
def test_what_tf_keras_accepts_is_an_error_for_keras3_and_info_for_tf_keras(rule_code: str, tmp_path: Path) -> None:
    [keras3] = _findings(LIST_YIELD_AND_LEGACY_CALLS, rule_code, "keras3", tmp_path / "keras3")
    [tf_keras] = _findings(LIST_YIELD_AND_LEGACY_CALLS, rule_code, "tf-keras", tmp_path / "tf_keras")

    assert (keras3.severity, tf_keras.severity) == (Severity.ERROR, Severity.INFO)
    assert (keras3.line, keras3.column) == (tf_keras.line, tf_keras.column)
    assert "Keras 3" in keras3.message and "tf.keras" in tf_keras.message


SEQUENCE_WITHOUT_SUPER = """\
import math

{imports}


class Batches({base}):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
"""


@pytest.mark.parametrize(
    ("imports", "base", "keras3", "tf_keras"),
    [
        ("import keras", "keras.utils.PyDataset", True, True),  # the name exists only in Keras 3
        ("import keras", "keras.utils.Sequence", True, False),
        ("import tensorflow as tf", "tf.keras.utils.Sequence", True, False),  # Keras 3 from TF 2.16 on
        ("from tensorflow import keras", "keras.utils.Sequence", True, False),
        ("from tensorflow.keras.utils import Sequence", "Sequence", True, False),
        ("import tf_keras", "tf_keras.utils.Sequence", False, False),  # Keras 2 whatever the target
        ("from keras.utils.data_utils import Sequence", "Sequence", False, False),  # a Keras 2 path
    ],
)
def test_a_sequence_without_super_init_is_reported_where_it_is_keras_3s_pydataset(
    imports: str, base: str, keras3: bool, tf_keras: bool, tmp_path: Path
) -> None:
    code = SEQUENCE_WITHOUT_SUPER.format(imports=imports, base=base)
    assert bool(_findings(code, "GEN406", "keras3", tmp_path / "k3")) is keras3
    assert bool(_findings(code, "GEN406", "tf-keras", tmp_path / "tfk")) is tf_keras
