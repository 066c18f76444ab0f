from __future__ import annotations

from genlint.analysis.model import FileModel
from genlint.rules.base import Example, Rule, RuleContext, Severity


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that genlint cannot parse: a syntax error, null bytes, bytes that are not valid in the
    file's encoding, or a file that cannot be read at all.

    ## Why is this bad?
    Python itself refuses to run such a file (`SyntaxError`, `ValueError: source code string cannot contain
    null bytes`, `SyntaxError: (unicode error)`), so the training job dies before Keras sees any data, and
    genlint cannot check any of its input pipelines. The run goes on with the other files.
    """

    code = "GEN001"
    name = "syntax-error"
    severity = Severity.ERROR
    message = "{reason}: the file cannot be parsed, so genlint could not check it"

    invalid = (
        Example(
            """\
model.fit(batches(), steps_per_epoch=10, epochs=3  # error: GEN001
""",
            title="an unclosed call",
        ),
    )
    valid = (
        Example(
            """\
model.fit(batches(), steps_per_epoch=10, epochs=3)
""",
        ),
    )

    def check(self, model: FileModel, context: RuleContext) -> None:
        problem = model.syntax_problem
        if problem is not None:
            context.report_at(model.path, problem.line, problem.column, reason=problem.message)
