from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity, endless_reason, missing_count


class MissingValidationStepsRule(Rule):
    """
    ## What it does
    Finds an infinite data source passed as `validation_data=` to `fit` without `validation_steps`, or with
    `validation_steps` set to `0` or `None`.

    ## Why is this bad?
    After the first training epoch Keras starts validating and never stops: the endless validation
    generator is drawn until the job is killed, with no message (Keras 3 ran 232,160 validation steps in
    60 seconds). The whole first epoch of training is spent before the hang. Keras 2 used to raise
    "you must specify a value for validation_steps"; Keras 3 and tf.keras don't.

    ## Known limitations
    Calls that pass `**kwargs` are left alone, since `validation_steps` may be inside them.
    """

    code = "GEN202"
    name = "missing-validation-steps"
    severity = Severity.ERROR
    message = "`{source}` never ends ({why}) and is the validation_data of `{call}`, which {problem}: {consequence}"
    help = "pass validation_steps=math.ceil(number_of_validation_samples / batch_size)"

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(  # error: GEN202
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=batches(x_val, y_val, 32),
    epochs=10,
)
""",
            title="an endless validation generator",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(
    batches(x_train, y_train, 32),
    steps_per_epoch=len(x_train) // 32,
    validation_data=batches(x_val, y_val, 32),
    validation_steps=len(x_val) // 32,
    epochs=10,
)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            source = consumer.validation_data
            if consumer.base_method != "fit" or source is None or not source.is_infinite:
                continue
            missing = missing_count(consumer, "validation_steps")
            if missing is None:
                continue
            problem, node = missing
            context.report(
                node,
                source=source.text,
                why=endless_reason(source, model.path),
                call=f"{consumer.method}()",
                problem=problem,
                consequence="the first validation never ends; Keras hangs after a full epoch of training",
            )
