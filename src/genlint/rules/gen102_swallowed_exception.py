from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity
from genlint.rules.messages import call_text, code_text, site


class SwallowedExceptionRule(Rule):
    """
    ## What it does
    Finds an `except` clause inside a generator that feeds Keras whose body does nothing but `pass`,
    `continue` or `...`: a bare `except:`, `except Exception:`, or a specific type such as
    `except FileNotFoundError:`.

    ## Why is this bad?
    The sample that failed to load just disappears. Batches come out shorter than the batch size, and when
    the inputs were appended before the failure but the targets were not, `x` and `y` of one batch have
    different lengths: Keras 3 stops mid-epoch with `TypeError: sub got incompatible shapes for
    broadcasting: (7, 1), (8, 1)` (JAX) or `InvalidArgumentError: Incompatible shapes` (TensorFlow), long
    after the real cause was hidden. When the shapes happen to line up, the model trains on fewer, skewed
    samples and nobody is told.

    ## Known limitations
    Handlers in helper functions that the generator calls are not followed. A `try` that only writes into
    existing slots (`X[i, t] = vectors[word]` in a preallocated batch) loses no sample when it fails, with
    `pass` or `continue`: the slot keeps its default, and it is left alone.
    """

    code = "GEN102"
    name = "swallowed-exception"
    severity = Severity.WARNING
    message = (
        "`{handler}` in `{name}` ({where}) silently drops the failing sample while feeding `{call}` "
        "({call_site}): {consequence}"
    )

    invalid = (
        Example(
            """\
import numpy as np


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images = []
            for path in paths[start:start + batch_size]:
                try:
                    images.append(np.load(path))
                except FileNotFoundError:  # error: GEN102
                    pass
            yield np.array(images), labels[start:start + batch_size]


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
            title="a missing file drops an image but keeps its label",
        ),
        Example(
            """\
import json

import numpy as np


def batches(records, batch_size):
    while True:
        features, targets = [], []
        for line in records:
            try:
                row = json.loads(line)
                features.append(np.asarray(row["features"], dtype="float32"))
                targets.append(float(row["target"]))
            except:  # error: GEN102
                pass
            if len(features) == batch_size:
                yield np.stack(features), np.array(targets)
                features, targets = [], []


model.fit(batches(open("train.jsonl").readlines(), 64), steps_per_epoch=500, epochs=10)
""",
            title="a bare `except: pass` after the features were appended but not the target",
        ),
        Example(
            """\
import cv2
import numpy as np


def augmented_batches(images, masks, batch_size):
    while True:
        for start in range(0, len(images), batch_size):
            batch_x, batch_y = [], []
            for image, mask in zip(images[start:start + batch_size], masks[start:start + batch_size]):
                batch_y.append(mask)
                try:
                    batch_x.append(cv2.resize(image, (224, 224)))
                except Exception:  # error: GEN102
                    continue
            yield np.stack(batch_x), np.stack(batch_y)


model.fit(x=augmented_batches(train_images, train_masks, 16), steps_per_epoch=200, epochs=40)
""",
            title="`except Exception: continue`, data passed as `x=`",
        ),
        Example(
            """\
from functools import partial

import numpy as np
from PIL import Image


def decode_batches(paths, labels, batch_size, size):
    while True:
        for start in range(0, len(paths), batch_size):
            pixels = []
            for path in paths[start:start + batch_size]:
                try:
                    pixels.append(np.asarray(Image.open(path).resize(size)))
                except (OSError, ValueError):  # error: GEN102
                    ...
            yield np.stack(pixels) / 255.0, labels[start:start + batch_size]


train_batches = partial(decode_batches, batch_size=32, size=(128, 128))
model.fit(train_batches(train_paths, train_labels), steps_per_epoch=300, epochs=8)
""",
            title="a tuple of exception types and an `...` body, through `functools.partial`",
        ),
        Example(
            """\
from data_utils import sample_batches

model.fit(
    sample_batches(train_files, 32),
    steps_per_epoch=len(train_files) // 32,
    validation_data=sample_batches(val_files, 32),
    validation_steps=len(val_files) // 32,
    epochs=20,
)
""",
            files={
                "data_utils.py": """\
import numpy as np


def sample_batches(files, batch_size):
    while True:
        for start in range(0, len(files), batch_size):
            xs, ys = [], []
            for name in files[start:start + batch_size]:
                try:
                    with np.load(name) as archive:
                        xs.append(archive["x"])
                        ys.append(archive["y"])
                except KeyError:  # error: GEN102
                    pass
            yield np.stack(xs), np.stack(ys)
""",
            },
            title="a generator imported from a sibling module (reported where it is defined)",
        ),
        Example(
            """\
import numpy as np


class SpectrogramTrainer:
    def __init__(self, model, clips, labels):
        self.model = model
        self.clips = clips
        self.labels = labels

    def batches(self, batch_size):
        while True:
            for start in range(0, len(self.clips), batch_size):
                spectrograms = []
                for clip in self.clips[start:start + batch_size]:
                    try:
                        spectrograms.append(np.abs(np.fft.rfft(np.load(clip))))
                    except OSError:  # error: GEN102
                        pass
                yield np.stack(spectrograms), self.labels[start:start + batch_size]

    def train(self, epochs=10):
        self.model.fit(self.batches(32), steps_per_epoch=len(self.clips) // 32, epochs=epochs)
""",
            title="a generator method used through `self.`",
        ),
        Example(
            """\
import numpy as np


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images, targets = [], []
            for path, label in zip(paths[start:start + batch_size], labels[start:start + batch_size]):
                try:
                    image = np.load(path)
                except FileNotFoundError:  # error: GEN102
                    continue
                try:
                    targets.append(LABEL_IDS[label])
                except KeyError:  # error: GEN102
                    continue
                images.append(image)
            yield np.stack(images), np.array(targets)


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
            title="two swallowing handlers in one generator",
        ),
        Example(
            """\
import numpy as np


def train(model, x_train, y_train, val_paths, val_labels):
    def val_batches():
        while True:
            for start in range(0, len(val_paths), 32):
                images = []
                for path in val_paths[start:start + 32]:
                    try:
                        images.append(np.load(path))
                    except OSError:  # error: GEN102
                        pass
                yield np.stack(images), val_labels[start:start + 32]

    return model.fit(
        x_train,
        y_train,
        epochs=10,
        validation_data=val_batches(),
        validation_steps=len(val_paths) // 32,
    )
""",
            title="a nested validation generator next to array training data",
        ),
        Example(
            """\
import numpy as np


def test_images(paths, batch_size):
    for start in range(0, len(paths), batch_size):
        images = []
        for path in paths[start:start + batch_size]:
            try:
                images.append(np.load(path))
            except ValueError:  # error: GEN102
                pass
        yield (np.stack(images),)


predictions = model.predict(test_images(test_paths, 64))
submission = dict(zip(test_paths, predictions.argmax(axis=1)))
""",
            title="`predict` on a generator that drops images: predictions no longer line up with the paths",
        ),
        Example(
            """\
import numpy as np


def batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            try:
                images = np.stack([np.load(path) for path in paths[start:start + batch_size]])
            except OSError:  # error: GEN102
                continue
            yield images, labels[start:start + batch_size]


model.fit(batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
            title="a whole batch skipped with `continue`",
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
        images = []
        for path in self.paths[rows]:
            try:
                images.append(np.load(path))
            except FileNotFoundError:  # error: GEN102
                pass
        return np.stack(images), self.labels[rows]


model.fit(ImageBatches(train_paths, train_labels, 32), epochs=10)
""",
            title="`__getitem__` of a `PyDataset`",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images, targets = [], []
            for path, label in zip(paths[start:start + batch_size], labels[start:start + batch_size]):
                try:
                    images.append(np.load(path))
                except FileNotFoundError:
                    print(f"skipping missing {path}")
                    continue
                targets.append(label)
            yield np.array(images), np.array(targets)


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
        ),
        Example(
            """\
import numpy as np


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images = []
            for path in paths[start:start + batch_size]:
                try:
                    images.append(np.load(path))
                except ValueError as error:
                    raise ValueError(f"corrupt sample {path}") from error
            yield np.stack(images), labels[start:start + batch_size]


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
            title="the handler re-raises with the failing path",
        ),
        Example(
            """\
import numpy as np

IMAGE_SHAPE = (224, 224, 3)


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images = []
            for path in paths[start:start + batch_size]:
                try:
                    image = np.load(path)
                except FileNotFoundError:
                    image = np.zeros(IMAGE_SHAPE, dtype="float32")
                images.append(image)
            yield np.stack(images), labels[start:start + batch_size]


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
            title="the handler substitutes a blank image, so x and y stay aligned",
        ),
        Example(
            """\
import numpy as np


def readable(paths):
    for path in paths:
        try:
            with open(path, "rb") as handle:
                handle.read(16)
        except OSError:
            pass
        else:
            yield path


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            rows = slice(start, start + batch_size)
            yield np.stack([np.load(path) for path in paths[rows]]), labels[rows]


good = list(readable(paths))
model.fit(load_batches(good, [labels[p] for p in good], 32), steps_per_epoch=len(good) // 32, epochs=5)
""",
            title="a swallowing generator that only filters the file list, never fed to Keras",
        ),
        Example(
            """\
import json

import keras


class MetricsLogger(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        try:
            with open("metrics.jsonl", "a") as handle:
                handle.write(json.dumps({"epoch": epoch, **(logs or {})}) + "\\n")
        except OSError:
            pass  # logging must never stop training


try:
    import wandb
except ImportError:
    pass

model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10, callbacks=[MetricsLogger()])
""",
            title="`except ...: pass` outside any data source: a callback and an optional import",
        ),
        Example(
            """\
import numpy as np


def batches(dataset, batch_size):
    iterator = iter(dataset)
    while True:
        try:
            rows = [next(iterator) for _ in range(batch_size)]
        except StopIteration:
            iterator = iter(dataset)
            continue
        yield np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])


model.fit(batches(samples, 32), steps_per_epoch=len(samples) // 32, epochs=10)
""",
            title="`except StopIteration` that restarts the pass",
        ),
        Example(
            """\
import h5py
import numpy as np


def h5_batches(path, batch_size):
    while True:
        handle = h5py.File(path, "r")
        try:
            for start in range(0, len(handle["x"]), batch_size):
                yield handle["x"][start:start + batch_size], handle["y"][start:start + batch_size]
        finally:
            handle.close()


model.fit(h5_batches("train.h5", 64), steps_per_epoch=1000, epochs=10)
""",
            title="`try ... finally` without an `except`",
        ),
        Example(
            """\
import math

import keras
import numpy as np


class ImageBatches(keras.utils.PyDataset):
    def __init__(self, paths, labels, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.paths, self.labels, self.batch_size = [], [], batch_size
        for path, label in zip(paths, labels):
            try:
                np.load(path, mmap_mode="r")
            except (OSError, ValueError):
                pass  # unreadable: the path and its label are dropped together
            else:
                self.paths.append(path)
                self.labels.append(label)

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return np.stack([np.load(path) for path in self.paths[rows]]), np.array(self.labels[rows])


model.fit(ImageBatches(train_paths, train_labels, 32), epochs=10)
""",
            title="a `PyDataset` that drops unreadable files once, in `__init__`, with their labels",
        ),
        Example(
            """\
class Vocabulary:
    def __init__(self):
        self.counts = {}

    def fit(self, lines):
        for line in lines:
            for token in line.split():
                self.counts[token] = self.counts.get(token, 0) + 1
        return self


def decoded_lines(paths):
    for path in paths:
        with open(path, "rb") as handle:
            for raw in handle:
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    pass


vocabulary = Vocabulary().fit(decoded_lines(corpus_paths))
""",
            title="a project class with its own `fit` is not Keras",
        ),
        Example(
            """\
import numpy as np


def sentence_batches(sentences, labels, vectors, max_words, batch_size):
    while True:
        for start in range(0, len(sentences), batch_size):
            rows = sentences[start:start + batch_size]
            batch = np.zeros((len(rows), max_words, 300), dtype="float32")
            for i, sentence in enumerate(rows):
                t = 0
                for word in sentence.split()[:max_words]:
                    try:
                        batch[i, t] = vectors[word]
                    except KeyError:
                        continue  # an unknown word: skipped, its row stays aligned with its label
                    t += 1
            yield batch, labels[start:start + batch_size]


model.fit(sentence_batches(texts, y_train, word_vectors, 100, 32), steps_per_epoch=len(texts) // 32, epochs=5)
""",
            title="an unknown word skipped with `continue` while filling a preallocated batch",
        ),
        Example(
            """\
import math
import os

import numpy as np


def cached_batches(paths, labels, batch_size, cache_dir):
    while True:
        for start in range(0, len(paths), batch_size):
            try:
                os.makedirs(cache_dir)
            except OSError:
                pass  # the folder is there already: the batch below is built all the same
            rows = slice(start, start + batch_size)
            yield np.stack([np.load(path) for path in paths[rows]]), labels[rows]


model.fit(cached_batches(paths, labels, 32, "cache"), steps_per_epoch=math.ceil(len(paths) / 32), epochs=5)
""",
            title="a `try` that only makes a folder, with `pass`: no sample depends on it",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for _role, source in consumer.fed_sources():
                if source.generator is not None:
                    name, path = source.generator.name, source.generator.path
                    handlers = source.generator.swallowed_handlers
                elif source.sequence is not None:
                    name, path = f"{source.sequence.name}.__getitem__", source.sequence.path
                    handlers = source.sequence.swallowed_handlers
                else:
                    continue
                if consumer.base_method == "predict":
                    consequence = "fewer predictions come back, and they no longer line up with the inputs"
                else:
                    consequence = (
                        "batches come out short or missing, and when x was kept but y was not, x and y of one "
                        "batch differ in length ('incompatible shapes')"
                    )
                for handler in handlers:
                    caught = code_text(handler.type, 40) if handler.type is not None else ""
                    body = code_text(handler.body[0], 20) if handler.body else "pass"
                    context.report(
                        handler,
                        handler=f"except{' ' + caught if caught else ''}: {body}",
                        name=name,
                        where=site(handler, model.path),
                        call=call_text(consumer),
                        call_site=site(consumer.node, path),
                        consequence=consequence,
                    )
