from __future__ import annotations

from typing import TYPE_CHECKING

from genlint.rules.base import Example, Rule, RuleContext, Severity

if TYPE_CHECKING:  # the engine reports this rule from the comments, also when every result comes from the cache
    from genlint.analysis.model import FileModel


class InvalidSuppressionRule(Rule):
    """
    ## What it does
    Reports a suppression comment that names no rule or an unknown one, or that stands where it cannot
    apply. That is: a `# genlint: ignore` with no rule in brackets; a code or rule name that genlint does
    not have (the closest valid one is suggested), also as a `GEN` code in a `# noqa`; a group such as
    `GEN2` outside `ignore-file`; an `ignore-file` below the first statement; an own-line `ignore` with a
    blank line (or the end of the file) below it; a misspelt directive such as `# genlint: disable=…`.

    ## Why is this bad?
    Such a comment suppresses nothing, so the reader believes a finding was looked at and accepted while
    genlint still reports it, or a later finding on that line is not hidden as intended. A bare
    `# genlint: ignore` would hide every present and future rule on its line, including the ones that
    catch hangs and crashes; genlint has no blanket suppression, so it asks for the codes instead. Keras
    itself never sees comments: this is about genlint's own configuration, not about a run-time failure.

    The accepted forms are `# genlint: ignore[GEN101]` at the end of the reported line or on its own line
    directly above the statement, `# genlint: ignore-file[GEN3]` in the comments at the top of a file, and
    `# noqa: GEN101`; rules are named by code or name, several separated by commas. A bare `# noqa` and
    `# noqa` codes of other tools belong to flake8 and ruff and are left alone.

    ## Known limitations
    GEN001 (a file that does not parse) cannot be suppressed, and naming it is reported: such a file was
    not checked at all; exclude it instead. In a file that does not parse, comments are not checked.
    Comments are checked in the linted files and in the modules where a finding is reported.

    ## References
    - [flake8: selecting and ignoring violations](https://flake8.pycqa.org/en/latest/user/violations.html)
    - [ruff: error suppression](https://docs.astral.sh/ruff/linter/#error-suppression)
    """

    code = "GEN002"
    name = "invalid-suppression"
    severity = Severity.WARNING
    message = "suppression comment `{directive}` {problem}"
    help = "name the rules to suppress by code or name, e.g. `# genlint: ignore[GEN201]`"

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# `budget` sets model.stop_training after two hours, in the middle of the first epoch.
model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget])  # genlint: ignore[GEN2O1]  # error: GEN002
""",
            title="a code with the letter O for a zero",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# genlint: ignore  # error: GEN002
model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[time_budget])
""",
            title="a bare `ignore` that names no rule",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


history = model.fit(  # genlint: ignore[missing-steps]  # error: GEN002
    batches(x_train, y_train, 32),
    epochs=1,
    callbacks=[time_budget],
)
""",
            title="a rule name cut short",
        ),
        Example(
            """\
def stream(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(stream(x_train, y_train, 16), epochs=1, callbacks=[budget])  # genlint: ignore[GEN2]  # error: GEN002
""",
            title="a group of rules on one line",
        ),
        Example(
            """\
\"\"\"Fine-tune the classifier on the nightly export.\"\"\"

import numpy as np

# genlint: ignore-file[GEN201]  # error: GEN002


def rows(x, y):
    while True:
        index = np.random.randint(len(x))
        yield x[index:index + 1], y[index:index + 1]


model.fit(rows(x_train, y_train), epochs=1, callbacks=[budget])
""",
            title="`ignore-file` below the imports",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget], verbose=2)  # noqa: E501, GEN2O1  # error: GEN002
""",
            title="an unknown `GEN` code in a `# noqa`, next to another tool's code",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# genlint: ignore[GEN201]  # error: GEN002

model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget])
""",
            title="an own-line `ignore` with a blank line below it",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget])  # genlint: disable=GEN201  # error: GEN002
""",
            title="pylint's `disable=` spelling",
        ),
        Example(
            """\
from data_utils import one_pass

model.fit(one_pass(x_train, y_train, 32), epochs=5)
""",
            files={
                "data_utils.py": """\
# One pass per call: the training script builds a new generator for every epoch.
def one_pass(x, y, batch_size):  # genlint: ignore[finite-generater]  # error: GEN002
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="a misspelt rule name in the module where the finding is",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# `budget` sets model.stop_training after two hours, in the middle of the first epoch.
model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget])  # genlint: ignore[GEN201]
""",
            title="a known code at the end of the reported line",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# TimeBudget stops training in the middle of the first epoch.
# genlint: ignore[missing-steps-per-epoch]
model.fit(
    batches(x_train, y_train, 32),
    epochs=1,
    callbacks=[TimeBudget(hours=2)],
)
""",
            title="a rule name on its own line above a call over several lines",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


train, val = batches(x_train, y_train, 32), batches(x_val, y_val, 32)
model.fit(train, epochs=1, validation_data=val, callbacks=[budget])  # genlint: ignore[GEN201, GEN202]
""",
            title="two codes separated by a comma",
        ),
        Example(
            """\
#!/usr/bin/env python
\"\"\"Smoke test: one short epoch on an endless stream, stopped by a callback.\"\"\"
# genlint: ignore-file[GEN2]

import itertools


def stream(x, y):
    for index in itertools.cycle(range(len(x))):
        yield x[index:index + 1], y[index:index + 1]


model.fit(stream(x_train, y_train), epochs=1, callbacks=[stop_after_ten_batches])
""",
            title="a group in `ignore-file`, after the shebang and the module docstring",
        ),
        Example(
            """\
from data import *  # noqa: F403
import numpy as np  # noqa

model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)  # noqa: E501
""",
            title="`# noqa` for flake8 and ruff, with and without their codes",
        ),
        Example(
            """\
import argparse

parser = argparse.ArgumentParser(
    description="Train the model. Findings are silenced with `# genlint: ignore[CODE]`."
)
parser.add_argument("--epochs", type=int, default=5, help="# genlint: ignore is not a blanket")
options = parser.parse_args()
model.fit(x_train, y_train, epochs=options.epochs)
""",
            title="suppression syntax inside strings",
        ),
        Example(
            """\
import keras

# Checked with genlint: see the CI workflow.
# TODO(genlint): enable GEN108 once the loader shuffles per epoch.
loader = keras.utils.PyDataset()  # type: ignore[call-arg]  # pylint: disable=abstract-class-instantiated
model.fit(x_train, y_train, epochs=5)  # fmt: skip
""",
            title="prose about genlint and other tools' directives",
        ),
        Example(
            """\
from data_utils import one_pass

model.fit(one_pass(x_train, y_train, 32), epochs=5)
""",
            files={
                "data_utils.py": """\
# One pass per call: the training script builds a new generator for every epoch.
def one_pass(x, y, batch_size):  # genlint: ignore[finite-generator]
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="a valid suppression in the module where the finding is",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        """Nothing to do here: rules never read comments. The engine reports this rule's findings from
        `genlint.suppression`, which parses the comments, once every file has been linted."""
        return None
