"""The training-heavy benchmark corpus: Keras training scripts built from templates, deterministically.

Every file is produced from a seed, so two runs (and two machines) lint the same corpus. The corpus is built
in blocks of 200 files, and a unit (a script, or a small project of two or three files) never straddles a
block, so the first 200 files of the 2,000-file corpus are exactly the 200-file corpus: the scaling ratio
compares like with like.

Template families (a unit is one of them):

- `endless`: a `while True` batch generator fed to `fit` / `evaluate` / `predict`;
- `finite`: a generator that runs out, fed where that is right (one epoch, a fresh one per epoch,
  `from_generator` with a callable) or where it is not;
- `sequence`: a `keras.utils.Sequence` / `keras.utils.PyDataset` subclass;
- `tfdata`: `tf.data` pipelines (`from_tensor_slices`, TFRecords, `from_generator`);
- `project`: a folder with a data module and one or two scripts that import it.

About half of the units are correct code; the others carry one or two of the bugs genlint finds (the codes
are recorded in the manifest, per unit). Names, data sources, model builders, helper functions and the shape
of the script (a `main()`, top-level code, `argparse`, a trainer class) vary from unit to unit.
"""

from __future__ import annotations

import json
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 200
DEFAULT_SEED = 20240611

DOMAINS = [
    "image", "photo", "scan", "frame", "tile", "patch", "spectrogram", "signal", "sensor", "waveform", "audio",
    "token", "text", "review", "feature", "tabular", "record", "sequence", "series", "voxel", "slide", "xray",
    "satellite", "clip", "event", "sample", "molecule", "trajectory", "pose", "glyph",
]  # fmt: skip
GEN_SUFFIXES = [
    "batches", "batch_stream", "feed", "stream", "loader", "flow", "batch_iter", "batch_gen", "generator",
    "pipeline", "supply", "source",
]  # fmt: skip
GEN_PREFIXES = ["", "", "make_", "iter_", "generate_", "yield_", "endless_", "train_", "get_"]
DATA_PAIRS = [
    ("x_train", "y_train", "x_val", "y_val"),
    ("train_x", "train_y", "val_x", "val_y"),
    ("features", "targets", "val_features", "val_targets"),
    ("inputs", "labels", "val_inputs", "val_labels"),
    ("images", "classes", "val_images", "val_classes"),
    ("X_train", "Y_train", "X_valid", "Y_valid"),
    ("train_data", "train_labels", "valid_data", "valid_labels"),
    ("xs", "ys", "xs_val", "ys_val"),
    ("train_features", "train_targets", "test_features", "test_targets"),
]
BATCH_NAMES = ["BATCH_SIZE", "BATCH", "BS", "batch_size", "MINIBATCH"]
EPOCH_NAMES = ["EPOCHS", "NUM_EPOCHS", "N_EPOCHS", "epochs"]
MODEL_VARS = ["model", "net", "classifier", "regressor", "network", "clf", "keras_model"]
MODEL_FNS = ["build_model", "make_model", "create_model", "get_model", "build_network", "make_net", "model_fn"]
CLASS_STEMS = ["Batches", "Loader", "Dataset", "Feeder", "Sequence", "Provider", "Stream", "Generator"]
PROJECT_STEMS = [
    "classifier", "segmenter", "forecaster", "tagger", "denoiser", "ranker", "detector", "encoder", "recommender",
    "estimator", "captioner", "matcher",
]  # fmt: skip
DATA_MODULES = ["data", "data_utils", "datasets", "pipeline", "loaders", "inputs", "batching", "io_utils", "feeds"]
TEAMS = ["vision", "speech", "nlp", "tabular", "research", "prod", "lab", "sandbox", "legacy", "exp", "ml", "infra"]


def _indent(text: str, spaces: int) -> str:
    return textwrap.indent(text, " " * spaces)


@dataclass
class Names:
    """The identifiers one unit uses."""

    domain: str
    gen: str
    val_gen: str
    x: str
    y: str
    xv: str
    yv: str
    bs_const: str
    bs_value: int
    epochs_const: str
    epochs_value: int
    model: str
    model_fn: str
    cls: str
    keras: str  # how the keras namespace is spelled: "keras" or "tf.keras"
    layers: str  # how layers are spelled: "layers" or "keras.layers" or "tf.keras.layers"
    style: str  # main | toplevel | argparse | trainer
    bs: str = ""  # the batch size expression inside the training code
    epochs: str = ""


@dataclass
class Script:
    """One Python file being assembled: imports, constants, blocks of code."""

    doc: str
    imports: set[str] = field(default_factory=set)
    from_imports: list[str] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    def render(self) -> str:
        plain = sorted(line for line in self.imports if line.startswith("import "))
        froms = sorted(line for line in self.imports if line.startswith("from "))
        parts = [f'"""{self.doc}"""\n']
        head = "\n".join(plain + froms + self.from_imports)
        if head:
            parts.append(head + "\n")
        if self.constants:
            parts.append("\n".join(self.constants) + "\n")
        text = "\n".join(parts)
        for block in self.blocks:
            text += "\n\n" + block.strip("\n") + "\n"
        return text


@dataclass
class Unit:
    family: str
    files: dict[str, str]
    planted: list[str]


class Builder:
    """Turns random choices into the source of one unit."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.also_planted: list[str] = []  # codes a unit carries besides the one it was built with

    # ---- names and common pieces -------------------------------------------------------------------------

    def names(self) -> Names:
        r = self.r
        domain = r.choice(DOMAINS)
        suffix = r.choice(GEN_SUFFIXES)
        gen = f"{r.choice(GEN_PREFIXES)}{domain}_{suffix}"
        x, y, xv, yv = r.choice(DATA_PAIRS)
        keras_style = r.choice(["keras", "keras", "tf_keras_from", "tf"])
        if keras_style == "keras":
            keras, layers = "keras", "layers"
        elif keras_style == "tf_keras_from":
            keras, layers = "keras", "keras.layers"
        else:
            keras, layers = "tf.keras", "tf.keras.layers"
        names = Names(
            domain=domain,
            gen=gen,
            val_gen=f"{domain}_{r.choice(['val', 'eval', 'holdout'])}_{suffix}",
            x=x,
            y=y,
            xv=xv,
            yv=yv,
            bs_const=r.choice(BATCH_NAMES),
            bs_value=r.choice([8, 16, 32, 32, 64, 64, 128, 256]),
            epochs_const=r.choice(EPOCH_NAMES),
            epochs_value=r.choice([3, 5, 10, 20, 30, 50, 100]),
            model=r.choice(MODEL_VARS),
            model_fn=r.choice(MODEL_FNS),
            cls=f"{domain.title().replace('_', '')}{r.choice(CLASS_STEMS)}",
            keras=keras,
            layers=layers,
            style=r.choice(["main", "main", "main", "toplevel", "argparse", "trainer"]),
        )
        if names.bs_const == names.epochs_const.replace("EPOCHS", "BATCH"):
            names.bs_const = "BATCH_SIZE"
        names.bs = {"argparse": "args.batch_size", "trainer": "self.batch_size"}.get(names.style, names.bs_const)
        names.epochs = {"argparse": "args.epochs", "trainer": "self.epochs"}.get(names.style, names.epochs_const)
        return names

    def keras_imports(self, script: Script, n: Names, need_tf: bool = False) -> None:
        if n.keras == "tf.keras":
            script.imports.add("import tensorflow as tf")
        elif n.layers == "layers":
            script.imports.add("import keras")
            script.imports.add("from keras import layers")
        else:
            script.imports.add("from tensorflow import keras")
        if need_tf:
            script.imports.add("import tensorflow as tf")

    def constants(self, script: Script, n: Names) -> None:
        script.constants.append(f"{n.bs_const} = {n.bs_value}")
        script.constants.append(f"{n.epochs_const} = {n.epochs_value}")
        r = self.r
        if r.random() < 0.5:
            script.constants.append(f"SEED = {r.randint(0, 9999)}")
        if r.random() < 0.4:
            script.constants.append(
                f'DATA_DIR = "{r.choice(["data", "/mnt/data", "~/datasets", "gs://bucket"])}/{n.domain}"'
            )
        if r.random() < 0.3:
            script.constants.append(f"LEARNING_RATE = {r.choice(['1e-3', '3e-4', '1e-4', '0.01'])}")

    def model_builder(self, script: Script, n: Names) -> str:
        r = self.r
        k, ly = n.keras, n.layers
        units = r.choice([32, 64, 128, 256])
        classes = r.choice([1, 2, 5, 10, 100])
        if classes == 1:
            head, loss, metrics = f"{ly}.Dense(1)", '"mse"', '["mae"]'
        else:
            head = f'{ly}.Dense({classes}, activation="softmax")'
            loss, metrics = '"sparse_categorical_crossentropy"', '["accuracy"]'
        optimizer = r.choice(
            ['"adam"', f"{k}.optimizers.Adam(1e-3)", '"rmsprop"', f"{k}.optimizers.SGD(0.01, momentum=0.9)"]
        )
        kind = r.choice(["mlp", "cnn", "functional", "rnn"])
        if kind == "mlp":
            body = f"""
            model = {k}.Sequential(
                [
                    {k}.Input(shape=input_shape),
                    {ly}.Dense({units}, activation="relu"),
                    {ly}.Dropout({r.choice(["0.1", "0.2", "0.5"])}),
                    {ly}.Dense({units // 2}, activation="relu"),
                    {head},
                ]
            )"""
        elif kind == "cnn":
            body = f"""
            model = {k}.Sequential(
                [
                    {k}.Input(shape=input_shape),
                    {ly}.Conv2D({units // 4}, 3, activation="relu", padding="same"),
                    {ly}.MaxPooling2D(),
                    {ly}.Conv2D({units // 2}, 3, activation="relu", padding="same"),
                    {ly}.GlobalAveragePooling2D(),
                    {head},
                ]
            )"""
        elif kind == "functional":
            body = f"""
            inputs = {k}.Input(shape=input_shape)
            hidden = {ly}.Dense({units}, activation="relu")(inputs)
            hidden = {ly}.BatchNormalization()(hidden)
            hidden = {ly}.Dense({units}, activation="relu")(hidden)
            outputs = {head}(hidden)
            model = {k}.Model(inputs, outputs, name="{n.domain}_model")"""
        else:
            body = f"""
            model = {k}.Sequential(
                [
                    {k}.Input(shape=input_shape),
                    {ly}.LSTM({units}, return_sequences={r.choice(["True", "False"])}),
                    {ly}.Flatten(),
                    {head},
                ]
            )"""
        body = textwrap.dedent(body).strip("\n")
        return (
            f"def {n.model_fn}(input_shape):\n"
            + _indent(body, 4)
            + f"\n    model.compile(optimizer={optimizer}, loss={loss}, metrics={metrics})\n    return model\n"
        )

    def loader(self, script: Script, n: Names) -> str:
        """A function `load_data()` returning the four arrays."""
        r = self.r
        kind = r.choice(["npz", "dataset", "synthetic", "csv", "npy"])
        script.imports.add("import numpy as np")
        if kind == "npz":
            return textwrap.dedent(f'''
                def load_data(path="{n.domain}s.npz"):
                    """Arrays saved by the preprocessing job."""
                    with np.load(path) as data:
                        return data["x_train"], data["y_train"], data["x_val"], data["y_val"]
                ''')
        if kind == "dataset":
            dataset = r.choice(["mnist", "fashion_mnist", "cifar10", "cifar100", "boston_housing"])
            return textwrap.dedent(f"""
                def load_data():
                    (x_train, y_train), (x_val, y_val) = {n.keras}.datasets.{dataset}.load_data()
                    x_train = x_train.astype("float32") / 255.0
                    x_val = x_val.astype("float32") / 255.0
                    return x_train, y_train, x_val, y_val
                """)
        if kind == "synthetic":
            size = r.choice([1000, 2048, 5000, 10000, 60000])
            width = r.choice([8, 16, 32, 64, 128])
            return textwrap.dedent(f'''
                def load_data(num_samples={size}, num_features={width}, seed=0):
                    """Synthetic data with a known linear signal, for smoke tests."""
                    rng = np.random.default_rng(seed)
                    x = rng.normal(size=(num_samples, num_features)).astype("float32")
                    weights = rng.normal(size=(num_features,))
                    y = (x @ weights > 0).astype("int64")
                    split = int(0.8 * num_samples)
                    return x[:split], y[:split], x[split:], y[split:]
                ''')
        if kind == "csv":
            script.imports.add("import pandas as pd")
            label = r.choice(["label", "target", "y", "price", "churn", "category"])
            return textwrap.dedent(f'''
                def load_data(path="{n.domain}.csv", label="{label}", holdout=0.2):
                    frame = pd.read_csv(path).sample(frac=1.0, random_state=0)
                    x = frame.drop(columns=[label]).to_numpy(dtype="float32")
                    y = frame[label].to_numpy()
                    split = int(len(frame) * (1.0 - holdout))
                    return x[:split], y[:split], x[split:], y[split:]
                ''')
        script.imports.add("import os")
        return textwrap.dedent(f'''
            def load_data(root="{n.domain}_arrays"):
                arrays = {{}}
                for name in ("x_train", "y_train", "x_val", "y_val"):
                    arrays[name] = np.load(os.path.join(root, name + ".npy"), mmap_mode="r")
                return arrays["x_train"], arrays["y_train"], arrays["x_val"], arrays["y_val"]
            ''')

    def fillers(self, script: Script, n: Names) -> list[str]:
        """Zero to four helper functions that have nothing to do with the input pipeline."""
        r = self.r
        pool = ["normalize", "callbacks", "history", "seed", "summary", "augment", "schedule", "config", "metrics"]
        chosen = r.sample(pool, r.randint(0, 4))
        out = []
        for kind in chosen:
            if kind == "normalize":
                script.imports.add("import numpy as np")
                out.append(f'''
def standardize_{n.domain}(array, mean=None, std=None):
    """Zero mean, unit variance per feature; returns the statistics for reuse."""
    array = np.asarray(array, dtype="float32")
    if mean is None:
        mean = array.mean(axis=0)
        std = array.std(axis=0) + 1e-7
    return (array - mean) / std, mean, std
''')
            elif kind == "callbacks":
                monitor = r.choice(["val_loss", "val_accuracy", "loss"])
                out.append(f'''
def training_callbacks(log_dir="logs/{n.domain}", patience={r.randint(2, 10)}):
    return [
        {n.keras}.callbacks.EarlyStopping(monitor="{monitor}", patience=patience, restore_best_weights=True),
        {n.keras}.callbacks.ModelCheckpoint("{n.domain}_best.keras", monitor="{monitor}", save_best_only=True),
        {n.keras}.callbacks.TensorBoard(log_dir=log_dir),
    ]
''')
            elif kind == "history":
                script.imports.add("import json")
                out.append(f'''
def save_history(history, path="{n.domain}_history.json"):
    """Keep the curves next to the weights, for the weekly report."""
    curves = {{name: [float(value) for value in values] for name, values in history.history.items()}}
    with open(path, "w") as handle:
        json.dump(curves, handle, indent=2)
    return curves
''')
            elif kind == "seed":
                script.imports.add("import random")
                script.imports.add("import numpy as np")
                out.append("""
def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
""")
            elif kind == "summary":
                out.append(f"""
def describe(name, array):
    shape = getattr(array, "shape", None)
    dtype = getattr(array, "dtype", type(array).__name__)
    print(f"{{name:>{r.randint(8, 16)}}}: shape={{shape}} dtype={{dtype}}")
""")
            elif kind == "augment":
                script.imports.add("import numpy as np")
                out.append(f'''
def jitter_{n.domain}(batch, scale={r.choice(["0.01", "0.05", "0.1"])}, rng=None):
    """Small Gaussian noise, a cheap augmentation."""
    rng = rng or np.random.default_rng()
    return batch + rng.normal(0.0, scale, size=batch.shape).astype(batch.dtype)
''')
            elif kind == "schedule":
                script.imports.add("import math")
                out.append(f"""
def cosine_schedule(epoch, lr, total={n.epochs_value}, warmup={r.randint(1, 3)}):
    if epoch < warmup:
        return lr * (epoch + 1) / warmup
    progress = (epoch - warmup) / max(1, total - warmup)
    return 0.5 * lr * (1.0 + math.cos(math.pi * progress))
""")
            elif kind == "config":
                script.imports.add("from dataclasses import dataclass")
                out.append(f"""
@dataclass
class {n.domain.title()}Config:
    learning_rate: float = {r.choice(["1e-3", "3e-4", "0.01"])}
    dropout: float = {r.choice(["0.1", "0.2", "0.3"])}
    hidden_units: int = {r.choice([64, 128, 256])}
    label_smoothing: float = 0.0
""")
            else:
                script.imports.add("import numpy as np")
                out.append("""
def top_k_accuracy(probabilities, labels, k=5):
    top = np.argsort(probabilities, axis=-1)[:, -k:]
    return float(np.mean([label in row for row, label in zip(top, labels)]))
""")
        return out

    # ---- generators ----------------------------------------------------------------------------------------

    def endless_generator(
        self, script: Script, n: Names, name: str, bug: str | None, partial_needed: bool = False
    ) -> tuple[str, bool]:
        """A `while True` batch generator; returns its source and whether it serves a partial last batch."""
        r = self.r
        script.imports.add("import numpy as np")
        x, y, b = "x", "y", "batch_size"
        if r.random() < 0.5:
            x, y = r.choice([("inputs", "targets"), ("features", "labels"), ("data", "labels"), ("xs", "ys")])
        if r.random() < 0.3:
            b = r.choice(["bs", "size", "n"])
        yield_tuple = {
            "GEN104": "[{xb}, {yb}]",
            "GEN103": r.choice(["{xb}", "({xb},)"]),
            "GEN105": "{xb}, {yb}, np.ones(len({yb})), None",
        }.get(bug or "", "{xb}, {yb}")
        if bug == "GEN102":
            body = f"""
                def {name}(paths, {y}, {b}):
                    \"\"\"Endless batches of arrays loaded from .npy files.\"\"\"
                    while True:
                        for start in range(0, len(paths), {b}):
                            batch = []
                            for path in paths[start:start + {b}]:
                                try:
                                    batch.append(np.load(path))
                                except {r.choice(["FileNotFoundError", "Exception", "OSError"])}:
                                    {r.choice(["pass", "continue"])}
                            yield np.stack(batch), {y}[start:start + {b}]
                """
            return textwrap.dedent(body), True
        if bug == "GEN107":
            body = f"""
                def {name}({x}, {y}, {b}):
                    while True:
                        for i in range(len({x})):
                            yield {x}[i], {y}[i]
                """
            return textwrap.dedent(body), False
        variant = r.choice(["slice", "perm", "random", "drop"])
        if partial_needed:
            variant = r.choice(["slice", "perm"])
        if bug == "GEN103":
            variant = "slice"  # a bare `x[rows]` could be anything; a bare slice of the input is not a tuple
        if variant == "slice":
            xb, yb = f"{x}[start:start + {b}]", f"{y}[start:start + {b}]"
            body = f"""
                def {name}({x}, {y}, {b}):
                    while True:
                        for start in range(0, len({x}), {b}):
                            yield {yield_tuple.format(xb=xb, yb=yb)}
                """
            partial = True
        elif variant == "perm":
            body = f"""
                def {name}({x}, {y}, {b}):
                    \"\"\"Endless shuffled batches; the order changes every epoch.\"\"\"
                    while True:
                        order = np.random.permutation(len({x}))
                        for start in range(0, len({x}), {b}):
                            rows = order[start:start + {b}]
                            yield {yield_tuple.format(xb=f"{x}[rows]", yb=f"{y}[rows]")}
                """
            partial = True
        elif variant == "random":
            body = f"""
                def {name}({x}, {y}, {b}, seed=None):
                    rng = np.random.default_rng(seed)
                    while True:
                        idx = rng.integers(0, len({x}), size={b})
                        yield {yield_tuple.format(xb=f"{x}[idx]", yb=f"{y}[idx]")}
                """
            partial = False
        else:
            body = f"""
                def {name}({x}, {y}, {b}):
                    indices = np.arange(len({x}))
                    while True:
                        np.random.shuffle(indices)
                        for start in range(0, len(indices) - {b} + 1, {b}):
                            chosen = indices[start:start + {b}]
                            yield {yield_tuple.format(xb=f"{x}[chosen]", yb=f"{y}[chosen]")}
                """
            partial = False
        return textwrap.dedent(body), partial

    def finite_generator(self, script: Script, n: Names, name: str, bug: str | None) -> str:
        r = self.r
        if bug == "GEN107":
            return textwrap.dedent(f"""
                def {name}(x, y, batch_size):
                    for i in range(len(x)):
                        yield x[i], y[i]
                """)
        tail = "\n    raise StopIteration" if bug == "GEN106" else ""
        if r.random() < 0.5:
            return (
                textwrap.dedent(f"""
                def {name}(x, y, batch_size):
                    \"\"\"One pass over the arrays, in order.\"\"\"
                    for start in range(0, len(x), batch_size):
                        yield x[start:start + batch_size], y[start:start + batch_size]""").lstrip("\n")
                + tail
                + "\n"
            )
        script.imports.add("import math")
        return (
            textwrap.dedent(f"""
            def {name}(x, y, batch_size):
                num_batches = math.ceil(len(x) / batch_size)
                for index in range(num_batches):
                    lo, hi = index * batch_size, min(len(x), (index + 1) * batch_size)
                    yield x[lo:hi], y[lo:hi]""").lstrip("\n")
            + tail
            + "\n"
        )

    def sequence_class(self, script: Script, n: Names, bug: str | None) -> str:
        r = self.r
        if bug == "GEN406":
            n.keras, n.layers = "keras", "layers"
            script.imports.discard("import tensorflow as tf")
            script.imports.discard("from tensorflow import keras")
            script.imports.update({"import keras", "from keras import layers"})
        base = r.choice(["Sequence", "PyDataset"]) if n.keras == "keras" else "Sequence"
        if bug == "GEN406":
            base = "PyDataset"
        script.imports.add("import numpy as np")
        len_expr = "math.ceil(len(self.x) / self.batch_size)"
        if bug == "GEN403":
            len_expr = r.choice(["len(self.x) / self.batch_size", "np.ceil(len(self.x) / self.batch_size)"])
        elif bug == "GEN404":
            len_expr = "len(self.x) // self.batch_size"
        elif bug == "GEN407":
            len_expr = "len(self.x) // self.batch_size + 1"
        if "math.ceil" in len_expr:
            script.imports.add("import math")
        init_super = "" if bug == "GEN406" else "        super().__init__(**kwargs)\n"
        ret = "self.x[rows], self.y[rows]"
        if bug == "GEN405":
            ret = r.choice(["(self.x[rows],)", "self.x[index * self.batch_size:(index + 1) * self.batch_size]"])
        if bug != "GEN405" and r.random() < 0.25:
            ret = "self.x[rows], self.y[rows], self.weights[rows]"
        method_len = "" if bug == "GEN401" else f"\n    def __len__(self):\n        return {len_expr}\n"
        get_name = "get_batch" if bug == "GEN402" else "__getitem__"
        shuffle = r.random() < 0.6 and bug not in ("GEN404", "GEN405", "GEN407")
        if shuffle:
            rows = "rows = self.order[index * self.batch_size:(index + 1) * self.batch_size]"
        else:
            rows = "rows = slice(index * self.batch_size, (index + 1) * self.batch_size)"
        epoch_end = (
            "\n    def on_epoch_end(self):\n        if self.shuffle:\n            np.random.shuffle(self.order)\n"
            if shuffle
            else ""
        )
        return (
            f"class {n.cls}({n.keras}.utils.{base}):\n"
            f'    """Batches of {n.domain}s and their targets, reshuffled each epoch."""\n\n'
            f"    def __init__(self, x, y, batch_size, shuffle=True, **kwargs):\n"
            f"{init_super}"
            f"        self.x, self.y = x, y\n"
            f"        self.batch_size = batch_size\n"
            f"        self.shuffle = shuffle\n"
            f'        self.weights = np.ones(len(y), dtype="float32")\n'
            f"        self.order = np.arange(len(x))\n"
            f"{method_len}"
            f"\n    def {get_name}(self, index):\n"
            f"        {rows}\n"
            f"        return {ret}\n"
            f"{epoch_end}"
        )

    # ---- consumers -----------------------------------------------------------------------------------------

    def steps_expr(self, script: Script, n: Names, data: str, partial: bool, bug: str | None) -> str:
        if bug == "GEN301":
            if self.r.random() < 0.5:
                return f"len({data}) / {n.bs}"
            script.imports.add("import numpy as np")
            return f"np.ceil(len({data}) / {n.bs})"
        if bug == "GEN302":
            return f"len({data}) // {n.bs}"
        if bug == "GEN303":
            return f"len({data})"
        if partial:
            script.imports.add("import math")
            return f"math.ceil(len({data}) / {n.bs})"
        return f"len({data}) // {n.bs}"

    def fit_call(
        self,
        n: Names,
        model: str,
        x_arg: str,
        steps: str | None,
        val_arg: str | None,
        val_steps: str | None,
        extra: list[str],
        method: str = "fit",
        target: str = "history = ",
    ) -> str:
        args = [x_arg]
        if steps is not None:
            args.append(f"steps_per_epoch={steps}")
        if val_arg is not None:
            args.append(f"validation_data={val_arg}")
        if val_steps is not None:
            args.append(f"validation_steps={val_steps}")
        args.append(f"epochs={n.epochs}")
        args += extra
        one_line = f"{target}{model}.{method}({', '.join(args)})"
        if len(one_line) + 8 <= 110 and self.r.random() < 0.5:
            return one_line
        return f"{target}{model}.{method}(\n" + "".join(f"    {a},\n" for a in args) + ")"

    def extra_fit_args(self, n: Names, bug: str | None, data_y: str) -> list[str]:
        r = self.r
        extra = []
        if r.random() < 0.4:
            extra.append(f"verbose={r.choice([0, 1, 2])}")
        if bug == "GEN204":
            extra.append(f"y={data_y}")
        if bug == "GEN205":
            extra.append(f"batch_size={n.bs_const}")
        if bug == "GEN206":
            extra.append(f"workers={r.choice([2, 4, 8])}")
            extra.append("use_multiprocessing=True")
        return extra

    def wrap(self, script: Script, n: Names, body: str, helpers: list[str]) -> None:
        """Put the training statements in the unit's chosen shape."""
        body = textwrap.dedent(body).strip("\n")
        blocks = script.blocks
        blocks.extend(helpers)
        if n.style == "main":
            blocks.append("def main():\n" + _indent(body, 4))
            blocks.append('if __name__ == "__main__":\n    main()')
        elif n.style == "toplevel":
            blocks.append(body)
        elif n.style == "argparse":
            script.imports.add("import argparse")
            blocks.append(
                "def parse_args(argv=None):\n"
                f'    parser = argparse.ArgumentParser(description="Train the {n.domain} model.")\n'
                f'    parser.add_argument("--batch-size", type=int, default={n.bs_const})\n'
                f'    parser.add_argument("--epochs", type=int, default={n.epochs_const})\n'
                '    parser.add_argument("--output", default="model.keras")\n'
                "    return parser.parse_args(argv)"
            )
            blocks.append("def main(args):\n" + _indent(body, 4))
            blocks.append('if __name__ == "__main__":\n    main(parse_args())')
        else:
            blocks.append(
                f"class {n.domain.title()}Trainer:\n"
                f"    def __init__(self, batch_size={n.bs_const}, epochs={n.epochs_const}):\n"
                "        self.batch_size = batch_size\n"
                "        self.epochs = epochs\n"
                "        self.model = None\n\n"
                "    def run(self):\n" + _indent(body, 8)
            )
            blocks.append(f'if __name__ == "__main__":\n    {n.domain.title()}Trainer().run()')

    def model_var(self, n: Names) -> str:
        return "self.model" if n.style == "trainer" else n.model

    # ---- families --------------------------------------------------------------------------------------------

    def endless(self, bug: str | None) -> dict[str, str]:
        r = self.r
        n = self.names()
        s = Script(f"Train a {n.domain} model on endless batches from a Python generator.")
        self.keras_imports(s, n)
        self.constants(s, n)
        helpers = self.fillers(s, n)
        helpers.append(self.loader(s, n))
        gen_bug = bug if bug in ("GEN102", "GEN103", "GEN104", "GEN105", "GEN107") else None
        gen_src, partial = self.endless_generator(s, n, n.gen, gen_bug, partial_needed=bug == "GEN302")
        helpers.append(gen_src)
        helpers.append(self.model_builder(s, n))
        m = self.model_var(n)
        lines = [f"{n.x}, {n.y}, {n.xv}, {n.yv} = load_data()"]
        if bug == "GEN102":
            lines.insert(0, f'paths = sorted(glob.glob("{n.domain}s/*.npy"))')
            lines.append(f"{n.x} = paths")
            s.imports.add("import glob")
        lines.append(f"{m} = {n.model_fn}({n.x}.shape[1:])" if bug != "GEN102" else f"{m} = {n.model_fn}((64, 64, 3))")
        steps_bug = bug if bug in ("GEN301", "GEN302", "GEN303") else None
        if bug == "GEN107":
            steps_bug = "GEN303"  # one step per sample: what a per-sample generator is usually paired with
        steps = self.steps_expr(s, n, n.x, partial or bug == "GEN302", steps_bug)
        with_val = bug in ("GEN202", "GEN207", "GEN304") or r.random() < 0.6
        val_steps = self.steps_expr(s, n, n.xv, partial, None)
        if bug == "GEN304":
            val_steps = self.steps_expr(s, n, n.x, partial, None)
        named_steps = r.random() < 0.5
        if named_steps:
            lines.append(f"steps = {steps}")
            steps = "steps"
        if bug == "GEN203":
            lines.append(
                f"def {n.gen}_stream():\n"
                f"    while True:\n"
                f"        idx = np.random.randint(0, len({n.x}), {n.bs})\n"
                f"        yield {n.x}[idx], {n.y}[idx]"
            )
            x_arg = f"{n.gen}_stream"
        elif bug == "GEN207":
            lines.append(f"train_gen = {n.gen}({n.x}, {n.y}, {n.bs})")
            x_arg = "train_gen"
        else:
            x_arg = f"{n.gen}({n.x}, {n.y}, {n.bs})"
        val_arg = None
        if with_val:
            val_arg = "train_gen" if bug == "GEN207" else f"{n.gen}({n.xv}, {n.yv}, {n.bs})"
        extra = self.extra_fit_args(n, bug, n.y)
        if r.random() < 0.3:
            extra.append("callbacks=[" + f"{n.keras}.callbacks.EarlyStopping(patience=3)" + "]")
        method = "fit_generator" if bug == "GEN501" else "fit"
        lines.append(
            self.fit_call(
                n,
                m,
                x_arg,
                None if bug == "GEN201" else steps,
                val_arg,
                None if bug == "GEN202" or not with_val else val_steps,
                extra,
                method,
            )
        )
        if r.random() < 0.4 and bug not in ("GEN103",):
            ev = "evaluate_generator" if bug == "GEN501" else "evaluate"
            if bug == "GEN501":
                self.also_planted.append("GEN502")
            eval_steps = self.steps_expr(s, n, n.xv, partial, None)
            lines.append(f"scores = {m}.{ev}({n.gen}({n.xv}, {n.yv}, {n.bs}), steps={eval_steps})")
            lines.append('print("validation:", scores)')
        lines.append(f'{m}.save("{n.domain}_{r.randint(1, 99)}.keras")')
        body = "\n".join(lines)
        if n.style == "trainer":
            body = body.replace(f"{m} = {n.model_fn}", f"self.model = {n.model_fn}")
        self.wrap(s, n, body, helpers)
        return {"train.py": s.render()}

    def finite(self, bug: str | None) -> dict[str, str]:
        r = self.r
        n = self.names()
        s = Script(f"Fit the {n.domain} model from one-pass generators.")
        use_tf = bug == "GEN503" or r.random() < 0.3
        self.keras_imports(s, n, need_tf=use_tf)
        self.constants(s, n)
        helpers = self.fillers(s, n)
        helpers.append(self.loader(s, n))
        helpers.append(self.finite_generator(s, n, n.gen, bug if bug in ("GEN106", "GEN107") else None))
        helpers.append(self.model_builder(s, n))
        m = self.model_var(n)
        lines = [f"{n.x}, {n.y}, {n.xv}, {n.yv} = load_data()", f"{m} = {n.model_fn}({n.x}.shape[1:])"]
        if bug == "GEN107":
            lines.append(f"{m}.fit({n.gen}({n.x}, {n.y}), epochs=1)")
        elif bug == "GEN101":
            lines.append(self.fit_call(n, m, f"{n.gen}({n.x}, {n.y}, {n.bs})", None, None, None, []))
        elif bug == "GEN503" or (use_tf and r.random() < 0.7):
            arg = f"{n.gen}({n.x}, {n.y}, {n.bs})" if bug == "GEN503" else f"lambda: {n.gen}({n.x}, {n.y}, {n.bs})"
            lines.append(
                "signature = (\n"
                f"    tf.TensorSpec(shape=(None,) + tuple({n.x}.shape[1:]), dtype=tf.float32),\n"
                "    tf.TensorSpec(shape=(None,), dtype=tf.int64),\n"
                ")"
            )
            lines.append(f"train_ds = tf.data.Dataset.from_generator({arg}, output_signature=signature)")
            lines.append(f"train_ds = train_ds.prefetch({r.choice(['2', 'tf.data.AUTOTUNE'])})")
            lines.append(self.fit_call(n, m, "train_ds", None, None, None, []))
        else:
            shape = r.choice(["loop", "once", "arrays"])
            if shape == "loop":
                lines.append(
                    f"for epoch in range({n.epochs}):\n"
                    f"    {m}.fit({n.gen}({n.x}, {n.y}, {n.bs}), epochs=1, verbose=0)\n"
                    f"    loss = {m}.evaluate({n.gen}({n.xv}, {n.yv}, {n.bs}), verbose=0)\n"
                    f'    print(f"epoch {{epoch}}: {{loss}}")'
                )
            elif shape == "once":
                lines.append(f"{m}.fit({n.gen}({n.x}, {n.y}, {n.bs}), epochs=1)")
                lines.append(f"{m}.evaluate({n.gen}({n.xv}, {n.yv}, {n.bs}))")
            else:
                lines.append(f"{m}.fit({n.x}, {n.y}, batch_size={n.bs}, epochs={n.epochs}, validation_split=0.1)")
                lines.append(f"results = {m}.evaluate({n.gen}({n.xv}, {n.yv}, {n.bs}), return_dict=True)")
                lines.append("print(results)")
        body = "\n".join(lines)
        if n.style == "trainer":
            body = body.replace(f"{m} = {n.model_fn}", f"self.model = {n.model_fn}")
        self.wrap(s, n, body, helpers)
        return {"train.py": s.render()}

    def sequence(self, bug: str | None) -> dict[str, str]:
        r = self.r
        n = self.names()
        s = Script(
            f"Train on {n.domain} batches served by a Keras {r.choice(['Sequence', 'PyDataset', 'dataset class'])}."
        )
        self.keras_imports(s, n)
        self.constants(s, n)
        helpers = self.fillers(s, n)
        helpers.append(self.loader(s, n))
        helpers.append(
            self.sequence_class(
                s, n, bug if bug in ("GEN401", "GEN402", "GEN403", "GEN404", "GEN405", "GEN406", "GEN407") else None
            )
        )
        helpers.append(self.model_builder(s, n))
        m = self.model_var(n)
        lines = [f"{n.x}, {n.y}, {n.xv}, {n.yv} = load_data()", f"{m} = {n.model_fn}({n.x}.shape[1:])"]
        lines.append(f"train_seq = {n.cls}({n.x}, {n.y}, {n.bs})")
        with_val = r.random() < 0.6
        if with_val:
            lines.append(f"val_seq = {n.cls}({n.xv}, {n.yv}, {n.bs}, shuffle=False)")
        extra = self.extra_fit_args(n, bug if bug in ("GEN204", "GEN205", "GEN206") else None, n.y)
        lines.append(self.fit_call(n, m, "train_seq", None, "val_seq" if with_val else None, None, extra))
        if r.random() < 0.3:
            lines.append(f"predictions = {m}.predict({n.cls}({n.xv}, {n.yv}, {n.bs}, shuffle=False))")
        body = "\n".join(lines)
        if n.style == "trainer":
            body = body.replace(f"{m} = {n.model_fn}", f"self.model = {n.model_fn}")
        self.wrap(s, n, body, helpers)
        return {"train.py": s.render()}

    def tfdata(self, bug: str | None) -> dict[str, str]:
        r = self.r
        n = self.names()
        s = Script(f"Train the {n.domain} model on a tf.data input pipeline.")
        self.keras_imports(s, n, need_tf=True)
        self.constants(s, n)
        helpers = self.fillers(s, n)
        m = self.model_var(n)
        if bug in ("GEN204", "GEN205", "GEN206", "GEN503"):
            kind = "generator"  # genlint follows a from_generator pipeline to its generator
        elif bug == "GEN201":
            kind = "inline"  # a pipeline built in place, which genlint can see ends in .repeat()
        else:
            kind = r.choice(["slices", "slices", "inline", "records", "generator"])
        lines = []
        if kind == "slices":
            helpers.append(self.loader(s, n))
            helpers.append(
                textwrap.dedent(f"""
                def make_dataset(x, y, batch_size, training=True):
                    ds = tf.data.Dataset.from_tensor_slices((x, y))
                    if training:
                        ds = ds.shuffle({r.choice([1000, 4096, 10000])}, reshuffle_each_iteration=True)
                    ds = ds.batch(batch_size)
                    return ds.prefetch(tf.data.AUTOTUNE)
                """)
            )
            lines.append(f"{n.x}, {n.y}, {n.xv}, {n.yv} = load_data()")
            lines.append(f"{m} = {n.model_fn}({n.x}.shape[1:])")
            lines.append(f"train_ds = make_dataset({n.x}, {n.y}, {n.bs})")
            lines.append(f"val_ds = make_dataset({n.xv}, {n.yv}, {n.bs}, training=False)")
        elif kind == "inline":
            helpers.append(self.loader(s, n))
            lines.append(f"{n.x}, {n.y}, {n.xv}, {n.yv} = load_data()")
            lines.append(f"{m} = {n.model_fn}({n.x}.shape[1:])")
            buffer = r.choice(["1024", f"len({n.x})", "10_000"])
            lines.append(
                f"train_ds = tf.data.Dataset.from_tensor_slices(({n.x}, {n.y})).shuffle({buffer}).batch({n.bs})"
            )
            lines.append(f"val_ds = tf.data.Dataset.from_tensor_slices(({n.xv}, {n.yv})).batch({n.bs})")
        elif kind == "records":
            feature = r.choice(["image", "features", "signal", "tokens"])
            helpers.append(
                textwrap.dedent(f"""
                def parse_example(serialized):
                    spec = {{
                        "{feature}": tf.io.FixedLenFeature([{r.choice([16, 32, 128])}], tf.float32),
                        "label": tf.io.FixedLenFeature([], tf.int64),
                    }}
                    parsed = tf.io.parse_single_example(serialized, spec)
                    return parsed["{feature}"], parsed["label"]


                def records(pattern, batch_size, training=True):
                    files = tf.data.Dataset.list_files(pattern, shuffle=training)
                    ds = files.interleave(tf.data.TFRecordDataset, num_parallel_calls=tf.data.AUTOTUNE)
                    ds = ds.map(parse_example, num_parallel_calls=tf.data.AUTOTUNE)
                    if training:
                        ds = ds.shuffle(2048)
                    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
                """)
            )
            lines.append(f"{m} = {n.model_fn}(({r.choice([16, 32, 128])},))")
            lines.append(f'train_ds = records("{n.domain}/train-*.tfrecord", {n.bs})')
            lines.append(f'val_ds = records("{n.domain}/val-*.tfrecord", {n.bs}, training=False)')
        else:
            helpers.append(self.loader(s, n))
            helpers.append(self.finite_generator(s, n, n.gen, None))
            lines.append(f"{n.x}, {n.y}, {n.xv}, {n.yv} = load_data()")
            lines.append(f"{m} = {n.model_fn}({n.x}.shape[1:])")
            lines.append(
                "spec = (\n"
                f"    tf.TensorSpec(shape=(None,) + tuple({n.x}.shape[1:]), dtype=tf.float32),\n"
                "    tf.TensorSpec(shape=(None,), dtype=tf.int64),\n"
                ")"
            )
            if bug == "GEN503":
                lines.append(
                    f"train_ds = tf.data.Dataset.from_generator({n.gen}({n.x}, {n.y}, {n.bs}), output_signature=spec)"
                )
            else:
                lines.append(
                    f"train_ds = tf.data.Dataset.from_generator(\n"
                    f"    lambda: {n.gen}({n.x}, {n.y}, {n.bs}), output_signature=spec\n"
                    ")"
                )
            lines.append(f"val_ds = tf.data.Dataset.from_tensor_slices(({n.xv}, {n.yv})).batch({n.bs})")
        helpers.append(self.model_builder(s, n))
        repeat = bug == "GEN201" or r.random() < 0.25
        steps = None
        if repeat:
            lines.append("train_ds = train_ds.repeat()")
            if bug != "GEN201":
                steps = r.choice(["500", "1000", f"{r.randint(50, 400)}"])
        extra = self.extra_fit_args(
            n, bug if bug in ("GEN204", "GEN205", "GEN206") else None, n.y if kind != "records" else "None"
        )
        lines.append(self.fit_call(n, m, "train_ds", steps, "val_ds", None, extra))
        if r.random() < 0.3:
            lines.append(f'{m}.save_weights("{n.domain}.weights.h5")')
        body = "\n".join(lines)
        if n.style == "trainer":
            body = body.replace(f"{m} = {n.model_fn}", f"self.model = {n.model_fn}")
        self.wrap(s, n, body, helpers)
        return {"train.py": s.render()}

    def project(self, bug: str | None, size: int) -> dict[str, str]:
        """A data module and `size - 1` scripts that import it."""
        r = self.r
        n = self.names()
        module = r.choice(DATA_MODULES)
        data = Script(f"Input pipelines for the {n.domain} models: shared by the training and evaluation scripts.")
        data.imports.add("import numpy as np")
        data_bug = bug if bug in ("GEN102", "GEN103", "GEN104", "GEN403", "GEN406") else None
        gen_bug = data_bug if data_bug in ("GEN102", "GEN103", "GEN104") else None
        gen_src, partial = self.endless_generator(data, n, n.gen, gen_bug, partial_needed=bug == "GEN302")
        data.blocks.append(gen_src)
        finite_name = f"{n.domain}_{r.choice(['one_pass', 'single_pass', 'epoch', 'eval'])}_batches"
        data.blocks.append(self.finite_generator(data, n, finite_name, None))
        with_seq = data_bug in ("GEN403", "GEN406") or r.random() < 0.4
        if with_seq:
            self.keras_imports(data, n)
            data.blocks.append(self.sequence_class(data, n, data_bug if data_bug in ("GEN403", "GEN406") else None))
        data.blocks.append(self.loader(data, n))
        imported = [n.gen, finite_name, "load_data"] + ([n.cls] if with_seq else [])
        as_module = r.random() < 0.3
        alias = r.choice(["dm", "du", "pipes", "feeds_lib"]) if as_module else ""

        def ref(name: str) -> str:
            return f"{alias}.{name}" if as_module else name

        files = {f"{module}.py": data.render()}
        for index in range(size - 1):
            script_name = ["train", "evaluate", "finetune"][index] if index < 3 else f"job{index}"
            s = Script(f"{script_name.title()} the {n.domain} model with the pipelines from `{module}`.")
            self.keras_imports(s, n)
            self.constants(s, n)
            if as_module:
                s.from_imports.append(f"import {module} as {alias}")
            else:
                s.from_imports.append(f"from {module} import {', '.join(sorted(imported))}")
            helpers = self.fillers(s, n)
            helpers.append(self.model_builder(s, n))
            m = self.model_var(n)
            lines = [f"{n.x}, {n.y}, {n.xv}, {n.yv} = {ref('load_data')}()", f"{m} = {n.model_fn}({n.x}.shape[1:])"]
            script_bug = bug if index == 0 and data_bug is None else None
            if index == 0:
                seq_ok = script_bug in (None, "GEN205", "GEN206") and data_bug not in ("GEN102", "GEN103", "GEN104")
                if with_seq and (data_bug in ("GEN403", "GEN406") or (seq_ok and r.random() < 0.5)):
                    lines.append(
                        self.fit_call(
                            n,
                            m,
                            f"{ref(n.cls)}({n.x}, {n.y}, {n.bs})",
                            None,
                            None,
                            None,
                            self.extra_fit_args(n, script_bug if script_bug in ("GEN205", "GEN206") else None, n.y),
                        )
                    )
                else:
                    steps = self.steps_expr(
                        s,
                        n,
                        n.x,
                        partial or script_bug == "GEN302",
                        script_bug if script_bug in ("GEN301", "GEN302") else None,
                    )
                    val_steps = self.steps_expr(s, n, n.xv, partial, None)
                    lines.append(
                        self.fit_call(
                            n,
                            m,
                            f"{ref(n.gen)}({n.x}, {n.y}, {n.bs})",
                            None if script_bug == "GEN201" else steps,
                            f"{ref(n.gen)}({n.xv}, {n.yv}, {n.bs})",
                            None if script_bug == "GEN202" else val_steps,
                            self.extra_fit_args(n, script_bug if script_bug in ("GEN205", "GEN206") else None, n.y),
                        )
                    )
                    if script_bug == "GEN101":
                        lines.append(
                            self.fit_call(
                                n,
                                m,
                                f"{ref(finite_name)}({n.x}, {n.y}, {n.bs})",
                                None,
                                None,
                                None,
                                [],
                                target="fine_tuned = ",
                            )
                        )
            else:
                lines[1] = f'{m} = {n.keras}.models.load_model("{n.domain}.keras")'
                lines.append(f"print({m}.evaluate({ref(finite_name)}({n.xv}, {n.yv}, {n.bs})))")
                lines.append(f"predictions = {m}.predict({ref(finite_name)}({n.xv}, {n.yv}, {n.bs}))")
            body = "\n".join(lines)
            if n.style == "trainer":
                body = body.replace(f"{m} = ", "self.model = ", 1)
            self.wrap(s, n, body, helpers)
            files[f"{script_name}_{n.domain}.py"] = s.render()
        return files


FAMILY_BUGS = {
    "endless": [
        "GEN102", "GEN103", "GEN104", "GEN105", "GEN107", "GEN201", "GEN202", "GEN203", "GEN204", "GEN205",
        "GEN206", "GEN207", "GEN301", "GEN302", "GEN303", "GEN304", "GEN501",
    ],
    "finite": ["GEN101", "GEN106", "GEN107", "GEN503"],
    "sequence": ["GEN401", "GEN402", "GEN403", "GEN404", "GEN405", "GEN406", "GEN407", "GEN204", "GEN205", "GEN206"],
    "tfdata": ["GEN201", "GEN204", "GEN205", "GEN206", "GEN503"],
    "project": [
        "GEN102", "GEN103", "GEN104", "GEN403", "GEN406", "GEN101", "GEN201", "GEN202", "GEN205", "GEN206", "GEN301",
        "GEN302",
    ],
}  # fmt: skip
FAMILY_WEIGHTS = {"endless": 30, "finite": 14, "sequence": 20, "tfdata": 16, "project": 20}
BUGGY_SHARE = 0.5


def _units(n_files: int, seed: int):
    """Yield (block, Unit) until `n_files` files; each block of BLOCK files is filled exactly."""
    rng = random.Random(seed)
    builder = Builder(rng)
    families = list(FAMILY_WEIGHTS)
    weights = [FAMILY_WEIGHTS[f] for f in families]
    made = 0
    block = 0
    while made < n_files:
        left_in_block = min(BLOCK, n_files - block * BLOCK) - (made - block * BLOCK)
        family = rng.choices(families, weights)[0]
        size = rng.choice([2, 2, 3]) if family == "project" else 1
        if size > left_in_block:
            family, size = "endless", 1
        bug = rng.choice(FAMILY_BUGS[family]) if rng.random() < BUGGY_SHARE else None
        builder.also_planted = []
        files = builder.project(bug, size) if family == "project" else getattr(builder, family)(bug)
        yield block, Unit(family, files, ([bug] if bug else []) + builder.also_planted)
        made += size
        if made == (block + 1) * BLOCK:
            block += 1


def generate(root: Path, n_files: int, seed: int = DEFAULT_SEED) -> dict:
    """Write the corpus under `root` (which must not exist yet) and return its manifest."""
    root.mkdir(parents=True)
    units = []
    count = 0
    for index, (block, unit) in enumerate(_units(n_files, seed)):
        team = TEAMS[(index // 17) % len(TEAMS)]
        if unit.family == "project":
            stem = PROJECT_STEMS[index % len(PROJECT_STEMS)]
            folder = Path(f"block{block:02d}") / "projects" / f"{stem}_{index:04d}"
            paths = {folder / name: text for name, text in unit.files.items()}
        else:
            text = unit.files["train.py"]
            paths = {Path(f"block{block:02d}") / team / f"{unit.family}_{index:04d}.py": text}
        for path, text in paths.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            count += 1
        units.append({"family": unit.family, "planted": unit.planted, "files": sorted(p.as_posix() for p in paths)})
    manifest = {"seed": seed, "files": count, "units": units}
    (root.parent / f"{root.name}.manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest
