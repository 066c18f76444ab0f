from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, SourceKind
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import code_text

PLAIN_GENERATORS = (SourceKind.GENERATOR_CALL, SourceKind.GENERATOR_EXPRESSION)
# What Keras 3 calls each kind of source in its error messages, and where the data belongs instead.
KERAS3_NAMES = {SourceKind.SEQUENCE: "PyDataset", SourceKind.DATASET: "tf.data.Dataset"}
TF_KERAS_NAMES = {SourceKind.SEQUENCE: "`keras.utils.Sequence`", SourceKind.DATASET: "dataset"}
PLACES = {
    SourceKind.SEQUENCE: "return {shape} from `__getitem__`",
    SourceKind.DATASET: "make the dataset's elements {shape}",
}
SHAPES = {"y": "`(inputs, targets)`", "sample_weight": "`(inputs, targets, sample_weights)`"}
NOUNS = {
    SourceKind.GENERATOR_CALL: "generator",
    SourceKind.GENERATOR_EXPRESSION: "generator expression",
    SourceKind.SEQUENCE: "Sequence",
    SourceKind.DATASET: "tf.data pipeline",
}


class TargetsWithGeneratorRule(Rule):
    """
    ## What it does
    Finds `y=`, `sample_weight=` or `validation_split=` passed to `fit` / `evaluate` whose `x` is a data
    source (a generator, a `Sequence` / `PyDataset`, a `tf.data` pipeline), and `class_weight=` passed with
    a plain generator. A positional `y` (`fit(batches(), y_train)`) counts too.

    ## Why is this bad?
    A data source carries its own targets and weights, so Keras refuses the extra arguments before the
    first step:

    - `y`: `ValueError: When providing `x` as a generator, `y` should not be passed. Instead, the targets
      should be included as part of the generator.` (the same for a PyDataset and a `tf.data.Dataset`);
    - `sample_weight`: the same message about `sample_weights`;
    - `class_weight`: `ValueError: Argument `class_weight` is not supported for Python generator inputs.`
      It works with a `PyDataset` and a `tf.data.Dataset`, and tf.keras accepts it with a generator too;
    - `validation_split`: `ValueError: Argument `validation_split` is only supported for tensors or NumPy
      arrays.`, since a stream cannot be split.

    tf.keras raises for `y`, `sample_weight` and `validation_split` as well, e.g. `ValueError: `y`
    argument is not supported when using python generator as input.`

    ## Known limitations
    An argument whose value may be `None` (a parameter with a `None` default, a name set to `None` on
    some path) is left alone, since Keras ignores `None`. `validation_split` beside a `validation_data`
    is not reported: Keras ignores it then.
    """

    code = "GEN204"
    name = "targets-with-generator"
    severity = Severity.ERROR
    symptom = KerasSymptom(exception="ValueError", message="`y` should not be passed")
    message = "`{argument}={value}` is passed to `{call}` whose x is the {kind} `{source}`: {consequence}"

    invalid = (
        Example(
            """\
def images_only(x, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size]


model.fit(images_only(x_train, 32), y=y_train, steps_per_epoch=3, epochs=2)  # error: GEN204
""",
            title="the labels are passed beside a generator that yields only images",
            runs=True,
        ),
        Example(
            """\
def test_batches(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)


loss = model.evaluate(test_batches(x_test, 64), y_test)  # error: GEN204
""",
            title="a positional `y` to `evaluate`",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


weights = np.where(y_train[:, 0] > 0, 2.0, 1.0)
model.fit(
    Batches(x_train, y_train, 32),
    sample_weight=weights,  # error: GEN204
    epochs=4,
)
""",
            title="`sample_weight` beside a `PyDataset`",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


CLASS_WEIGHT = {0: 1.0, 1: 4.0}
model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    class_weight=CLASS_WEIGHT,  # error: GEN204
    epochs=10,
)
""",
            title="`class_weight` through a module constant with a plain generator",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, validation_split=0.2, epochs=5)  # error: GEN204
""",
            title="`validation_split` cannot split a stream",
        ),
        Example(
            """\
import numpy as np
import tensorflow as tf


def images():
    for start in range(0, len(image_paths), 32):
        yield np.stack([np.load(path) for path in image_paths[start:start + 32]])


train_ds = tf.data.Dataset.from_generator(
    images, output_signature=tf.TensorSpec((None, 64, 64, 3), tf.float32)
).prefetch(2)
model.fit(train_ds, y=labels, epochs=8)  # error: GEN204
""",
            title="`y=` beside a `tf.data` pipeline built with `from_generator`",
        ),
        Example(
            """\
import numpy as np
from sklearn.utils.class_weight import compute_class_weight


class Trainer:
    def __init__(self, model, x, y, batch_size=64):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size

    def batches(self):
        while True:
            for start in range(0, len(self.x), self.batch_size):
                stop = start + self.batch_size
                yield self.x[start:stop], self.y[start:stop]

    def train(self, epochs):
        classes = np.unique(self.y)
        weights = dict(enumerate(compute_class_weight("balanced", classes=classes, y=self.y)))
        self.model.fit(
            self.batches(),
            steps_per_epoch=len(self.x) // self.batch_size,
            class_weight=weights,  # error: GEN204
            epochs=epochs,
        )
""",
            title="balanced class weights with a generator method through `self.`",
        ),
        Example(
            """\
from data_utils import feature_batches

model.fit(feature_batches("train.h5", 128), train_labels, steps_per_epoch=500, epochs=3)  # error: GEN204
""",
            files={
                "data_utils.py": """\
import h5py


def feature_batches(path, batch_size):
    with h5py.File(path) as handle:
        features = handle["features"]
        while True:
            for start in range(0, len(features), batch_size):
                yield (features[start:start + batch_size],)
""",
            },
            title="a generator from a sibling module with a positional `y`",
        ),
        Example(
            """\
import tensorflow as tf

train_ds = tf.data.Dataset.from_tensor_slices(x_train).batch(64)
model.fit(train_ds, y_train, epochs=3)  # error: GEN204
""",
            title="targets next to a `tf.data` pipeline of inputs",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2)
""",
            title="the generator yields the targets with the inputs",
            runs=True,
        ),
        Example(
            """\
import numpy as np


def weighted_batches(x, y, weights, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            rows = slice(start, start + batch_size)
            yield x[rows], y[rows], weights[rows]


weights = np.where(y_train[:, 0] > 0, 2.0, 1.0)
model.fit(weighted_batches(x_train, y_train, weights, 32), steps_per_epoch=3, epochs=2)
""",
            title="sample weights as the third element of each batch",
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
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), class_weight={0: 1.0, 1: 3.0}, epochs=4)
""",
            title="`class_weight` works with a `PyDataset` in Keras 3",
        ),
        Example(
            """\
import tensorflow as tf


def samples():
    for features, label in zip(x_train, y_train):
        yield features, label


train_ds = tf.data.Dataset.from_generator(
    samples, output_signature=(tf.TensorSpec((4,), tf.float32), tf.TensorSpec((1,), tf.float32))
).batch(32)
model.fit(train_ds, class_weight={0: 1.0, 1: 2.0}, epochs=3)
""",
            title="`class_weight` works with a `tf.data` pipeline",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def train(model, epochs, sample_weight=None, class_weight=None):
    return model.fit(
        batches(x_train, y_train, 32),
        steps_per_epoch=len(x_train) // 32,
        sample_weight=sample_weight,
        class_weight=class_weight,
        epochs=epochs,
    )


history = train(model, 5)
""",
            title="optional arguments forwarded with `None` defaults",
        ),
        Example(
            """\
import numpy as np

counts = np.bincount(labels)
class_weight = {index: len(labels) / (2.0 * count) for index, count in enumerate(counts)}
model.fit(x_train, labels, batch_size=32, validation_split=0.2, class_weight=class_weight, epochs=5)
""",
            title="arrays can be split and weighted",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), None, steps_per_epoch=3, epochs=2)
""",
            title="an explicit `y=None` is the same as no `y`",
        ),
        Example(
            """\
import numpy as np
from sklearn.linear_model import SGDClassifier


def chunks(x, y, size):
    for start in range(0, len(x), size):
        yield x[start:start + size], y[start:start + size]


classifier = SGDClassifier()
for features, labels in chunks(x_train, y_train, 256):
    classifier.partial_fit(features, labels, classes=[0, 1])
classifier.fit(x_train, y_train, sample_weight=np.ones(len(x_train)))
""",
            title="scikit-learn's `fit` takes `y` and `sample_weight`",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            source = consumer.data
            if source is None or not source.is_data_source:
                continue
            for name in ("y", "sample_weight", "class_weight", "validation_split"):
                consequence = self._consequence(consumer, source, name, context.target)
                if consequence is not None and consumer.is_legacy and context.target != "tf-keras":
                    consequence = f"once `{consumer.method}` becomes `{consumer.base_method}` (GEN501), {consequence}"
                if consequence is not None:
                    argument = consumer.arguments[name]
                    context.report(
                        argument.node,
                        argument=name,
                        value=code_text(argument.node, 30),
                        call=consumer.method,
                        kind=NOUNS.get(source.kind, "data source"),
                        source=code_text(source.node, 50),
                        consequence=consequence,
                    )

    def _consequence(self, consumer: Consumer, source: DataSource, name: str, target: str) -> str | None:
        """What Keras does with `name` beside this source, or None when the argument is fine or absent."""
        if name not in consumer.not_none:
            return None
        keras = "tf.keras" if target == "tf-keras" else "Keras 3"
        if name == "class_weight":
            if target == "tf-keras" or source.kind not in PLAIN_GENERATORS:
                return None  # supported by a PyDataset, a tf.data.Dataset, and by tf.keras
            return (
                "Keras 3 raises ValueError: Argument `class_weight` is not supported for Python generator inputs; "
                "yield per-sample weights as a third element `(inputs, targets, weights)`, or use a PyDataset"
            )
        if name == "validation_split":
            return self._split_consequence(consumer, keras)
        if target == "tf-keras":
            what = TF_KERAS_NAMES.get(source.kind, "python generator")
            return f"tf.keras raises ValueError: `{name}` argument is not supported when using {what} as input"
        what = KERAS3_NAMES.get(source.kind, "generator")
        passed = "sample_weights" if name == "sample_weight" else name
        place = PLACES.get(source.kind, "yield {shape} from the generator").format(shape=SHAPES[name])
        return f"Keras 3 raises ValueError: When providing `x` as a {what}, `{passed}` should not be passed; {place}"

    def _split_consequence(self, consumer: Consumer, keras: str) -> str | None:
        """`validation_split` fails only when Keras would split: no `validation_data`, a split above 0."""
        split = consumer.value("validation_split")
        if consumer.has_argument("validation_data") or consumer.unresolved_extras or consumer.base_method != "fit":
            return None
        if split is not None and split.number == 0:
            return None
        return (
            f"{keras} raises ValueError: Argument `validation_split` is only supported for tensors or NumPy "
            "arrays, since a stream cannot be split; pass separate validation batches as `validation_data`"
        )
