from __future__ import annotations

from genlint.analysis.model import FileModel, ValueType
from genlint.rules.base import Example, Rule, RuleContext, Severity, code_text

STEP_ARGUMENTS = ("steps_per_epoch", "validation_steps", "steps")


class FloatStepsRule(Rule):
    """
    ## What it does
    Finds `steps_per_epoch`, `validation_steps` or `steps` computed as a float: a true division
    (`len(x) / batch_size`), `np.ceil` / `np.floor` (which return NumPy floats), a float constant, or a
    name bound to one of those.

    ## Why is this bad?
    Keras 3 counts steps with `range()`, which refuses floats even when they are whole (`96 / 32 == 3.0`):
    `TypeError: 'float' object cannot be interpreted as an integer` (or `'numpy.float64' object cannot be
    interpreted as an integer` for `np.ceil`). For `validation_steps` the error only comes after the whole
    first training epoch. tf.keras accepted floats silently, so this breaks code on its way to Keras 3.
    `math.ceil(a / b)` and `a // b` return ints.

    ## Fix safety
    No automatic fix yet: `math.ceil(a / b)`, or `int(...)` around `np.ceil(...)`, will be offered by `--fix`.
    """

    code = "GEN301"
    name = "float-steps"
    severity = Severity.ERROR
    message = "`{argument}={expression}` is a float ({reason}) in `{call}`: {consequence}"
    help = "use math.ceil(a / b) for a whole number of steps that covers every sample"

    invalid = (
        Example(
            """\
BATCH_SIZE = 32
steps = len(x_train) / BATCH_SIZE

model.fit(train_batches, steps_per_epoch=steps, epochs=10)  # error: GEN301
""",
            title="true division through a variable",
        ),
    )
    valid = (
        Example(
            """\
import math

BATCH_SIZE = 32
steps = math.ceil(len(x_train) / BATCH_SIZE)

model.fit(train_batches, steps_per_epoch=steps, epochs=10)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for name in STEP_ARGUMENTS:
                value = consumer.value(name)
                if value is None or value.type is not ValueType.FLOAT:
                    continue
                consequence = "Keras 3 raises TypeError: 'float' object cannot be interpreted as an integer"
                if name == "validation_steps":
                    consequence += ", after the whole first training epoch"
                shown = code_text(value.node, 50)
                reason = value.float_reason or "a float"
                if value.text and value.text != shown and value.text not in reason:
                    reason = f"`{shown}` is `{value.text}`: {reason}"
                context.report(
                    value.node,
                    argument=name,
                    expression=shown,
                    reason=reason,
                    call=f"{consumer.method}()",
                    consequence=consequence,
                )
