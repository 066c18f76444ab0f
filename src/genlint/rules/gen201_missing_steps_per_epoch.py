from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import endless_reason, missing_count


class MissingStepsPerEpochRule(Rule):
    """
    ## What it does
    Finds an infinite data source (a generator with `while True`, or one built on `itertools.cycle`) that
    feeds `fit` without `steps_per_epoch`, or `evaluate` / `predict` without `steps`, or with that argument
    set to `0` or `None`.

    ## Why is this bad?
    Keras cannot know where an epoch of an endless stream ends, so it keeps drawing batches: the first
    epoch never ends and the job hangs with no message at all (Keras 3 ran 89,187 training steps in 60
    seconds of epoch 1 before it was killed; `evaluate` and `predict` hang the same way, and `predict`
    keeps piling up outputs until memory runs out). Keras 3 treats `steps_per_epoch=0` like `None`, so a
    step count computed as `len(x) // batch_size` with fewer samples than the batch size hangs too.

    ## Known limitations
    Calls that pass `**kwargs` are left alone, since the steps may be inside them.
    """

    code = "GEN201"
    name = "missing-steps-per-epoch"
    severity = Severity.ERROR
    message = "`{source}` never ends ({why}) and `{call}` {problem}: {consequence}"
    help = "pass {steps}=math.ceil(number_of_samples / batch_size)"

    symptom = KerasSymptom(hang=True)

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), epochs=10)  # error: GEN201
""",
            title="an endless generator and no steps_per_epoch",
            runs=True,
        ),
        Example(
            """\
import numpy as np


def train(model, images, labels, batch_size=64):
    def random_batches():
        while 1:
            picks = np.random.randint(0, len(images), batch_size)
            yield images[picks], labels[picks]

    return model.fit(x=random_batches(), epochs=20)  # error: GEN201
""",
            title="a nested `while 1` generator passed as `x=`",
        ),
        Example(
            """\
import keras


class Trainer:
    def __init__(self, x, y, batch_size=32):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")

    def batches(self):
        while True:
            for i in range(0, len(self.x), self.batch_size):
                yield self.x[i:i + self.batch_size], self.y[i:i + self.batch_size]

    def train(self, epochs):
        return self.model.fit(self.batches(), epochs=epochs)  # error: GEN201
""",
            title="a generator method consumed through `self.model.fit`",
        ),
        Example(
            """\
from tensorflow import keras

from data_utils import batch_iter

model = keras.models.load_model("pretrained.keras")
model.fit(batch_iter(x_train, y_train, 128), epochs=15, verbose=2)  # error: GEN201
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(x, y, batch_size):
    order = np.arange(len(x))
    while True:
        np.random.shuffle(order)
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            yield x[chunk], y[chunk]
""",
            },
            title="an endless generator imported from a sibling module",
        ),
        Example(
            """\
import itertools

N_TRAIN = 48
BATCH_SIZE = 64
STEPS_PER_EPOCH = N_TRAIN // BATCH_SIZE


def cycled(batches):
    for x, y in itertools.cycle(batches):
        yield x / 255.0, y


model.fit(cycled(train_batches), steps_per_epoch=STEPS_PER_EPOCH, epochs=5)  # error: GEN201
""",
            title="`steps_per_epoch` computed as 0: fewer samples than one batch",
        ),
        Example(
            """\
import numpy as np

STEPS = 0


def augmented(images, masks, batch_size):
    while True:
        idx = np.random.choice(len(images), batch_size)
        yield np.flip(images[idx], axis=2), np.flip(masks[idx], axis=2)


history = model.fit(
    augmented(train_images, train_masks, 16),
    epochs=50,
    steps_per_epoch=STEPS,  # error: GEN201
    callbacks=[early_stopping],
)
""",
            title="`steps_per_epoch=0` through a constant, in a call spanning lines",
        ),
        Example(
            """\
def windows(series, length, batch_size):
    while True:
        starts = np.random.randint(0, len(series) - length, batch_size)
        yield np.stack([series[s:s + length] for s in starts]), series[starts + length]


model.fit(windows(train_series, 48, 32), steps_per_epoch=None, epochs=30)  # error: GEN201
""",
            title="`steps_per_epoch=None` written out",
        ),
        Example(
            """\
import itertools

import numpy as np


def test_batches(x, y, batch_size=256):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


loss, accuracy = model.evaluate(test_batches(x_test, y_test))  # error: GEN201
shards = [np.load(f"features_{i}.npy") for i in range(4)]
scores = model.predict(((shard,) for shard in itertools.cycle(shards)), verbose=0)  # error: GEN201
""",
            title="`evaluate` and `predict` without `steps`, one a generator expression over `cycle`",
        ),
        Example(
            """\
import functools
import itertools


def replay(batches, scale):
    for x, y in itertools.cycle(batches):
        yield x * scale, y


normalized = functools.partial(replay, scale=1 / 255)
model.fit(normalized(cached_batches), epochs=3)  # error: GEN201
""",
            title="an endless generator through `functools.partial`",
        ),
        Example(
            """\
import itertools


def forever(batches):
    yield from itertools.cycle(batches)


model.fit(forever(cached_batches), epochs=3)  # error: GEN201
""",
            title="`yield from itertools.cycle(...)`",
        ),
        Example(
            """\
import itertools

import numpy as np


def load_batch(step, batch_size=64):
    idx = np.random.default_rng(step).integers(0, len(x_train), batch_size)
    return x_train[idx], y_train[idx]


train_stream = (load_batch(step) for step in itertools.count())
model.fit(train_stream, epochs=10)  # error: GEN201
""",
            title="a generator expression over `itertools.count`, stored in a variable",
        ),
        Example(
            """\
import tensorflow as tf


def make_batches():
    for i in range(0, len(x_train), 32):
        yield x_train[i:i + 32], y_train[i:i + 32]


signature = (tf.TensorSpec((None, 28, 28), tf.float32), tf.TensorSpec((None,), tf.int64))
train_ds = tf.data.Dataset.from_generator(make_batches, output_signature=signature).repeat()
model.fit(train_ds, epochs=10)  # error: GEN201
""",
            title="a `tf.data` pipeline ending in `.repeat()`",
        ),
        Example(
            """\
from keras.preprocessing.image import ImageDataGenerator


def image_mask_pairs(folder, batch_size):
    augment = ImageDataGenerator(horizontal_flip=True)
    images = augment.flow_from_directory(folder, classes=["images"], class_mode=None, batch_size=batch_size, seed=1)
    masks = augment.flow_from_directory(folder, classes=["masks"], class_mode=None, batch_size=batch_size, seed=1)
    for image_batch, mask_batch in zip(images, masks):
        yield image_batch / 255.0, mask_batch / 255.0


model.fit(image_mask_pairs("data/train", 8), epochs=10)  # error: GEN201
""",
            title="a generator that loops over `ImageDataGenerator` iterators, which never end",
        ),
        Example(
            """\
import tensorflow as tf


def make_stream(rows):
    def stream():
        while True:
            for row in rows:
                yield row, row

    return stream


spec = (tf.TensorSpec((64, 3), tf.float32), tf.TensorSpec((64, 3), tf.float32))
train_ds = tf.data.Dataset.from_generator(make_stream(x_train), output_signature=spec).batch(256)
autoencoder.fit(train_ds, epochs=50)  # error: GEN201
""",
            title="`from_generator` over an endless generator makes an endless pipeline, with no `.repeat()`",
        ),
        Example(
            """\
import tensorflow as tf

AUTO = tf.data.AUTOTUNE


def read_example(record):
    parsed = tf.io.parse_single_example(record, {"image": tf.io.FixedLenFeature([], tf.string)})
    return tf.io.decode_jpeg(parsed["image"]), 1


def get_training_dataset(filenames, batch_size):
    dataset = tf.data.TFRecordDataset(filenames, num_parallel_reads=AUTO)
    dataset = dataset.map(read_example, num_parallel_calls=AUTO)
    dataset = dataset.repeat()
    dataset = dataset.shuffle(2048)
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(AUTO)


model.fit(get_training_dataset(train_files, 64), epochs=20)  # error: GEN201
""",
            title="a function that builds and returns a pipeline ending in `.repeat()`",
        ),
        Example(
            """\
def make_generators(batch_size):
    def endless(x, y):
        while True:
            for start in range(0, len(x), batch_size):
                yield x[start:start + batch_size], y[start:start + batch_size]

    return endless(x_train, y_train), endless(x_val, y_val)


train_gen, val_gen = make_generators(32)
model.fit(train_gen, validation_data=val_gen, validation_steps=4, epochs=10)  # error: GEN201
""",
            title="generators unpacked from the tuple a factory returns",
        ),
        Example(
            """\
from tagger import Tagger
from data import sentence_batches

tagger = Tagger()
tagger.fit(sentence_batches(x_train, y_train), epochs=10)
""",
            files={
                "tagger.py": """\
import keras


class Tagger:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        self.model.compile(optimizer="sgd", loss="mse")

    def fit(self, batches, epochs):
        self.model.fit(batches, epochs=epochs)  # error: GEN201
""",
                "data.py": """\
def sentence_batches(x, y):
    while True:
        for start in range(0, len(x), 32):
            yield x[start:start + 32], y[start:start + 32]
""",
            },
            title="a project class whose own `fit` passes the generator on to Keras",
        ),
        Example(
            """\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def train(model, data, steps=None, epochs=5):
    return model.fit(data, steps_per_epoch=steps, epochs=epochs)  # error: GEN201


train(model, batches(x_train, y_train))
""",
            title="a training function whose `steps` default to `None`, called without them",
        ),
        Example(
            """\
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--steps-per-epoch", type=int, default=None)
args = parser.parse_args()


def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train),
    steps_per_epoch=args.steps_per_epoch,  # error: GEN201
    epochs=args.epochs,
)
""",
            title="an `argparse` option whose default is `None`",
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
            runs=True,
        ),
        Example(
            """\
import tensorflow as tf


class NoiseBatches:
    def __init__(self, batch_size):
        self.batch_size = batch_size

    def __call__(self):
        while True:
            yield tf.random.normal([self.batch_size, 64]), tf.zeros([self.batch_size, 1])


noise = tf.data.Dataset.from_generator(NoiseBatches(32), output_types=(tf.float32, tf.float32))
discriminator.fit(noise.take(200), epochs=5)
discriminator.fit(noise, steps_per_epoch=200, epochs=5)
""",
            title="an endless `from_generator` pipeline cut by `.take()`, or given `steps_per_epoch`",
        ),
        Example(
            """\
def test_batches(x, y, batch_size=256):
    for i in range(0, len(x), batch_size):
        yield x[i:i + batch_size], y[i:i + batch_size]


loss, accuracy = model.evaluate(test_batches(x_test, y_test))
""",
            title="a finite generator ends by itself: `evaluate` needs no `steps`",
        ),
        Example(
            """\
from tensorflow import keras

model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)
model.evaluate(x_test, y_test, batch_size=512)
predictions = model.predict(x_test)
""",
            title="arrays: Keras counts the steps itself",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


fit_options = {"epochs": 10, "steps_per_epoch": 250, "verbose": 2}
model.fit(batches(x_train, y_train, 64), **fit_options)
""",
            title="`steps_per_epoch` may come in `**kwargs`",
        ),
        Example(
            """\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def train(model, data, steps=None, epochs=5):
    return model.fit(data, steps_per_epoch=steps, epochs=epochs)


train(model, batches(x_train, y_train), steps=len(x_train) // 32)
""",
            title="a training function given `steps` by its caller",
        ),
        Example(
            """\
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--steps-per-epoch", type=int, default=100)
args = parser.parse_args()


def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train), steps_per_epoch=args.steps_per_epoch, epochs=5)
""",
            title="an `argparse` option with a default step count",
        ),
        Example(
            """\
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--steps-per-epoch", type=int, default=None)
args = parser.parse_args()
if args.steps_per_epoch is None:
    args.steps_per_epoch = len(x_train) // 32


def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train), steps_per_epoch=args.steps_per_epoch, epochs=5)
""",
            title="an `argparse` option whose `None` default the script replaces",
        ),
        Example(
            """\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


fit_options = dict(epochs=10, verbose=2)
fit_options.update(steps_per_epoch=250)
model.fit(batches(x_train, y_train), **fit_options)
""",
            title="options unpacked from a dict that is changed after it is built",
        ),
        Example(
            """\
import numpy as np


def batches(x, batch_size):
    while True:
        yield x[np.random.randint(0, len(x), batch_size)]


class RunningScaler:
    def fit(self, stream, n_batches=100):
        sample = np.concatenate([next(stream) for _ in range(n_batches)])
        self.mean, self.std = sample.mean(axis=0), sample.std(axis=0)
        return self


scaler = RunningScaler().fit(batches(x_train, 256))
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
import math

import numpy as np

N_TRAIN = 50_000
BATCH_SIZE = 128
EPOCHS = 8
STEPS_PER_EPOCH = math.ceil(N_TRAIN / BATCH_SIZE)


def stream(x, y):
    while 1:
        order = np.random.permutation(len(x))
        for i in range(0, len(x), BATCH_SIZE):
            yield x[order[i:i + BATCH_SIZE]], y[order[i:i + BATCH_SIZE]]


model.fit(x=stream(x_train, y_train), steps_per_epoch=STEPS_PER_EPOCH, epochs=EPOCHS)
""",
            title="`while 1` with `steps_per_epoch` from module constants",
        ),
        Example(
            """\
import math

import keras


class Trainer:
    def __init__(self, x, y, batch_size=32):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.steps = math.ceil(len(x) / batch_size)
        self.model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1)])
        self.model.compile(optimizer="adam", loss="mse")

    def batches(self):
        while True:
            for i in range(0, len(self.x), self.batch_size):
                yield self.x[i:i + self.batch_size], self.y[i:i + self.batch_size]

    def train(self, epochs):
        return self.model.fit(self.batches(), steps_per_epoch=self.steps, epochs=epochs)
""",
            title="a generator method with `steps_per_epoch` from an attribute",
        ),
        Example(
            """\
import glob
import time

import numpy as np


def shard_batches(paths, batch_size):
    for path in paths:
        while True:  # retry while the network mount is flaky
            try:
                data = np.load(path)
                break
            except OSError:
                time.sleep(1)
        for i in range(0, len(data), batch_size):
            yield data[i:i + batch_size, :-1], data[i:i + batch_size, -1]


test_files = sorted(glob.glob("shards/test-*.npy"))
loss = model.evaluate(shard_batches(test_files, 256))
""",
            title="a `while True` retry loop that does not enclose the `yield`",
        ),
        Example(
            """\
import math


def test_batches(x, y, batch_size=256):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


test_steps = math.ceil(len(x_test) / 256)
loss, accuracy = model.evaluate(test_batches(x_test, y_test), steps=test_steps)
probabilities = model.predict(test_batches(x_test, y_test), steps=test_steps, verbose=0)
""",
            title="`evaluate` and `predict` of an endless generator with `steps`",
        ),
        Example(
            """\
import math

import tensorflow as tf


def make_dataset(x, y, batch_size, training):
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if training:
        dataset = dataset.shuffle(len(x)).repeat()
    return dataset.batch(batch_size)


def get_training_dataset():
    return make_dataset(x_train, y_train, 64, training=True)


steps = math.ceil(len(x_train) / 64)
model.fit(get_training_dataset(), steps_per_epoch=steps, validation_data=make_dataset(x_val, y_val, 256, False))
model.evaluate(make_dataset(x_test, y_test, 256, training=False))
""",
            title="a pipeline factory that repeats only when training, and steps for its endless pipeline",
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
        return self.x[window], self.y[window]


model.fit(Batches(x_train, y_train, 32), epochs=10)
""",
            title="a `PyDataset` knows its own length",
        ),
        Example(
            """\
import argparse

from settings import RunSettings


def endless_batches(x, y):
    while True:
        for start in range(0, len(x), 32):
            yield x[start:start + 32], y[start:start + 32]


parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=100)
args = parser.parse_args()
run = RunSettings(steps_per_epoch=args.steps)
model.fit(endless_batches(x_train, y_train), steps_per_epoch=run.steps_per_epoch, epochs=run.epochs)
""",
            files={
                "settings.py": """\
from dataclasses import dataclass
from typing import Optional


@dataclass
class RunSettings:
    epochs: int = 10
    steps_per_epoch: Optional[int] = None
""",
            },
            title="a dataclass whose `None` default the constructor call replaces",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            source = consumer.data
            if source is None or not source.is_infinite:
                continue
            missing = missing_count(consumer, consumer.steps_name)
            if missing is None:
                continue
            problem, node = missing
            phase = "the first epoch" if consumer.base_method == "fit" else f"`{consumer.base_method}`"
            context.report(
                node,
                source=source.text,
                why=endless_reason(source, model.path),
                call=f"{consumer.method}()",
                problem=problem,
                consequence=f"{phase} never ends; Keras hangs with no message",
                steps=consumer.steps_name,
            )
