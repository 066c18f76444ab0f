from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, YieldFact, YieldShape
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, site


class SingleElementYieldRule(Rule):
    """
    ## What it does
    Finds a data source whose batches are a bare value (`yield x`) or a 1-tuple (`yield (x,)`) while it
    feeds `fit` or `evaluate`, which need targets; and a bare value fed to `predict`.

    ## Why is this bad?
    Keras 3 checks the first batch of every Python generator and raises before training starts:
    `ValueError: When passing a Python generator to a Keras model, the generator must return a tuple,
    either (input,) or (inputs, targets) or (inputs, targets, sample_weights). Received: …`. That check
    runs for `predict` as well, so a bare value fails there too (a 1-tuple `(x,)` is the right shape for
    `predict`). A 1-tuple given to `fit` passes the check but has no targets: Keras 3 fails with an obscure
    `ValueError: None is not a valid value for jnp.array` (JAX) or `None values not supported` (TF).

    ## Known limitations
    A generator whose yields differ in shape (for example `yield x` in a predict mode and `yield x, y`
    otherwise) is left alone, and so is a 1-tuple fed to a model whose class overrides `train_step`,
    `test_step` or `compute_loss`, which may not need targets.
    """

    code = "GEN103"
    name = "single-element-yield"
    severity = Severity.ERROR
    message = "`{source}` yields {what} (`{value}`, {where}) to `{call}` ({call_site}): {consequence}"

    symptom = KerasSymptom(
        exception="ValueError", message="the generator must return a tuple, either (input,) or (inputs, targets)"
    )

    invalid = (
        Example(
            """\
import numpy as np


def images_only(x, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size]  # error: GEN103


model.fit(images_only(x_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            title="the targets were forgotten",
            runs=True,
        ),
        Example(
            """\
from tensorflow import keras


def train(x_train, y_train, epochs=10, batch_size=64):
    model = keras.models.load_model("classifier.keras")

    def normalised():
        while True:
            for start in range(0, len(x_train), batch_size):
                yield x_train[start:start + batch_size] / 255.0  # error: GEN103

    model.fit(normalised(), steps_per_epoch=len(x_train) // batch_size, epochs=epochs)
    return model
""",
            title="a nested generator that normalises the images and drops the labels",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, images, batch_size=32):
        self.model = model
        self.images = images
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.images))
            for start in range(0, len(order), self.batch_size):
                yield (self.images[order[start:start + self.batch_size]],)  # error: GEN103

    def run(self, epochs):
        steps = len(self.images) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a method yields 1-tuples to `self.model.fit`",
        ),
        Example(
            """\
from data_utils import batch_iter

EPOCHS = 8
BATCH_SIZE = 16

steps = len(train_paths) // BATCH_SIZE
model.fit(batch_iter(train_paths, BATCH_SIZE), steps_per_epoch=steps, epochs=EPOCHS)
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(paths, batch_size):
    while 1:
        for start in range(0, len(paths), batch_size):
            yield np.stack([np.load(p) for p in paths[start:start + batch_size]])  # error: GEN103
"""
            },
            title="a generator imported from a sibling module stacks the images only",
        ),
        Example(
            """\
import itertools

BATCH_SIZE = 32
starts = range(0, len(x_train), BATCH_SIZE)

model.fit(
    (x_train[s:s + BATCH_SIZE] for s in itertools.cycle(starts)),  # error: GEN103
    steps_per_epoch=len(starts),
    epochs=5,
)
""",
            title="a generator expression of bare batches",
        ),
        Example(
            """\
def test_batches(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)  # error: GEN103


loss, accuracy = model.evaluate(x=test_batches(x_test, 128))
""",
            title="`evaluate` gets 1-tuples and has no labels to score against",
        ),
        Example(
            """\
def frames(video, batch_size):
    for start in range(0, len(video), batch_size):
        yield video[start:start + batch_size].astype("float32")  # error: GEN103


scores = model.predict(frames(clip, 16))
""",
            title="`predict` checks for a tuple too: a bare batch fails there as well",
        ),
        Example(
            """\
import functools

import numpy as np


def augmented(x, batch_size, flip=True):
    while True:
        idx = np.random.randint(0, len(x), batch_size)
        batch = x[idx]
        if flip:
            batch = batch[:, :, ::-1]
        inputs = (batch,)
        yield inputs  # error: GEN103


train_stream = functools.partial(augmented, batch_size=64)
model.fit(train_stream(x_train), steps_per_epoch=len(x_train) // 64, epochs=20)
""",
            title="a name bound to a 1-tuple, called through `functools.partial`",
        ),
        Example(
            """\
def labelled(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def unlabelled(x, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size]  # error: GEN103


model.fit(
    labelled(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    epochs=10,
    validation_data=unlabelled(x_val, 32),
    validation_steps=len(x_val) // 32,
)
""",
            title="the validation generator has no targets",
        ),
        Example(
            """\
def one_pass(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size]  # error: GEN103


def forever(x, batch_size):
    while True:
        yield from one_pass(x, batch_size)


model.fit(forever(x_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="`yield from` a generator of bare batches",
        ),
        Example(
            """\
import cv2
import numpy as np


def test_batches(paths, batch_size, size):
    for start in range(0, len(paths), batch_size):
        x_batch = []
        for path in paths[start:start + batch_size]:
            x_batch.append(cv2.resize(cv2.imread(path), (size, size)))
        x_batch = np.array(x_batch, np.float32) / 255
        yield x_batch  # error: GEN103


masks = model.predict(test_batches(test_paths, 16, 128))
""",
            title="a list name rebound to the stacked array just before the `yield`",
        ),
        Example(
            """\
import numpy as np


def augmented(images, batch_size):
    while True:
        rows = np.random.choice(len(images), batch_size)
        batch = images[rows]
        if np.random.rand() < 0.5:
            batch = batch[:, :, ::-1]
        yield batch  # error: GEN103


make_stream = lambda: augmented(x_train, 32)
model.fit(make_stream(), steps_per_epoch=12, epochs=3)
""",
            title="random rows picked by an index array, through a `lambda` that makes the generator",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(pairs(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            runs=True,
        ),
        Example(
            """\
def inference_batches(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)


probabilities = model.predict(inference_batches(x_test, 256))
""",
            title="a 1-tuple `(x,)` is the right shape for `predict`",
        ),
        Example(
            """\
def batches(x, y=None, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            inputs = x[start:start + batch_size]
            if y is None:
                yield inputs
            else:
                yield inputs, y[start:start + batch_size]


model.fit(batches(x_train, y_train), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="the yields differ by mode: bare for inference, pairs for training",
        ),
        Example(
            """\
import numpy as np


def shuffled_pairs(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            batch = (x[idx], y[idx])
            yield batch


model.fit(shuffled_pairs(x_train, y_train, 64), steps_per_epoch=len(x_train) // 64, epochs=12)
""",
            title="the yielded name is bound to an `(x, y)` tuple",
        ),
        Example(
            """\
from data_utils import load_batch


def batches(index, batch_size):
    while True:
        for i in range(len(index) // batch_size):
            yield load_batch(index[i * batch_size:(i + 1) * batch_size])


model.fit(batches(train_index, 32), steps_per_epoch=len(train_index) // 32, epochs=4)
""",
            files={
                "data_utils.py": """\
import numpy as np


def load_batch(rows):
    images = np.stack([np.load(row["path"]) for row in rows])
    labels = np.array([row["label"] for row in rows])
    return images, labels
"""
            },
            title="a helper call builds the batch: its shape is not known at the `yield`",
        ),
        Example(
            """\
import numpy as np


def noisy_reconstruction(x, batch_size, noise=0.1):
    while True:
        for start in range(0, len(x), batch_size):
            clean = x[start:start + batch_size] / 255.0
            yield clean + noise * np.random.normal(size=clean.shape), clean


autoencoder.fit(noisy_reconstruction(x_train, 128), steps_per_epoch=len(x_train) // 128, epochs=30)
""",
            title="a denoising autoencoder: the clean images are the targets",
        ),
        Example(
            """\
class RunningNormalizer:
    def fit(self, batches):
        total, count = 0.0, 0
        for batch in batches:
            total = total + batch.sum(axis=0)
            count += len(batch)
        self.mean = total / count
        return self


def images_only(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size]


normalizer = RunningNormalizer().fit(images_only(x_train, 512))
""",
            title="a project class with its own `fit` takes bare batches",
        ),
        Example(
            """\
def images_only(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size]


for epoch in range(10):
    for batch in images_only(x_train, 32):
        autoencoder.train_on_batch(batch, batch)
""",
            title="bare batches fed through a manual `train_on_batch` loop",
        ),
        Example(
            """\
import itertools

starts = range(0, len(x_train), 32)
model.fit(
    x=((x_train[s:s + 32], y_train[s:s + 32], w_train[s:s + 32]) for s in itertools.cycle(starts)),
    steps_per_epoch=len(starts),
    epochs=5,
    validation_data=(x_val, y_val),
)
""",
            title="a generator expression of `(x, y, sample_weight)` and a validation tuple",
        ),
        Example(
            """\
from lab_io.loaders import load_batch


def batches(index, batch_size):
    while True:
        for i in range(len(index) // batch_size):
            yield load_batch(index, i, batch_size)


model.fit(batches(train_index, 32), steps_per_epoch=len(train_index) // 32, epochs=4)
""",
            title="a batch from an installed package's loader: its shape is unknown",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                for fact in _offending_yields(consumer, source):
                    self._report(model, context, consumer, role, source, fact)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        source: DataSource,
        fact: YieldFact,
    ) -> None:
        if fact.shape is YieldShape.BARE:
            what = "a bare value, not a tuple"
            consequence = (
                "Keras 3 raises ValueError: the generator must return a tuple, either (input,) or (inputs, targets)"
            )
        else:
            what = "a 1-tuple with no targets"
            consequence = (
                "Keras 3 has no targets to compute the loss with and fails with an obscure ValueError about None"
            )
        context.report(
            fact.node,
            source=source.generator.name if source.generator else source.text,
            what=what,
            value=fact.text if len(fact.text) <= 40 else fact.text[:39] + "…",
            where=site(fact.node, model.path),
            call=call_text(consumer, role=role),
            call_site=site(consumer.node, fact.node.root().file or model.path),
            consequence=consequence,
        )


def _offending_yields(consumer: Consumer, source: DataSource) -> list[YieldFact]:
    """Every yield of the source, when all of them are single elements the consumer cannot use."""
    yields = [fact for fact in source.yields if fact.shape is not YieldShape.DELEGATED]
    if not yields or len(yields) != len(source.yields):
        return []
    step = {"fit": "train_step", "evaluate": "test_step"}.get(consumer.base_method)
    needs_targets = step is not None and not consumer.custom_steps & {step, "compute_loss"}
    offending = [
        fact
        for fact in yields
        if fact.shape is YieldShape.BARE or (needs_targets and fact.shape is YieldShape.TUPLE and fact.arity == 1)
    ]
    return offending if len(offending) == len(yields) else []
