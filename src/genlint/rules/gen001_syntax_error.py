from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that genlint cannot parse: a syntax error, null bytes, bytes that are not valid in the
    file's encoding, code nested too deeply for the parser, or a file that cannot be read at all (no
    permission, not a regular file such as a named pipe). For a Jupyter notebook: JSON that does not parse,
    or a notebook format other than nbformat 4.

    ## Why is this bad?
    Python itself refuses to run such a file (`SyntaxError`, `ValueError: source code string cannot contain
    null bytes`, `SyntaxError: (unicode error)`), so the training job dies before Keras sees any data, and
    genlint cannot check any of its input pipelines. The run goes on with the other files.
    """

    code = "GEN001"
    name = "syntax-error"
    severity = Severity.ERROR
    message = "{reason}: the file cannot be parsed, so genlint could not check it"

    invalid = (
        Example(
            """\
model.fit(batches(), steps_per_epoch=10, epochs=3  # error: GEN001
""",
            title="an unclosed call",
        ),
        Example(
            """\
history = model.fit(  # error: GEN001
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    epochs=10,

model.save("classifier.keras")
""",
            title="an unclosed call over several lines (reported where the bracket opens)",
        ),
        Example(
            """\
for epoch in range(EPOCHS):
    history = model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=1)
    loss = history.history["loss"][-1]
    print "epoch %d: loss %.4f" % (epoch, loss)  # error: GEN001
""",
            title="a Python 2 `print` statement",
        ),
        Example(
            """\
model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
model.save("checkpoints/final.keras)  # error: GEN001
model.evaluate(batches(x_test, y_test, 32), steps=20)
""",
            title="an unterminated string",
        ),
        Example(
            """\
history = model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
if history.history["val_loss"][-1] < best_loss:
    model.save("best.keras")
print("training finished")
else:  # error: GEN001
    print("no improvement")
""",
            title="a stray `else` after the `if` block has ended",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]
      print("finished a pass over the data")  # error: GEN001


model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="a line indented to no enclosing block",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
    for start in range(0, len(x), batch_size):  # error: GEN001
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="a loop body that is not indented",
        ),
        Example(
            """\
def batches(x, y, batch_size)  # error: GEN001
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="a `def` without its colon",
        ),
        Example(
            """\
config = {
    "epochs": 10  # error: GEN001
    "batch_size": 32,
    "learning_rate": 1e-3,
}
model.fit(batches(x_train, y_train, config["batch_size"]), steps_per_epoch=100, epochs=config["epochs"])
""",
            title="a missing comma in a config dict",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(x=batches(x_train, y_train, 32), 100, epochs=10)  # error: GEN001
""",
            title="a positional argument after a keyword argument",
        ),
        Example(
            """\
import os

os.makedirs("checkpoints", exist_ok=True)
os.chmod("checkpoints", 0755)  # error: GEN001
model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="a Python 2 octal literal",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
\t    yield x[start:start + batch_size], y[start:start + batch_size]  # error: GEN001


model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
""",
            title="tabs and spaces mixed in one block",
        ),
    )
    valid = (
        Example(
            """\
model.fit(batches(), steps_per_epoch=10, epochs=3)
""",
        ),
        Example(
            """\
import re

import keras


def make_optimizer(name: str, learning_rate: float) -> keras.optimizers.Optimizer:
    match name.lower():
        case "adam" | "adamw":
            return keras.optimizers.AdamW(learning_rate)
        case "sgd":
            return keras.optimizers.SGD(learning_rate, momentum=0.9)
        case _:
            raise ValueError(f"unknown optimizer {name!r}")


match = re.match(r"(\\w+)@(\\d+)", "adam@3")
model.compile(optimizer=make_optimizer(match.group(1), 1e-3), loss="mse")
model.fit(x_train, y_train, epochs=int(match.group(2)))
""",
            title="a `match` statement next to `match` as a variable name",
        ),
        Example(
            """\
def batches(queue, batch_size):
    while (batch := queue.get()) is not None:
        yield batch[:, :-1], batch[:, -1]


if (n := len(x_train)) < 32:
    raise SystemExit(f"only {n} samples")
model.fit(batches(queue, 32), steps_per_epoch=n // 32, epochs=10)
""",
            title="assignment expressions (`:=`)",
        ),
        Example(
            """\
import keras


class Report(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch + 1}: loss={logs['loss']:.4f} val={logs.get('val_loss', float('nan')):.4f}")
        rate = float(self.model.optimizer.learning_rate)
        print(f'{"best" if logs["loss"] < 0.1 else "keep going"}: lr={f"{rate:.0e}"}')


model.fit(x_train, y_train, epochs=10, callbacks=[Report()])
""",
            title="f-strings with nested quotes and a nested f-string",
        ),
        Example(
            """\
from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def batches(
    x: np.ndarray, y: np.ndarray, /, batch_size: int = 32, *, seed: int | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    rng: np.random.Generator = np.random.default_rng(seed)
    while True:
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            yield x[order[start:start + batch_size]], y[order[start:start + batch_size]]


history: dict[str, list[float]] = model.fit(batches(x_train, y_train, seed=0), steps_per_epoch=50).history
""",
            title="type hints, positional-only and keyword-only parameters",
        ),
        Example(
            """\
\"\"\"Train the classifier (one `fit` call per epoch, so that every epoch is checkpointed.

Don't port the old logging back: the Python 2 script printed with `print "epoch %d" % epoch`.
\"\"\"

for epoch in range(EPOCHS):
    history = model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=1)
    # print "epoch %d" % epoch
    print ("epoch", epoch, "loss (train", history.history["loss"][-1], end=")\\n")
else:
    print("all epochs ran")
""",
            title="Python 2 code in a docstring and a comment, `print (...)` with a space, `for ... else`",
        ),
        Example(
            """\
try:
    model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=10)
except KeyboardInterrupt:
    print("interrupted")
else:
    model.save("final.keras")
finally:
    with (
        open("log.txt", "a") as log,
        open("résumé.txt", "w", encoding="utf-8") as summary,
    ):
        log.write("done\\n")
        summary.write("entraînement terminé, époques = 10\\n")
""",
            title="`try ... else ... finally`, a parenthesized `with`, and non-ASCII text",
        ),
        Example(
            """\
steps_per_epoch = len(x_train) \\
    // 32
learning_rates = [1e-3, 3e-4,
                  1e-4]  # one run per rate
for lr in learning_rates:
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    model.fit(batches(x_train, y_train, 32),
              steps_per_epoch=steps_per_epoch,
              epochs=10)
""",
            title="line continuations inside and outside brackets",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        problem = model.syntax_problem
        if problem is not None:
            context.report_at(model.path, problem.line, problem.column, reason=problem.message)
