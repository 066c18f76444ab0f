from __future__ import annotations

from genlint.analysis.model import BatchCount, FileModel, ValueType
from genlint.rules.base import Example, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import float_count_fix
from genlint.rules.messages import call_text, code_text, site


class SequenceFloatLenRule(Rule):
    """
    ## What it does
    Finds a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass whose `__len__` (or `num_batches`
    property) returns a float, such as a true division `len(self.x) / self.batch_size` or `np.ceil(...)`,
    while an instance of it feeds `fit`, `evaluate` or `predict`.

    ## Why is this bad?
    Keras calls `len()` on the dataset before training starts, and `len()` accepts only an int:
    `TypeError: 'float' object cannot be interpreted as an integer`, even when the float is whole
    (`96 / 32 == 3.0`). `np.ceil` and `np.floor` return NumPy floats, which fail the same way:
    `TypeError: 'numpy.float64' object cannot be interpreted as an integer`. Keras 3 and tf.keras both
    raise.

    ## Fix safety
    Safe: `--fix` rewrites the returned value: a true division `a / b` becomes `math.ceil(a / b)` (adding
    `import math` after the other standard-library imports when it is missing), which returns an int and
    keeps the partial last batch; a NumPy function whose float is whole (`np.ceil`, `np.floor`) gets
    `int(...)` around it, and a whole float constant is written as an int. A returned name bound to one of
    those is converted in the `return` (`return math.ceil(n_batches)`), so that its other uses keep their
    value. Other floats (`float(n) // b`) are left alone, and so is a file where `math` names something else.
    """

    code = "GEN403"
    name = "sequence-float-len"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    message = (
        "`{name}.{method}` returns `{value}` ({where}), a float: {reason}; `{call}` ({call_site}) raises "
        "TypeError: '{float_type}' object cannot be interpreted as an integer"
    )
    help = "Return {remedy}: an int, and the partial last batch is kept."
    symptom = KerasSymptom(exception="TypeError", message="'float' object cannot be interpreted as an integer")

    invalid = (
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) / self.batch_size  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            title="a true division, even when it is whole",
            runs=True,
        ),
        Example(
            """\
import numpy as np
from keras.utils import Sequence


class ImageSequence(Sequence):
    def __init__(self, paths, labels, batch_size=32):
        super().__init__()
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return np.ceil(len(self.paths) / self.batch_size)  # error: GEN403

    def __getitem__(self, idx):
        batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([np.load(p) for p in batch]), self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]


model.fit(ImageSequence(train_paths, train_labels), epochs=10)
""",
            fixed="""\
import numpy as np
from keras.utils import Sequence


class ImageSequence(Sequence):
    def __init__(self, paths, labels, batch_size=32):
        super().__init__()
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return int(np.ceil(len(self.paths) / self.batch_size))  # error: GEN403

    def __getitem__(self, idx):
        batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([np.load(p) for p in batch]), self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]


model.fit(ImageSequence(train_paths, train_labels), epochs=10)
""",
            title="`np.ceil` returns a NumPy float",
        ),
        Example(
            """\
import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, series, window, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.series, self.window, self.batch_size = series, window, batch_size

    def __len__(self):
        n_windows = len(self.series) - self.window
        n_batches = n_windows / self.batch_size
        return n_batches  # error: GEN403

    def __getitem__(self, index):
        starts = range(index * self.batch_size, (index + 1) * self.batch_size)
        windows = np.stack([self.series[s:s + self.window + 1] for s in starts])
        return windows[:, :-1], windows[:, -1]


model.fit(Windows(series, window=24, batch_size=64), epochs=20)
""",
            fixed="""\
import math

import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, series, window, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.series, self.window, self.batch_size = series, window, batch_size

    def __len__(self):
        n_windows = len(self.series) - self.window
        n_batches = n_windows / self.batch_size
        return math.ceil(n_batches)  # error: GEN403

    def __getitem__(self, index):
        starts = range(index * self.batch_size, (index + 1) * self.batch_size)
        windows = np.stack([self.series[s:s + self.window + 1] for s in starts])
        return windows[:, :-1], windows[:, -1]


model.fit(Windows(series, window=24, batch_size=64), epochs=20)
""",
            title="the division through a local variable",
        ),
        Example(
            """\
import keras
import numpy as np


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels = clips, labels
        self.batch_size = batch_size
        self.steps = len(clips) / batch_size

    def __len__(self):
        return self.steps  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.clips[rows]), self.labels[rows]


model.fit(Clips(train_clips, train_labels, 16), validation_data=Clips(val_clips, val_labels, 16), epochs=8)
""",
            fixed="""\
import math

import keras
import numpy as np


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels = clips, labels
        self.batch_size = batch_size
        self.steps = len(clips) / batch_size

    def __len__(self):
        return math.ceil(self.steps)  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.clips[rows]), self.labels[rows]


model.fit(Clips(train_clips, train_labels, 16), validation_data=Clips(val_clips, val_labels, 16), epochs=8)
""",
            title="the count computed in `__init__` and kept on `self`",
        ),
        Example(
            """\
from data_utils import TextBatches

model.fit(x=TextBatches(token_ids, labels, batch_size=128), epochs=4)
""",
            fixed="""\
from data_utils import TextBatches

model.fit(x=TextBatches(token_ids, labels, batch_size=128), epochs=4)
""",
            files={
                "data_utils.py": """\
import keras


class TextBatches(keras.utils.PyDataset):
    def __init__(self, token_ids, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.token_ids, self.labels, self.batch_size = token_ids, labels, batch_size

    def __len__(self):
        return len(self.token_ids) / self.batch_size  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.token_ids[rows], self.labels[rows]
"""
            },
            fixed_files={
                "data_utils.py": """\
import math

import keras


class TextBatches(keras.utils.PyDataset):
    def __init__(self, token_ids, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.token_ids, self.labels, self.batch_size = token_ids, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.token_ids) / self.batch_size)  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.token_ids[rows], self.labels[rows]
""",
            },
            title="a PyDataset in a sibling module (reported where `__len__` is)",
        ),
        Example(
            """\
import keras
import numpy as np

BATCH_SIZE = 256


class Rows(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    @property
    def num_batches(self):
        return np.floor(len(self.table) / BATCH_SIZE)  # error: GEN403

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


loss = model.evaluate(Rows(test_table))
""",
            fixed="""\
import keras
import numpy as np

BATCH_SIZE = 256


class Rows(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    @property
    def num_batches(self):
        return int(np.floor(len(self.table) / BATCH_SIZE))  # error: GEN403

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


loss = model.evaluate(Rows(test_table))
""",
            title="the Keras 3 `num_batches` property with `np.floor`, passed to `evaluate`",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return float(len(self.x)) // self.batch_size  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


def train(model, x, y, epochs):
    data = Batches(x, y, batch_size=32)
    return model.fit(data, epochs=epochs)
""",
            fixed="""\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return float(len(self.x)) // self.batch_size  # error: GEN403

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


def train(model, x, y, epochs):
    data = Batches(x, y, batch_size=32)
    return model.fit(data, epochs=epochs)
""",
            title="a floor division of a float is still a float",
        ),
        Example(
            """\
import keras
import numpy as np


class Base(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return np.ceil(len(self.x) / self.batch_size)  # error: GEN403


class TestImages(Base):
    def __getitem__(self, index):
        return (self.x[index * self.batch_size:(index + 1) * self.batch_size],)


predictions = model.predict(TestImages(x_test, 64))
""",
            fixed="""\
import keras
import numpy as np


class Base(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))  # error: GEN403


class TestImages(Base):
    def __getitem__(self, index):
        return (self.x[index * self.batch_size:(index + 1) * self.batch_size],)


predictions = model.predict(TestImages(x_test, 64))
""",
            title="`__len__` inherited from a project base class; `predict` calls `len()` too",
        ),
    )
    valid = (
        Example(
            """\
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


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            runs=True,
        ),
        Example(
            """\
import numpy as np
from keras.utils import Sequence


class ImageSequence(Sequence):
    def __init__(self, paths, labels, batch_size=32):
        super().__init__()
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return int(np.ceil(len(self.paths) / float(self.batch_size)))

    def __getitem__(self, idx):
        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return np.stack([np.load(p) for p in self.paths[rows]]), self.labels[rows]


model.fit(ImageSequence(train_paths, train_labels), epochs=10)
""",
            title="`int()` around `np.ceil`",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return (len(self.x) + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="integer ceiling with `//`",
        ),
        Example(
            """\
import keras
import numpy as np


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels = clips, labels
        self.batch_size = batch_size
        self.steps = np.ceil(len(clips) / batch_size).astype(int)

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.clips[rows]), self.labels[rows]


model.fit(Clips(train_clips, train_labels, 16), epochs=8)
""",
            title="`np.ceil(...).astype(int)` kept on `self`",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.fraction_seen = len(x) / 50_000

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


print(f"training on {Batches(x_train, y_train, 32).fraction_seen:.0%} of the data")
model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a true division elsewhere in the class is not the length",
        ),
        Example(
            """\
from data_utils import TextBatches

model.fit(x=TextBatches(token_ids, labels, batch_size=128), epochs=4)
""",
            files={
                "data_utils.py": """\
import math

import keras


class TextBatches(keras.utils.PyDataset):
    def __init__(self, token_ids, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.token_ids, self.labels, self.batch_size = token_ids, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.token_ids) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.token_ids[rows], self.labels[rows]
"""
            },
            title="a correct PyDataset in a sibling module",
        ),
        Example(
            """\
import numpy as np


class RunningMean:
    def __init__(self, values):
        self.values = values

    def __len__(self):
        return len(self.values) / 2


class Scaler:
    def fit(self, data):
        self.mean = np.mean(data.values)
        return self


Scaler().fit(RunningMean(x_train))
""",
            title="a float `__len__` on a class that is no Sequence, given to a project `fit`",
        ),
        Example(
            """\
import keras


class Stream(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        rows = np.random.randint(0, len(self.x), self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Stream(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            title="`num_batches` returning None marks an endless dataset",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None or sequence.length is None:
                    continue
                for count in sequence.batch_counts:
                    if count.value.type is ValueType.FLOAT:
                        self._report(
                            model,
                            context,
                            sequence.name,
                            sequence.length.name,
                            count,
                            call_text(consumer, role=role),
                            site(consumer.node, sequence.path),
                        )

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        name: str,
        method: str,
        count: BatchCount,
        call: str,
        call_site: str,
    ) -> None:
        written = code_text(count.node.value, 50)
        value = count.value
        unchanged = value.text in (written, code_text(count.node.value, 0))  # the count itself, maybe cut
        shown = written if unchanged else f"{written}` = `{code_text_of(value.text)}"
        reason = value.float_reason or "it computes a float"
        context.report(
            count.node,
            name=name,
            method=method,
            value=shown,
            where=site(count.node, model.path),
            reason=reason,
            call=call,
            call_site=call_site,
            float_type="numpy.float64" if "NumPy" in reason else "float",
            remedy=_fix(count),
            fix=float_count_fix(count.node.value, value.expression),
        )


def _fix(count: BatchCount) -> str:
    """`math.ceil(len(self.x) / self.batch_size)` from the division as written, without a `float()` around it."""
    if not (count.samples_text and count.batch_size_text):
        return "`math.ceil(number_of_samples / batch_size)`"
    samples = count.samples_text
    if samples.startswith("float(") and samples.endswith(")"):
        samples = samples[len("float(") : -1]
    return f"`math.ceil({samples} / {count.batch_size_text})`"


def code_text_of(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
