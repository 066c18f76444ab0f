from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, SourceKind
from genlint.rules.base import Example, KerasSymptom, Rule, RuleContext, Severity, code_text

WORKER_ARGUMENTS = ("workers", "use_multiprocessing", "max_queue_size")
PLAIN_GENERATORS = (SourceKind.GENERATOR_CALL, SourceKind.GENERATOR_EXPRESSION)


class RemovedWorkerArgumentsRule(Rule):
    """
    ## What it does
    With the default target `keras3`, finds `workers=`, `use_multiprocessing=` or `max_queue_size=` passed
    to `fit`, `evaluate` or `predict` (and to the Keras 2 `*_generator` methods, whose replacements do not
    take them). With the target `tf-keras`, finds `workers` > 1 with a plain Python generator, unless
    `use_multiprocessing=True`.

    ## Why is this bad?
    Keras 3 moved these arguments to the `keras.utils.PyDataset` constructor. `fit` and `predict` fail
    before anything runs with `TypeError: JAXTrainer.fit() got an unexpected keyword argument 'workers'`
    (`TensorFlowTrainer.fit()` on TensorFlow), and `evaluate` with `ValueError: Arguments not recognized:
    {'workers': 4}`.

    In tf.keras, `workers` > 1 makes several threads pull from one generator at once. A plain generator
    is not thread-safe: training fails at random with `RuntimeError: Your generator is NOT thread-safe.
    Keras requires a thread-safe generator when `use_multiprocessing=False, workers > 1`.`, and in the runs
    where the race is not hit it trains with no error, so the bug comes and goes.

    ## Fix safety
    No automatic fix yet. Removing the arguments is safe for a generator (Keras 3 reads it on one thread
    anyway). For a `PyDataset`, move them to its constructor, which passes them on through
    `super().__init__(**kwargs)`, to keep the parallel loading.

    ## Known limitations
    With target `tf-keras`, a `workers` count genlint cannot evaluate is left alone.
    """

    code = "GEN206"
    name = "removed-worker-arguments"
    severity = Severity.ERROR
    symptom = KerasSymptom(exception="TypeError", message="unexpected keyword argument 'workers'")
    message = "{arguments} passed to `{call}`: {consequence}; {remedy}"

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2, workers=4)  # error: GEN206
""",
            title="`workers=` from Keras 2 code",
            runs=True,
        ),
        Example(
            """\
def test_batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate(test_batches(x_test, y_test, 64), steps=len(x_test) // 64, max_queue_size=20)  # error: GEN206
""",
            title="`evaluate` raises ValueError: Arguments not recognized",
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


model.fit(
    Batches(x_train, y_train, 32),
    epochs=10,
    workers=4,  # error: GEN206
    use_multiprocessing=True,
)
""",
            title="the arguments belong to the `PyDataset` constructor",
        ),
        Example(
            """\
from tensorflow import keras


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model = keras.models.load_model("model.h5")
model.fit_generator(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    epochs=20,
    max_queue_size=10,  # error: GEN206
    workers=6,
)
""",
            title="`fit_generator`: renaming it to `fit` leaves the worker arguments to remove",
        ),
        Example(
            """\
import numpy as np

images = np.load("test_images.npy").astype("float32") / 255.0
probabilities = model.predict(images, batch_size=256, workers=8, use_multiprocessing=True)  # error: GEN206
np.save("probabilities.npy", probabilities)
""",
            title="`predict` on arrays with Keras 2 worker arguments",
        ),
        Example(
            """\
import numpy as np

WORKERS = 6


class Trainer:
    def __init__(self, model, x, y, batch_size=64):
        self.model, self.x, self.y, self.batch_size = model, x, y, batch_size

    def batches(self):
        while True:
            order = np.random.permutation(len(self.x))
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                yield self.x[rows], self.y[rows]

    def train(self, epochs):
        steps = len(self.x) // self.batch_size
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs, workers=WORKERS)  # error: GEN206
""",
            title="a method passes a module constant",
        ),
        Example(
            """\
FIT_OPTIONS = {"epochs": 12, "verbose": 2}

model.fit(
    train_batches,
    steps_per_epoch=400,
    use_multiprocessing=False,  # error: GEN206
    **FIT_OPTIONS,
)
""",
            title="`use_multiprocessing=False` is refused as well, beside `**options`",
        ),
        Example(
            """\
from data_utils import batch_iter


def train(model, epochs):
    return model.fit(
        batch_iter("train.npz", 32),
        steps_per_epoch=1000,
        epochs=epochs,
        workers=1,  # error: GEN206
        max_queue_size=32,
    )
""",
            files={
                "data_utils.py": """\
import numpy as np


def batch_iter(path, batch_size):
    data = np.load(path)
    while True:
        for start in range(0, len(data["x"]), batch_size):
            yield data["x"][start:start + batch_size], data["y"][start:start + batch_size]
""",
            },
            title="even `workers=1` is an unknown argument in Keras 3",
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


model.fit(Batches(x_train, y_train, 32, workers=2), epochs=2)
""",
            title="Keras 3: the workers go to the `PyDataset` constructor",
            runs=True,
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="a generator is read on one thread, with no worker arguments",
        ),
        Example(
            """\
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE
train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(96)
    .map(lambda x, y: (x * 2.0, y), num_parallel_calls=AUTOTUNE)
    .batch(32)
    .prefetch(AUTOTUNE)
)
model.fit(train_ds, epochs=3)
""",
            title="parallel loading with `tf.data`",
        ),
        Example(
            """\
class GridSearch:
    def __init__(self, candidates):
        self.candidates = candidates

    def fit(self, x, y, workers=1):
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            self.scores = list(pool.map(lambda candidate: candidate.score(x, y), self.candidates))
        return self


search = GridSearch(candidates).fit(x_train, y_train, workers=4)
""",
            title="a project class whose own `fit` takes `workers`",
        ),
        Example(
            """\
from data_utils import HeadlineBatches

train_data = HeadlineBatches(texts, labels, batch_size=64, workers=4, use_multiprocessing=False)
model.fit(train_data, epochs=5)
""",
            files={
                "data_utils.py": """\
import math

import keras
import numpy as np


class HeadlineBatches(keras.utils.PyDataset):
    def __init__(self, texts, labels, batch_size=32, **kwargs):
        super().__init__(**kwargs)
        self.texts, self.labels, self.batch_size = texts, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.texts) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.array(self.texts[rows]), np.array(self.labels[rows])
""",
            },
            title="a sibling module's `PyDataset` built with its worker settings",
        ),
        Example(
            """\
from gensim.models import Word2Vec

embeddings = Word2Vec(sentences, vector_size=64, workers=4, epochs=5)
model.fit(x_train, y_train, epochs=3)
""",
            title="`workers=` of another library's constructor",
        ),
        Example(
            """\
from sklearn.model_selection import train_test_split
from tabular_automl import AutoRegressor

train_frame, test_frame = train_test_split(frame, test_size=0.2)
search = AutoRegressor(time_budget=600)
search.fit(train_frame, target="price", workers=8)
""",
            title="an unknown library's `fit(workers=…)` in a file that imports scikit-learn and no Keras",
        ),
        Example(
            """\
from data_utils import TileBatches

LOADING = {"workers": 4, "use_multiprocessing": False, "max_queue_size": 16}
train_data = TileBatches("tiles/train", batch_size=16, **LOADING)
model.fit(train_data, epochs=20)
""",
            files={
                "data_utils.py": """\
import math

import keras
import numpy as np


class TileBatches(keras.utils.PyDataset):
    def __init__(self, folder, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.tiles = np.load(f"{folder}/tiles.npy", mmap_mode="r")
        self.masks = np.load(f"{folder}/masks.npy", mmap_mode="r")
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.tiles) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.asarray(self.tiles[rows]), np.asarray(self.masks[rows])
""",
            },
            title="the loader settings kept in a dict for the `PyDataset` constructor",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.receiver_doubtful:
                continue  # maybe another library's `fit`, with its own `workers`
            if context.target == "tf-keras":
                self._check_threads(context, consumer)
            else:
                self._check_removed(context, consumer)

    def _check_removed(self, context: RuleContext, consumer: Consumer) -> None:
        """Keras 3: one finding per call, at its first worker argument, naming all of them."""
        passed = sorted(
            (consumer.arguments[name] for name in WORKER_ARGUMENTS if name in consumer.arguments),
            key=lambda argument: (argument.node.lineno or 0, argument.node.col_offset or 0),
        )
        if not passed:
            return
        names = [argument.name for argument in passed]
        if consumer.is_legacy:
            consequence = (
                f"`{consumer.method}` is gone in Keras 3 (GEN501), and `{consumer.base_method}`, which replaces it, "
                f"raises TypeError: {consumer.base_method}() got an unexpected keyword argument '{names[0]}'"
            )
        elif consumer.method == "evaluate":
            consequence = f"Keras 3 raises ValueError: Arguments not recognized: {{'{names[0]}': …}}"
        else:
            consequence = (
                f"Keras 3 raises TypeError: {consumer.method}() got an unexpected keyword argument '{names[0]}'"
            )
        context.report(
            passed[0].node,
            arguments=" and ".join(f"`{argument.name}={code_text(argument.node, 20)}`" for argument in passed)
            + (" are" if len(passed) > 1 else " is"),
            call=consumer.method,
            consequence=consequence,
            remedy=_removal_fix(consumer.data, "them" if len(passed) > 1 else "it"),
        )

    def _check_threads(self, context: RuleContext, consumer: Consumer) -> None:
        """tf.keras: `workers` > 1 threads race on one plain generator."""
        workers = consumer.value("workers")
        if workers is None or not isinstance(workers.number, int) or workers.number <= 1:
            return
        if consumer.flags.get("use_multiprocessing", False):
            return  # processes each get a copy of the generator: no race (duplicated data was not measured)
        sources = [source for _, source in consumer.fed_sources() if source.kind in PLAIN_GENERATORS]
        if not sources:
            return
        argument = consumer.arguments["workers"]
        context.report(
            argument.node,
            severity=Severity.WARNING,
            arguments=f"`workers={code_text(argument.node, 20)}` ({workers.number} threads) with the plain generator "
            f"`{code_text(sources[0].node, 40)}` is",
            call=consumer.method,
            consequence=(
                "the threads pull from one generator at once, and tf.keras fails at random with RuntimeError: "
                "Your generator is NOT thread-safe (or trains without error when the race is not hit)"
            ),
            remedy="use `workers=1`, or a `keras.utils.Sequence`, which is safe to read from several threads",
        )


def _removal_fix(source: DataSource | None, them: str) -> str:
    if source is not None and source.kind is SourceKind.SEQUENCE and source.sequence is not None:
        return (
            f"pass {them} to `{source.sequence.name}(…)` instead, whose `super().__init__(**kwargs)` hands "
            f"{them} to PyDataset"
        )
    return f"remove {them} (for parallel loading, a `keras.utils.PyDataset` takes {them} in its constructor)"
