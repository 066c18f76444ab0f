from __future__ import annotations

from genlint.analysis.model import Consumer, FileModel, SequenceClass, YieldFact, YieldShape
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, site

TOO_MANY = (
    "Keras 3 raises ValueError: PyDataset.__getitem__() must return a tuple or a dict. If a tuple, it must be "
    "ordered either (input,) or (inputs, targets) or (inputs, targets, sample_weights)"
)
NO_TARGETS = (
    "Keras takes it as inputs without targets, and computing the loss fails with ValueError: None is not a "
    "valid value for jnp.array (JAX) or None values not supported (TensorFlow)"
)


class SequenceGetitemStructureRule(Rule):
    """
    ## What it does
    Finds a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass whose `__getitem__` returns a bare
    value (an array, not an `(inputs, targets)` tuple) or a 1-tuple while it feeds `fit` or `evaluate` of a
    model that needs targets, and one that returns a tuple or list of more than 3 elements to any consumer.

    ## Why is this bad?
    Keras 3 turns a returned array into `(inputs,)` and a list into a tuple, then checks the length:
    a 4-tuple fails the first batch with `ValueError: PyDataset.__getitem__() must return a tuple or a
    dict. If a tuple, it must be ordered either (input,) or (inputs, targets) or (inputs, targets,
    sample_weights).` (tf.keras: ``ValueError: Data is expected to be in format `x`, `(x,)`, `(x, y)`, or
    `(x, y, sample_weight)` ``). Inputs without targets pass that check, but a model compiled with a loss then
    has nothing to compare against: `ValueError: None is not a valid value for jnp.array` on JAX,
    `ValueError: None values not supported.` on TensorFlow, and tf.keras says `Target data is missing`.
    Returning a list `[x, y]` is fine: Keras 3 converts it to a tuple.

    ## Known limitations
    `__getitem__` is left alone when any of its `return` statements has a shape genlint cannot see, when
    its returns differ (a mode switch between training and inference), and, for missing targets, when the
    model's class overrides `train_step`, `test_step` or `compute_loss`. A model compiled without a loss
    (one that adds its losses with `add_loss`) cannot be told apart.
    """

    code = "GEN405"
    name = "sequence-getitem-structure"
    severity = Severity.ERROR
    message = "`{name}.__getitem__` returns {what} (`{value}`, {where}) to `{call}` ({call_site}): {consequence}"
    symptom = KerasSymptom(exception="ValueError", message="PyDataset.__getitem__() must return a tuple or a dict")

    invalid = (
        Example(
            """\
import math

import keras


class Images(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        return self.x[index * self.batch_size:(index + 1) * self.batch_size]  # error: GEN405


model.fit(Images(x_train, 32), epochs=3)
""",
            title="the targets were forgotten",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Weighted(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        weights = np.ones(len(self.y[rows]), dtype="float32")
        return self.x[rows], self.y[rows], weights, np.arange(len(self.x))[rows]  # error: GEN405


model.fit(Weighted(x_train, y_train, 32), epochs=2)
""",
            title="a sample id appended after the sample weights",
            runs=True,
        ),
        Example(
            """\
import math

import keras


class TestBatches(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        return (self.x[index * self.batch_size:(index + 1) * self.batch_size],)  # error: GEN405


loss = model.evaluate(TestBatches(x_test, 64))
""",
            title="`evaluate` gets 1-tuples and has no labels to score against",
        ),
        Example(
            """\
from data_utils import PhotoBatches

model.fit(PhotoBatches(photo_paths, batch_size=16), epochs=25)
""",
            files={
                "data_utils.py": """\
import math

import numpy as np
from keras.utils import Sequence


class PhotoBatches(Sequence):
    def __init__(self, paths, batch_size):
        super().__init__()
        self.paths, self.batch_size = paths, batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, idx):
        batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
        return np.stack([np.load(path) for path in batch])  # error: GEN405
"""
            },
            title="a Sequence in a sibling module stacks the photos only (reported where it is defined)",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Scans(keras.utils.PyDataset):
    def __init__(self, paths, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.paths, self.batch_size = paths, batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def _normalised(self, paths):
        volume = np.stack([np.load(p) for p in paths])
        return (volume - volume.mean()) / volume.std()

    def __getitem__(self, index):
        return self._normalised(self.paths[index * self.batch_size:(index + 1) * self.batch_size])  # error: GEN405


model.fit(Scans(scan_paths, 4), epochs=50)
""",
            title="the batch comes from a helper method that returns the inputs only",
        ),
        Example(
            """\
import math

import keras


class Segments(keras.utils.PyDataset):
    def __init__(self, images, masks, weights, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.images, self.masks, self.weights, self.batch_size = images, masks, weights, batch_size

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return [self.images[rows], self.masks[rows], self.weights[rows], self.masks[rows] > 0]  # error: GEN405


model.fit(x=Segments(images, masks, weights, 8), epochs=20)
""",
            title="a list of 4 elements becomes a 4-tuple",
        ),
        Example(
            """\
import math

import keras


class Triplets(keras.utils.PyDataset):
    def __init__(self, anchors, positives, negatives, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.anchors, self.positives, self.negatives = anchors, positives, negatives
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.anchors) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        batch = (self.anchors[rows], self.positives[rows], self.negatives[rows], self.anchors[rows] * 0)
        return batch  # error: GEN405


predictions = model.predict(Triplets(anchors, positives, negatives, 32))
""",
            title="three inputs and dummy targets as one flat 4-tuple, even for `predict`",
        ),
        Example(
            """\
import math

import keras


class Labelled(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


class Unlabelled(Labelled):
    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows] / 255.0  # error: GEN405


model.fit(Labelled(x_train, y_train, 32), validation_data=Unlabelled(x_val, None, 32), epochs=5)
""",
            title="the validation dataset overrides `__getitem__` without targets",
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


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return [self.x[rows], self.y[rows]]


model.fit(Batches(x_train, y_train, 32), epochs=3)
""",
            title="a list `[x, y]`: Keras 3 converts it to a tuple",
        ),
        Example(
            """\
import math

import keras


class Images(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        return self.x[index * self.batch_size:(index + 1) * self.batch_size]


predictions = model.predict(Images(x_test, 64))
""",
            title="a bare array for `predict`, which needs no targets",
        ),
        Example(
            """\
import math

import keras


class AutoEncoder(keras.Model):
    def __init__(self, features):
        super().__init__()
        self.encode = keras.layers.Dense(2, activation="relu")
        self.decode = keras.layers.Dense(features)

    def call(self, x):
        return self.decode(self.encode(x))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return keras.ops.mean((y_pred - x) ** 2)


class Images(keras.utils.PyDataset):
    def __init__(self, x, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.batch_size = x, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        return self.x[index * self.batch_size:(index + 1) * self.batch_size]


autoencoder = AutoEncoder(features=4)
autoencoder.compile(optimizer="adam")
autoencoder.fit(Images(x_train, 32), epochs=10)
""",
            title="an autoencoder whose own `compute_loss` needs no targets",
        ),
        Example(
            """\
import math

import keras


class Pairs(keras.utils.PyDataset):
    def __init__(self, images, masks, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.images, self.masks, self.batch_size = images, masks, batch_size

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        weights = (self.masks[rows].sum(axis=(1, 2)) > 0).astype("float32") + 0.5
        return {"image": self.images[rows]}, {"mask": self.masks[rows]}, weights


model.fit(Pairs(images, masks, 8), epochs=20)
""",
            title="dicts of inputs and targets with sample weights: a 3-tuple",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, with_ids=False, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size, self.with_ids = x, y, batch_size, with_ids

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        if self.with_ids:
            return self.x[rows], self.y[rows], None, np.arange(len(self.x))[rows]
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=5)
""",
            title="a mode switch: the 4-tuple is only for the project's own export loop",
        ),
        Example(
            """\
from data_utils import PhotoBatches

model.fit(PhotoBatches(photo_paths, photo_labels, batch_size=16), epochs=25)
""",
            files={
                "data_utils.py": """\
import math

import numpy as np
from keras.utils import Sequence


class PhotoBatches(Sequence):
    def __init__(self, paths, labels, batch_size):
        super().__init__()
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, idx):
        rows = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        return self._load(self.paths[rows]), np.asarray(self.labels[rows])

    def _load(self, paths):
        return np.stack([np.load(path) for path in paths])
"""
            },
            title="a helper loads the inputs, the targets come next to them",
        ),
        Example(
            """\
import math

import keras


class Quads(keras.utils.PyDataset):
    def __init__(self, a, b, c, d, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.parts, self.batch_size = (a, b, c, d), batch_size

    def __len__(self):
        return math.ceil(len(self.parts[0]) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return tuple(part[rows] for part in self.parts)


for a, b, c, d in Quads(x1, x2, x3, x4, 32):
    print(a.shape, b.shape, c.shape, d.shape)
""",
            title="a 4-part dataset iterated by hand never reaches Keras",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                sequence = source.sequence
                if sequence is None:
                    continue
                for fact, what, consequence in _offending_returns(consumer, role, sequence):
                    context.report(
                        fact.node,
                        name=sequence.name,
                        what=what,
                        value=fact.text if len(fact.text) <= 50 else fact.text[:49] + "…",
                        where=site(fact.node, model.path),
                        call=call_text(consumer, role=role),
                        call_site=site(consumer.node, sequence.path),
                        consequence=consequence,
                    )


def _offending_returns(consumer: Consumer, role: str, sequence: SequenceClass) -> list[tuple[YieldFact, str, str]]:
    """Every `return` of `__getitem__`, when all of them hand Keras a structure it rejects."""
    facts = sequence.returns
    if not facts or any(fact.shape in (YieldShape.UNKNOWN, YieldShape.DELEGATED) for fact in facts):
        return []
    evaluates = role == "validation_data" or consumer.base_method == "evaluate"
    step = "test_step" if evaluates else {"fit": "train_step"}.get(consumer.base_method)
    needs_targets = step is not None and not consumer.custom_steps & {step, "compute_loss"}
    offending = []
    for fact in facts:
        problem = _problem(fact, needs_targets)
        if problem is None:
            return []
        offending.append((fact, problem[0], problem[1]))
    return offending


def _problem(fact: YieldFact, needs_targets: bool) -> tuple[str, str] | None:
    """What is wrong with one returned value, in words, and what Keras does with it."""
    sequence_like = fact.shape in (YieldShape.TUPLE, YieldShape.LIST)
    if sequence_like and fact.arity is not None and fact.arity > 3:
        container = "tuple" if fact.shape is YieldShape.TUPLE else "list"
        return f"a {container} of {fact.arity} elements", TOO_MANY
    if not needs_targets:
        return None
    if fact.shape is YieldShape.BARE:
        return "a bare value, not an `(inputs, targets)` tuple", NO_TARGETS
    if sequence_like and fact.arity == 1:
        return f"a 1-element {'tuple' if fact.shape is YieldShape.TUPLE else 'list'} with no targets", NO_TARGETS
    return None
