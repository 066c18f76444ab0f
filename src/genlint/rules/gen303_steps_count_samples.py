from __future__ import annotations

from astroid import nodes

from genlint.analysis.model import Argument, Consumer, DataSource, FileModel, Finiteness, SourceKind, Value
from genlint.rules.base import Example, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text, site

# Keras 1 names whose value was a number of samples by design; consumers bind them to the step arguments.
KERAS1_SAMPLE_ARGUMENTS = frozenset({"samples_per_epoch", "nb_val_samples", "val_samples"})


class StepsCountSamplesRule(Rule):
    """
    ## What it does
    Finds `steps_per_epoch`, `validation_steps` or `steps` set to a number of samples (`len(x_train)`,
    `x_train.shape[0]`, or a name bound to one) while the generator fed with that same data yields batches
    of many samples: it slices `x[start:start + batch_size]`, numbers its batches, or draws random batches
    of `batch_size` indices. The same holds for a `tf.data` pipeline whose `.batch(batch_size)` groups the
    elements of that data: `from_tensor_slices((x, y)).batch(32)`, or `from_generator(lambda: rows)` over an
    iterable `rows` (such as a per-sample `Sequence`) followed by `.batch(32)`; and for Keras's
    `ImageDataGenerator(…).flow(x, y, batch_size=32)` (32 rows per batch when `batch_size` is not given),
    or a `flow_from_directory` / `flow_from_dataframe` iterator whose steps count its `.samples` (or `.n`).

    ## Why is this bad?
    Keras counts steps in batches, not samples. An endless generator then runs `len(x)` batches per epoch:
    with 96 samples in batches of 32, Keras 3 drew 96 batches in each epoch, 32 passes over the data where
    one was meant, so every epoch takes `batch_size` times too long and callbacks see one "epoch" per
    `batch_size` passes. A single-pass generator runs out after `len(x) / batch_size` steps instead: Keras 3
    prints `UserWarning: Your input ran out of data; interrupting training` and carries on. Nothing raises.

    ## Known limitations
    The count must name the data the generator is called with (`len(x_train)` and `batches(x_train, …)`);
    a generator that reads its data from a closure or from `self` without arguments is left alone. A batch
    size of 1 passed as an argument is not seen: such a generator is reported although it yields one
    sample per step. Keras 1's `samples_per_epoch` counted samples by design and is left alone.
    """

    code = "GEN303"
    name = "steps-count-samples"
    severity = Severity.WARNING
    message = (
        "`{argument}={expression}`{computed} in `{call}` counts samples of `{data}`, but `{source}` ({where}) "
        "yields batches of many samples: {consequence}"
    )
    help = "count batches: math.ceil(len({data}) / batch_size)"

    invalid = (
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train), epochs=10)  # error: GEN303
""",
            title="one step per training sample",
        ),
        Example(
            """\
BATCH_SIZE = 64


def stream(features, targets, batch_size):
    while True:
        for i in range(0, len(features), batch_size):
            yield features[i:i + batch_size], targets[i:i + batch_size]


n_train = len(x_train)
n_val = x_val.shape[0]
model.fit(
    stream(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=n_train,  # error: GEN303
    validation_data=stream(x_val, y_val, BATCH_SIZE),
    validation_steps=n_val,  # error: GEN303
    epochs=20,
)
""",
            title="sample counts through variables, for training and validation",
        ),
        Example(
            """\
from data_utils import batch_iter

model.fit(x=batch_iter(x_train, y_train), steps_per_epoch=x_train.shape[0], epochs=30)  # error: GEN303
""",
            files={
                "data_utils.py": """\
import numpy as np

BATCH_SIZE = 128


def batch_iter(x, y):
    while True:
        idx = np.random.randint(0, len(x), size=BATCH_SIZE)
        yield x[idx], y[idx]
""",
            },
            title="random batches from a sibling module, `x.shape[0]` steps",
        ),
        Example(
            """\
import keras


class Trainer:
    def __init__(self, model: keras.Model, images, labels, batch_size=32):
        self.model, self.images, self.labels = model, images, labels
        self.batch_size = batch_size

    def batches(self, x, y):
        while True:
            for start in range(0, len(x), self.batch_size):
                yield x[start:start + self.batch_size], y[start:start + self.batch_size]

    def train(self, epochs):
        return self.model.fit(
            self.batches(self.images, self.labels),
            steps_per_epoch=len(self.images),  # error: GEN303
            epochs=epochs,
        )
""",
            title="a generator method through `self.`",
        ),
        Example(
            """\
import numpy as np
from tensorflow import keras


def fine_tune(model: keras.Model, x, y, batch_size=16):
    rng = np.random.default_rng(7)

    def sampled(features, targets):
        while True:
            idx = rng.choice(len(features), size=batch_size, replace=False)
            yield features[idx], targets[idx]

    return model.fit(sampled(x, y), steps_per_epoch=len(x), epochs=3)  # error: GEN303
""",
            title="a nested generator drawing random batches with `rng.choice`",
        ),
        Example(
            """\
def one_pass(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(one_pass(x_train, y_train, 32), steps_per_epoch=len(x_train), epochs=1)  # error: GEN303
""",
            title="a single pass runs out after `len(x) / 32` steps",
        ),
        Example(
            """\
def test_batches(x, y, batch_size=100):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


loss, accuracy = model.evaluate(test_batches(x_test, y_test), steps=len(x_test))  # error: GEN303
""",
            title="`evaluate` with one step per test sample",
        ),
        Example(
            """\
def forever(x, batch_size):
    while True:
        for i in range(0, len(x), batch_size):
            yield (x[i:i + batch_size],)


num_samples = len(x_test)
predictions = model.predict(forever(x_test, 256), steps=num_samples)  # error: GEN303
""",
            title="`predict` returns as many rows per sample as a batch holds",
        ),
        Example(
            """\
import tensorflow as tf

BATCH_SIZE = 32

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(BATCH_SIZE).repeat()
model.fit(train_ds, steps_per_epoch=len(x_train), epochs=10)  # error: GEN303
""",
            title="a `tf.data` pipeline that batches the sliced arrays",
        ),
        Example(
            """\
import numpy as np
import tensorflow as tf


class Pairs(tf.keras.utils.Sequence):
    \"\"\"One (image, mask) sample per index; `tf.data` makes the batches.\"\"\"

    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        data = np.load(self.paths[index])
        return data["image"], data["mask"]


samples = Pairs(train_paths)
pipeline = tf.data.Dataset.from_generator(
    lambda: samples, output_types=(tf.float32, tf.float32), output_shapes=([256, 256, 3], [256, 256, 1])
)
pipeline = pipeline.batch(8)
pipeline = pipeline.repeat()
model.fit(pipeline, epochs=50, steps_per_epoch=len(samples))  # error: GEN303
""",
            title="`from_generator` over a per-sample `Sequence`, batched by `tf.data`",
        ),
        Example(
            """\
from keras.preprocessing.image import ImageDataGenerator

augment = ImageDataGenerator(rotation_range=15, horizontal_flip=True)
model.fit_generator(
    augment.flow(x_train, y_train, batch_size=64),
    steps_per_epoch=len(x_train),  # error: GEN303
    epochs=30,
    validation_data=ImageDataGenerator().flow(x_test, y_test),
    validation_steps=len(x_test),  # error: GEN303
)
""",
            title="`ImageDataGenerator.flow` batches of 64, and of 32 by default",
        ),
        Example(
            """\
from tensorflow.keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rescale=1.0 / 255)
train_it = datagen.flow_from_directory("data/train", target_size=(128, 128), batch_size=32)
model.fit(train_it, steps_per_epoch=train_it.samples, epochs=10)  # error: GEN303
""",
            title="`flow_from_directory` steps that count its `.samples`",
        ),
    )
    valid = (
        Example(
            """\
import math


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=10)
""",
            title="steps count batches",
        ),
        Example(
            """\
def one_at_a_time(x, y):
    while True:
        for i in range(len(x)):
            yield x[i:i + 1], y[i:i + 1]


model.fit(one_at_a_time(x_train, y_train), steps_per_epoch=len(x_train), epochs=5)
""",
            title="a generator of one-sample batches takes one step per sample",
        ),
        Example(
            """\
import itertools

BATCH_SIZE = 32

train_batches = [
    (x_train[i:i + BATCH_SIZE], y_train[i:i + BATCH_SIZE]) for i in range(0, len(x_train), BATCH_SIZE)
]


def replay(batches):
    for features, targets in itertools.cycle(batches):
        yield features, targets


model.fit(replay(train_batches), steps_per_epoch=len(train_batches), epochs=10)
""",
            title="`len()` of a list of batches is a batch count",
        ),
        Example(
            """\
import glob

import numpy as np

shard_paths = sorted(glob.glob("shards/train_*.npz"))


def shard_batches(paths):
    while True:
        for path in paths:
            shard = np.load(path)
            yield shard["x"], shard["y"]


model.fit(shard_batches(shard_paths), steps_per_epoch=len(shard_paths), epochs=10)
""",
            title="one batch per file: the number of files is the number of steps",
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
        part = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[part], self.y[part]


train_data = Batches(x_train, y_train, 32)
model.fit(train_data, steps_per_epoch=len(train_data), epochs=10)
""",
            title="`len()` of a `PyDataset` is its number of batches",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


class Booster:
    def fit(self, data, steps_per_epoch, rounds=10):
        for _ in range(rounds * steps_per_epoch):
            self.update(*next(data))


Booster().fit(batches(x_train, y_train, 256), steps_per_epoch=len(x_train))
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
from keras.models import load_model


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = load_model("legacy.h5")
model.fit_generator(batches(x_train, y_train, 32), samples_per_epoch=len(x_train), nb_epoch=10)
""",
            title="Keras 1's `samples_per_epoch` counted samples by design",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_val), epochs=10)
""",
            title="a count of other data is not clearly a count of this generator's samples",
        ),
        Example(
            """\
import math

import tensorflow as tf

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(64).repeat()
model.fit(train_ds, steps_per_epoch=math.ceil(len(x_train) / 64), epochs=10)

windows = tf.data.Dataset.from_tensor_slices(series).batch(16).unbatch().batch(1).repeat()
model.fit(windows, steps_per_epoch=len(series), epochs=3)
""",
            title="`tf.data` steps that count batches, and a pipeline regrouped into batches of one",
        ),
        Example(
            """\
import math

from tensorflow.keras.preprocessing.image import ImageDataGenerator

augment = ImageDataGenerator(zoom_range=0.2)
model.fit(augment.flow(x_train, y_train, batch_size=32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=5)
predictions = model.predict(ImageDataGenerator().flow(x_test, batch_size=1, shuffle=False), steps=len(x_test))
""",
            title="`flow` steps that count batches, and a `flow` of one image per batch",
        ),
        Example(
            """\
from tensorflow.keras.preprocessing.image import ImageDataGenerator

datagen = ImageDataGenerator(rescale=1.0 / 255)
train_it = datagen.flow_from_directory("data/train", target_size=(128, 128), batch_size=32)
model.fit(train_it, steps_per_epoch=train_it.samples // train_it.batch_size, epochs=10)
model.fit(train_it, steps_per_epoch=len(train_it), epochs=10)
""",
            title="`flow_from_directory` steps that count batches: `.samples // batch_size`, or its `len()`",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for role, source in [*consumer.fed_sources(), *_image_iterators(consumer)]:
                argument = "validation_steps" if role == "validation_data" else consumer.steps_name
                value = consumer.value(argument)
                generator = source.generator
                if value is None or not value.counts_samples or _keras1_sample_argument(consumer.arguments[argument]):
                    continue  # not a plain sample count, or a Keras 1 count of samples
                if source.batch_call is not None:  # `tf.data` or `ImageDataGenerator.flow` batching `built_from`
                    batcher: nodes.NodeNG = source.batch_call
                    name = code_text(source.batch_call, 40)
                elif generator is not None and generator.serves_partial_batch is not None:
                    batcher, name = generator.node, generator.name
                else:
                    continue  # no batch loop genlint recognises
                counted = [data for data in value.counted_names if data in source.built_from]
                if counted:
                    self._report(model, context, consumer, role, argument, value, source, (name, batcher), counted[0])

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        argument: str,
        value: Value,
        source: DataSource,
        batcher: tuple[str, nodes.NodeNG],
        data: str,
    ) -> None:
        """`batcher`: the generator (its name and definition) or the `.batch()` call that makes the batches."""
        shown = code_text(value.node, 50)
        context.report(
            value.node,
            argument=argument,
            expression=shown,
            computed=f" (`{value.text}`)" if value.text and value.text != shown else "",
            call=call_text(consumer, role=role),
            data=data,
            source=batcher[0],
            where=site(batcher[1], model.path),
            consequence=_consequence(consumer, role, source.finiteness),
        )


def _image_iterators(consumer: Consumer) -> list[tuple[str, DataSource]]:
    """`ImageDataGenerator(…).flow(x, y)` fed as `x` or `validation_data`: Keras's own iterator over batches."""
    fed = (("x", consumer.data), ("validation_data", consumer.validation_data))
    return [(role, source) for role, source in fed if source and source.kind is SourceKind.IMAGE_ITERATOR]


def _keras1_sample_argument(argument: Argument) -> bool:
    parent = argument.node.parent
    return isinstance(parent, nodes.Keyword) and parent.arg in KERAS1_SAMPLE_ARGUMENTS


def _consequence(consumer: Consumer, role: str, finiteness: Finiteness) -> str:
    passes = "as many passes over the data as a batch has samples"
    if finiteness is Finiteness.FINITE:
        return "one pass ends long before that many steps, and Keras 3 warns 'Your input ran out of data'"
    if finiteness is Finiteness.UNKNOWN:
        return f"each step takes a whole batch, so that is {passes}, or the generator runs out"
    if role == "validation_data":
        return f"every validation runs one batch per validation sample, {passes}, silently"
    if consumer.base_method == "fit":
        return f"every epoch runs one batch per sample, {passes} instead of one, silently"
    if consumer.base_method == "predict":
        return f"`predict` runs one batch per sample, {passes}, and returns that many times too many rows"
    return f"`{consumer.base_method}` runs one batch per sample, {passes}"
