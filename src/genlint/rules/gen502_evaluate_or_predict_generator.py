from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity, method_name_span


class EvaluateOrPredictGeneratorRule(Rule):
    """
    ## What it does
    Finds calls of `evaluate_generator(...)` and `predict_generator(...)`.

    ## Why is this bad?
    Both were deprecated in tf.keras 2.1 and removed in Keras 3, where the call fails at once with
    `AttributeError: 'Sequential' object has no attribute 'evaluate_generator'` (or `'predict_generator'`).
    `evaluate` and `predict` accept generators directly.

    ## Fix safety
    No automatic fix yet: the rename is safe and will be offered by `--fix`.
    """

    code = "GEN502"
    name = "evaluate-or-predict-generator"
    severity = Severity.ERROR
    message = (
        "`{receiver}.{method}()` was removed in Keras 3, which raises AttributeError: object has no "
        "attribute '{method}'; call `{receiver}.{replacement}()`, which accepts generators"
    )

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate_generator(batches(x_test, y_test, 64), steps=len(x_test) // 64)  # error: GEN502
""",
            title="the Keras 2 evaluation call",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


loss = model.evaluate(batches(x_test, y_test, 64), steps=len(x_test) // 64)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.method in ("evaluate_generator", "predict_generator"):
                line, column, end_column = method_name_span(consumer)
                context.report_at(
                    model.path,
                    line,
                    column,
                    end_line=line,
                    end_column=end_column,
                    receiver=consumer.receiver,
                    method=consumer.method,
                    replacement=consumer.base_method,
                )
