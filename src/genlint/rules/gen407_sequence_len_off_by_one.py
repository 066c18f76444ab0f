from __future__ import annotations

from genlint.analysis.model import BatchCount, Consumer, FileModel, Rounding, SequenceClass, ValueType
from genlint.rules.base import Example, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import floor_plus_one_fix
from genlint.rules.messages import call_text, code_text, site


class SequenceLenOffByOneRule(Rule):
    """
    ## What it does
    Finds a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass whose `__len__` (or `num_batches`
    property) returns `n // batch_size + 1`, an attempt at rounding up, while its `__getitem__` slices batch
    `index` as `[index * batch_size:(index + 1) * batch_size]`, and an instance of it feeds `fit` or
    `evaluate`.

    ## Why is this bad?
    `n // b + 1` is one batch too many whenever `b` divides `n`: the last index slices past the data and
    `__getitem__` returns an empty batch. Keras 3 on JAX cannot take the gradient of a loss over zero
    samples and stops training with `TypeError: Gradient only defined for scalar-output functions. Output
    had shape: (0,).` In `evaluate` and in validation the empty batch turns the reported loss into `nan`.
    The TensorFlow backend and tf.keras train on the empty batch silently.

    ## Fix safety
    Safe: `--fix` rewrites `n // batch_size + 1` (also `1 + n // batch_size` and `int(n / batch_size) + 1`)
    in `__len__` as `math.ceil(n / batch_size)`, adding `import math` after the other standard-library
    imports when it is missing. It counts the partial last batch only when there is one: the same number of
    batches as before whenever `batch_size` does not divide `n`, and no empty batch when it does. A count
    computed outside `__len__` (kept on `self` by `__init__`, where other code may read it), or one that
    keeps the floor in a name first (`full_batches = n // b; return full_batches + 1`), is left alone.

    ## Known limitations
    When both sizes are known numbers and `b` does not divide `n`, `n // b + 1` is the right count and the
    rule stays silent. A `__getitem__` that does not slice by the same batch size as `__len__` divides by
    is left alone.
    """

    code = "GEN407"
    name = "sequence-len-off-by-one"
    fix_safety = FixSafety.SAFE
    severity = Severity.ERROR
    message = (
        "`{name}.{method}` returns `{value}` ({where}): whenever `{batch_size}` divides `{samples}`{known}, "
        "the last index makes `__getitem__` slice an empty batch ({slice_site}), and {consequence}"
    )
    help = "Return `math.ceil({samples} / {batch_size})`."
    symptom = KerasSymptom(exception="TypeError", message="Gradient only defined for scalar-output functions")

    invalid = (
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size + 1  # error: GEN407

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
        return math.ceil(len(self.x) / self.batch_size)  # error: GEN407

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            title="`+ 1` meant to round up",
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
        return int(len(self.paths) / self.batch_size) + 1  # error: GEN407

    def __getitem__(self, idx):
        batch_paths = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        batch_labels = self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([np.load(p) for p in batch_paths]), np.array(batch_labels)


model.fit(ImageSequence(train_paths, train_labels), epochs=10)
""",
            fixed="""\
import math

import numpy as np
from keras.utils import Sequence


class ImageSequence(Sequence):
    def __init__(self, paths, labels, batch_size=32):
        super().__init__()
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)  # error: GEN407

    def __getitem__(self, idx):
        batch_paths = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        batch_labels = self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([np.load(p) for p in batch_paths]), np.array(batch_labels)


model.fit(ImageSequence(train_paths, train_labels), epochs=10)
""",
            title="`int(n / b) + 1`",
        ),
        Example(
            """\
import keras


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        full_batches = len(self.clips) // self.batch_size
        return 1 + full_batches  # error: GEN407

    def __getitem__(self, index):
        start = index * self.batch_size
        end = min(start + self.batch_size, len(self.clips))
        return self.clips[start:end], self.labels[start:end]


model.fit(Clips(train_clips, train_labels, 16), epochs=30)
""",
            fixed="""\
import keras


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        full_batches = len(self.clips) // self.batch_size
        return 1 + full_batches  # error: GEN407

    def __getitem__(self, index):
        start = index * self.batch_size
        end = min(start + self.batch_size, len(self.clips))
        return self.clips[start:end], self.labels[start:end]


model.fit(Clips(train_clips, train_labels, 16), epochs=30)
""",
            title="`1 + full_batches` through a local",
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
        return len(self.token_ids) // self.batch_size + 1  # error: GEN407

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
        return math.ceil(len(self.token_ids) / self.batch_size)  # error: GEN407

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

N_SAMPLES = 1024
BATCH_SIZE = 64


class Table(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def __len__(self):
        return N_SAMPLES // BATCH_SIZE + 1  # error: GEN407

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


model.fit(Table(train_table), epochs=5)
""",
            fixed="""\
import math

import keras

N_SAMPLES = 1024
BATCH_SIZE = 64


class Table(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def __len__(self):
        return math.ceil(N_SAMPLES / BATCH_SIZE)  # error: GEN407

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


model.fit(Table(train_table), epochs=5)
""",
            title="known sizes: 1024 is a multiple of 64, so batch 16 is empty",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size + 1  # error: GEN407

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(x_train, y_train, validation_data=Batches(x_val, y_val, 16), epochs=5)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)  # error: GEN407

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(x_train, y_train, validation_data=Batches(x_val, y_val, 16), epochs=5)
""",
            title="`validation_data`: the validation loss comes out as nan",
        ),
        Example(
            """\
import keras

BATCH = 256


class Rows(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    @property
    def num_batches(self):
        return len(self.table) // BATCH + 1  # error: GEN407

    def __getitem__(self, index):
        rows = self.table[index * BATCH:(index + 1) * BATCH]
        return rows[:, :-1], rows[:, -1]


loss = model.evaluate(Rows(test_table))
""",
            fixed="""\
import math

import keras

BATCH = 256


class Rows(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    @property
    def num_batches(self):
        return math.ceil(len(self.table) / BATCH)  # error: GEN407

    def __getitem__(self, index):
        rows = self.table[index * BATCH:(index + 1) * BATCH]
        return rows[:, :-1], rows[:, -1]


loss = model.evaluate(Rows(test_table))
""",
            title="the Keras 3 `num_batches` property, passed to `evaluate`",
        ),
        Example(
            """\
import keras


class Trainer:
    def __init__(self, model, batch_size=32):
        self.model = model
        self.batch_size = batch_size

    def run(self, x, y, epochs):
        batch_size = self.batch_size

        class Batches(keras.utils.PyDataset):
            def __len__(self):
                return len(x) // batch_size + 1  # error: GEN407

            def __getitem__(self, index):
                rows = slice(index * batch_size, (index + 1) * batch_size)
                return x[rows], y[rows]

        return self.model.fit(Batches(), epochs=epochs)
""",
            fixed="""\
import math

import keras


class Trainer:
    def __init__(self, model, batch_size=32):
        self.model = model
        self.batch_size = batch_size

    def run(self, x, y, epochs):
        batch_size = self.batch_size

        class Batches(keras.utils.PyDataset):
            def __len__(self):
                return math.ceil(len(x) / batch_size)  # error: GEN407

            def __getitem__(self, index):
                rows = slice(index * batch_size, (index + 1) * batch_size)
                return x[rows], y[rows]

        return self.model.fit(Batches(), epochs=epochs)
""",
            title="a class nested in a method, over the method's data",
        ),
        Example(
            """\
import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, x, y, bs, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.bs = x, y, bs
        self.length = (len(x) // bs) + 1

    def __len__(self):
        return self.length  # error: GEN407

    def __getitem__(self, i):
        lo = i * self.bs
        return self.x[lo:lo + self.bs], self.y[lo:lo + self.bs]


model.fit(Windows(x_train, y_train, 10), epochs=3)
""",
            fixed="""\
import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, x, y, bs, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.bs = x, y, bs
        self.length = (len(x) // bs) + 1

    def __len__(self):
        return self.length  # error: GEN407

    def __getitem__(self, i):
        lo = i * self.bs
        return self.x[lo:lo + self.bs], self.y[lo:lo + self.bs]


model.fit(Windows(x_train, y_train, 10), epochs=3)
""",
            title="the count computed in `__init__` from its parameters",
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
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return (len(self.x) - 1) // self.batch_size + 1

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="`(n - 1) // b + 1` is the integer ceiling",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size + int(len(self.x) % self.batch_size > 0)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="one more batch only when there is a remainder",
        ),
        Example(
            """\
import keras

N_SAMPLES = 1000
BATCH_SIZE = 64


class Table(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def __len__(self):
        return N_SAMPLES // BATCH_SIZE + 1

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


model.fit(Table(train_table), epochs=5)
""",
            title="known sizes that leave a remainder: `+ 1` is the partial last batch",
        ),
        Example(
            """\
import keras
import numpy as np


class Sampled(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size + 1

    def __getitem__(self, index):
        rows = np.random.randint(0, len(self.x), self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Sampled(x_train, y_train, 32), epochs=10)
""",
            title="random batches are never empty",
        ),
        Example(
            """\
import keras


class Images(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size + 1

    def __getitem__(self, index):
        return (self.x[index * self.batch_size:(index + 1) * self.batch_size],)


predictions = model.predict(Images(x_test, 64))
""",
            title="`predict` takes an empty last batch in its stride: no loss, no gradient",
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
import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, series, window, **kwargs):
        super().__init__(**kwargs)
        self.series, self.window = series, window

    def __len__(self):
        return len(self.series) // self.window + 1

    def __getitem__(self, index):
        chunk = self.series[index * self.window:(index + 1) * self.window]
        return chunk[None, :-1], chunk[None, -1:]


class Forecaster:
    def fit(self, data, epochs=1):
        self.seen = [data[i] for i in range(len(data))] * epochs
        return self


Forecaster().fit(Windows(series, window=48), epochs=3)
""",
            title="a project class's own `fit` is not Keras",
        ),
        Example(
            """\
import keras


class Rows(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        if len(self.x) % self.batch_size:
            return len(self.x) // self.batch_size + 1
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Rows(x_train, y_train, 32), epochs=5)
""",
            title="`+ 1` only when the remainder is not zero",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None or consumer.base_method == "predict" or not _serves_empty(sequence):
                    continue
                for count in sequence.batch_counts:
                    plus_one = count.rounding is Rounding.FLOOR_PLUS_ONE and count.value.type is not ValueType.FLOAT
                    if plus_one and count.matches_slice and count.remainder in (None, 0):
                        self._report(model, context, consumer, role, sequence, count)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        sequence: SequenceClass,
        count: BatchCount,
    ) -> None:
        method = sequence.length.name if sequence.length is not None else "__len__"
        slice_node = sequence.index_slice.node if sequence.index_slice is not None else sequence.node
        call = f"`{call_text(consumer, role=role)}` ({site(consumer.node, sequence.path)})"
        if role == "x" and consumer.base_method == "fit":
            consequence = (
                f"{call} fails on JAX with TypeError: Gradient only defined for scalar-output functions. "
                "Output had shape: (0,)"
            )
        else:
            loss = "`val_loss`" if role == "validation_data" else "loss"
            consequence = f"{call} reports a nan {loss} (JAX)"
        context.report(
            count.node,
            name=sequence.name,
            method=method,
            value=_shown(count),
            where=site(count.node, model.path),
            batch_size=count.batch_size_text,
            samples=count.samples_text,
            known=" (here it does)" if count.remainder == 0 else "",
            slice_site=site(slice_node, model.path),
            consequence=consequence,
            fix=floor_plus_one_fix(count.value.expression, count.node),
        )


def _serves_empty(sequence: SequenceClass) -> bool:
    """`__getitem__` slices the data itself, so an index past the end gives an empty batch."""
    return sequence.index_slice is not None and sequence.index_slice.serves_partial_batch


def _shown(count: BatchCount) -> str:
    """`n_batches` as written, and what it holds when that is another expression."""
    written = code_text(count.node.value, 50)
    computed = count.value.text
    if not computed or computed in (written, code_text(count.node.value, 0)):
        return written
    return f"{written}` = `{computed if len(computed) <= 50 else computed[:49] + '…'}"
