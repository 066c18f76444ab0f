from __future__ import annotations

import re

from astroid import nodes

from genlint.analysis.model import Argument, Consumer, DataSource, FileModel, SourceKind
from genlint.rules.base import Edit, Example, Fix, FixSafety, KerasSymptom, Rule, RuleContext, Severity
from genlint.rules.messages import code_text, file_lines, node_span

WORKER_ARGUMENTS = ("workers", "use_multiprocessing", "max_queue_size")
PLAIN_GENERATORS = (SourceKind.GENERATOR_CALL, SourceKind.GENERATOR_EXPRESSION)
PYDATASET_BASES = frozenset({"PyDataset", "Sequence"})
# What may follow an argument on its line when the argument is alone there: a comma, a comment.
LINE_TAIL = re.compile(r"\s*(?P<comma>,)?\s*(#.*)?")


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
    Unsafe: `--fix --unsafe-fixes` removes the worker arguments from the call, all at once, with their
    commas (the rest of the call stays as written). When `x` is a project `PyDataset` whose `__init__`
    hands `**kwargs` to `super().__init__`, built in the call itself or earlier in the same scope by a call
    that passes no worker argument yet, the fix moves them into that constructor call instead, so the
    parallel loading is kept. It is unsafe because it changes how the data is loaded: with the arguments
    removed, a `PyDataset` is read by one worker (slower, never wrong), and moved ones also apply wherever
    else that object is used. A worker argument passed by position has no fix. With target `tf-keras`
    there is no fix: choosing between `workers=1` and a thread-safe `Sequence` is the user's call.

    ## Known limitations
    With target `tf-keras`, a `workers` count genlint cannot evaluate is left alone.
    """

    code = "GEN206"
    name = "removed-worker-arguments"
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
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
            fixed="""\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=3, epochs=2)  # error: GEN206
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
            fixed="""\
def test_batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate(test_batches(x_test, y_test, 64), steps=len(x_test) // 64)  # error: GEN206
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
            fixed="""\
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
    Batches(x_train, y_train, 32, workers=4, use_multiprocessing=True),
    epochs=10,
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
            fixed="""\
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
            fixed="""\
import numpy as np

images = np.load("test_images.npy").astype("float32") / 255.0
probabilities = model.predict(images, batch_size=256)  # error: GEN206
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
            fixed="""\
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
        self.model.fit(self.batches(), steps_per_epoch=steps, epochs=epochs)  # error: GEN206
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
            fixed="""\
FIT_OPTIONS = {"epochs": 12, "verbose": 2}

model.fit(
    train_batches,
    steps_per_epoch=400,
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
            fixed="""\
from data_utils import batch_iter


def train(model, epochs):
    return model.fit(
        batch_iter("train.npz", 32),
        steps_per_epoch=1000,
        epochs=epochs,
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
        Example(
            """\
import math

import keras
import numpy as np


class ImageBatches(keras.utils.PyDataset):
    def __init__(self, paths, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        images = np.stack([np.load(path) for path in self.paths[rows]])
        return images, np.asarray(self.labels[rows])


LOADER_WORKERS = 8
train_data = ImageBatches(
    train_paths,
    train_labels,
    batch_size=64,
)
model.fit(train_data, epochs=15, workers=LOADER_WORKERS, max_queue_size=32)  # error: GEN206
""",
            fixed="""\
import math

import keras
import numpy as np


class ImageBatches(keras.utils.PyDataset):
    def __init__(self, paths, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.paths, self.labels, self.batch_size = paths, labels, batch_size

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        images = np.stack([np.load(path) for path in self.paths[rows]])
        return images, np.asarray(self.labels[rows])


LOADER_WORKERS = 8
train_data = ImageBatches(
    train_paths,
    train_labels,
    batch_size=64,
    workers=LOADER_WORKERS,
    max_queue_size=32,
)
model.fit(train_data, epochs=15)  # error: GEN206
""",
            title="the `PyDataset` is built a few lines before `fit`",
        ),
        Example(
            """\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=10, use_multiprocessing=True, workers=4)  # error: GEN206
""",
            fixed="""\
import math

import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[rows], self.y[rows]


model.fit(Batches(x_train, y_train, 32), epochs=10)  # error: GEN206
""",
            title="a `PyDataset` whose `__init__` takes no `**kwargs`: the arguments can only go",
        ),
        Example(
            """\
from inpainter import Inpainter
from masks import masked_batches

net = Inpainter()
net.fit(masked_batches(x_train), steps_per_epoch=100, epochs=10, workers=4)  # error: GEN206
""",
            fixed="""\
from inpainter import Inpainter
from masks import masked_batches

net = Inpainter()
net.fit(masked_batches(x_train), steps_per_epoch=100, epochs=10, workers=4)  # error: GEN206
""",
            files={
                "inpainter.py": """\
import keras


class Inpainter:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
        self.model.compile(optimizer="adam", loss="mse")

    def fit(self, generator, *args, **kwargs):
        return self.model.fit(generator, *args, **kwargs)
""",
                "masks.py": """\
def masked_batches(x):
    while True:
        for start in range(0, len(x), 32):
            yield x[start:start + 32] * 0.5, x[start:start + 32]
""",
            },
            title="a project class whose `fit` hands its `**kwargs` on to Keras (no fix: the wrapper may use them)",
        ),
        Example(
            """\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


fit_args = dict(
    epochs=10,
    workers=4,  # error: GEN206
    verbose=2,
)
model.fit(batches(x_train, y_train), steps_per_epoch=100, **fit_args)
""",
            fixed="""\
def batches(x, y, batch_size=32):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


fit_args = dict(
    epochs=10,
    workers=4,  # error: GEN206
    verbose=2,
)
model.fit(batches(x_train, y_train), steps_per_epoch=100, **fit_args)
""",
            title="worker arguments in a dict unpacked into `fit` (no fix: they are not in the call)",
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
        Example(
            """\
from inpainter import Inpainter
from masks import masked_batches

Inpainter().fit(masked_batches(x_train), steps_per_epoch=100, epochs=10, workers=4)
""",
            files={
                "inpainter.py": """\
import keras


class Inpainter:
    def __init__(self):
        self.model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
        self.model.compile(optimizer="adam", loss="mse")

    def fit(self, generator, **kwargs):
        self.workers = kwargs.pop("workers", 1)
        return self.model.fit(generator, **kwargs)
""",
                "masks.py": """\
def masked_batches(x):
    while True:
        for start in range(0, len(x), 32):
            yield x[start:start + 32] * 0.5, x[start:start + 32]
""",
            },
            title="a project class whose `fit` takes `workers` out of its `**kwargs` before calling Keras",
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
            removal = "GEN501" if consumer.method == "fit_generator" else "GEN502"
            error = (  # Keras 3's `evaluate` takes `**kwargs` and rejects them itself
                f"ValueError: Arguments not recognized: {{'{names[0]}': …}}"
                if consumer.base_method == "evaluate"
                else f"TypeError: {consumer.base_method}() got an unexpected keyword argument '{names[0]}'"
            )
            consequence = (
                f"`{consumer.method}` is gone in Keras 3 ({removal}), and `{consumer.base_method}`, which replaces "
                f"it, raises {error}"
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
            fix=_worker_fix(consumer, passed),
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
        if not _forwards_kwargs(source.sequence.node):
            return (
                f"remove {them}, or pass {them} to `{source.sequence.name}(…)` once its `__init__` takes `**kwargs` "
                "and hands them to `super().__init__`"
            )
        return (
            f"pass {them} to `{source.sequence.name}(…)` instead, whose `super().__init__(**kwargs)` hands "
            f"{them} to PyDataset"
        )
    return f"remove {them} (for parallel loading, a `keras.utils.PyDataset` takes {them} in its constructor)"


def _worker_fix(consumer: Consumer, passed: list[Argument]) -> Fix | None:
    """Remove the worker arguments from the call, all together; and when `x` is a project PyDataset built in
    the same scope, whose `__init__` hands `**kwargs` to `super().__init__`, add them to its constructor call."""
    call = consumer.node
    keywords = [argument.node.parent for argument in passed]
    if not all(isinstance(keyword, nodes.Keyword) and keyword.parent is call for keyword in keywords):
        return None  # passed by position
    lines = file_lines(call)
    removal = _removal_edits(call, keywords, lines)
    if removal is None:
        return None
    names = " and ".join(f"`{keyword.arg}=`" for keyword in keywords)
    construction = _pydataset_construction(consumer, keywords)
    if construction is not None:
        addition = _addition_edits(construction, keywords, lines)
        if addition is not None:
            return Fix(f"move {names} to `{code_text(construction.func, 40)}(…)`", (*removal, *addition))
    return Fix(f"remove {names}", tuple(removal))


def _removal_edits(call: nodes.Call, removed: list[nodes.Keyword], lines: tuple[str, ...]) -> list[Edit] | None:
    """Edits that remove `removed` from `call` with their commas, one per run of neighbouring arguments, and
    leave the rest as written; None when nothing would remain."""
    written = _written_arguments(call)
    indices = sorted(written.index(keyword) for keyword in removed)
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    if len(indices) == len(written):
        return None
    edits = []
    for run in runs:
        line, column, _, _ = node_span(written[run[0]])
        _, _, end_line, end_column = node_span(written[run[-1]])
        before, after = _text(lines, line)[: column - 1], _text(lines, end_line)[end_column - 1 :]
        if not before.strip() and LINE_TAIL.fullmatch(after) and end_line < len(lines):
            edits.append(Edit(line, 1, end_line + 1, 1, ""))  # on lines of their own: drop the lines
        elif run[-1] + 1 < len(written):  # `workers=4, next` → `next`
            next_line, next_column, _, _ = node_span(written[run[-1] + 1])
            edits.append(Edit(line, column, next_line, next_column, ""))
        else:  # `previous, workers=4` → `previous` (a trailing comma stays)
            _, _, previous_line, previous_column = node_span(written[run[0] - 1])
            edits.append(Edit(previous_line, previous_column, end_line, end_column, ""))
    return edits


def _pydataset_construction(consumer: Consumer, keywords: list[nodes.Keyword]) -> nodes.Call | None:
    """The call that builds `x`, when the worker arguments can move there: a project PyDataset that forwards
    `**kwargs` to `super().__init__`, built in the call itself or earlier in the same scope by a call that
    passes none of them yet, with values that mean the same there."""
    source = consumer.data
    if source is None or source.kind is not SourceKind.SEQUENCE or source.sequence is None:
        return None
    if source.sequence.pydataset is False or not _forwards_kwargs(source.sequence.node):
        return None
    call = consumer.node
    construction = next((node for node in (source.node, source.origin) if isinstance(node, nodes.Call)), None)
    if construction is None or construction.root() is not call.root() or construction.scope() is not call.scope():
        return None
    passed = {keyword.arg for keyword in construction.keywords or []}
    if None in passed or passed & set(WORKER_ARGUMENTS):
        return None
    if any(node is call for node in construction.node_ancestors()):
        return construction  # built in the call itself
    if (construction.lineno or 0) >= (call.lineno or 0):
        return None
    return construction if all(_same_value_at(keyword.value, construction) for keyword in keywords) else None


def _forwards_kwargs(classdef: nodes.ClassDef) -> bool:
    """`class D(PyDataset)` whose `__init__(…, **kwargs)` calls `super().__init__(…, **kwargs)` and takes no
    worker argument of its own."""
    if not classdef.bases or not all(_last_name(base) in PYDATASET_BASES for base in classdef.bases):
        return False
    methods = [node for node in classdef.body if isinstance(node, nodes.FunctionDef)]
    init = next((method for method in methods if method.name == "__init__"), None)
    if init is None or init.args.kwarg is None or set(init.argnames()) & set(WORKER_ARGUMENTS):
        return False
    for super_call in init.nodes_of_class(nodes.Call):
        func = super_call.func
        if (
            isinstance(func, nodes.Attribute)
            and func.attrname == "__init__"
            and isinstance(func.expr, nodes.Call)
            and _last_name(func.expr.func) == "super"
        ):
            return any(
                keyword.arg is None and isinstance(keyword.value, nodes.Name) and keyword.value.name == init.args.kwarg
                for keyword in super_call.keywords or []
            )
    return False


def _same_value_at(value: nodes.NodeNG, construction: nodes.Call) -> bool:
    """A constant, or a name bound only before `construction` (so that moving it there changes nothing)."""
    if isinstance(value, nodes.Const):
        return True
    if not isinstance(value, nodes.Name):
        return False
    _, assignments = value.lookup(value.name)
    return bool(assignments) and all((node.lineno or 0) < (construction.lineno or 0) for node in assignments)


def _addition_edits(
    construction: nodes.Call, keywords: list[nodes.Keyword], lines: tuple[str, ...]
) -> list[Edit] | None:
    """Edits that append the keyword arguments, as written, to `construction`: one per line when its arguments
    stand on lines of their own, else after its last argument."""
    texts = []
    for keyword in keywords:
        line, column, end_line, end_column = node_span(keyword)
        if end_line != line:
            return None
        texts.append(_text(lines, line)[column - 1 : end_column - 1])
    written = _written_arguments(construction)
    _, _, close_line, close_column = node_span(construction)
    if not written:
        return [Edit(close_line, close_column - 1, close_line, close_column - 1, ", ".join(texts))]
    line, column, end_line, end_column = node_span(written[-1])
    indentation, tail = _text(lines, line)[: column - 1], LINE_TAIL.fullmatch(_text(lines, end_line)[end_column - 1 :])
    if end_line == close_line or indentation.strip() or tail is None or end_line >= len(lines):
        return [Edit(end_line, end_column, end_line, end_column, "".join(f", {text}" for text in texts))]
    trailing_comma = tail.group("comma") is not None
    ending = lines[end_line - 1][len(_text(lines, end_line)) :] or "\n"
    added = [f"{indentation}{text}," for text in texts]
    if not trailing_comma:
        added[-1] = added[-1].removesuffix(",")
    edits = [] if trailing_comma else [Edit(end_line, end_column, end_line, end_column, ",")]
    return [*edits, Edit(end_line + 1, 1, end_line + 1, 1, "".join(text + ending for text in added))]


def _last_name(node: nodes.NodeNG) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    return node.attrname if isinstance(node, nodes.Attribute) else ""


def _text(lines: tuple[str, ...], number: int) -> str:
    return lines[number - 1].rstrip("\r\n") if 1 <= number <= len(lines) else ""


def _written_arguments(call: nodes.Call) -> list[nodes.NodeNG]:
    """A call's arguments in the order they are written (`*args` and `**kwargs` included)."""
    return sorted([*call.args, *(call.keywords or [])], key=lambda node: (node.lineno or 0, node.col_offset or 0))
