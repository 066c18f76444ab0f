from __future__ import annotations

from genlint.analysis.model import BatchCount, Consumer, FileModel, Rounding, SequenceClass, ValueType
from genlint.rules.base import Example, FixSafety, Rule, RuleContext, Severity
from genlint.rules.edits import floor_count_fix
from genlint.rules.messages import call_text, code_text, site


class SequenceLenDropsRemainderRule(Rule):
    """
    ## What it does
    Finds a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass whose `__len__` (or `num_batches`
    property) rounds down, `len(self.x) // self.batch_size` or `int(len(self.x) / self.batch_size)`, while its
    `__getitem__` slices batch `index` as `[index * batch_size:(index + 1) * batch_size]` and so could serve
    the partial last batch, if only Keras asked for it.

    ## Why is this bad?
    Keras asks only for the batches `__len__` counts. The samples after the last full batch are never
    served: with 100 samples and batches of 32, every epoch trains on the same 96 and the last 4 are never
    seen, silently, in Keras 3 and tf.keras alike. For `evaluate` and `validation_data` the score leaves
    those samples out; `predict` returns fewer rows than it was given.

    ## Fix safety
    Unsafe (`--fix --unsafe-fixes`): the count is rewritten where it is computed, `len(self.x) //
    self.batch_size`, `int(len(self.x) / self.batch_size)` or `math.floor(...)` →
    `math.ceil(len(self.x) / self.batch_size)` (adding `import math` after the other standard-library imports
    when it is missing), so that Keras asks for the partial last batch as well. This changes behaviour when
    the rest of the code relies on every batch being full, and a count kept on `self` in `__init__` changes
    for its other uses too. A count computed from a name (`int(self.n_over_b)`) is left alone.

    ## Known limitations
    Dropping the partial batch on purpose is left alone when `on_epoch_end` reshuffles the samples (each
    epoch then drops different ones) or when `__getitem__` fills a preallocated array of `batch_size` rows.
    genlint compares the divisor of `__len__` with the batch size `__getitem__` slices by as written
    (`self.batch_size` in both); a batch size spelt differently in the two methods is left alone.
    """

    code = "GEN404"
    name = "sequence-len-drops-remainder"
    fix_safety = FixSafety.UNSAFE
    severity = Severity.WARNING
    message = (
        "`{name}.{method}` returns `{value}` ({where}), which rounds down, while `__getitem__` slices batches "
        "of `{batch_size}` ({slice_site}): {consequence}"
    )
    help = "Return `math.ceil({samples} / {batch_size})` so that Keras asks for the partial last batch too."

    invalid = (
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size  # error: GEN404

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=10)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)  # error: GEN404

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=10)
""",
            title="a floor division leaves out the partial last batch",
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
        return int(len(self.paths) / self.batch_size)  # error: GEN404

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
        return math.ceil(len(self.paths) / self.batch_size)  # error: GEN404

    def __getitem__(self, idx):
        batch_paths = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        batch_labels = self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([np.load(p) for p in batch_paths]), np.array(batch_labels)


model.fit(ImageSequence(train_paths, train_labels), epochs=10)
""",
            title="`int(n / batch_size)` rounds down as well",
        ),
        Example(
            """\
import math

import keras


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        batches = math.floor(len(self.clips) / self.batch_size)
        return batches  # error: GEN404

    def __getitem__(self, index):
        start = index * self.batch_size
        end = min(start + self.batch_size, len(self.clips))
        return self.clips[start:end], self.labels[start:end]


model.fit(Clips(train_clips, train_labels, 16), epochs=30)
""",
            fixed="""\
import math

import keras


class Clips(keras.utils.PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        batches = math.ceil(len(self.clips) / self.batch_size)
        return batches  # error: GEN404

    def __getitem__(self, index):
        start = index * self.batch_size
        end = min(start + self.batch_size, len(self.clips))
        return self.clips[start:end], self.labels[start:end]


model.fit(Clips(train_clips, train_labels, 16), epochs=30)
""",
            title="`math.floor` through a local, while `__getitem__` even clips the last batch to the data",
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
        return len(self.token_ids) // self.batch_size  # error: GEN404

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
        return math.ceil(len(self.token_ids) / self.batch_size)  # error: GEN404

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


class Shuffled(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.order = np.random.permutation(len(x))  # shuffled once, never again

    def __len__(self):
        return int(np.floor(len(self.x) / self.batch_size))  # error: GEN404

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return self.x[rows], self.y[rows]


model.fit(Shuffled(x_train, y_train, 64), epochs=12)
""",
            fixed="""\
import math

import keras
import numpy as np


class Shuffled(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.order = np.random.permutation(len(x))  # shuffled once, never again

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)  # error: GEN404

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return self.x[rows], self.y[rows]


model.fit(Shuffled(x_train, y_train, 64), epochs=12)
""",
            title="an order shuffled once in `__init__` drops the same samples every epoch",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size  # error: GEN404

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(x_train, y_train, validation_data=Batches(x_val, y_val, 256), epochs=5)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)  # error: GEN404

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(x_train, y_train, validation_data=Batches(x_val, y_val, 256), epochs=5)
""",
            title="the validation score leaves the tail out",
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

    @property
    def num_batches(self):
        return N_SAMPLES // BATCH_SIZE  # error: GEN404

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


predictions = model.predict(Table(test_table))
""",
            fixed="""\
import math

import keras

N_SAMPLES = 1000
BATCH_SIZE = 64


class Table(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    @property
    def num_batches(self):
        return math.ceil(N_SAMPLES / BATCH_SIZE)  # error: GEN404

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


predictions = model.predict(Table(test_table))
""",
            title="`num_batches` with known sizes: 40 rows get no prediction",
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
                return len(x) // batch_size  # error: GEN404

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
                return math.ceil(len(x) / batch_size)  # error: GEN404

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


class Rows(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.n_batches = len(x) // batch_size

    def __len__(self):
        return self.n_batches  # error: GEN404

    def __getitem__(self, i):
        lo = i * self.batch_size
        return self.x[lo:lo + self.batch_size], self.y[lo:lo + self.batch_size]


model.fit(Rows(x_train, y_train, 32), epochs=3)
""",
            fixed="""\
import math

import keras


class Rows(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.n_batches = math.ceil(len(x) / batch_size)

    def __len__(self):
        return self.n_batches  # error: GEN404

    def __getitem__(self, i):
        lo = i * self.batch_size
        return self.x[lo:lo + self.batch_size], self.y[lo:lo + self.batch_size]


model.fit(Rows(x_train, y_train, 32), epochs=3)
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


model.fit(Batches(x_train, y_train, 32), epochs=10)
""",
        ),
        Example(
            """\
import keras
import numpy as np


class Shuffled(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.order = np.arange(len(x))
        self.on_epoch_end()

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return self.x[rows], self.y[rows]

    def on_epoch_end(self):
        np.random.shuffle(self.order)


model.fit(Shuffled(x_train, y_train, 32), epochs=10)
""",
            title="`on_epoch_end` reshuffles: each epoch drops different samples (drop-last on purpose)",
        ),
        Example(
            """\
import keras
import numpy as np


class Images(keras.utils.PyDataset):
    def __init__(self, paths, labels, batch_size, shape=(64, 64, 3), **kwargs):
        super().__init__(**kwargs)
        self.paths, self.labels, self.batch_size, self.shape = paths, labels, batch_size, shape

    def __len__(self):
        return len(self.paths) // self.batch_size

    def __getitem__(self, index):
        batch = self.paths[index * self.batch_size:(index + 1) * self.batch_size]
        return self._load(batch), self.labels[index * self.batch_size:(index + 1) * self.batch_size]

    def _load(self, batch):
        images = np.empty((self.batch_size, *self.shape), dtype="float32")
        for i, path in enumerate(batch):
            images[i] = np.load(path)
        return images


model.fit(Images(train_paths, train_labels, 32), epochs=10)
""",
            title="fixed-size batches filled into a preallocated array",
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
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        rows = np.random.randint(0, len(self.x), self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Sampled(x_train, y_train, 32), epochs=10)
""",
            title="random batches: rounding down drops no particular sample",
        ),
        Example(
            """\
import keras

N_SAMPLES = 960
BATCH_SIZE = 32


class Table(keras.utils.PyDataset):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def __len__(self):
        return N_SAMPLES // BATCH_SIZE

    def __getitem__(self, index):
        rows = self.table[index * BATCH_SIZE:(index + 1) * BATCH_SIZE]
        return rows[:, :-1], rows[:, -1]


model.fit(Table(train_table), epochs=5)
""",
            title="known sizes that divide evenly",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, index):
        start = index * self.batch_size
        end = start + self.batch_size
        if index == len(self) - 1:
            end = len(self.x)  # the last batch takes the tail as well
        return self.x[start:end], self.y[start:end]


model.fit(Batches(x_train, y_train, 32), epochs=10)
""",
            title="the last batch is enlarged to take the tail",
        ),
        Example(
            """\
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
        return -(-len(self.token_ids) // self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.token_ids[rows], self.labels[rows]
"""
            },
            title="the integer ceiling `-(-n // b)` in a sibling module",
        ),
        Example(
            """\
import keras


class Windows(keras.utils.PyDataset):
    def __init__(self, series, window, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.series, self.window, self.batch_size = series, window, batch_size

    def __len__(self):
        return len(self.series) // self.window

    def __getitem__(self, index):
        chunk = self.series[index * self.window:(index + 1) * self.window]
        return chunk[None, :-1], chunk[None, -1:]


class Forecaster:
    def fit(self, data, epochs=1):
        self.history = [len(data)] * epochs
        return self


Forecaster().fit(Windows(series, window=48, batch_size=1), epochs=3)
""",
            title="a project class's own `fit` is not Keras",
        ),
        Example(
            """\
import keras
import numpy as np


class Volumes(keras.utils.Sequence):
    \"\"\"One scan per batch: every slice of the volume goes into that batch.\"\"\"

    def __init__(self, scan_ids, **kwargs):
        super().__init__(**kwargs)
        self.scan_ids = scan_ids
        self.batch_size = 1

    def __len__(self):
        return int(np.floor(len(self.scan_ids) / self.batch_size))

    def __getitem__(self, index):
        ids = self.scan_ids[index * self.batch_size:(index + 1) * self.batch_size]
        volume = np.load(f"scans/{ids[0]}.npy")
        return volume[..., :2], volume[..., 2:]


model.fit(Volumes(train_ids), epochs=10)
""",
            title="a floor over batches of one sample drops nothing",
        ),
        Example(
            """\
import keras


class Rows(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        if len(self.x) % self.batch_size == 0:
            return len(self.x) // self.batch_size
        return len(self.x) // self.batch_size + 1

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Rows(x_train, y_train, 32), epochs=5)
""",
            title="a ceiling written by cases on the remainder",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None or sequence.length is None or not _drops_tail(sequence):
                    continue
                for count in sequence.batch_counts:
                    floors = count.rounding is Rounding.FLOOR and count.value.type is not ValueType.FLOAT  # else GEN403
                    if floors and count.matches_slice and count.remainder != 0:
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
        context.report(
            count.node,
            name=sequence.name,
            method=method,
            value=_shown(count),
            where=site(count.node, model.path),
            batch_size=count.batch_size_text,
            slice_site=site(slice_node, model.path),
            consequence=_consequence(consumer, role, count, site(consumer.node, sequence.path)),
            samples=count.samples_text,
            fix=floor_count_fix(count.value.expression, count.node),
        )


def _drops_tail(sequence: SequenceClass) -> bool:
    """The same tail is left out every epoch, and `__getitem__` could have served it."""
    index_slice = sequence.index_slice
    return index_slice is not None and index_slice.serves_partial_batch and not sequence.reshuffles


def _consequence(consumer: Consumer, role: str, count: BatchCount, call_site: str) -> str:
    tail = f"the last `{count.samples_text} % {count.batch_size_text}` samples"
    if count.remainder is not None:
        tail += f" ({count.remainder} of them)"
    call = f"`{call_text(consumer, role=role)}` ({call_site})"
    if role == "validation_data":
        return f"{call} never validates on {tail}, in any epoch"
    if consumer.base_method == "evaluate":
        return f"{call} never scores {tail}"
    if consumer.base_method == "predict":
        return f"{call} returns no predictions for {tail}"
    return f"{call} never trains on {tail}, in any epoch"


def _shown(count: BatchCount) -> str:
    """`n_batches` as written, and what it holds when that is another expression."""
    written = code_text(count.node.value, 50)
    computed = count.value.text
    if not computed or computed in (written, code_text(count.node.value, 0)):
        return written
    return f"{written}` = `{computed if len(computed) <= 50 else computed[:49] + '…'}"
