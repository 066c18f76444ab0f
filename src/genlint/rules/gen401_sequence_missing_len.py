from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, site


class SequenceMissingLenRule(Rule):
    """
    ## What it does
    Finds a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass that defines neither `__len__` nor
    the Keras 3 `num_batches` property (itself or through its project base classes) while an instance of it
    feeds `fit`, `evaluate` or `predict`.

    ## Why is this bad?
    Keras asks a Sequence for its number of batches before it asks for the first batch. Without `__len__`
    Keras 3 fails at once with ``NotImplementedError: You need to implement the `num_batches` property:``
    (followed by `@property def num_batches(self): return ...`); tf.keras raises a bare
    `NotImplementedError`.

    ## Known limitations
    A class that derives from another installed class besides the Keras one (a mixin that may bring its own
    `__len__`), or that uses a metaclass or `__getattr__`, is left alone. An abstract project base class is
    never reported by itself: only the class that is instantiated and handed to Keras is checked.
    """

    code = "GEN401"
    name = "sequence-missing-len"
    severity = Severity.ERROR
    message = (
        "`{name}` ({where}) derives from `{base}` but defines neither `__len__` nor `num_batches`: "
        "`{call}` ({call_site}) raises NotImplementedError before the first batch"
    )
    help = "Add `def __len__(self): return math.ceil(<number of samples> / <batch size>)`."
    symptom = KerasSymptom(exception="NotImplementedError", message="You need to implement the `num_batches` property")

    invalid = (
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):  # error: GEN401
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            title="`__len__` was forgotten",
            runs=True,
        ),
        Example(
            """\
from keras.utils import Sequence
import numpy as np


class ImageSequence(Sequence):  # error: GEN401
    def __init__(self, paths, labels, batch_size=32):
        super().__init__()
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __getitem__(self, idx):
        batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        images = np.stack([np.load(path) for path in batch])
        return images, self.labels[idx * self.batch_size:(idx + 1) * self.batch_size]

    def on_epoch_end(self):
        np.random.shuffle(self.paths)


train_data = ImageSequence(train_paths, train_labels)
model.fit(train_data, epochs=10)
""",
            title="`from keras.utils import Sequence`, instance bound to a name first",
        ),
        Example(
            """\
from data_utils import WindowDataset

model.fit(WindowDataset(series, window=48, batch_size=64), epochs=20)
""",
            files={
                "data_utils.py": """\
import keras
import numpy as np


class WindowDataset(keras.utils.PyDataset):  # error: GEN401
    def __init__(self, series, window, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.series, self.window, self.batch_size = series, window, batch_size

    def __getitem__(self, index):
        starts = np.arange(index * self.batch_size, (index + 1) * self.batch_size)
        windows = np.stack([self.series[s:s + self.window] for s in starts])
        return windows[:, :-1, None], windows[:, -1]
"""
            },
            title="a PyDataset imported from a sibling module (reported where it is defined)",
        ),
        Example(
            """\
import tensorflow as tf


class BaseLoader(tf.keras.utils.Sequence):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size


class TrainLoader(BaseLoader):  # error: GEN401
    def __getitem__(self, i):
        start = i * self.batch_size
        return self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]


model.fit(TrainLoader(x_train, y_train, 64), epochs=5)
""",
            title="neither the class nor its project base defines `__len__` (`tf.keras.utils.Sequence`)",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


class TestBatches(keras.utils.PyDataset):  # error: GEN401
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __getitem__(self, index):
        return (self.x[index * self.batch_size:(index + 1) * self.batch_size],)


model.fit(Batches(x_train, y_train, 32), epochs=3)
predictions = model.predict(TestBatches(x_test, 32))
""",
            title="the training class is complete, the one given to `predict` is not",
        ),
        Example(
            """\
import keras


class Trainer:
    def __init__(self, model, batch_size=32):
        self.model = model
        self.batch_size = batch_size

    def train(self, x, y, x_val, y_val):
        class Batches(keras.utils.PyDataset):  # error: GEN401
            def __init__(self, x, y, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.x, self.y, self.batch_size = x, y, batch_size

            def __getitem__(self, index):
                rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
                return self.x[rows], self.y[rows]

        self.train_data = Batches(x, y, self.batch_size)
        self.model.fit(self.train_data, validation_data=Batches(x_val, y_val, 64), epochs=10)
""",
            title="a class nested in a method, used through `self.` and as `validation_data`",
        ),
        Example(
            """\
import keras

BATCH_SIZE = 128


class Tokens(keras.utils.PyDataset):  # error: GEN401
    def __init__(self, ids, labels, **kwargs):
        super().__init__(**kwargs)
        self.ids, self.labels = ids, labels

    @property
    def steps(self):
        return len(self.ids) // BATCH_SIZE

    def __getitem__(self, index):
        rows = slice(index * BATCH_SIZE, (index + 1) * BATCH_SIZE)
        return self.ids[rows], self.labels[rows]


def make_dataset(ids, labels):
    return Tokens(ids, labels, workers=4)


history = model.fit(make_dataset(train_ids, train_labels), epochs=8)
""",
            title="a `steps` property is no `num_batches`; the instance comes from a factory function",
        ),
        Example(
            """\
import keras


class Frames(keras.utils.PyDataset):  # error: GEN401
    def __init__(self, video, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.video, self.batch_size = video, batch_size

    def length(self):
        return len(self.video) // self.batch_size

    def __getitem__(self, index):
        start = index * self.batch_size
        return self.video[start:start + self.batch_size], self.video[start + 1:start + self.batch_size + 1]


loss = model.evaluate(x=Frames(clip, batch_size=16))
""",
            title="a method named `length` instead of `__len__`, passed to `evaluate` as `x=`",
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
import numpy as np


class Stream(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    @property
    def num_batches(self):
        return None  # endless: Keras relies on steps_per_epoch

    def __getitem__(self, index):
        rows = np.random.randint(0, len(self.x), self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Stream(x_train, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="the Keras 3 `num_batches` property instead of `__len__`",
        ),
        Example(
            """\
import math

import keras


class Base(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)


class Train(Base):
    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Train(x_train, y_train, 32), epochs=5)
""",
            title="`__len__` inherited from a project base class",
        ),
        Example(
            """\
import keras
import numpy as np


class Base(keras.utils.PyDataset):
    \"\"\"Subclasses add `__len__` and `__getitem__`.\"\"\"

    def __init__(self, paths, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.paths, self.batch_size = paths, batch_size


class ImageBatches(Base):
    def __len__(self):
        return (len(self.paths) + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index):
        batch = self.paths[index * self.batch_size:(index + 1) * self.batch_size]
        return np.stack([np.load(path) for path in batch]), np.array([label_of(path) for path in batch])


model.fit(ImageBatches(train_paths, 32), epochs=5)
""",
            title="an abstract project base without `__len__` is never instantiated",
        ),
        Example(
            """\
from data_utils import WindowDataset

model.fit(WindowDataset(series, window=48, batch_size=64), epochs=20)
""",
            files={
                "data_utils.py": """\
import keras
import numpy as np


class WindowDataset(keras.utils.PyDataset):
    def __init__(self, series, window, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.series, self.window, self.batch_size = series, window, batch_size

    def __len__(self):
        return (len(self.series) - self.window) // self.batch_size

    def __getitem__(self, index):
        starts = np.arange(index * self.batch_size, (index + 1) * self.batch_size)
        windows = np.stack([self.series[s:s + self.window] for s in starts])
        return windows[:, :-1, None], windows[:, -1]
"""
            },
            title="a complete PyDataset in a sibling module",
        ),
        Example(
            """\
import keras
from imgtools.data import IndexedBatchesMixin


class Batches(IndexedBatchesMixin, keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a mixin from an installed package may supply `__len__`: unknown stays silent",
        ),
        Example(
            """\
import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


for x_batch, y_batch in (Batches(x_train, y_train, 32)[i] for i in range(3)):
    model.train_on_batch(x_batch, y_batch)
""",
            title="a class without `__len__` indexed by hand never reaches `fit`",
        ),
        Example(
            """\
from sklearn.linear_model import SGDRegressor

import keras


class Rows(keras.utils.PyDataset):
    def __init__(self, x, **kwargs):
        super().__init__(**kwargs)
        self.x = x

    def __getitem__(self, index):
        return self.x[index]


regressor = SGDRegressor().fit(Rows(x_train), y_train)
""",
            title="a non-Keras `fit` is not a consumer",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None or "__len__" not in sequence.missing_methods:
                    continue
                context.report(
                    sequence.node,
                    name=sequence.name,
                    where=site(sequence.node, model.path),
                    base=sequence.keras_base,
                    call=call_text(consumer, role=role),
                    call_site=site(consumer.node, sequence.path),
                )
