from __future__ import annotations

from collections import Counter

from genlint.analysis.model import Consumer, DataSource, FileModel, YieldFact, YieldShape
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, site

# Keras unpacks a batch as `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.
MAX_ARITY = 3
STEP_OF = {"fit": "train_step", "evaluate": "test_step", "predict": "predict_step"}


class BadYieldArityRule(Rule):
    """
    ## What it does
    Finds a data source that yields a tuple of more than 3 elements, or whose yields differ in length
    (`(x, y, w)` in one place, `(x, y)` in another) while both can run in one stream, when it feeds
    `fit`, `evaluate` or `predict`.

    ## Why is this bad?
    Keras unpacks every batch as `(inputs,)`, `(inputs, targets)` or `(inputs, targets, sample_weights)`.
    A longer tuple fails at the first batch, in `predict` as well, with ValueError: "Data is expected to
    be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, found: (…)". This usually means
    a model with several inputs got them flattened into the batch: `x1, x2, y` is taken as inputs
    `x1`, targets `x2` and sample weights `y`. Several inputs go in a nested tuple or a dict:
    `((x1, x2), y)` or `({"numeric": x1, "flags": x2}, y)`.

    Yields of different lengths mix batch structures in one stream. On the TensorFlow backend Keras 3
    builds its `tf.data` signature from the first two batches, and a batch of the other structure fails
    with `ValueError: tuple arity mismatch` (wrapped in a graph execution error). On JAX the stream runs:
    batches without sample weights silently count unweighted, and batches without targets fail in `fit`
    with an obscure `ValueError: None is not a valid value for jnp.array`.

    ## Known limitations
    Yields that belong to different modes of the generator, decided once per generator object
    (`if weights is None: yield x, y` / `else: yield x, y, w`), are not compared, nor are the yields of
    different functions joined by `yield from`. A model whose class overrides `train_step`, `test_step`
    or `predict_step` may unpack any structure and is left alone.
    """

    code = "GEN105"
    name = "bad-yield-arity"
    severity = Severity.ERROR
    message = "`{source}` yields {problem} to `{call}` ({call_site}): {consequence}"
    help = 'Nest several inputs in one element: `((x1, x2), y)` or `({{"a": x1, "b": x2}}, y)`.'
    symptom = KerasSymptom(exception="ValueError", message="Data is expected to be in format")

    invalid = (
        Example(
            """\
import keras
import numpy as np

numeric_in, flags_in = keras.Input((4,)), keras.Input((2,))
merged = keras.layers.Concatenate()([numeric_in, flags_in])
two_input_model = keras.Model([numeric_in, flags_in], keras.layers.Dense(1)(merged))
two_input_model.compile(optimizer="sgd", loss="mse")


def batches(numeric, flags, labels, batch_size):
    while True:
        for start in range(0, len(labels), batch_size):
            end = start + batch_size
            yield numeric[start:end], flags[start:end], labels[start:end], np.ones(end - start)  # error: GEN105


flags = np.zeros((len(x_train), 2), "float32")
two_input_model.fit(batches(x_train, flags, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="two inputs, the targets and the weights flattened into one 4-tuple",
            runs=True,
        ),
        Example(
            """\
import math

import numpy as np


def train(model, images, labels, names, epochs=10, batch_size=64):
    def with_names():
        while True:
            for start in range(0, len(images), batch_size):
                rows = slice(start, start + batch_size)
                yield images[rows], labels[rows], np.ones(len(labels[rows])), names[rows]  # error: GEN105

    steps = math.ceil(len(images) / batch_size)
    model.fit(with_names(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a nested generator carries the file names along as a fourth element",
        ),
        Example(
            """\
import math

import numpy as np


class SegmentationTrainer:
    def __init__(self, model, images, masks, batch_size=8):
        self.model = model
        self.images = images
        self.masks = masks
        self.batch_size = batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.images))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                edges = np.abs(np.diff(self.masks[rows], axis=1))
                yield self.images[rows], self.masks[rows], edges, rows  # error: GEN105

    def run(self, epochs):
        steps = math.ceil(len(self.images) / self.batch_size)
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)
""",
            title="a method yields auxiliary edge maps and row numbers to `self.model.fit`",
        ),
        Example(
            """\
from data_utils import three_view_batches

BATCH_SIZE = 16

model.fit(three_view_batches(front, side, top, labels, BATCH_SIZE), steps_per_epoch=200, epochs=30)
""",
            files={
                "data_utils.py": """\
def three_view_batches(front, side, top, labels, batch_size):
    while True:
        for start in range(0, len(labels), batch_size):
            end = start + batch_size
            yield front[start:end], side[start:end], top[start:end], labels[start:end]  # error: GEN105
"""
            },
            title="three inputs flattened into the batch, in a sibling module",
        ),
        Example(
            """\
import numpy as np


def weighted_batches(x, y, w, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            end = start + batch_size
            if np.random.rand() < 0.5:
                yield x[start:end, ::-1], y[start:end]  # error: GEN105
            else:
                yield x[start:end], y[start:end], w[start:end]


model.fit(weighted_batches(x_train, y_train, w_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="the augmented branch forgets the sample weights",
        ),
        Example(
            """\
import math


def batches(x, y, w, batch_size):
    full = len(x) - len(x) % batch_size
    while True:
        for start in range(0, full, batch_size):
            end = start + batch_size
            yield x[start:end], y[start:end], w[start:end]
        if full < len(x):
            yield x[full:], y[full:]  # error: GEN105


model.fit(batches(x_train, y_train, w_train, 50), steps_per_epoch=math.ceil(len(x_train) / 50), epochs=4)
""",
            title="the leftover batch after the loop drops the weights",
        ),
        Example(
            """\
import itertools

BATCH = 32
starts = range(0, len(x_train), BATCH)
model.fit(
    (
        (x_train[s:s + BATCH], y_train[s:s + BATCH], w_train[s:s + BATCH], s)  # error: GEN105
        for s in itertools.cycle(starts)
    ),
    steps_per_epoch=len(starts),
    epochs=5,
)
""",
            title="a generator expression appends the batch start as a fourth element",
        ),
        Example(
            """\
import functools


def scored_batches(x, y, ids, batch_size):
    for start in range(0, len(x), batch_size):
        rows = slice(start, start + batch_size)
        batch = (x[rows], y[rows], None, ids[rows])
        yield batch  # error: GEN105


test_stream = functools.partial(scored_batches, batch_size=256)
loss = model.evaluate(x=test_stream(x_test, y_test, test_ids))
""",
            title="a name bound to a 4-tuple, through `functools.partial`, fed to `evaluate`",
        ),
    )
    valid = (
        Example(
            """\
import keras
import numpy as np

numeric_in, flags_in = keras.Input((4,)), keras.Input((2,))
merged = keras.layers.Concatenate()([numeric_in, flags_in])
two_input_model = keras.Model([numeric_in, flags_in], keras.layers.Dense(1)(merged))
two_input_model.compile(optimizer="sgd", loss="mse")


def batches(numeric, flags, labels, batch_size):
    while True:
        for start in range(0, len(labels), batch_size):
            end = start + batch_size
            yield (numeric[start:end], flags[start:end]), labels[start:end], np.ones(end - start)


flags = np.zeros((len(x_train), 2), "float32")
two_input_model.fit(batches(x_train, flags, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="the two inputs nested in one element, then targets and weights",
            runs=True,
        ),
        Example(
            """\
import math


def batches(x, y, w=None, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            end = start + batch_size
            if w is None:
                yield x[start:end], y[start:end]
            else:
                yield x[start:end], y[start:end], w[start:end]


model.fit(batches(x_train, y_train, w_train), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=10)
""",
            title="the weights are optional: one mode per generator object",
        ),
        Example(
            """\
import math


def batches(x, y=None, batch_size=32):
    if y is None:
        while True:
            for start in range(0, len(x), batch_size):
                yield (x[start:start + batch_size],)
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=10)
predictions = model.predict(batches(x_test), steps=math.ceil(len(x_test) / 32))
""",
            title="an inference mode that never falls through to the training loop",
        ),
        Example(
            """\
import math

import numpy as np


def user_item_batches(users, items, clicks, batch_size):
    while True:
        order = np.random.permutation(len(clicks))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            yield {"user": users[rows], "item": items[rows]}, clicks[rows]


steps = math.ceil(len(clicks) / 256)
model.fit(user_item_batches(user_ids, item_ids, clicks, 256), steps_per_epoch=steps, epochs=3)
""",
            title="named inputs in a dict, then the targets",
        ),
        Example(
            """\
import keras


class TripletModel(keras.Model):
    def train_step(self, data):
        anchor, positive, negative, margin = data
        return self.update_embedding(anchor, positive, negative, margin)


def triplets(anchors, positives, negatives, margin):
    while True:
        for start in range(0, len(anchors) - 63, 64):
            rows = slice(start, start + 64)
            yield anchors[rows], positives[rows], negatives[rows], margin


embedder = TripletModel()
embedder.fit(triplets(a_train, p_train, n_train, 0.2), steps_per_epoch=len(a_train) // 64, epochs=5)
""",
            title="a model whose own `train_step` unpacks four elements",
        ),
        Example(
            """\
class BatchAuditor:
    def fit(self, batches):
        self.seen = sum(len(ids) for _, _, _, ids in batches)
        return self


def audited(x, y, w, ids, batch_size):
    for start in range(0, len(x), batch_size):
        rows = slice(start, start + batch_size)
        yield x[rows], y[rows], w[rows], ids[rows]


auditor = BatchAuditor().fit(audited(x_train, y_train, w_train, train_ids, 128))
""",
            title="a project class with its own `fit` takes 4-tuples",
        ),
        Example(
            """\
def batches(x, y, w, ids, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            rows = slice(start, start + batch_size)
            yield x[rows], y[rows], w[rows], ids[rows]


stream = batches(x_train, y_train, w_train, train_ids, 32)
for step in range(1000):
    xb, yb, wb, idb = next(stream)
    loss = model.train_on_batch(xb, yb, sample_weight=wb)
""",
            title="4-tuples unpacked by a manual `train_on_batch` loop",
        ),
        Example(
            """\
from data_utils import weighted_batches

model.fit(weighted_batches(x_train, y_train, w_train, 64), steps_per_epoch=len(x_train) // 64, epochs=8)
""",
            files={
                "data_utils.py": """\
def weighted_batches(x, y, w, batch_size):
    full = len(x) - len(x) % batch_size
    while True:
        for start in range(0, full, batch_size):
            end = start + batch_size
            yield x[start:end], y[start:end], w[start:end]
        if full < len(x):
            yield x[full:], y[full:], w[full:]
"""
            },
            title="the leftover batch keeps the weights too",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                step = "test_step" if role == "validation_data" else STEP_OF.get(consumer.base_method, "")
                if step in consumer.custom_steps:
                    continue  # the model unpacks batches its own way
                tuples = [fact for fact in source.yields if fact.shape is YieldShape.TUPLE and fact.arity is not None]
                for fact in tuples:
                    if fact.arity is not None and fact.arity > MAX_ARITY:
                        self._report(model, context, consumer, role, source, fact, _too_long(fact, model.path))
                for fact, other in _mixed(tuples):
                    problem = _mixed_problem(fact, other, model, consumer.base_method)
                    self._report(model, context, consumer, role, source, fact, problem)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        source: DataSource,
        fact: YieldFact,
        problem: tuple[str, str],
    ) -> None:
        description, consequence = problem
        context.report(
            fact.node,
            source=source.generator.name if source.generator else source.text,
            problem=description,
            call=call_text(consumer, role=role),
            call_site=site(consumer.node, fact.node.root().file or model.path),
            consequence=consequence,
        )


def _shown(fact: YieldFact) -> str:
    return fact.text if len(fact.text) <= 40 else fact.text[:39] + "…"


def _too_long(fact: YieldFact, home: str) -> tuple[str, str]:
    description = f"a {fact.arity}-tuple (`{_shown(fact)}`, {site(fact.node, home)})"
    consequence = (
        "Keras raises ValueError: Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`"
    )
    return description, consequence


def _mixed(tuples: list[YieldFact]) -> list[tuple[YieldFact, YieldFact]]:
    """Yields (of at most 3 elements) whose length differs from the most common one (on a tie the longest:
    a forgotten element is the usual slip), each paired with a yield of that length in the same stream."""
    usable = [fact for fact in tuples if fact.arity is not None and fact.arity <= MAX_ARITY]
    if len({fact.arity for fact in usable}) < 2:
        return []
    counts = Counter(fact.arity for fact in usable)
    usual = max(counts, key=lambda arity: (counts[arity], arity or 0))
    pairs = []
    for fact in usable:
        if fact.arity == usual:
            continue
        partner = next(
            (other for other in usable if other.arity == usual and _same_stream(fact, other)),
            None,
        )
        if partner is not None:
            pairs.append((fact, partner))
    return pairs


def _same_stream(fact: YieldFact, other: YieldFact) -> bool:
    """Both yields belong to one function and no mode switch separates them."""
    if fact.node.frame() is not other.node.frame():
        return False
    outcomes = {id(test): outcome for test, outcome in fact.mode_conditions}
    return not any(id(test) in outcomes and outcomes[id(test)] != outcome for test, outcome in other.mode_conditions)


def _mixed_problem(fact: YieldFact, other: YieldFact, model: FileModel, method: str) -> tuple[str, str]:
    home = model.path
    description = (
        f"a {fact.arity}-tuple (`{_shown(fact)}`, {site(fact.node, home)}) and a {other.arity}-tuple "
        f"(`{_shown(other)}`, {site(other.node, home)}) in one stream"
    )
    consequence = (
        "Keras 3 takes the batch structure from the first two batches, and on the TensorFlow backend a batch "
        "of the other structure fails (ValueError: tuple arity mismatch)"
    )
    shorter = min(fact.arity or 0, other.arity or 0)
    if shorter == 2 and method != "predict":
        consequence += "; on JAX the batches without sample weights count unweighted, silently"
    elif shorter == 1 and method != "predict":
        consequence += "; on JAX the batches without targets fail with an obscure ValueError about None"
    return description, consequence
