from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import Consumer, DataSource, FileModel, YieldFact, YieldShape
from genlint.rules.base import Edit, Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text, node_span, site


class NonTupleYieldRule(Rule):
    """
    ## What it does
    Finds a data source that yields a list (`yield [x, y]`) or a bare dict (`yield {"image": x, "label": y}`)
    where Keras needs a tuple; and, for Keras 3 on TensorFlow, a generator or a `Sequence` / `PyDataset`
    whose batch tuple holds a list display: `yield [x1, x2], y` for a two-input model.

    ## Why is this bad?
    Keras 3 accepts only a tuple as a batch: `(inputs,)`, `(inputs, targets)` or
    `(inputs, targets, sample_weights)`. For a list or a dict it raises `ValueError: When passing a Python
    generator to a Keras model, the generator must return a tuple, either (input,) or (inputs, targets) …
    Received: [array(…`. Only the first batch is checked, so a list yielded later in the stream slips
    through on JAX and fails mid-epoch on the TensorFlow backend. tf.keras converted lists to tuples, which
    is why this code used to work. Named inputs go in a dict inside the tuple: `({"image": x}, y)`.

    A list inside the tuple, `([x1, x2], y)`, is the Keras 2 way to feed a multi-input model. Keras 3 on
    JAX or PyTorch takes it, but on TensorFlow, its default backend (and the backend of `tf.keras` from
    TensorFlow 2.16 on), it builds a `tf.data` pipeline whose signature mirrors the batch and raises
    `TypeError: output_signature must contain objects that are subclass of tf.TypeSpec but found <class
    'list'> which is not.` before the first step, for a generator and a `PyDataset` alike. A tuple of inputs,
    `((x1, x2), y)`, works on every backend.

    ## Fix safety
    Safe: `--fix` turns a yielded list display `[x, y]` into the tuple `(x, y)` (`[x]` into `(x,)`). A bare
    dict, an empty list and a list built elsewhere are left to you, and so is a list of several values that
    reaches `predict`: Keras 2's `predict_generator` read `[x1, x2]` as the inputs of a two-input model,
    tf.keras as `(x, y)`, and only you know which was meant (`((x1, x2),)` or `(x, y)`). A list display
    inside the batch tuple becomes a tuple of the same inputs, which every backend and tf.keras read alike.

    ## Known limitations
    A list inside the batch is reported for the `keras3` target, unless the file selects another backend
    (`os.environ["KERAS_BACKEND"] = "jax"`, `%env KERAS_BACKEND=torch`): a backend chosen outside the code
    (the environment, `~/.keras/keras.json`) is not seen. Only a list written in the `yield` or `return`
    counts, not one built earlier and named there.
    """

    code = "GEN104"
    name = "non-tuple-yield"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    message = "`{source}` {gives} a {kind} (`{value}`, {where}) to `{call}` ({call_site}): {consequence}"

    symptom = KerasSymptom(
        exception="ValueError", message="the generator must return a tuple, either (input,) or (inputs, targets)"
    )

    invalid = (
        Example(
            """\
def pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield [x[start:start + batch_size], y[start:start + batch_size]]  # error: GEN104


model.fit(pairs(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            fixed="""\
def pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield (x[start:start + batch_size], y[start:start + batch_size])  # error: GEN104


model.fit(pairs(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            title="a list instead of a tuple",
            runs=True,
        ),
        Example(
            """\
def train(model, images, labels, batch_size=32, epochs=6):
    def stream():
        while True:
            for s in range(0, len(images), batch_size):
                yield {"image": images[s:s + batch_size], "label": labels[s:s + batch_size]}  # error: GEN104

    return model.fit(stream(), steps_per_epoch=len(images) // batch_size, epochs=epochs)
""",
            fixed="""\
def train(model, images, labels, batch_size=32, epochs=6):
    def stream():
        while True:
            for s in range(0, len(images), batch_size):
                yield {"image": images[s:s + batch_size], "label": labels[s:s + batch_size]}  # error: GEN104

    return model.fit(stream(), steps_per_epoch=len(images) // batch_size, epochs=epochs)
""",
            title="a nested generator yields one dict holding inputs and labels",
        ),
        Example(
            """\
import numpy as np


class SegmentationTrainer:
    def __init__(self, model, images, masks):
        self.model = model
        self.images = images
        self.masks = masks

    def batches(self, batch_size):
        while True:
            idx = np.random.randint(0, len(self.images), batch_size)
            yield [self.images[idx], self.masks[idx]]  # error: GEN104

    def train(self, epochs, batch_size=8):
        steps = len(self.images) // batch_size
        return self.model.fit(self.batches(batch_size), steps_per_epoch=steps, epochs=epochs)
""",
            fixed="""\
import numpy as np


class SegmentationTrainer:
    def __init__(self, model, images, masks):
        self.model = model
        self.images = images
        self.masks = masks

    def batches(self, batch_size):
        while True:
            idx = np.random.randint(0, len(self.images), batch_size)
            yield (self.images[idx], self.masks[idx])  # error: GEN104

    def train(self, epochs, batch_size=8):
        steps = len(self.images) // batch_size
        return self.model.fit(self.batches(batch_size), steps_per_epoch=steps, epochs=epochs)
""",
            title="a method yields lists to `self.model.fit`",
        ),
        Example(
            """\
from data_utils import batch_iter

EPOCHS = 15
BATCH_SIZE = 64

model.fit(
    batch_iter(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    epochs=EPOCHS,
)
""",
            fixed="""\
from data_utils import batch_iter

EPOCHS = 15
BATCH_SIZE = 64

model.fit(
    batch_iter(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    epochs=EPOCHS,
)
""",
            files={
                "data_utils.py": """\
def batch_iter(*arrays, batch_size=32):
    n = len(arrays[0])
    while 1:
        for start in range(0, n, batch_size):
            yield [a[start:start + batch_size] for a in arrays]  # error: GEN104
"""
            },
            title="a sibling module slices every array alike and yields the list",
        ),
        Example(
            """\
import itertools

BATCH_SIZE = 32
starts = range(0, len(x_train), BATCH_SIZE)

model.fit(
    ([x_train[s:s + BATCH_SIZE], y_train[s:s + BATCH_SIZE]] for s in itertools.cycle(starts)),  # error: GEN104
    steps_per_epoch=len(starts),
    epochs=5,
)
""",
            fixed="""\
import itertools

BATCH_SIZE = 32
starts = range(0, len(x_train), BATCH_SIZE)

model.fit(
    ((x_train[s:s + BATCH_SIZE], y_train[s:s + BATCH_SIZE]) for s in itertools.cycle(starts)),  # error: GEN104
    steps_per_epoch=len(starts),
    epochs=5,
)
""",
            title="a generator expression of lists",
        ),
        Example(
            """\
def train_pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def val_pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield [x[start:start + batch_size], y[start:start + batch_size]]  # error: GEN104


model.fit(
    x=train_pairs(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    epochs=10,
    validation_data=val_pairs(x_val, y_val, 32),
    validation_steps=len(x_val) // 32,
)
""",
            fixed="""\
def train_pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def val_pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield (x[start:start + batch_size], y[start:start + batch_size])  # error: GEN104


model.fit(
    x=train_pairs(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    epochs=10,
    validation_data=val_pairs(x_val, y_val, 32),
    validation_steps=len(x_val) // 32,
)
""",
            title="only the validation generator yields lists",
        ),
        Example(
            """\
import functools

import numpy as np


def tiles(images, masks, batch_size, size=128):
    while True:
        idx = np.random.randint(0, len(images), batch_size)
        top, left = np.random.randint(0, images.shape[1] - size, 2)
        batch = [images[idx, top:top + size, left:left + size], masks[idx, top:top + size, left:left + size]]
        yield batch  # error: GEN104


train_tiles = functools.partial(tiles, batch_size=16)
model.fit(train_tiles(x_train, y_train), steps_per_epoch=200, epochs=40)
""",
            fixed="""\
import functools

import numpy as np


def tiles(images, masks, batch_size, size=128):
    while True:
        idx = np.random.randint(0, len(images), batch_size)
        top, left = np.random.randint(0, images.shape[1] - size, 2)
        batch = [images[idx, top:top + size, left:left + size], masks[idx, top:top + size, left:left + size]]
        yield batch  # error: GEN104


train_tiles = functools.partial(tiles, batch_size=16)
model.fit(train_tiles(x_train, y_train), steps_per_epoch=200, epochs=40)
""",
            title="a name bound to a list, called through `functools.partial`",
        ),
        Example(
            """\
def encoded(texts, tokenizer, batch_size):
    for start in range(0, len(texts), batch_size):
        tokens = tokenizer(texts[start:start + batch_size])
        yield {"input_ids": tokens["input_ids"], "attention_mask": tokens["attention_mask"]}  # error: GEN104


logits = model.predict(encoded(reviews, tokenizer, 64))
""",
            fixed="""\
def encoded(texts, tokenizer, batch_size):
    for start in range(0, len(texts), batch_size):
        tokens = tokenizer(texts[start:start + batch_size])
        yield {"input_ids": tokens["input_ids"], "attention_mask": tokens["attention_mask"]}  # error: GEN104


logits = model.predict(encoded(reviews, tokenizer, 64))
""",
            title="a bare dict of named inputs to `predict`",
        ),
        Example(
            """\
import numpy as np


def augmented(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            if np.random.rand() < 0.5:
                yield [xb[:, :, ::-1], yb]  # error: GEN104
            else:
                yield xb, yb


model.fit(augmented(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            fixed="""\
import numpy as np


def augmented(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            if np.random.rand() < 0.5:
                yield (xb[:, :, ::-1], yb)  # error: GEN104
            else:
                yield xb, yb


model.fit(augmented(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="only the flipped batches are lists",
        ),
        Example(
            """\
class CaptionBatches:
    def __init__(self, features, texts):
        self.features = features
        self.texts = texts

    def endless(self):
        while True:
            for key, words in self.texts.items():
                yield [[self.features[key], words[:-1]], words[1:]]  # error: GEN104


batches = CaptionBatches(image_features, captions)
model.fit(batches.endless(), steps_per_epoch=len(captions), epochs=10)
""",
            fixed="""\
class CaptionBatches:
    def __init__(self, features, texts):
        self.features = features
        self.texts = texts

    def endless(self):
        while True:
            for key, words in self.texts.items():
                yield ((self.features[key], words[:-1]), words[1:])  # error: GEN104


batches = CaptionBatches(image_features, captions)
model.fit(batches.endless(), steps_per_epoch=len(captions), epochs=10)
""",
            title="a list of inputs inside a yielded list: both become tuples in one fix",
        ),
        Example(
            """\
import numpy as np


def shard_batches(path, batch_size):
    shard = np.load(path)
    for start in range(0, len(shard["x"]), batch_size):
        yield [shard["x"][start:start + batch_size], shard["y"][start:start + batch_size]]  # error: GEN104


def all_shards(paths, batch_size):
    while True:
        for path in paths:
            yield from shard_batches(path, batch_size)


STEPS_PER_EPOCH = 500
model.fit(all_shards(shard_paths, 128), steps_per_epoch=STEPS_PER_EPOCH, epochs=10)
""",
            fixed="""\
import numpy as np


def shard_batches(path, batch_size):
    shard = np.load(path)
    for start in range(0, len(shard["x"]), batch_size):
        yield (shard["x"][start:start + batch_size], shard["y"][start:start + batch_size])  # error: GEN104


def all_shards(paths, batch_size):
    while True:
        for path in paths:
            yield from shard_batches(path, batch_size)


STEPS_PER_EPOCH = 500
model.fit(all_shards(shard_paths, 128), steps_per_epoch=STEPS_PER_EPOCH, epochs=10)
""",
            title="`yield from` a generator of lists",
        ),
        Example(
            """\
def test_inputs(paths, priors, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images = load_images(paths[start:start + batch_size])
            yield [images, priors[:len(images)]]  # error: GEN104


steps = math.ceil(len(test_paths) / 8)
saliency = model.predict(test_inputs(test_paths, center_priors, 8), steps=steps)
""",
            fixed="""\
def test_inputs(paths, priors, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images = load_images(paths[start:start + batch_size])
            yield [images, priors[:len(images)]]  # error: GEN104


steps = math.ceil(len(test_paths) / 8)
saliency = model.predict(test_inputs(test_paths, center_priors, 8), steps=steps)
""",
            title="a list of two inputs to `predict`: no fix, since Keras 2 read it as a two-input model's inputs",
        ),
        Example(
            """\
import numpy as np


class SiameseTrainer:
    def __init__(self, model, left, right, same):
        self.model = model
        self.left, self.right, self.same = left, right, same

    def pairs(self, batch_size):
        while True:
            idx = np.random.randint(0, len(self.same), batch_size)
            yield ([self.left[idx], self.right[idx]], self.same[idx])  # error: GEN104

    def train(self, epochs):
        self.model.fit(self.pairs(64), steps_per_epoch=len(self.same) // 64, epochs=epochs)
""",
            fixed="""\
import numpy as np


class SiameseTrainer:
    def __init__(self, model, left, right, same):
        self.model = model
        self.left, self.right, self.same = left, right, same

    def pairs(self, batch_size):
        while True:
            idx = np.random.randint(0, len(self.same), batch_size)
            yield ((self.left[idx], self.right[idx]), self.same[idx])  # error: GEN104

    def train(self, epochs):
        self.model.fit(self.pairs(64), steps_per_epoch=len(self.same) // 64, epochs=epochs)
""",
            title="two inputs as a list inside the batch tuple: TensorFlow cannot describe it",
        ),
        Example(
            """\
import math

from tensorflow import keras


class ScanBatches(keras.utils.Sequence):
    def __init__(self, scans, tables, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.scans, self.tables, self.labels, self.batch_size = scans, tables, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.labels) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return [self.scans[rows], self.tables[rows]], self.labels[rows]  # error: GEN104


model.fit(ScanBatches(x_scan, x_table, y_train, 16), epochs=20)
""",
            fixed="""\
import math

from tensorflow import keras


class ScanBatches(keras.utils.Sequence):
    def __init__(self, scans, tables, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.scans, self.tables, self.labels, self.batch_size = scans, tables, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.labels) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return (self.scans[rows], self.tables[rows]), self.labels[rows]  # error: GEN104


model.fit(ScanBatches(x_scan, x_table, y_train, 16), epochs=20)
""",
            title="a `Sequence` returns an image and a table as a list inside the batch",
        ),
    )
    valid = (
        Example(
            """\
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
def named_batches(images, ages, labels, batch_size):
    while True:
        for s in range(0, len(images), batch_size):
            yield {"image": images[s:s + batch_size], "age": ages[s:s + batch_size]}, labels[s:s + batch_size]


model.fit(named_batches(x_img, x_age, y_train, 32), steps_per_epoch=len(y_train) // 32, epochs=8)
""",
            title="named inputs: a dict inside the `(inputs, targets)` tuple",
        ),
        Example(
            """\
import numpy as np


class SiameseTrainer:
    def __init__(self, model, left, right, same):
        self.model = model
        self.left, self.right, self.same = left, right, same

    def pairs(self, batch_size):
        while True:
            idx = np.random.randint(0, len(self.same), batch_size)
            yield ((self.left[idx], self.right[idx]), self.same[idx])

    def train(self, epochs):
        self.model.fit(self.pairs(64), steps_per_epoch=len(self.same) // 64, epochs=epochs)
""",
            title="two inputs as a tuple inside the batch tuple",
        ),
        Example(
            """\
import os

os.environ["KERAS_BACKEND"] = "jax"

import keras


def pairs(left, right, same, batch_size):
    while True:
        for s in range(0, len(same), batch_size):
            yield [left[s:s + batch_size], right[s:s + batch_size]], same[s:s + batch_size]


model.fit(pairs(x_left, x_right, y_same, 64), steps_per_epoch=len(y_same) // 64, epochs=4)
""",
            title="a list inside the batch on JAX, which the file selects: JAX takes it",
        ),
        Example(
            """\
def detection_batches(images, classes, boxes, batch_size):
    while True:
        for s in range(0, len(images), batch_size):
            targets = {"class": classes[s:s + batch_size], "box": boxes[s:s + batch_size]}
            batch = (images[s:s + batch_size], targets)
            yield batch


model.fit(detection_batches(x_train, c_train, b_train, 16), steps_per_epoch=len(x_train) // 16, epochs=50)
""",
            title="a name bound to a tuple whose targets are a dict",
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
        window = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return [self.x[window], self.y[window]]


model.fit(Batches(x_train, y_train, 32), epochs=5)
""",
            title="a `PyDataset` may return a list: Keras converts it",
        ),
        Example(
            """\
from sklearn.feature_extraction.text import TfidfVectorizer


def tokenized(lines):
    for line in lines:
        yield [word.lower() for word in line.split()]


vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens)
vectorizer.fit(tokenized(corpus))
""",
            title="scikit-learn's `fit` takes an iterable of token lists",
        ),
        Example(
            """\
class Vocabulary:
    def fit(self, token_lists):
        self.index = {}
        for tokens in token_lists:
            for token in tokens:
                self.index.setdefault(token, len(self.index))
        return self


def tokenized(lines):
    for line in lines:
        yield [word.lower() for word in line.split()]


vocab = Vocabulary().fit(tokenized(corpus))
""",
            title="a project class with its own `fit` takes lists",
        ),
        Example(
            """\
import itertools

starts = range(0, len(x_train), 32)
model.fit(
    x=(tuple(a[s:s + 32] for a in (x_train, y_train)) for s in itertools.cycle(starts)),
    steps_per_epoch=len(starts),
    epochs=5,
    validation_data=(x_val, y_val),
)
""",
            title="a generator expression that builds tuples with `tuple(...)`, and a validation tuple",
        ),
        Example(
            """\
import numpy as np


def epochs_of(x, y, num_batches):
    while True:
        yield from zip(np.array_split(x, num_batches), np.array_split(y, num_batches))


model.fit(epochs_of(x_train, y_train, 50), steps_per_epoch=50, epochs=10)
""",
            title="`yield from zip(...)` delivers `(x, y)` tuples",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        on_tensorflow = context.target == "keras3" and not model.keras_backend
        for consumer in model.consumers:
            for role, source in consumer.fed_sources():
                if on_tensorflow:
                    batches = (*source.yields, *(source.sequence.returns if source.sequence else ()))
                    for fact in batches:
                        self._report_inner_lists(model, context, consumer, role, source, fact)
                for fact in source.yields:
                    if fact.shape not in (YieldShape.LIST, YieldShape.DICT):
                        continue
                    context.report(
                        fact.node,
                        source=source.generator.name if source.generator else source.text,
                        gives="yields",
                        kind="list" if fact.shape is YieldShape.LIST else "bare dict",
                        value=fact.text if len(fact.text) <= 40 else fact.text[:39] + "…",
                        where=site(fact.node, model.path),
                        call=call_text(consumer, role=role),
                        call_site=site(consumer.node, fact.node.root().file or model.path),
                        consequence=_consequence(fact.shape, consumer.base_method, context.target),
                        severity=_severity(fact.shape, context.target),
                        fix=_tuple_fix(fact, consumer.base_method, inner_lists=on_tensorflow),
                    )

    def _report_inner_lists(
        self, model: FileModel, context: RuleContext, consumer: Consumer, role: str, source: DataSource, fact: YieldFact
    ) -> None:
        """`yield [x1, x2], y`: a list display among the elements of the batch tuple, which Keras 3 on its
        default TensorFlow backend cannot describe as a `tf.TypeSpec`."""
        batch = fact.node.value if isinstance(fact.node, (nodes.Yield, nodes.Return)) else None
        if fact.shape is not YieldShape.TUPLE or not isinstance(batch, nodes.Tuple):
            return
        for element in batch.elts:
            if not isinstance(element, nodes.List) or not element.elts:
                continue
            returned = isinstance(fact.node, nodes.Return)
            owner = source.generator.name if source.generator else source.text
            if returned and source.sequence is not None:
                owner = f"{source.sequence.name}.__getitem__"
            context.report(
                element,
                source=owner,
                gives="returns" if returned else "yields",
                kind="list inside the batch tuple",
                value=code_text(element, 40),
                where=site(element, model.path),
                call=call_text(consumer, role=role),
                call_site=site(consumer.node, element.root().file or model.path),
                consequence=INNER_LIST_CONSEQUENCE,
                fix=_inner_tuple_fix(element),
            )


# Keras 3 on TensorFlow builds a `tf.data` pipeline whose `output_signature` mirrors the batch structure.
INNER_LIST_CONSEQUENCE = (
    "Keras 3 on TensorFlow, its default backend, raises TypeError: `output_signature` must contain objects that "
    "are subclass of `tf.TypeSpec` but found <class 'list'> (JAX and PyTorch accept it); write a tuple, as in "
    "`((x1, x2), y)`, or a dict of named inputs or outputs"
)


def _inner_tuple_fix(listed: nodes.List) -> Fix:
    """`[x1, x2]` inside the batch → `(x1, x2)`: the same inputs, in the structure every backend takes."""
    line, column, end_line, end_column = node_span(listed)
    close = ",)" if len(listed.elts) == 1 and not _has_trailing_comma(listed) else ")"
    edits = (Edit(line, column, line, column + 1, "("), Edit(end_line, end_column - 1, end_line, end_column, close))
    return Fix("use a tuple inside the batch", edits)


def _tuple_fix(fact: YieldFact, method: str, inner_lists: bool = False) -> Fix | None:
    """`yield [x, y]` → `yield (x, y)`: the brackets become parentheses, and `[x]` gets its comma. None for
    several values fed to `predict`, which may be the inputs of a multi-input model rather than `(x, y)`.
    With `inner_lists` (Keras 3 on TensorFlow), `yield [[x1, x2], y]` → `yield ((x1, x2), y)` in one go:
    the inner list would be the next finding."""
    listed = fact.node.value if isinstance(fact.node, nodes.Yield) else fact.node
    if fact.shape is not YieldShape.LIST or not isinstance(listed, nodes.List) or not listed.elts:
        return None
    if method == "predict" and len(listed.elts) > 1:
        return None
    edits = _inner_tuple_fix(listed).edits
    if inner_lists:
        for element in listed.elts:
            if isinstance(element, nodes.List) and element.elts:
                edits += _inner_tuple_fix(element).edits
    return Fix("yield a tuple", edits)


def _has_trailing_comma(listed: nodes.List) -> bool:
    """`[x,]`: a comma between the last element and the closing bracket (outside a comment)."""
    source = listed.root().file_bytes
    if not isinstance(source, bytes):
        return False
    lines = source.decode("utf-8", "replace").split("\n")
    _, _, line, column = node_span(listed.elts[-1])
    _, _, end_line, end_column = node_span(listed)
    between = []
    for number in range(line, end_line + 1):
        text = lines[number - 1] if number <= len(lines) else ""
        stop = end_column - 2 if number == end_line else len(text)
        between.append(text[column - 1 if number == line else 0 : stop].split("#")[0])
    return "," in "".join(between)


def _severity(shape: YieldShape, target: str) -> Severity | None:
    """tf.keras turns a yielded list into a tuple: only a habit that breaks on the way to Keras 3."""
    return Severity.INFO if target == "tf-keras" and shape is YieldShape.LIST else None


def _consequence(shape: YieldShape, method: str, target: str) -> str:
    if target == "tf-keras" and shape is YieldShape.LIST:
        return "tf.keras converts it to a tuple, but Keras 3 raises ValueError (the generator must return a tuple)"
    start = "Keras 3 raises ValueError (the generator must return a tuple) at the first batch that is not one"
    if shape is YieldShape.LIST and method == "predict":
        return start + "; yield a tuple: `(x, y)`, or `((x1, x2),)` for the inputs of a multi-input model"
    if shape is YieldShape.LIST:
        return start + "; yield a tuple: `(x, y)`, or `tuple(...)` around a built list"
    wrapped = "`(inputs,)`" if method == "predict" else "`(inputs, targets)`"
    return start + f"; put the dict inside a tuple: {wrapped}"
