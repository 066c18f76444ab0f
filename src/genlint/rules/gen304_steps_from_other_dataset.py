from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, Finiteness, Value
from genlint.rules.base import Example, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text

ROLES = {"steps_per_epoch": "training", "validation_steps": "validation"}


class StepsFromOtherDatasetRule(Rule):
    """
    ## What it does
    Finds a `fit` call whose `validation_steps` counts the training data (`len(x_train) // batch_size`)
    or whose `steps_per_epoch` counts the validation data, judged by the data names: the count must name
    data that the other source was built from (`batches(x_train, …)`) and none that its own source was
    built from (`batches(x_val, …)`).

    ## Why is this bad?
    Keras runs exactly the number of steps it is given, whatever the data holds, and nothing checks the
    count against the data. A validation count sized for the training set runs several passes over an
    endless validation generator (in Keras 3, `validation_steps=12` over a 4-batch validation generator
    drew 12 batches, then 10 more at the next epoch), or runs a single-pass one dry, with
    `UserWarning: Your input ran out of data`. A training count sized for the smaller validation set makes
    every "epoch" a fraction of the training data, so epoch-based callbacks (early stopping, checkpoints,
    learning-rate schedules) act on the wrong unit. Either way the metrics are silently off.

    ## Known limitations
    Data is matched by name as written. When a count names data that both sources were built from (a
    validation split sliced out of the same array), or names nothing either source was built from, genlint
    cannot tell which side it belongs to and stays silent. A `validation_data=(x_val, y_val)` tuple is
    not a generator and is not checked.
    """

    code = "GEN304"
    name = "steps-from-other-dataset"
    severity = Severity.WARNING
    message = (
        "`{argument}={expression}`{computed} in `{call}` counts `{data}`, the {other_role} data "
        "(`{other_source}`), not the {own_role} data (`{own_source}`): {consequence}"
    )
    help = "compute `{argument}` from the data that `{own_source}` is built from"

    invalid = (
        Example(
            """\
import math

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    validation_data=batches(x_val, y_val, BATCH_SIZE),
    validation_steps=math.ceil(len(x_train) / BATCH_SIZE),  # error: GEN304
    epochs=10,
)
""",
            title="`validation_steps` copied from `steps_per_epoch`",
        ),
        Example(
            """\
import math


def stream(features, targets, batch_size=64):
    while True:
        for i in range(0, len(features), batch_size):
            yield features[i:i + batch_size], targets[i:i + batch_size]


model.fit(
    stream(train_x, train_y),
    steps_per_epoch=math.ceil(len(val_x) / 64),  # error: GEN304
    validation_data=stream(val_x, val_y),
    validation_steps=math.ceil(len(val_x) / 64),
    epochs=30,
)
""",
            title="`steps_per_epoch` counts the validation data",
        ),
        Example(
            """\
import math

BATCH_SIZE = 128
n_train = len(x_train)
train_steps = math.ceil(n_train / BATCH_SIZE)
val_steps = math.ceil(n_train / BATCH_SIZE)


def batches(x, y):
    while True:
        for start in range(0, len(x), BATCH_SIZE):
            yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]


model.fit(batches(x_train, y_train), steps_per_epoch=train_steps, epochs=8,
          validation_data=batches(x_val, y_val), validation_steps=val_steps)  # error: GEN304
""",
            title="through variables: `val_steps` is computed from `n_train`",
        ),
        Example(
            """\
import math
from functools import partial

from data_utils import batch_iter

make_batches = partial(batch_iter, batch_size=32)
model.fit(
    make_batches(x_train, y_train),
    steps_per_epoch=math.ceil(len(x_train) / 32),
    validation_data=make_batches(x_test, y_test),
    validation_steps=math.ceil(x_train.shape[0] / 32),  # error: GEN304
    epochs=15,
)
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            rows = order[start:start + batch_size]
            yield x[rows], y[rows]
""",
            },
            title="a sibling module's generator through `functools.partial`",
        ),
        Example(
            """\
import math

import keras


class Trainer:
    def __init__(self, model: keras.Model, data, batch_size=32):
        self.model, self.batch_size = model, batch_size
        (self.x_train, self.y_train), (self.x_val, self.y_val) = data

    def batches(self, x, y):
        while True:
            for start in range(0, len(x), self.batch_size):
                yield x[start:start + self.batch_size], y[start:start + self.batch_size]

    def train(self, epochs):
        return self.model.fit(
            self.batches(self.x_train, self.y_train),
            steps_per_epoch=math.ceil(len(self.x_train) / self.batch_size),
            validation_data=self.batches(self.x_val, self.y_val),
            validation_steps=math.ceil(len(self.x_train) / self.batch_size),  # error: GEN304
            epochs=epochs,
        )
""",
            title="a generator method through `self.`",
        ),
        Example(
            """\
import math

from tensorflow import keras


def train(model: keras.Model, x, y, x_holdout, y_holdout, batch_size=16, epochs=20):
    def sample_batches(features, targets):
        while True:
            for i in range(0, len(features), batch_size):
                yield features[i:i + batch_size], targets[i:i + batch_size]

    steps = math.ceil(len(x) / batch_size)
    return model.fit(sample_batches(x, y), steps_per_epoch=steps, epochs=epochs,
                     validation_data=sample_batches(x_holdout, y_holdout),
                     validation_steps=steps)  # error: GEN304
""",
            title="a nested generator, one `steps` variable reused for validation",
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


model.fit(Batches(x_train, y_train, 32), validation_data=Batches(x_val, y_val, 32),
          validation_steps=math.ceil(len(x_train) / 32), epochs=10)  # error: GEN304
""",
            title="a `PyDataset` for validation, counted with the training data",
        ),
        Example(
            """\
import tensorflow as tf

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(64).repeat()
val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(64).repeat()
model.fit(
    train_ds,
    epochs=20,
    steps_per_epoch=len(x_train) // 64,
    validation_data=val_ds,
    validation_steps=len(x_train) // 64,  # error: GEN304
)
""",
            title="`tf.data` pipelines batching sliced arrays, the validation steps counted on the training arrays",
        ),
        Example(
            """\
import tensorflow as tf

BATCH_SIZE = 32


def make_dataset(features, labels):
    dataset = tf.data.Dataset.from_tensor_slices((features, labels))
    dataset = dataset.shuffle(len(features)).batch(BATCH_SIZE)
    return dataset.repeat()


model.fit(
    make_dataset(x_train, y_train),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    validation_data=make_dataset(x_val, y_val),
    validation_steps=len(x_train) // BATCH_SIZE,  # error: GEN304
    epochs=10,
)
""",
            title="pipelines returned by a factory, named by what each call passes it",
        ),
    )
    valid = (
        Example(
            """\
import math

BATCH_SIZE = 32


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(x_train) / BATCH_SIZE),
    validation_data=batches(x_val, y_val, BATCH_SIZE),
    validation_steps=math.ceil(len(x_val) / BATCH_SIZE),
    epochs=10,
)
""",
            title="each count names its own data",
        ),
        Example(
            """\
import math

split = int(0.8 * len(x_all))


def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_all[:split], y_all[:split]),
    steps_per_epoch=math.ceil(split / 32),
    validation_data=batches(x_all[split:], y_all[split:]),
    validation_steps=math.ceil((len(x_all) - split) / 32),
    epochs=10,
)
""",
            title="both sides sliced out of one array: the count cannot be assigned to one side",
        ),
        Example(
            """\
import math


def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train),
    steps_per_epoch=math.ceil(len(x_train) / 32),
    validation_data=batches(x_train, y_train),
    validation_steps=math.ceil(len(x_train) / 32),
    epochs=5,
)
""",
            title="validating on the training data on purpose: the counts match their sources",
        ),
        Example(
            """\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train), steps_per_epoch=200, validation_data=batches(x_val, y_val),
          validation_steps=50, epochs=10)
""",
            title="constant step counts",
        ),
        Example(
            """\
import math

import pandas as pd


def frame_batches(frame, batch_size=64):
    while True:
        for start in range(0, len(frame), batch_size):
            part = frame.iloc[start:start + batch_size]
            yield part.drop(columns="label").to_numpy(), part["label"].to_numpy()


train_df, val_df = pd.read_csv("train.csv"), pd.read_csv("val.csv")
val_ids = val_df["id"].unique()
model.fit(frame_batches(train_df), steps_per_epoch=math.ceil(len(train_df) / 64),
          validation_data=frame_batches(val_df), validation_steps=math.ceil(len(val_ids) / 64), epochs=10)
""",
            title="a count of names neither source was built from stays unjudged",
        ),
        Example(
            """\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


class Curriculum:
    def fit(self, train, steps_per_epoch, validation_data, validation_steps):
        for _ in range(steps_per_epoch):
            self.learn(*next(train))
        return [self.score(*next(validation_data)) for _ in range(validation_steps)]


Curriculum().fit(batches(x_train, y_train), len(x_train) // 32, batches(x_val, y_val), len(x_train) // 32)
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
import math

BATCH_SIZE = 32


def steps_for(n_samples):
    return math.ceil(n_samples / BATCH_SIZE)


def batches(x, y):
    while True:
        for start in range(0, len(x), BATCH_SIZE):
            yield x[start:start + BATCH_SIZE], y[start:start + BATCH_SIZE]


model.fit(batches(x_train, y_train), steps_per_epoch=steps_for(len(x_train)), epochs=10,
          validation_data=batches(x_val, y_val), validation_steps=steps_for(len(x_val)))
""",
            title="counts made by a helper function name their own data",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.base_method != "fit":
                continue
            train, validation = consumer.data, consumer.validation_data
            if train is None or validation is None or not (train.is_data_source and validation.is_data_source):
                continue
            for argument, own, other in (
                ("steps_per_epoch", train, validation),
                ("validation_steps", validation, train),
            ):
                value = consumer.value(argument)
                if value is None:
                    continue
                counted = set(value.counted_names)
                if counted and counted <= set(other.built_from) and counted.isdisjoint(own.built_from):
                    self._report(context, consumer, argument, value, own, other, sorted(counted))

    def _report(
        self,
        context: RuleContext,
        consumer: Consumer,
        argument: str,
        value: Value,
        own: DataSource,
        other: DataSource,
        counted: list[str],
    ) -> None:
        shown = code_text(value.node, 50)
        own_role = ROLES[argument]
        context.report(
            value.node,
            argument=argument,
            expression=shown,
            computed=f" (`{value.text}`)" if value.text and value.text != shown else "",
            call=call_text(consumer),
            data="`, `".join(counted),
            other_role="validation" if own_role == "training" else "training",
            other_source=other.text,
            own_role=own_role,
            own_source=own.text,
            consequence=_consequence(argument, own),
        )


def _consequence(argument: str, own: DataSource) -> str:
    if argument == "steps_per_epoch":
        return "every epoch covers as many batches as the validation set has, not one pass over the training data"
    if own.finiteness is Finiteness.FINITE:
        return (
            "each validation either runs out of batches (Keras 3 warns 'Your input ran out of data') or leaves "
            "part of the validation set out"
        )
    return "each validation runs a batch count sized for the training set: it repeats batches or leaves some out"
