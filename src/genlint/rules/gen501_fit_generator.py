from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity, method_name_span


class FitGeneratorRule(Rule):
    """
    ## What it does
    Finds calls of `fit_generator(...)`.

    ## Why is this bad?
    `Model.fit_generator` was deprecated in tf.keras 2.1 and removed in Keras 3, where the call fails at
    once with `AttributeError: 'Sequential' object has no attribute 'fit_generator'` (or `'Functional'
    object …`). `fit` has accepted generators, `Sequence` / `PyDataset` objects and `tf.data` datasets
    since then; the legacy `workers`, `use_multiprocessing` and `max_queue_size` arguments belong to the
    `PyDataset` constructor in Keras 3.

    ## Fix safety
    No automatic fix yet: renaming to `fit` (and `generator=` to `x=`) is safe and will be offered by `--fix`.
    """

    code = "GEN501"
    name = "fit-generator"
    severity = Severity.ERROR
    message = (
        "`{receiver}.fit_generator()` was removed in Keras 3, which raises AttributeError: "
        "object has no attribute 'fit_generator'; call `{receiver}.fit()`, which accepts generators"
    )

    invalid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit_generator(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)  # error: GEN501
""",
            title="the Keras 2 training call",
        ),
    )
    valid = (
        Example(
            """\
def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=5)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.method == "fit_generator":
                line, column, end_column = method_name_span(consumer)
                context.report_at(
                    model.path, line, column, end_line=line, end_column=end_column, receiver=consumer.receiver
                )
