from __future__ import annotations

from typing import TYPE_CHECKING

from genlint.rules.base import Example, Rule, RuleContext, Severity

if TYPE_CHECKING:  # the engine reports this rule from the comments, also when every result comes from the cache
    from genlint.analysis.model import FileModel


class UnusedSuppressionRule(Rule):
    """
    ## What it does
    Reports a rule named in a suppression comment that hid no finding where the comment applies. The
    comment is `# genlint: ignore[…]`, `# genlint: ignore-file[…]`, or a `GEN` code in `# noqa: …`; the
    code was fixed since, the comment sits on another line than the finding, or it names another rule
    than the one reported. Each rule in a comment is judged on its own, so `ignore[GEN201, GEN202]` where
    only GEN201 fires reports `GEN202`. Off by default: turn it on with `--extend-select GEN003`.

    ## Why is this bad?
    A stale suppression hides the next real finding on its line: after the generator was fixed, a new
    call there without `steps_per_epoch` would hang Keras with no message while genlint stays silent.
    It also tells readers that a problem is present and accepted when it is not. Keras never sees
    comments: this is about keeping genlint's own suppressions honest.

    ## Known limitations
    A rule is judged only when it ran on the file (a rule that is off, such as GEN108 by default, or
    that failed, is not; a group such as `GEN1` only when every rule in it ran), and only in the linted
    files. A finding in a module can come from a call in
    another module (a finite generator fed to `fit` elsewhere): its suppression counts as used only when
    the module with the call is linted in the same run, so run GEN003 on the whole project, not on a
    list of changed files. Suppressions naming GEN003 itself are never reported.
    """

    code = "GEN003"
    name = "unused-suppression"
    severity = Severity.INFO
    default_enabled = False
    message = "`{entry}` in `{directive}` suppressed no finding {scope}: remove it, so that it cannot hide a later one"
    help = "delete the stale rule from the comment (and the comment, when it names no other rule)"

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = len(x_train) // 32
model.fit(batches(x_train, y_train, 32), steps_per_epoch=steps, epochs=5)  # genlint: ignore[GEN201]  # error: GEN003
""",
            title="a suppression left behind after the fix",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# genlint: ignore[missing-steps-per-epoch]  # error: GEN003
history = model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, epochs=5)
""",
            title="an own-line suppression above a call that is correct",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(  # genlint: ignore[GEN201, GEN202]  # error: GEN003
    batches(x_train, y_train, 32),
    epochs=1,
    validation_data=(x_val, y_val),
    callbacks=[budget],
)
""",
            title="one of two codes is not needed (`validation_data` is arrays)",
        ),
        Example(
            """\
\"\"\"Train on the nightly export.\"\"\"
# genlint: ignore-file[GEN4]  # error: GEN003

import numpy as np


def batches(x, y, batch_size):
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x), batch_size):
            yield x[order[start:start + batch_size]], y[order[start:start + batch_size]]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="a file-wide group for rules about `Sequence` classes, in a file with none",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=100, verbose=2)  # noqa: E501, GEN201  # error: GEN003
""",
            title="a genlint code in a `# noqa` on a correct line",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    epochs=1,
    callbacks=[budget],
)  # genlint: ignore[GEN201]  # error: GEN003
""",
            title="a suppression on the closing line of a call reported at its first line",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# genlint: ignore[GEN202]  # error: GEN003
model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget])
""",
            title="a suppression that names another rule than the one reported",
        ),
        Example(
            """\
import itertools


# genlint: ignore[finite-generator]  # error: GEN003
def batches(x, y, batch_size):
    for start in itertools.cycle(range(0, len(x), batch_size)):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="a generator that has been made endless since",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


steps = len(x_train) // 32
model.fit(batches(x_train, y_train, 32), steps_per_epoch=steps, epochs=5)
""",
            title="the comment removed together with the bug",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget])  # genlint: ignore[GEN201]
""",
            title="a suppression that hides the finding on its line",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


# The TimeBudget callback stops training in the middle of the first epoch.
# genlint: ignore[missing-steps-per-epoch, missing-validation-steps]
model.fit(
    batches(x_train, y_train, 32),
    epochs=1,
    validation_data=batches(x_val, y_val, 32),
    callbacks=[TimeBudget(hours=2)],
)
""",
            title="an own-line suppression for a call over several lines, both rules used",
        ),
        Example(
            """\
from data_utils import one_pass

model.fit(one_pass(x_train, y_train, 32), epochs=5)
""",
            files={
                "data_utils.py": """\
# One pass per call: the training script builds a new generator for every epoch.
def one_pass(x, y, batch_size):  # genlint: ignore[GEN101]
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]
""",
            },
            title="a suppression in the module where the finding is reported",
        ),
        Example(
            """\
\"\"\"Smoke test: one short epoch on an endless stream, stopped by a callback.\"\"\"
# genlint: ignore-file[GEN2]

import itertools


def stream(x, y):
    for index in itertools.cycle(range(len(x))):
        yield x[index:index + 1], y[index:index + 1]


model.fit(stream(x_train, y_train), epochs=1, callbacks=[stop_after_ten_batches])
""",
            title="a file-wide group that hides a finding",
        ),
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), epochs=1, callbacks=[budget], verbose=2)  # noqa: E501, GEN201
""",
            title="a `# noqa` whose genlint code is used (E501 is flake8's business)",
        ),
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):
    order = np.random.permutation(len(x))  # genlint: ignore[GEN108]
    while True:
        for start in range(0, len(x), batch_size):
            yield x[order[start:start + batch_size]], y[order[start:start + batch_size]]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="a suppression for a rule that is off (GEN108) is not judged",
        ),
        Example(
            """\
from data import *  # noqa
import numpy as np  # noqa: F401

model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
            title="`# noqa` comments of flake8 and ruff",
        ),
        Example(
            """\
from profiling import timed


# A smoke test of the training loop: only the first epoch's numbers are read.
# genlint: ignore[finite-generator]
@timed
def one_pass(batch_size):
    for start in range(0, len(x_train), batch_size):
        yield x_train[start:start + batch_size], y_train[start:start + batch_size]


model.fit(one_pass(32), epochs=3)
""",
            title="an own-line suppression above a decorated generator",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        """Nothing to do here: rules never read comments. The engine reports this rule's findings from
        `genlint.suppression` once every other rule has run on every file, since a finding in one module
        can come from a call in another."""
        return None
