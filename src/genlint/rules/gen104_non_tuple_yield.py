from __future__ import annotations

from genlint.analysis.model import FileModel, YieldShape
from genlint.rules.base import Example, Rule, RuleContext, Severity, call_text, site


class NonTupleYieldRule(Rule):
    """
    ## What it does
    Finds a data source that yields a list (`yield [x, y]`) or a bare dict (`yield {"image": x, "label": y}`)
    where Keras needs a tuple.

    ## Why is this bad?
    Keras 3 accepts only a tuple as a batch: `(inputs,)`, `(inputs, targets)` or
    `(inputs, targets, sample_weights)`. For a list or a dict it raises `ValueError: When passing a Python
    generator to a Keras model, the generator must return a tuple, either (input,) or (inputs, targets) …
    Received: [array(…`. Only the first batch is checked, so a list yielded later in the stream slips
    through on JAX and fails mid-epoch on the TensorFlow backend. tf.keras converted lists to tuples, which
    is why this code used to work. Named inputs go in a dict inside the tuple: `({"image": x}, y)`.

    ## Fix safety
    No automatic fix yet: turning `[x, y]` into `(x, y)` is safe and will be offered by `--fix`.
    """

    code = "GEN104"
    name = "non-tuple-yield"
    severity = Severity.ERROR
    message = "`{source}` yields a {kind} (`{value}`, {where}) to `{call}` ({call_site}): {consequence}"

    invalid = (
        Example(
            """\
def pairs(x, y, batch_size):
    while True:
        for start in range(0, len(x), batch_size):
            yield [x[start:start + batch_size], y[start:start + batch_size]]  # error: GEN104


model.fit(pairs(x_train, y_train, 32), steps_per_epoch=len(x_train) // 32, epochs=3)
""",
            title="a list instead of a tuple",
        ),
    )
    valid = (
        Example(
            """\
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
                path = source.generator.path if source.generator else model.path
                for fact in source.yields:
                    if fact.shape not in (YieldShape.LIST, YieldShape.DICT):
                        continue
                    if fact.shape is YieldShape.LIST:
                        consequence = (
                            "Keras 3 raises ValueError: the generator must return a tuple; "
                            "write `(x, y)` instead of `[x, y]`"
                        )
                    else:
                        consequence = (
                            "Keras 3 raises ValueError: the generator must return a tuple; "
                            "put the dict inside one, e.g. `(inputs, targets)`"
                        )
                    context.report(
                        fact.node,
                        source=source.generator.name if source.generator else source.text,
                        kind="list" if fact.shape is YieldShape.LIST else "bare dict",
                        value=fact.text if len(fact.text) <= 40 else fact.text[:39] + "…",
                        where=site(fact.node, model.path),
                        call=call_text(consumer),
                        call_site=site(consumer.node, path),
                        consequence=consequence,
                    )
