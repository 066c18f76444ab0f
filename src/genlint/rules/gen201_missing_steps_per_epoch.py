from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity, endless_reason, missing_count


class MissingStepsPerEpochRule(Rule):
    """
    ## What it does
    Finds an infinite data source (a generator with `while True`, or one built on `itertools.cycle`) that
    feeds `fit` without `steps_per_epoch`, or `evaluate` / `predict` without `steps`, or with that argument
    set to `0` or `None`.

    ## Why is this bad?
    Keras cannot know where an epoch of an endless stream ends, so it keeps drawing batches: the first
    epoch never ends and the job hangs with no message at all (Keras 3 ran 89,187 training steps in 60
    seconds of epoch 1 before it was killed; `evaluate` and `predict` hang the same way, and `predict`
    keeps piling up outputs until memory runs out). Keras 3 treats `steps_per_epoch=0` like `None`, so a
    step count computed as `len(x) // batch_size` with fewer samples than the batch size hangs too.

    ## Known limitations
    Calls that pass `**kwargs` are left alone, since the steps may be inside them.
    """

    code = "GEN201"
    name = "missing-steps-per-epoch"
    severity = Severity.ERROR
    message = "`{source}` never ends ({why}) and `{call}` {problem}: {consequence}"
    help = "pass {steps}=math.ceil(number_of_samples / batch_size)"

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), epochs=10)  # error: GEN201
""",
            title="an endless generator and no steps_per_epoch",
        ),
    )
    valid = (
        Example(
            """\
import math


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=math.ceil(len(x_train) / 32), epochs=10)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            source = consumer.data
            if source is None or not source.is_infinite:
                continue
            missing = missing_count(consumer, consumer.steps_name)
            if missing is None:
                continue
            problem, node = missing
            phase = "the first epoch" if consumer.base_method == "fit" else f"`{consumer.base_method}`"
            context.report(
                node,
                source=source.text,
                why=endless_reason(source, model.path),
                call=f"{consumer.method}()",
                problem=problem,
                consequence=f"{phase} never ends; Keras hangs with no message",
                steps=consumer.steps_name,
            )
