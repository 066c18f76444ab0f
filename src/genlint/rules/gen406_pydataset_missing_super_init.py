from __future__ import annotations

import functools
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

from astroid import nodes

from genlint.analysis.model import FileModel
from genlint.rules.base import Edit, Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, file_lines, node_span, site

# Tokens that carry no code: where a header's parameters and colon are, they are stepped over.
LAYOUT_TOKENS = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


class PydatasetMissingSuperInitRule(Rule):
    """
    ## What it does
    Finds a Keras 3 `keras.utils.PyDataset` subclass (in Keras 3, `keras.utils.Sequence` is the same class)
    whose `__init__` never calls `super().__init__(**kwargs)`, directly or through its project base classes,
    while an instance of it feeds `fit`, `evaluate` or `predict`.

    ## Why is this bad?
    `PyDataset.__init__` stores `workers`, `use_multiprocessing` and `max_queue_size`. When it never runs,
    Keras 3 falls back to one worker and warns as training starts: ``UserWarning: Your `PyDataset` class
    should call `super().__init__(**kwargs)` in its constructor. `**kwargs` can include `workers`,
    `use_multiprocessing`, `max_queue_size`. Do not pass these arguments to `fit()`, as they will be
    ignored.`` Training runs, but the dataset cannot be loaded in parallel: `fit()` no longer takes
    `workers=`, and the constructor does not pass it on.

    ## Fix safety
    Safe: `--fix` adds `**kwargs` as the constructor's last parameter (after `*args` and keyword-only
    parameters, keeping a trailing comma and one parameter per line when the signature is written so) and
    inserts `super().__init__(**kwargs)` as the first statement of its body, after the docstring, with the
    body's indentation. Existing calls cannot pass anything into the new `**kwargs` (it did not exist), so
    they behave as before, minus the warning, and `workers=` and friends now reach Keras. A constructor that
    already takes `**options` passes those on, unless its body reads keys from them (`options.pop("size")`,
    `options["size"]`, `**options` given to another call), directly or kept on `self` (`self.options =
    options`, then `**self.options` in `__getitem__`): then they hold the class's own settings, which
    `PyDataset.__init__` would reject, and no fix is offered. Nor is one for a body written on the `def`
    line.

    ## Known limitations
    `keras.utils.Sequence` and `tf.keras.utils.Sequence` are reported only for the `keras3` target (the
    default: `tf.keras` is Keras 3 from TensorFlow 2.16 on); with `target = "tf-keras"`, and for
    `tf_keras.utils.Sequence` always, they are Keras 2's Sequence, whose `__init__` takes no arguments, and
    Keras 2 does not warn. A class with several base classes is left alone, since genlint does not follow
    where `super()` leads there.
    """

    code = "GEN406"
    name = "pydataset-missing-super-init"
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE
    message = (
        "`{owner}.__init__` ({where}) never calls `super().__init__(**kwargs)`: Keras 3 warns when `{call}` "
        "({call_site}) starts, and `{name}` cannot take `workers`, `use_multiprocessing` or `max_queue_size` "
        "to load its batches in parallel"
    )
    help = "Accept `**kwargs` in `__init__` and call `super().__init__(**kwargs)` first."
    symptom = KerasSymptom(warning=True, message="should call `super().__init__(**kwargs)`")

    invalid = (
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):  # error: GEN406
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=2)
""",
            title="the constructor never runs `PyDataset.__init__`",
            runs=True,
        ),
        Example(
            """\
import numpy as np
from keras.utils import Sequence


class DataGenerator(Sequence):
    def __init__(self, ids, labels, batch_size=32, shuffle=True):  # error: GEN406
        self.ids, self.labels = ids, labels
        self.batch_size, self.shuffle = batch_size, shuffle
        self.on_epoch_end()

    def __len__(self):
        return int(np.ceil(len(self.ids) / self.batch_size))

    def __getitem__(self, index):
        batch = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return np.stack([np.load(f"data/{self.ids[k]}.npy") for k in batch]), self.labels[batch]

    def on_epoch_end(self):
        self.order = np.random.permutation(len(self.ids)) if self.shuffle else np.arange(len(self.ids))


model.fit(DataGenerator(train_ids, train_labels), epochs=10)
""",
            fixed="""\
import numpy as np
from keras.utils import Sequence


class DataGenerator(Sequence):
    def __init__(self, ids, labels, batch_size=32, shuffle=True, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.ids, self.labels = ids, labels
        self.batch_size, self.shuffle = batch_size, shuffle
        self.on_epoch_end()

    def __len__(self):
        return int(np.ceil(len(self.ids) / self.batch_size))

    def __getitem__(self, index):
        batch = self.order[index * self.batch_size:(index + 1) * self.batch_size]
        return np.stack([np.load(f"data/{self.ids[k]}.npy") for k in batch]), self.labels[batch]

    def on_epoch_end(self):
        self.order = np.random.permutation(len(self.ids)) if self.shuffle else np.arange(len(self.ids))


model.fit(DataGenerator(train_ids, train_labels), epochs=10)
""",
            title="a Keras 2 style `keras.utils.Sequence`, which Keras 3 runs as a PyDataset",
        ),
        Example(
            """\
from data_utils import AudioBatches

model.fit(AudioBatches(clips, labels, batch_size=16), epochs=30)
""",
            fixed="""\
from data_utils import AudioBatches

model.fit(AudioBatches(clips, labels, batch_size=16), epochs=30)
""",
            files={
                "data_utils.py": """\
import math

import numpy as np
from keras.utils import PyDataset


class AudioBatches(PyDataset):
    def __init__(self, clips, labels, batch_size):  # error: GEN406
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.clips) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.clips[rows]), self.labels[rows]
"""
            },
            fixed_files={
                "data_utils.py": """\
import math

import numpy as np
from keras.utils import PyDataset


class AudioBatches(PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.clips) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.clips[rows]), self.labels[rows]
"""
            },
            title="a PyDataset in a sibling module (reported where `__init__` is)",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Base(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):  # error: GEN406
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)


class Augmented(Base):
    def __init__(self, x, y, batch_size, noise=0.1):
        super().__init__(x, y, batch_size)
        self.noise = noise

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows] + np.random.normal(0, self.noise, self.x[rows].shape), self.y[rows]


model.fit(Augmented(x_train, y_train, 32), epochs=10)
""",
            fixed="""\
import math

import keras
import numpy as np


class Base(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)


class Augmented(Base):
    def __init__(self, x, y, batch_size, noise=0.1):
        super().__init__(x, y, batch_size)
        self.noise = noise

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows] + np.random.normal(0, self.noise, self.x[rows].shape), self.y[rows]


model.fit(Augmented(x_train, y_train, 32), epochs=10)
""",
            title="the subclass calls `super().__init__`, but the project base stops the chain",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):  # error: GEN406
        self.x, self.y, self.batch_size = x, y, batch_size
        super().on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(x_train, y_train, validation_data=Batches(x_val, y_val, 64), epochs=5)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        super().on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(x_train, y_train, validation_data=Batches(x_val, y_val, 64), epochs=5)
""",
            title="`super()` is used, but not for `__init__`; the dataset is `validation_data`",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
        self.x, self.y, self.batch_size = x, y, batch_size
        self.options = kwargs

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32, workers=4), epochs=3)
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.options = kwargs

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32, workers=4), epochs=3)
""",
            title="`**kwargs` accepted but kept to itself: `workers=4` never reaches Keras",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Images(keras.utils.PyDataset):
    def __init__(self, paths, labels, batch_size, **loader_kw):  # error: GEN406
        self.paths, self.labels, self.batch_size = paths, labels, batch_size
        self.loader_kw = loader_kw

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        images = [np.load(path, **self.loader_kw) for path in self.paths[rows]]
        return np.stack(images), self.labels[rows]


model.fit(Images(train_paths, train_labels, 32, mmap_mode="r"), epochs=3)
""",
            fixed="""\
import math

import keras
import numpy as np


class Images(keras.utils.PyDataset):
    def __init__(self, paths, labels, batch_size, **loader_kw):  # error: GEN406
        self.paths, self.labels, self.batch_size = paths, labels, batch_size
        self.loader_kw = loader_kw

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        images = [np.load(path, **self.loader_kw) for path in self.paths[rows]]
        return np.stack(images), self.labels[rows]


model.fit(Images(train_paths, train_labels, 32, mmap_mode="r"), epochs=3)
""",
            title="`**loader_kw` kept on `self` and unpacked into another call: the class's own settings, no fix",
        ),
        Example(
            """\
import math

import keras


class BoxBatches(keras.utils.Sequence):
    def __init__(  # error: GEN406
        self,
        instances,
        batch_size=1,
        shuffle=True,
        norm=None
    ):
        self.instances, self.batch_size = instances, batch_size
        self.shuffle, self.norm = shuffle, norm

    def __len__(self):
        return math.ceil(len(self.instances) / self.batch_size)

    def __getitem__(self, index):
        rows = self.instances[index * self.batch_size:(index + 1) * self.batch_size]
        return self.norm(rows["image"]), rows["boxes"]


model.fit(BoxBatches(train_instances, batch_size=8, norm=normalize), epochs=30)
""",
            fixed="""\
import math

import keras


class BoxBatches(keras.utils.Sequence):
    def __init__(  # error: GEN406
        self,
        instances,
        batch_size=1,
        shuffle=True,
        norm=None,
        **kwargs
    ):
        super().__init__(**kwargs)
        self.instances, self.batch_size = instances, batch_size
        self.shuffle, self.norm = shuffle, norm

    def __len__(self):
        return math.ceil(len(self.instances) / self.batch_size)

    def __getitem__(self, index):
        rows = self.instances[index * self.batch_size:(index + 1) * self.batch_size]
        return self.norm(rows["image"]), rows["boxes"]


model.fit(BoxBatches(train_instances, batch_size=8, norm=normalize), epochs=30)
""",
            title="one parameter per line, no trailing comma: a comma, then `**kwargs` on a line of its own",
        ),
        Example(
            """\
import math

import keras


class Trainer:
    def __init__(self, model, batch_size=64):
        self.model = model
        self.batch_size = batch_size

    def evaluate(self, x, y):
        class Batches(keras.utils.PyDataset):
            def __init__(self, x, y, batch_size):  # error: GEN406
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, index):
                rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
                return self.x[rows], self.y[rows]

        return self.model.evaluate(Batches(x, y, self.batch_size))
""",
            fixed="""\
import math

import keras


class Trainer:
    def __init__(self, model, batch_size=64):
        self.model = model
        self.batch_size = batch_size

    def evaluate(self, x, y):
        class Batches(keras.utils.PyDataset):
            def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
                super().__init__(**kwargs)
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, index):
                rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
                return self.x[rows], self.y[rows]

        return self.model.evaluate(Batches(x, y, self.batch_size))
""",
            title="a class nested in a method, passed to `self.model.evaluate`",
        ),
        Example(
            """\
import math

import keras


class Frames(keras.utils.PyDataset):
    def __init__(self, video, batch_size):  # error: GEN406
        self.video, self.batch_size = video, batch_size

    def __len__(self):
        return math.ceil(len(self.video) / self.batch_size)

    def __getitem__(self, index):
        return (self.video[index * self.batch_size:(index + 1) * self.batch_size],)


def make_frames(video):
    return Frames(video, batch_size=16)


scores = model.predict(make_frames(clip))
""",
            fixed="""\
import math

import keras


class Frames(keras.utils.PyDataset):
    def __init__(self, video, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.video, self.batch_size = video, batch_size

    def __len__(self):
        return math.ceil(len(self.video) / self.batch_size)

    def __getitem__(self, index):
        return (self.video[index * self.batch_size:(index + 1) * self.batch_size],)


def make_frames(video):
    return Frames(video, batch_size=16)


scores = model.predict(make_frames(clip))
""",
            title="an instance from a factory function, given to `predict`",
        ),
        Example(
            """\
import math

import tensorflow as tf


class Batches(tf.keras.utils.Sequence):
    def __init__(self, x, y, batch_size):  # error: GEN406
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            fixed="""\
import math

import tensorflow as tf


class Batches(tf.keras.utils.Sequence):
    def __init__(self, x, y, batch_size, **kwargs):  # error: GEN406
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a `tf.keras` Sequence: Keras 3's PyDataset from TensorFlow 2.16 on",
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

BATCH_SIZE = 32


class Batches(keras.utils.PyDataset):
    def __len__(self):
        return math.ceil(len(x_train) / BATCH_SIZE)

    def __getitem__(self, index):
        rows = slice(index * BATCH_SIZE, (index + 1) * BATCH_SIZE)
        return x_train[rows], y_train[rows]


model.fit(Batches(workers=2), epochs=3)
""",
            title="no `__init__` of its own: `PyDataset.__init__` runs",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        keras.utils.PyDataset.__init__(self, workers=4)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="the base `__init__` called by name",
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


class Augmented(Base):
    def __init__(self, x, y, batch_size, noise=0.1, **kwargs):
        super().__init__(x, y, batch_size, **kwargs)
        self.noise = noise

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows] + np.random.normal(0, self.noise, self.x[rows].shape), self.y[rows]


model.fit(Augmented(x_train, y_train, 32, workers=4), epochs=10)
""",
            title="the chain of `__init__` calls reaches `PyDataset` through a project base",
        ),
        Example(
            """\
import math

import tf_keras


class Batches(tf_keras.utils.Sequence):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a `tf_keras` (Keras 2) Sequence, whose `__init__` takes no arguments",
        ),
        Example(
            """\
from data_utils import AudioBatches

model.fit(AudioBatches(clips, labels, batch_size=16, workers=4, use_multiprocessing=True), epochs=30)
""",
            files={
                "data_utils.py": """\
import math

import numpy as np
from keras.utils import PyDataset


class AudioBatches(PyDataset):
    def __init__(self, clips, labels, batch_size, **kwargs):
        super(AudioBatches, self).__init__(**kwargs)
        self.clips, self.labels, self.batch_size = clips, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.clips) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack(self.clips[rows]), self.labels[rows]
"""
            },
            title="the two-argument `super(Cls, self)` form in a sibling module",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


data = Batches(x_train, y_train, 32)
for index in range(len(data)):
    model.train_on_batch(*data[index])
""",
            title="a dataset indexed by hand never reaches `fit`, so Keras never reads `workers`",
        ),
        Example(
            """\
import math

import keras
from imgtools.data import CachedBatchesMixin


class Batches(CachedBatchesMixin, keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a mixin first: where `super().__init__` leads is left to the mixin",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None or sequence.init_without_super is None:
                    continue
                keras3 = sequence.pydataset is True or (sequence.pydataset is None and context.target == "keras3")
                if not keras3:
                    continue
                init = sequence.init_without_super
                owner = init.parent.frame()
                context.report(
                    init,
                    owner=getattr(owner, "name", sequence.name),
                    where=site(init, model.path),
                    call=call_text(consumer, role=role),
                    call_site=site(consumer.node, sequence.path),
                    name=sequence.name,
                    fix=super_init_fix(init),
                )


@dataclass(frozen=True)
class Header:
    """Where the parts of a `def` header are, as tokens with lines counted in the file."""

    last: tokenize.TokenInfo | None  # the last token inside the parameter list: a trailing comma, or a parameter's
    first: tokenize.TokenInfo | None  # the first token of the last parameter
    closing: tokenize.TokenInfo  # the `)` that closes the parameter list
    colon: tokenize.TokenInfo  # the `:` that ends the header
    body_below: bool  # nothing but a comment follows the colon on its line


def super_init_fix(init: nodes.FunctionDef) -> Fix | None:
    """Call `super().__init__(**kwargs)` first in `init`, adding `**kwargs` to its parameters when it has no
    `**` parameter; None when the header or body is written in a way this cannot place the call in."""
    lines = list(file_lines(init))
    header = _read_header(lines, init.fromlineno)
    if header is None or not header.body_below:
        return None
    keywords = init.args.kwarg
    if keywords and _reads_keys(init, keywords):
        return None
    name = keywords or "kwargs"
    call = _call_insertion(init, lines, header.colon.start[0], name)
    parameter = None if keywords else _keywords_parameter(header, lines)
    if call is None or (parameter is None and not keywords):
        return None
    edits = (call,) if parameter is None else (*parameter, call)
    return Fix(f"call `super().__init__(**{name})` first", edits)


def _read_header(lines: list[str], first_line: int) -> Header | None:
    """Find the parameter list and the colon of the `def` header that starts at `first_line`."""
    depth, opened, after_separator = 0, False, False
    last = first = closing = colon = None
    try:
        for token in _tokens(lines, first_line):
            if colon is not None and closing is not None:  # the token after the colon: is the body below?
                return Header(last, first, closing, colon, token.type in (tokenize.NEWLINE, tokenize.COMMENT))
            if token.type in LAYOUT_TOKENS:
                continue
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if not opened:
                    opened = after_separator = True
                    continue
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
                if depth == 0 and closing is None:
                    closing = token
                    continue
            if closing is None and depth == 1 and token.string == ",":
                last, after_separator = token, True
                continue
            if closing is None and depth >= 1:
                if after_separator:
                    first, after_separator = token, False
                last = token
            elif closing is not None and depth == 0 and token.string == ":":
                colon = token
    except (tokenize.TokenError, SyntaxError):
        return None
    return None


def _tokens(lines: list[str], first_line: int) -> Iterator[tokenize.TokenInfo]:
    """Tokens from the start of `first_line` on, with their line numbers counted in the whole file."""
    readline = functools.partial(next, iter(lines[first_line - 1 :]), "")
    shift = first_line - 1
    for token in tokenize.generate_tokens(readline):
        start, end = (token.start[0] + shift, token.start[1]), (token.end[0] + shift, token.end[1])
        yield token._replace(start=start, end=end)


def _keywords_parameter(header: Header, lines: list[str]) -> tuple[Edit, ...] | None:
    """The edits that add `**kwargs` after the last parameter, in the signature's own layout."""
    last, first = header.last, header.first
    if last is None or first is None:
        return None  # no parameter at all, not even `self`
    line, column = last.end
    indent = lines[first.start[0] - 1][: first.start[1]]
    own_lines = header.closing.start[0] > line and not indent.strip()  # one parameter per line
    ending = _line_ending(lines[line - 1])
    if last.string != ",":
        if own_lines:  # `norm=None` then `):` on the next line: a comma, and `**kwargs` on a line of its own
            return Edit(line, column + 1, line, column + 1, ","), Edit(
                line + 1, 1, line + 1, 1, f"{indent}**kwargs{ending}"
            )
        return (Edit(line, column + 1, line, column + 1, ", **kwargs"),)
    if own_lines:
        return (Edit(line + 1, 1, line + 1, 1, f"{indent}**kwargs,{ending}"),)
    return (Edit(line, column + 1, line, column + 1, " **kwargs,"),)


def _call_insertion(init: nodes.FunctionDef, lines: list[str], colon_line: int, keywords: str) -> Edit | None:
    """The edit that puts `super().__init__(**keywords)` on a line of its own after the header (and the
    docstring), indented as the body's first statement."""
    docstring = init.doc_node
    first = docstring if docstring is not None else (init.body[0] if init.body else None)
    after = docstring.end_lineno if docstring is not None and docstring.end_lineno else colon_line
    if first is None or first.fromlineno <= colon_line or (init.body and init.body[0].fromlineno <= after):
        return None  # the body (or the statement after the docstring) shares a line with what precedes it
    line, column, _, _ = node_span(first)
    indent = lines[line - 1][: column - 1]
    ending = _line_ending(lines[after - 1])
    if indent.strip() or not ending or after >= len(lines):
        return None
    return Edit(after + 1, 1, after + 1, 1, f"{indent}super().__init__(**{keywords}){ending}")


def _reads_keys(init: nodes.FunctionDef, keywords: str) -> bool:
    """The body takes keys out of the `**keywords` dict, or unpacks it into another call, itself or kept on
    `self` (`self.options = keywords`, read as `self.options` in any method): it carries the class's own
    settings, not only those meant for `PyDataset`."""
    kept: set[str] = set()
    for use in init.nodes_of_class(nodes.Name):
        if use.name != keywords:
            continue
        if _reads_dict(use):
            return True
        parent = use.parent
        if isinstance(parent, nodes.Assign) and parent.value is use:
            kept.update(target.attrname for target in parent.targets if _on_self(target))
    if not kept or not isinstance(init.parent, nodes.ClassDef):
        return False
    return any(
        attribute.attrname in kept and _on_self(attribute) and _reads_dict(attribute)
        for attribute in init.parent.nodes_of_class(nodes.Attribute)
    )


def _on_self(node: nodes.NodeNG) -> bool:
    """`node` is `self.<name>` (read or assigned)."""
    return (
        isinstance(node, (nodes.Attribute, nodes.AssignAttr))
        and isinstance(node.expr, nodes.Name)
        and node.expr.name == "self"
    )


def _reads_dict(use: nodes.NodeNG) -> bool:
    """`use` (a dict of keyword arguments) is read: a key taken out, a method called, or `**` unpacked."""
    parent = use.parent
    if isinstance(parent, (nodes.Attribute, nodes.Subscript, nodes.Compare)) and use is not getattr(
        parent, "slice", None
    ):
        return True
    return isinstance(parent, nodes.Keyword) and parent.arg is None  # `other(**keywords)`


def _line_ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]
