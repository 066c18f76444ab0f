from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity, call_text, code_text, site


class SwallowedExceptionRule(Rule):
    """
    ## What it does
    Finds an `except` clause inside a generator that feeds Keras whose body does nothing but `pass`,
    `continue` or `...`: a bare `except:`, `except Exception:`, or a specific type such as
    `except FileNotFoundError:`.

    ## Why is this bad?
    The sample that failed to load just disappears. Batches come out shorter than the batch size, and when
    the inputs were appended before the failure but the targets were not, `x` and `y` of one batch have
    different lengths: Keras 3 stops mid-epoch with `TypeError: sub got incompatible shapes for
    broadcasting: (7, 1), (8, 1)` (JAX) or `InvalidArgumentError: Incompatible shapes` (TensorFlow), long
    after the real cause was hidden. When the shapes happen to line up, the model trains on fewer, skewed
    samples and nobody is told.

    ## Known limitations
    Handlers in helper functions that the generator calls are not followed.
    """

    code = "GEN102"
    name = "swallowed-exception"
    severity = Severity.WARNING
    message = (
        "`{handler}` in `{name}` ({where}) silently drops the failing sample while feeding `{call}` "
        "({call_site}): batches come out short, or x and y of one batch differ in length "
        "('incompatible shapes')"
    )

    invalid = (
        Example(
            """\
import numpy as np


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images = []
            for path in paths[start:start + batch_size]:
                try:
                    images.append(np.load(path))
                except FileNotFoundError:  # error: GEN102
                    pass
            yield np.array(images), labels[start:start + batch_size]


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
            title="a missing file drops an image but keeps its label",
        ),
    )
    valid = (
        Example(
            """\
import numpy as np


def load_batches(paths, labels, batch_size):
    while True:
        for start in range(0, len(paths), batch_size):
            images, targets = [], []
            for path, label in zip(paths[start:start + batch_size], labels[start:start + batch_size]):
                try:
                    images.append(np.load(path))
                except FileNotFoundError:
                    print(f"skipping missing {path}")
                    continue
                targets.append(label)
            yield np.array(images), np.array(targets)


model.fit(load_batches(paths, labels, 32), steps_per_epoch=len(paths) // 32, epochs=5)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        for consumer in model.consumers:
            for _role, source in consumer.fed_sources():
                generator = source.generator
                if generator is None:
                    continue
                for handler in generator.swallowed_handlers:
                    caught = code_text(handler.type, 40) if handler.type is not None else ""
                    body = code_text(handler.body[0], 20) if handler.body else "pass"
                    context.report(
                        handler,
                        handler=f"except{' ' + caught if caught else ''}: {body}",
                        name=generator.name,
                        where=site(handler, model.path),
                        call=call_text(consumer),
                        call_site=site(consumer.node, generator.path),
                    )
