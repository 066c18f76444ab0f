"""The rule contract: every rule, built in or third-party, is a `Rule` subclass."""

from __future__ import annotations

import enum
import inspect
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from astroid import nodes

from genlint.analysis.model import Consumer, DataSource, FileModel, SourceKind, source_text


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FixSafety(enum.Enum):
    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"


class Edit(NamedTuple):
    """Replace the text from (line, column) up to, not including, (end_line, end_column); 1-based lines and
    1-based character columns, as diagnostics count them."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    """How to repair one finding: its edits are applied together or not at all. Whether `--fix` applies it
    (safe) or only `--unsafe-fixes` does comes from the rule's `fix_safety`."""

    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Ordered by place so that output is deterministic."""

    path: str
    line: int
    column: int  # 1-based
    code: str
    message: str
    name: str = field(compare=False)
    severity: Severity = field(compare=False)
    end_line: int = field(compare=False, default=0)
    end_column: int = field(compare=False, default=0)
    help: str = field(compare=False, default="")
    fix: Fix | None = field(compare=False, default=None)


@dataclass(frozen=True)
class Example:
    """A snippet that doubles as a test and as documentation.

    `code` is the linted file `train.py`; `files` are more modules of the same project (path → source).
    Invalid examples mark each expected finding with a trailing `# error: GENxxx` comment, in any file.
    """

    code: str
    files: Mapping[str, str] = field(default_factory=dict)
    title: str = ""
    # True when `code` runs as a tiny real training job after the `keras` test tier's prelude, which
    # defines `np`, `keras`, `math`, `itertools`, `functools`, a compiled `model` (4 features → 1 output,
    # sgd / mse) and float32 arrays `x_train`, `y_train` (96 rows), `x_val`, `y_val`, `x_test`, `y_test`
    # (32 rows each). See tests/keras/.
    runs: bool = False
    # For an invalid example of a rule with a fix: what `train.py` reads after `genlint --fix` (with
    # `--unsafe-fixes` for an unsafe rule), markers and all; `fixed_files` likewise for the other files that
    # the fix changes. `fixed == code` says that this example offers no fix (e.g. the repair is ambiguous).
    fixed: str | None = None
    fixed_files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KerasSymptom:
    """What real Keras 3 does with a rule's runnable invalid example; the `keras` test tier checks it.

    Exactly one of: an exception (`exception` type name, with a `message` fragment), a `warning` whose
    text contains `message` while training completes, or a `hang` that only the timeout ends.
    """

    exception: str = ""
    message: str = ""
    warning: bool = False
    hang: bool = False


class Rule:
    """Base class. Subclasses set the class attributes and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]  # str.format template with named fields only
    help: ClassVar[str] = ""
    default_enabled: ClassVar[bool] = True
    fix_safety: ClassVar[FixSafety] = FixSafety.NONE
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()
    symptom: ClassVar[KerasSymptom | None] = None  # required for error-severity rules

    def check(self, model: FileModel, context: RuleContext) -> None:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


class RuleContext:
    """Collects the diagnostics that one rule reports on one file."""

    def __init__(self, rule: Rule, display: Callable[[str], str], target: str = "keras3") -> None:
        self.rule = rule
        self.target = target  # "keras3" or "tf-keras": the Keras the linted code runs on
        self.diagnostics: list[Diagnostic] = []
        self._display = display

    def report(self, node: nodes.NodeNG, **fields: Any) -> None:
        """Report at `node`, which may live in another file than the one being linted.

        `severity=` and `fix=` are passed on to `report_at`."""
        path = node.root().file or ""
        line = node.lineno or 1
        column = character_column(node, line, node.col_offset or 0) + 1
        end_line, end_column = _span_end(node, line, column)
        self.report_at(path, line, column, end_line=end_line, end_column=end_column, **fields)

    def report_at(
        self,
        path: str,
        line: int,
        column: int,
        *,
        end_line: int = 0,
        end_column: int = 0,
        severity: Severity | None = None,
        fix: Fix | None = None,
        **fields: Any,
    ) -> None:
        """Report at a place; `severity` overrides the rule's own for this one finding (e.g. by target);
        `fix` repairs it, with edits in the file at `path`."""
        rule = self.rule
        self.diagnostics.append(
            Diagnostic(
                path=self._display(path),
                line=line,
                column=column,
                code=rule.code,
                message=rule.message.format(**fields),
                name=rule.name,
                severity=severity or rule.severity,
                end_line=end_line or line,
                end_column=end_column or column,
                help=rule.help.format(**fields) if rule.help else "",
                fix=fix,
            )
        )


def _span_end(node: nodes.NodeNG, line: int, column: int) -> tuple[int, int]:
    """Where the highlighted span ends: a compound statement is marked by its header keyword only."""
    if isinstance(node, (nodes.FunctionDef, nodes.ClassDef)):
        keyword = "class " if isinstance(node, nodes.ClassDef) else "def "
        prefix = "async " if isinstance(node, nodes.AsyncFunctionDef) else ""
        return line, column + len(prefix + keyword + node.name)
    if isinstance(node, nodes.ExceptHandler):
        return line, column + len("except")
    if isinstance(node, (nodes.While, nodes.For, nodes.If, nodes.With, nodes.Try)):
        return line, column + len(type(node).__name__.lower())
    end_line = node.end_lineno or line
    return end_line, character_column(node, end_line, node.end_col_offset or 0) + 1


def node_span(node: nodes.NodeNG) -> tuple[int, int, int, int]:
    """A node's whole text as (line, column, end line, end column), 1-based character columns."""
    line = node.lineno or 1
    end_line = node.end_lineno or line
    column = character_column(node, line, node.col_offset or 0) + 1
    return line, column, end_line, character_column(node, end_line, node.end_col_offset or 0) + 1


def argument_removal(call: nodes.Call, value: nodes.NodeNG) -> Edit | None:
    """The edit that removes the keyword argument whose value is `value` from `call`, with its comma, and
    leaves the other arguments as written; None when it is the call's only argument or not a keyword."""
    keyword = value.parent
    if not isinstance(keyword, nodes.Keyword) or keyword.parent is not call:
        return None
    written = sorted([*call.args, *(call.keywords or [])], key=lambda node: (node.lineno, node.col_offset))
    index = next(position for position, node in enumerate(written) if node is keyword)
    line, column, end_line, end_column = node_span(keyword)
    lines = _source_lines(call)
    if len(written) > 1 and end_line < len(lines):
        before, after = lines[line - 1][: column - 1], lines[end_line - 1][end_column - 1 :]
        if not before.strip() and re.fullmatch(r"\s*,?\s*(#.*)?", after):  # on lines of its own: drop them
            return Edit(line, 1, end_line + 1, 1, "")
    if index + 1 < len(written):  # `keyword, next` → `next`
        next_line, next_column, _, _ = node_span(written[index + 1])
        return Edit(line, column, next_line, next_column, "")
    if index > 0:  # `previous, keyword` → `previous` (a trailing comma after `keyword` stays)
        _, _, previous_line, previous_column = node_span(written[index - 1])
        return Edit(previous_line, previous_column, end_line, end_column, "")
    return None


def _source_lines(node: nodes.NodeNG) -> list[str]:
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return []
    return re.split(r"\r\n|\r|\n", source.decode("utf-8", errors="replace"))


def character_column(node: nodes.NodeNG, line: int, byte_offset: int) -> int:
    """astroid columns count UTF-8 bytes; users (and GEN001) count characters."""
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes) or byte_offset == 0:
        return byte_offset
    lines = source.splitlines()
    if not 1 <= line <= len(lines) or lines[line - 1].isascii():
        return byte_offset
    return len(lines[line - 1][:byte_offset].decode("utf-8", errors="replace"))


def display_path(path: str) -> str:
    """A path as the user should read it: relative to the working folder when below it."""
    if not path:
        return path
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path


def code_text(node: nodes.NodeNG, limit: int = 60) -> str:
    """Source text of a node for messages, shortened to one readable line."""
    return source_text(node, limit)


def location_text(node: nodes.NodeNG) -> str:
    """`data_utils.py:9`: where a node lives, for messages."""
    return f"{os.path.basename(node.root().file or '?')}:{node.lineno}"


def site(node: nodes.NodeNG, home: str) -> str:
    """`line 9` inside the linted file `home`, `data_utils.py:9` elsewhere."""
    path = node.root().file or ""
    if os.path.abspath(path) == os.path.abspath(home):
        return f"line {node.lineno}"
    return location_text(node)


def call_text(consumer: Consumer, *shown: str, role: str = "x") -> str:
    """`fit(epochs=8)`: the consumer with the arguments that matter to a message, as written.

    A source that is the `validation_data` says so: `fit(validation_data=…)`.
    """
    if role != "x" and role not in shown:
        shown = (*shown, role)
    parts = []
    for name in shown:
        argument = consumer.arguments.get(name)
        if argument is not None:
            written = code_text(argument.node, 40)
            value = consumer.value(name)
            if value is not None and value.number is not None:
                written = str(value.number)  # `epochs=EPOCHS` reads best as the number it is
            parts.append(f"{name}={written}")
    return f"{consumer.method}({', '.join(parts)})"


def missing_count(consumer: Consumer, name: str) -> tuple[str, nodes.NodeNG] | None:
    """How a step-count argument fails to bound an endless source: absent, `0` or `None`.

    Returns the problem in words and the node to report at, or None when the argument is fine or may be
    hidden in `**kwargs`.
    """
    argument = consumer.arguments.get(name)
    if argument is None:
        return None if consumer.unresolved_extras else (f"has no `{name}`", consumer.node)
    value = consumer.value(name)
    if value is not None and value.is_zero_or_none:
        shown = code_text(argument.node, 40)
        computed = "" if value.text == shown else f" (`{value.text}`"
        if computed and value.number is not None:
            computed += f" = {value.number}"
        computed += ")" if computed else ""
        return f"has `{name}={shown}`{computed}", argument.node
    return None


def endless_reason(source: DataSource, home: str) -> str:
    """Why a source never ends, e.g. "unbounded loop in `batches`, line 4"."""
    generator = source.generator
    if source.kind is SourceKind.DATASET:
        return "the pipeline ends in `.repeat()` with no count"
    if generator is None:
        return "it iterates an endless iterator"
    loop = generator.unbounded_loop or generator.node
    what = "`yield from` an endless iterator" if isinstance(loop, nodes.YieldFrom) else "unbounded loop"
    return f"{what} in `{generator.name}`, {site(loop, home)}"


def method_name_span(consumer: Consumer) -> tuple[int, int, int]:
    """Line and 1-based start/end columns of the method name in `receiver.method(...)`."""
    func = consumer.node.func
    line = func.end_lineno or func.lineno or 1
    end_column = character_column(func, line, func.end_col_offset or 0) + 1
    return line, end_column - len(consumer.method), end_column


def legacy_call_fix(consumer: Consumer) -> Fix | None:
    """`fit_generator(generator=g)` → `fit(x=g)`: the rename, when no positional argument after the first
    would bind to another parameter of the new method (`fit_generator(g, 100)` means steps, `fit(g, 100)` y)."""
    call = consumer.node
    if len(call.args) > 1 or any(isinstance(argument, nodes.Starred) for argument in call.args):
        return None
    line, column, end_column = method_name_span(consumer)
    edits = [Edit(line, column, line, end_column, consumer.base_method)]
    keywords = {keyword.arg: keyword for keyword in call.keywords or []}
    generator = keywords.get("generator")
    if generator is not None:
        if "x" in keywords or call.args:
            return None
        start_line, start_column, _, _ = node_span(generator)
        edits.append(Edit(start_line, start_column, start_line, start_column + len("generator"), "x"))
    return Fix(f"call `{consumer.base_method}`", tuple(edits))


def removal_status(method: str, target: str) -> str:
    """What became of a Keras 2 `*_generator` method, on the target the code runs on."""
    if target == "tf-keras":
        replacement = method.removesuffix("_generator")
        return f"is deprecated since tf.keras 2.1 (it warns, then calls `{replacement}`) and is gone in Keras 3"
    return f"was removed in Keras 3, which raises AttributeError: object has no attribute '{method}'"
