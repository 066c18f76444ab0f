from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, site


class SequenceMissingGetitemRule(Rule):
    """
    ## What it does
    Finds a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass that defines no `__getitem__` (itself
    or through its project base classes) while an instance of it feeds `fit`, `evaluate` or `predict`.

    ## Why is this bad?
    Keras gets every batch by calling `dataset[index]`. The base class's `__getitem__` only raises, so the
    first batch fails with a bare `NotImplementedError`, in Keras 3 and tf.keras alike. A class that serves
    its batches from `__iter__`, `__next__` or a `get_batch` method is not a Sequence to Keras.

    ## Known limitations
    A class that derives from another installed class besides the Keras one (a mixin that may bring its own
    `__getitem__`), or that uses a metaclass or `__getattr__`, is left alone. An abstract project base class
    is never reported by itself: only the class that is instantiated and handed to Keras is checked.
    """

    code = "GEN402"
    name = "sequence-missing-getitem"
    severity = Severity.ERROR
    message = (
        "`{name}` ({where}) derives from `{base}` but defines no `__getitem__`: `{call}` ({call_site}) raises "
        "NotImplementedError when it asks for the first batch"
    )
    help = "Rename the method that builds batch `index` to `__getitem__(self, index)`."
    # Keras 3 raises it bare: the exception line itself is all the message there is
    symptom = KerasSymptom(exception="NotImplementedError")  # raised bare, with no message

    invalid = (
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):  # error: GEN402
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def get_batch(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            title="the batch method is not named `__getitem__`",
            runs=True,
        ),
        Example(
            """\
import math

from keras.utils import Sequence


class AudioClips(Sequence):  # error: GEN402
    def __init__(self, clips, labels, batch_size=16):
        super().__init__()
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.clips) / self.batch_size)

    def __iter__(self):
        for start in range(0, len(self.clips), self.batch_size):
            yield self.clips[start:start + self.batch_size], self.labels[start:start + self.batch_size]


model.fit(AudioClips(train_clips, train_labels), epochs=10)
""",
            title="batches served from `__iter__` instead of `__getitem__`",
        ),
        Example(
            """\
from data_utils import TileDataset

tiles = TileDataset(tile_paths, mask_paths, batch_size=8)
model.fit(tiles, epochs=40)
""",
            files={
                "data_utils.py": """\
import math

import keras
import numpy as np


class TileDataset(keras.utils.PyDataset):  # error: GEN402
    def __init__(self, tile_paths, mask_paths, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.tile_paths, self.mask_paths, self.batch_size = tile_paths, mask_paths, batch_size

    def __len__(self):
        return math.ceil(len(self.tile_paths) / self.batch_size)

    def __getiem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack([np.load(p) for p in self.tile_paths[rows]]), np.stack(
            [np.load(p) for p in self.mask_paths[rows]]
        )
"""
            },
            title="a misspelt `__getitem__` in a sibling module (reported where the class is defined)",
        ),
        Example(
            """\
import math

import tensorflow as tf


class BaseSequence(tf.keras.utils.Sequence):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)


class ValSequence(BaseSequence):  # error: GEN402
    pass


model.fit(x_train, y_train, validation_data=ValSequence(x_val, y_val, 64), epochs=5)
""",
            title="neither the class nor its project base defines `__getitem__`; used as `validation_data`",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):  # error: GEN402
    def __init__(self, images, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.images, self.labels, self.batch_size = images, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __call__(self, index):
        start = index * self.batch_size
        return self.images[start:start + self.batch_size], self.labels[start:start + self.batch_size]


class Trainer:
    def __init__(self, model, images, labels, batch_size=32):
        self.model = model
        self.data = Batches(images, labels, batch_size)

    def run(self, epochs=10):
        return self.model.fit(self.data, epochs=epochs)
""",
            title="`__call__` instead of `__getitem__`, the instance kept on `self`",
        ),
        Example(
            """\
import math

import keras

BATCH = 64


class Inference(keras.utils.PyDataset):  # error: GEN402
    def __init__(self, x, **kwargs):
        super().__init__(**kwargs)
        self.x = x

    def __len__(self):
        return math.ceil(len(self.x) / BATCH)

    def batch(self, index):
        return (self.x[index * BATCH:(index + 1) * BATCH],)


scores = model.predict(x=Inference(x_test))
""",
            title="`predict(x=…)` fails the same way",
        ),
        Example(
            """\
import math

import keras


def build_dataset(x, y, batch_size):
    class Batches(keras.utils.PyDataset):  # error: GEN402
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

        def __len__(self):
            return math.ceil(len(x) / batch_size)

        def load(self, index):
            rows = slice(index * batch_size, (index + 1) * batch_size)
            return x[rows], y[rows]

    return Batches(workers=2)


model.fit(build_dataset(x_train, y_train, 32), epochs=3)
""",
            title="a class nested in the factory function that returns its instance",
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
import math

import keras
import numpy as np


class Base(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.transform(self.x[rows]), self.y[rows]

    def transform(self, x):
        return x


class Noisy(Base):
    def transform(self, x):
        return x + np.random.normal(0, 0.05, size=x.shape)


model.fit(Noisy(x_train, y_train, 32), epochs=5)
""",
            title="`__getitem__` inherited from a project base class",
        ),
        Example(
            """\
import keras


class Loader(keras.utils.PyDataset):
    \"\"\"Subclasses add `__getitem__`.\"\"\"

    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return -(-len(self.x) // self.batch_size)


class Train(Loader):
    def __getitem__(self, index):
        start = index * self.batch_size
        return self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]


model.fit(Train(x_train, y_train, 32), epochs=5)
""",
            title="an abstract project base without `__getitem__` is never instantiated",
        ),
        Example(
            """\
from data_utils import TileDataset

model.fit(TileDataset(tile_paths, mask_paths, batch_size=8), epochs=40)
""",
            files={
                "data_utils.py": """\
import math

import keras
import numpy as np


class TileDataset(keras.utils.PyDataset):
    def __init__(self, tile_paths, mask_paths, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.tile_paths, self.mask_paths, self.batch_size = tile_paths, mask_paths, batch_size

    def __len__(self):
        return math.ceil(len(self.tile_paths) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        tiles = np.stack([np.load(p) for p in self.tile_paths[rows]])
        return tiles, np.stack([np.load(p) for p in self.mask_paths[rows]])
"""
            },
            title="a complete PyDataset in a sibling module",
        ),
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

    def _batch(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]

    __getitem__ = _batch


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="`__getitem__` bound as a class attribute",
        ),
        Example(
            """\
import math

import keras


class Windows:
    def __init__(self, x, batch_size):
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def batch(self, index):
        return self.x[index * self.batch_size:(index + 1) * self.batch_size]


windows = Windows(x_train, 32)
model.fit(x_train, y_train, batch_size=windows.batch_size, epochs=3)
""",
            title="a plain class with a `batch` method is no Sequence and never reaches `fit` as data",
        ),
        Example(
            """\
import math

import keras
from imgtools.data import IndexedBatchesMixin


class Batches(IndexedBatchesMixin, keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a mixin from an installed package may supply `__getitem__`: unknown stays silent",
        ),
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

    def __getattr__(self, name):
        return getattr(self.x, name)


class Estimator:
    def fit(self, data, epochs=1):
        return self


Estimator().fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a project class's own `fit` is not Keras",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None or "__getitem__" not in sequence.missing_methods:
                    continue
                context.report(
                    sequence.node,
                    name=sequence.name,
                    where=site(sequence.node, model.path),
                    base=sequence.keras_base,
                    call=call_text(consumer, role=role),
                    call_site=site(consumer.node, sequence.path),
                )
