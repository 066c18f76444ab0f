from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import legacy_call_fix
from genlint.rules.messages import method_name_span, removal_status


class FitGeneratorRule(Rule):
    """
    ## What it does
    Finds calls of `fit_generator(...)`.

    ## Why is this bad?
    `Model.fit_generator` was deprecated in tf.keras 2.1 and removed in Keras 3, where the call fails at
    once with `AttributeError: 'Sequential' object has no attribute 'fit_generator'` (or `'Functional'
    object …`). `fit` has accepted generators, `Sequence` / `PyDataset` objects and `tf.data` datasets
    since then; the legacy `workers`, `use_multiprocessing` and `max_queue_size` arguments belong to the
    `PyDataset` constructor in Keras 3.

    ## Fix safety
    Safe: `--fix` renames the method to `fit` and the keyword `generator=` to `x=`; the other arguments keep
    their names and meaning (`workers=` and the like stay, for GEN206 to report). It leaves a call with more
    than one positional argument alone, since `fit`'s second parameter is `y`, not the step count.
    """

    code = "GEN501"
    name = "fit-generator"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    message = "`{receiver}.fit_generator()` {status}; call `{receiver}.fit()`, which accepts generators"

    symptom = KerasSymptom(exception="AttributeError", message="object has no attribute 'fit_generator'")

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit_generator(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN501
""",
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN501
""",
            title="the Keras 2 training call",
            runs=True,
        ),
        Example(
            """\
from tensorflow import keras

model = keras.models.load_model("unet.h5")
history = model.fit_generator(  # error: GEN501
    generator=train_batches,
    steps_per_epoch=200,
    epochs=30,
    validation_data=(x_val, y_val),
)
""",
            fixed="""\
from tensorflow import keras

model = keras.models.load_model("unet.h5")
history = model.fit(  # error: GEN501
    x=train_batches,
    steps_per_epoch=200,
    epochs=30,
    validation_data=(x_val, y_val),
)
""",
            title="the `generator=` keyword, in a call that spans lines",
        ),
        Example(
            """\
import numpy as np


class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model = model
        self.x, self.y, self.batch_size = x, y, batch_size

    def batches(self):
        while True:
            idx = np.random.permutation(len(self.x))
            for start in range(0, len(idx), self.batch_size):
                part = idx[start:start + self.batch_size]
                yield self.x[part], self.y[part]

    def run(self, epochs):
        steps = len(self.x) // self.batch_size
        return self.model.fit_generator(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN501
""",
            fixed="""\
import numpy as np


class Trainer:
    def __init__(self, model, x, y, batch_size=32):
        self.model = model
        self.x, self.y, self.batch_size = x, y, batch_size

    def batches(self):
        while True:
            idx = np.random.permutation(len(self.x))
            for start in range(0, len(idx), self.batch_size):
                part = idx[start:start + self.batch_size]
                yield self.x[part], self.y[part]

    def run(self, epochs):
        steps = len(self.x) // self.batch_size
        return self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN501
""",
            title="a training class calls `self.model.fit_generator`",
        ),
        Example(
            """\
from keras import layers
from keras.models import Sequential

model = Sequential([layers.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit_generator(train_gen, steps_per_epoch=100, epochs=10, workers=4)  # error: GEN501
""",
            fixed="""\
from keras import layers
from keras.models import Sequential

model = Sequential([layers.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train_gen, steps_per_epoch=100, epochs=10, workers=4)  # error: GEN501
""",
            title="a `Sequential` model built in the same script",
        ),
        Example(
            """\
from data_utils import batch_iter

EPOCHS = 20
BATCH_SIZE = 32

model.fit_generator(  # error: GEN501
    batch_iter(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    epochs=EPOCHS,
    validation_data=batch_iter(x_val, y_val, BATCH_SIZE),
    validation_steps=len(x_val) // BATCH_SIZE,
)
""",
            fixed="""\
from data_utils import batch_iter

EPOCHS = 20
BATCH_SIZE = 32

model.fit(  # error: GEN501
    batch_iter(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    epochs=EPOCHS,
    validation_data=batch_iter(x_val, y_val, BATCH_SIZE),
    validation_steps=len(x_val) // BATCH_SIZE,
)
""",
            files={
                "data_utils.py": """\
def batch_iter(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
"""
            },
            title="a generator imported from a sibling module",
        ),
        Example(
            """\
from tensorflow import keras


def build_model(num_classes):
    inputs = keras.Input((224, 224, 3))
    features = keras.applications.MobileNetV2(include_top=False, pooling="avg")(inputs)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(features)
    return keras.Model(inputs, outputs)


classifier = build_model(5)
classifier.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
classifier.fit_generator(flow_train, steps_per_epoch=len(flow_train), epochs=12)  # error: GEN501
""",
            fixed="""\
from tensorflow import keras


def build_model(num_classes):
    inputs = keras.Input((224, 224, 3))
    features = keras.applications.MobileNetV2(include_top=False, pooling="avg")(inputs)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(features)
    return keras.Model(inputs, outputs)


classifier = build_model(5)
classifier.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
classifier.fit(flow_train, steps_per_epoch=len(flow_train), epochs=12)  # error: GEN501
""",
            title="a model returned by a project `build_model()`",
        ),
        Example(
            """\
import keras


class UNet(keras.Model):
    def __init__(self, filters=32):
        super().__init__()
        self.down = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")
        self.out = keras.layers.Conv2D(1, 1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.down(inputs))


net = UNet()
net.compile(optimizer="adam", loss="binary_crossentropy")
net.fit_generator(tile_batches, steps_per_epoch=300, epochs=25)  # error: GEN501
""",
            fixed="""\
import keras


class UNet(keras.Model):
    def __init__(self, filters=32):
        super().__init__()
        self.down = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")
        self.out = keras.layers.Conv2D(1, 1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.down(inputs))


net = UNet()
net.compile(optimizer="adam", loss="binary_crossentropy")
net.fit(tile_batches, steps_per_epoch=300, epochs=25)  # error: GEN501
""",
            title="a `keras.Model` subclass inherits no `fit_generator` in Keras 3",
        ),
        Example(
            """\
def train(model, train_seq, val_seq, epochs=10):
    return model.fit_generator(  # error: GEN501
        train_seq,
        epochs=epochs,
        validation_data=val_seq,
        use_multiprocessing=True,
        workers=6,
    )
""",
            fixed="""\
def train(model, train_seq, val_seq, epochs=10):
    return model.fit(  # error: GEN501
        train_seq,
        epochs=epochs,
        validation_data=val_seq,
        use_multiprocessing=True,
        workers=6,
    )
""",
            title="a model passed in as a parameter, with `Sequence` data",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            runs=True,
        ),
        Example(
            """\
class Trainer:
    def __init__(self, model, epochs):
        self.model = model
        self.epochs = epochs

    def fit_generator(self, batches, steps):
        return self.model.fit(batches, steps_per_epoch=steps, epochs=self.epochs)


trainer = Trainer(model, epochs=10)
trainer.fit_generator(train_batches, steps=len(x_train) // 32)
""",
            title="a project class that defines its own `fit_generator`",
        ),
        Example(
            """\
class BaseTrainer:
    def fit_generator(self, batches, steps, epochs):
        history = self.model.fit(batches, steps_per_epoch=steps, epochs=epochs)
        self.log(history)
        return history


class ClassifierTrainer(BaseTrainer):
    def __init__(self, model):
        self.model = model

    def log(self, history):
        print(history.history["loss"][-1])

    def run(self, batches, steps):
        return self.fit_generator(batches, steps, epochs=10)


ClassifierTrainer(model).fit_generator(train_batches, steps=100, epochs=5)
""",
            title="`fit_generator` inherited from a project base class",
        ),
        Example(
            """\
import train_utils

history = train_utils.fit_generator(model, train_batches, steps=len(x_train) // 32, epochs=10)
""",
            files={
                "train_utils.py": """\
def fit_generator(model, batches, steps, epochs):
    return model.fit(batches, steps_per_epoch=steps, epochs=epochs)
"""
            },
            title="a project module's helper function named `fit_generator`",
        ),
        Example(
            """\
import keras


class LegacyModel(keras.Model):
    def fit_generator(self, generator, **kwargs):
        # keeps old call sites working after the move to Keras 3
        return self.fit(generator, **kwargs)


model = LegacyModel(inputs, outputs)
model.fit_generator(train_batches, steps_per_epoch=100, epochs=5)
""",
            title="a `keras.Model` subclass that adds a `fit_generator` shim",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


fit_generator = batches(x_train, y_train, 64)
model.fit(fit_generator, steps_per_epoch=len(x_train) // 64, epochs=8)
""",
            title="a variable named `fit_generator` passed to `fit`",
        ),
        Example(
            """\
def fit_generator(model, batches, steps, epochs=10):
    return model.fit(batches, steps_per_epoch=steps, epochs=epochs)


history = fit_generator(model, train_batches, steps=len(x_train) // 32)
""",
            title="a plain function named `fit_generator`",
        ),
        Example(
            """\
from data_utils import batch_iter

EPOCHS = 20
BATCH_SIZE = 32

model.fit(
    x=batch_iter(x_train, y_train, BATCH_SIZE),
    steps_per_epoch=len(x_train) // BATCH_SIZE,
    epochs=EPOCHS,
    validation_data=(x_val, y_val),
)
""",
            files={
                "data_utils.py": """\
def batch_iter(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
"""
            },
            title="the Keras 3 call: `fit(x=generator)` with a validation tuple",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.method == "fit_generator":
                line, column, end_column = method_name_span(consumer)
                context.report_at(
                    consumer.node.root().file or model.path,  # a project wrapper's call may live elsewhere
                    line,
                    column,
                    end_line=line,
                    end_column=end_column,
                    receiver=consumer.receiver,
                    status=removal_status(consumer.method, context.target),
                    severity=Severity.INFO if context.target == "tf-keras" else None,
                    fix=legacy_call_fix(consumer),
                )
