from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.edits import legacy_call_fix
from genlint.rules.messages import method_name_span, removal_status


class EvaluateOrPredictGeneratorRule(Rule):
    """
    ## What it does
    Finds calls of `evaluate_generator(...)` and `predict_generator(...)`.

    ## Why is this bad?
    Both were deprecated in tf.keras 2.1 and removed in Keras 3, where the call fails at once with
    `AttributeError: 'Sequential' object has no attribute 'evaluate_generator'` (or `'predict_generator'`).
    `evaluate` and `predict` accept generators directly.

    ## Fix safety
    Safe: `--fix` renames the method to `evaluate` / `predict` and the keyword `generator=` to `x=`. The old
    methods were silent by default, the new ones show a progress bar: a call without `verbose` gets
    `verbose=0`, which keeps it silent. It leaves a call with more than one positional argument alone, since
    the new method's second parameter is `y` (or `batch_size`), not the step count, and one with `**kwargs`,
    which may hold a `verbose`.
    """

    code = "GEN502"
    name = "evaluate-or-predict-generator"
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE
    message = "`{receiver}.{method}()` {status}; call `{receiver}.{replacement}()`, which accepts generators"

    symptom = KerasSymptom(exception="AttributeError", message="object has no attribute 'evaluate_generator'")

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate_generator(batches(x_test, y_test, 64), steps=len(x_test) // 64)  # error: GEN502
""",
            fixed="""\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate(batches(x_test, y_test, 64), steps=len(x_test) // 64, verbose=0)  # error: GEN502
""",
            title="the Keras 2 evaluation call",
            runs=True,
        ),
        Example(
            """\
from tensorflow import keras

model = keras.models.load_model("detector.h5")
predictions = model.predict_generator(  # error: GEN502
    generator=test_batches,
    steps=len(test_files) // 16,
    verbose=1,
)
""",
            fixed="""\
from tensorflow import keras

model = keras.models.load_model("detector.h5")
predictions = model.predict(  # error: GEN502
    x=test_batches,
    steps=len(test_files) // 16,
    verbose=1,
)
""",
            title="`predict_generator` with the `generator=` keyword, across lines",
        ),
        Example(
            """\
def images(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)


def pairs(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


test_loss = model.evaluate_generator(pairs(x_test, y_test, 128))  # error: GEN502
probabilities = model.predict_generator(images(x_test, 128))  # error: GEN502
""",
            fixed="""\
def images(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)


def pairs(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


test_loss = model.evaluate(pairs(x_test, y_test, 128), verbose=0)  # error: GEN502
probabilities = model.predict(images(x_test, 128), verbose=0)  # error: GEN502
""",
            title="evaluation and prediction in one report script",
        ),
        Example(
            """\
class Evaluator:
    def __init__(self, model, x, y, batch_size=64):
        self.model = model
        self.x, self.y, self.batch_size = x, y, batch_size

    def batches(self):
        for start in range(0, len(self.x), self.batch_size):
            yield self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]

    def score(self):
        return self.model.evaluate_generator(self.batches())  # error: GEN502
""",
            fixed="""\
class Evaluator:
    def __init__(self, model, x, y, batch_size=64):
        self.model = model
        self.x, self.y, self.batch_size = x, y, batch_size

    def batches(self):
        for start in range(0, len(self.x), self.batch_size):
            yield self.x[start:start + self.batch_size], self.y[start:start + self.batch_size]

    def score(self):
        return self.model.evaluate(self.batches(), verbose=0)  # error: GEN502
""",
            title="a class calls `self.model.evaluate_generator`",
        ),
        Example(
            """\
from keras import layers
from keras.models import Sequential

model = Sequential([layers.Input((20,)), layers.Dense(64, activation="relu"), layers.Dense(1)])
model.load_weights("regressor.weights.h5")
forecast = model.predict_generator(window_batches, steps=48)  # error: GEN502
""",
            fixed="""\
from keras import layers
from keras.models import Sequential

model = Sequential([layers.Input((20,)), layers.Dense(64, activation="relu"), layers.Dense(1)])
model.load_weights("regressor.weights.h5")
forecast = model.predict(window_batches, steps=48, verbose=0)  # error: GEN502
""",
            title="a `Sequential` model built in the same script",
        ),
        Example(
            """\
from data_utils import batch_iter

BATCH_SIZE = 256
steps = len(x_test) // BATCH_SIZE

model.predict_generator(batch_iter(x_test, BATCH_SIZE), steps=steps)  # error: GEN502
""",
            fixed="""\
from data_utils import batch_iter

BATCH_SIZE = 256
steps = len(x_test) // BATCH_SIZE

model.predict(batch_iter(x_test, BATCH_SIZE), steps=steps, verbose=0)  # error: GEN502
""",
            files={
                "data_utils.py": """\
def batch_iter(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)
"""
            },
            title="a generator imported from a sibling module",
        ),
        Example(
            """\
from tensorflow import keras

score = keras.models.load_model("best.keras").evaluate_generator(  # error: GEN502
    ((x_val[s:s + 32], y_val[s:s + 32]) for s in range(0, len(x_val), 32)),
    steps=len(x_val) // 32,
)
""",
            fixed="""\
from tensorflow import keras

score = keras.models.load_model("best.keras").evaluate(  # error: GEN502
    ((x_val[s:s + 32], y_val[s:s + 32]) for s in range(0, len(x_val), 32)),
    steps=len(x_val) // 32,
    verbose=0,
)
""",
            title="called on `load_model(...)` directly, with a generator expression",
        ),
        Example(
            """\
from tensorflow import keras


def build_model():
    inputs = keras.Input((128,))
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Dense(64, activation="relu")(inputs))
    return keras.Model(inputs, outputs)


model = build_model()
model.load_weights("intent.weights.h5")
intents = model.predict_generator(encoded_batches, steps=10)  # error: GEN502
""",
            fixed="""\
from tensorflow import keras


def build_model():
    inputs = keras.Input((128,))
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Dense(64, activation="relu")(inputs))
    return keras.Model(inputs, outputs)


model = build_model()
model.load_weights("intent.weights.h5")
intents = model.predict(encoded_batches, steps=10, verbose=0)  # error: GEN502
""",
            title="a model returned by a project `build_model()`",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate(batches(x_test, y_test, 64), steps=len(x_test) // 64)
""",
            runs=True,
        ),
        Example(
            """\
def images(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)


probabilities = model.predict(x=images(x_test, 128))
""",
            title="the Keras 3 call: `predict(x=generator)`",
        ),
        Example(
            """\
class Predictor:
    def __init__(self, model, threshold=0.5):
        self.model = model
        self.threshold = threshold

    def predict_generator(self, batches):
        return (self.model.predict(batches) > self.threshold).astype(int)


predictor = Predictor(model)
labels = predictor.predict_generator(test_batches)
""",
            title="a project class that defines its own `predict_generator`",
        ),
        Example(
            """\
class Reporter:
    def evaluate_generator(self, batches):
        results = self.model.evaluate(batches, return_dict=True)
        print(results)
        return results


class ClassifierReporter(Reporter):
    def __init__(self, model):
        self.model = model


ClassifierReporter(model).evaluate_generator(test_batches)
""",
            title="`evaluate_generator` inherited from a project base class",
        ),
        Example(
            """\
import inference

scores = inference.predict_generator(model, test_batches, steps=len(x_test) // 64)
""",
            files={
                "inference.py": """\
def predict_generator(model, batches, steps):
    return model.predict(batches, steps=steps)
"""
            },
            title="a project module's helper function named `predict_generator`",
        ),
        Example(
            """\
import keras


class LegacyModel(keras.Model):
    def evaluate_generator(self, generator, **kwargs):
        # keeps old call sites working after the move to Keras 3
        return self.evaluate(generator, **kwargs)


model = LegacyModel(inputs, outputs)
model.evaluate_generator(test_batches, steps=20)
""",
            title="a `keras.Model` subclass that adds an `evaluate_generator` shim",
        ),
        Example(
            """\
def images(x, batch_size):
    for start in range(0, len(x), batch_size):
        yield (x[start:start + batch_size],)


predict_generator = images(x_test, 64)
predictions = model.predict(predict_generator, steps=len(x_test) // 64)
""",
            title="a variable named `predict_generator` passed to `predict`",
        ),
        Example(
            """\
def evaluate_generator(model, batches, steps):
    return dict(zip(model.metrics_names, model.evaluate(batches, steps=steps)))


metrics = evaluate_generator(model, test_batches, steps=len(x_test) // 64)
""",
            title="a plain function named `evaluate_generator`",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.method in ("evaluate_generator", "predict_generator"):
                line, column, end_column = method_name_span(consumer)
                context.report_at(
                    consumer.node.root().file or model.path,  # a project wrapper's call may live elsewhere
                    line,
                    column,
                    end_line=line,
                    end_column=end_column,
                    receiver=consumer.receiver,
                    method=consumer.method,
                    replacement=consumer.base_method,
                    status=removal_status(consumer.method, context.target),
                    severity=Severity.INFO if context.target == "tf-keras" else None,
                    fix=legacy_call_fix(consumer),
                )
