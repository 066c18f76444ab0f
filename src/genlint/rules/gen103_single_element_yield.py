from __future__ import annotations

from genlint.analysis.model import Consumer, DataSource, FileModel, YieldFact, YieldShape
from genlint.rules.base import Example, Rule, RuleContext, Severity, call_text, site


class SingleElementYieldRule(Rule):
    """
    ## What it does
    Finds a data source whose batches are a bare value (`yield x`) or a 1-tuple (`yield (x,)`) while it
    feeds `fit` or `evaluate`, which need targets; and a bare value fed to `predict`.

    ## Why is this bad?
    Keras 3 checks the first batch of every Python generator and raises before training starts:
    `ValueError: When passing a Python generator to a Keras model, the generator must return a tuple,
    either (input,) or (inputs, targets) or (inputs, targets, sample_weights). Received: …`. That check
    runs for `predict` as well, so a bare value fails there too (a 1-tuple `(x,)` is the right shape for
    `predict`). A 1-tuple given to `fit` passes the check but has no targets: Keras 3 fails with an obscure
    `ValueError: None is not a valid value for jnp.array` (JAX) or `None values not supported` (TF).

    ## Known limitations
    A generator whose yields differ in shape (for example `yield x` in a predict mode and `yield x, y`
    otherwise) is left alone, and so is a 1-tuple fed to a model whose class overrides `train_step` /
    `test_step`, which may not need targets.
    """

    code = "GEN103"
    name = "single-element-yield"
    severity = Severity.ERROR
    message = "`{source}` yields {what} (`{value}`, {where}) to `{call}` ({call_site}): {consequence}"

    invalid = (
        Example(
            """\
import numpy as np


def images_only(x, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size]  # error: GEN103


model.fit(images_only(x_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            title="the targets were forgotten",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


model.fit(pairs(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for _role, source in consumer.fed_sources():
                for fact in _offending_yields(consumer, source):
                    self._report(model, context, consumer, source, fact)

    def _report(
        self, model: FileModel, context: RuleContext, consumer: Consumer, source: DataSource, fact: YieldFact
    ) -> None:
        if fact.shape is YieldShape.BARE:
            what = "a bare value, not a tuple"
            consequence = (
                "Keras 3 raises ValueError: the generator must return a tuple, "
                "either (input,) or (inputs, targets)"
            )
        else:
            what = "a 1-tuple with no targets"
            consequence = "Keras 3 has no targets to train on and fails with an obscure ValueError about None"
        path = source.generator.path if source.generator else model.path
        context.report(
            fact.node,
            source=source.generator.name if source.generator else source.text,
            what=what,
            value=fact.text if len(fact.text) <= 40 else fact.text[:39] + "…",
            where=site(fact.node, model.path),
            call=call_text(consumer),
            call_site=site(consumer.node, path),
            consequence=consequence,
        )


def _offending_yields(consumer: Consumer, source: DataSource) -> list[YieldFact]:
    """Every yield of the source, when all of them are single elements the consumer cannot use."""
    yields = [fact for fact in source.yields if fact.shape is not YieldShape.DELEGATED]
    if not yields or len(yields) != len(source.yields):
        return []
    step = {"fit": "train_step", "evaluate": "test_step"}.get(consumer.base_method)
    needs_targets = step is not None and step not in consumer.custom_steps
    offending = [
        fact
        for fact in yields
        if fact.shape is YieldShape.BARE or (needs_targets and fact.shape is YieldShape.TUPLE and fact.arity == 1)
    ]
    return offending if len(offending) == len(yields) else []
