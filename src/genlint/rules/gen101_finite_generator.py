from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, GeneratorFunction, ValueType
from genlint.rules.base import Example, Rule, RuleContext, Severity, call_text, site


class FiniteGeneratorRule(Rule):
    """
    ## What it does
    Finds a generator that runs out, because it has no unbounded loop (`while True`, `while 1`,
    `itertools.cycle` / `itertools.count`) or because a `return` or `break` leaves that loop, while it
    feeds `fit` for more than one epoch, as `x` or as `validation_data`.

    ## Why is this bad?
    Keras pulls one generator object through every epoch. Once it is exhausted, Keras 3 prints
    `UserWarning: Your input ran out of data; interrupting training` but does not stop: later epochs train
    on 0 to 2 replayed batches, silently, while the progress bar and `History` still show every epoch
    (a 10-batch generator with `steps_per_epoch=5, epochs=5` trained 5, 5, 0, 2, 2 steps). A finite
    validation generator is validated in full only once; later epochs validate the same 2 replayed
    batches. tf.keras stops training early instead.

    ## Fix safety
    No automatic fix yet. Wrap the batch loop in `while True:` so that the generator starts a new pass
    over the data whenever the last one ends.

    ## Known limitations
    A generator whose loop length genlint cannot see (a `while` loop with a computed condition, a loop
    over an iterator it cannot resolve) is left alone.
    """

    code = "GEN101"
    name = "finite-generator"
    severity = Severity.WARNING
    message = (
        "`{name}` ({where}) {problem} but feeds {role}`{call}` ({call_site}): {consequence}"
    )

    invalid = (
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):  # error: GEN101
    for start in range(0, len(x), batch_size):
        yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
            title="a single pass over the data",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def batches(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(batches(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=10)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            if consumer.base_method != "fit" or not _more_than_one_epoch(consumer):
                continue
            for role, source in consumer.fed_sources():
                if source.is_finite and source.generator is not None:
                    self._report(model, context, consumer, role, source, source.generator)

    def _report(
        self,
        model: FileModel,
        context: RuleContext,
        consumer: Consumer,
        role: str,
        source: DataSource,
        generator: GeneratorFunction,
    ) -> None:
        if generator.loop_exits:
            exit_node = generator.loop_exits[0]
            keyword = "return" if exit_node.__class__.__name__ == "Return" else "break"
            problem = f"leaves its unbounded loop with `{keyword}` ({site(exit_node, generator.path)})"
        else:
            problem = "has no unbounded loop (`while True`)"
        epochs = consumer.value("epochs")
        if role == "validation_data":
            consequence = (
                "it is exhausted after the first validation, and Keras 3 validates every later epoch "
                "on the same 2 replayed batches"
            )
        else:
            consequence = (
                "Keras 3 warns 'Your input ran out of data' after the first pass and trains the later "
                "epochs on 0-2 replayed batches"
            )
            if epochs is None or epochs.type is ValueType.UNKNOWN:
                consequence = "if epochs > 1, " + consequence
        context.report(
            generator.node,
            name=generator.name,
            where=site(generator.node, model.path),
            problem=problem,
            role="validation_data of " if role == "validation_data" else "",
            call=call_text(consumer, "epochs"),
            call_site=site(consumer.node, generator.path),
            consequence=consequence,
        )


def _more_than_one_epoch(consumer: Consumer) -> bool:
    """True when `epochs` (minus `initial_epoch`) is more than one, or unknown."""
    epochs = consumer.value("epochs")
    if epochs is None:
        return consumer.unresolved_extras
    if epochs.number is None:
        return epochs.type is not ValueType.NONE
    initial = consumer.value("initial_epoch")
    start = initial.number if initial is not None and initial.number is not None else 0
    return epochs.number - start > 1
