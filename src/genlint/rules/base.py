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

from genlint.analysis.model import Consumer, DataSource, FileModel, Finiteness, SourceKind, source_text


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
    # In a Jupyter notebook: the cell (1-based among all cells), and `line` counts within it; 0 elsewhere.
    cell: int = field(default=0, kw_only=True)
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
        layout = re.fullmatch(r"\s*(,?)\s*(#.*)?", after)
        # On lines of its own, with its comma (or last: no comma to take): drop the lines. A comma further
        # down (`shuffle=True` then `, epochs=3` on the next line) is taken by the cases below.
        if not before.strip() and layout is not None and (layout.group(1) or index == len(written) - 1):
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


# A line with its line ending (LF, CRLF or CR), or the last line without one.
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def file_lines(node: nodes.NodeNG) -> tuple[str, ...]:
    """The lines of the module that holds `node`, with their line endings; () when its source is not at hand."""
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return ()
    return tuple(LINE.findall(source.decode("utf-8", errors="replace")))


def _line_ending(node: nodes.NodeNG, line: int) -> str:
    """The line ending of a line of the node's file (CRLF in a Windows file), LF when unknown."""
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return "\n"
    endings = re.findall(rb"\r\n|\r|\n", source)
    return endings[line - 1].decode() if line <= len(endings) else "\n"


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
        if generator is not None and generator.finiteness is Finiteness.INFINITE and generator.unbounded_loop:
            loop = generator.unbounded_loop
            return f"its `from_generator` generator `{generator.name}` has an unbounded loop, {site(loop, home)}"
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
    would bind to another parameter of the new method (`fit_generator(g, 100)` means steps, `fit(g, 100)` y).

    `evaluate_generator` and `predict_generator` were silent by default (`verbose=0`) where `evaluate` and
    `predict` show a progress bar: without a `verbose` argument the fix passes `verbose=0`, and a call with
    `**kwargs` (which may hold one) is left alone."""
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
    description = f"call `{consumer.base_method}`"
    if consumer.method != "fit_generator" and "verbose" not in keywords:
        quiet = argument_insertion(call, "verbose=0") if None not in keywords else None
        if quiet is None:
            return None
        edits += quiet
        description += " with `verbose=0`, the old default"
    return Fix(description, tuple(edits))


def argument_insertion(call: nodes.Call, argument: str) -> tuple[Edit, ...] | None:
    """The edits that add `argument` (`verbose=0`) after the call's last argument, in the call's layout: on a
    line of its own (indented like the last argument, with the file's line ending, a trailing comma if the
    last argument has one) when the last argument starts and ends its lines; else right after it. None when
    the call has no argument, or its only argument is a generator expression that shares its parentheses."""
    written = sorted([*call.args, *(call.keywords or [])], key=lambda node: (node.lineno, node.col_offset))
    if not written:
        return None
    last = written[-1]
    if isinstance(last, nodes.GeneratorExp) and (last.end_lineno, last.end_col_offset) == (
        call.end_lineno,
        call.end_col_offset,
    ):
        return None  # `f(x for x in y)`: a second argument needs the generator expression in parentheses
    line, column, end_line, end_column = node_span(last)
    lines = _source_lines(call)
    if end_line < len(lines):
        before, after = lines[line - 1][: column - 1], lines[end_line - 1][end_column - 1 :]
        layout = re.fullmatch(r"\s*(,?)\s*(#.*)?", after)
        if not before.strip() and layout is not None:  # one argument a line: add a line
            comma = layout.group(1)
            ending = _line_ending(call, end_line)
            added = Edit(end_line + 1, 1, end_line + 1, 1, f"{before}{argument}{comma}{ending}")
            return (added,) if comma else (Edit(end_line, end_column, end_line, end_column, ","), added)
    return (Edit(end_line, end_column, end_line, end_column, f", {argument}"),)


def removal_status(method: str, target: str) -> str:
    """What became of a Keras 2 `*_generator` method, on the target the code runs on."""
    if target == "tf-keras":
        replacement = method.removesuffix("_generator")
        return f"is deprecated since tf.keras 2.1 (it warns, then calls `{replacement}`) and is gone in Keras 3"
    return f"was removed in Keras 3, which raises AttributeError: object has no attribute '{method}'"


# --- rounding a step count up: `math.ceil(n / b)`, and the `import math` it needs ----------------------

# NumPy functions whose float result is a whole number, so that `int()` around it keeps its value.
WHOLE_NUMPY_FUNCTIONS = frozenset({"ceil", "floor", "round", "trunc", "rint", "fix"})


def float_count_fix(written: nodes.NodeNG, computed: nodes.NodeNG | None) -> Fix | None:
    """The safe repair of a float step count or `__len__` result `written` (which computes the float at
    `computed`, the same node unless `written` is a name): `a / b` → `math.ceil(a / b)`, `np.ceil(…)` →
    `int(np.ceil(…))`, `100.0` → `100`; a name bound to one of those is rounded where it is used
    (`math.ceil(steps)`, `int(steps)`), so that its other uses keep their value. None for any other float
    (`n * 0.8`), whose whole-number meaning is the author's choice."""
    if isinstance(written, nodes.Const):
        number = written.value
        if not isinstance(number, float) or not number.is_integer():
            return None
        line, column, end_line, end_column = node_span(written)
        return Fix(f"use the int `{int(number)}`", (Edit(line, column, end_line, end_column, str(int(number))),))
    if isinstance(written, (nodes.Name, nodes.Attribute)) and computed is not None and computed is not written:
        whole = _is_whole_numpy_call(computed) or (
            isinstance(computed, nodes.Const) and isinstance(computed.value, float) and computed.value.is_integer()
        )
        divides = isinstance(computed, (nodes.AugAssign, nodes.BinOp)) and computed.op in ("/=", "/")
        if whole:
            return Fix("convert to `int`", surrounding(written, "int(", ")"))
        return _ceil_fix(written, surrounding(written, "math.ceil(", ")")) if divides else None
    if _is_whole_numpy_call(written):
        return Fix("convert to `int`", surrounding(written, "int(", ")"))
    if isinstance(written, nodes.BinOp) and written.op == "/":
        return _ceil_fix(written, surrounding(written, "math.ceil(", ")"))
    return None


def floor_count_fix(computed: nodes.NodeNG | None, home: nodes.NodeNG) -> Fix | None:
    """`n // b`, `int(n / b)`, `math.floor(n / b)`, `int(np.floor(n / b))` (also inside `max(1, …)`) →
    `math.ceil(n / b)`, rewritten where it is computed when that is in `home`'s file; None for any other
    shape, e.g. a floor of a name bound elsewhere (`int(n_over_b)`)."""
    if computed is None or computed.root() is not home.root():
        return None
    if isinstance(computed, nodes.Call) and _written_name(computed.func) == "max" and len(computed.args) == 2:
        counts = [argument for argument in computed.args if not isinstance(argument, nodes.Const)]
        return floor_count_fix(counts[0], home) if len(counts) == 1 and not computed.keywords else None
    division = _floored_division(computed)
    edits = _ceil_division_edits(computed, division) if division is not None else None
    return _ceil_fix(computed, edits) if edits is not None else None


def floor_plus_one_fix(computed: nodes.NodeNG | None, home: nodes.NodeNG) -> Fix | None:
    """`n // b + 1` (or `1 + n // b`, `int(n / b) + 1`) → `math.ceil(n / b)`, when it is computed in the
    same function as `home`; None for any other shape, e.g. a floor kept in a local name first."""
    if not isinstance(computed, nodes.BinOp) or computed.op != "+" or computed.scope() is not home.scope():
        return None
    for one, floored in ((computed.right, computed.left), (computed.left, computed.right)):
        if isinstance(one, nodes.Const) and one.value == 1 and not isinstance(one.value, bool):
            division = _floored_division(floored)
            edits = _ceil_division_edits(computed, division) if division is not None else None
            return _ceil_fix(computed, edits) if edits is not None else None
    return None


def math_import_edits(node: nodes.NodeNG) -> tuple[Edit, ...] | None:
    """What makes the name `math` mean the math module where `node` is: `()` when an `import math` already
    binds it, the insertion of a module-level `import math` when nothing binds it, None when it is bound to
    something else there (then a fix that calls `math.ceil` cannot be offered).

    The import goes after the module docstring and `__future__` imports, with the other standard-library
    imports: in alphabetical place among the leading `import x` statements of the standard library, else
    before the first import (a blank line after it when that import is not from the standard library), else
    before the first statement; always before any code, in the file's line ending."""
    _, bound = node.scope().scope_lookup(node, "math")
    if bound:
        return () if all(_imports_math(binding) for binding in bound) else None
    module = node.root()
    lines = _source_lines(node)
    if not isinstance(module, nodes.Module) or not lines:
        return None
    ending = _line_ending(module, 1)  # the file's first line ending
    body = list(module.body)
    while body and isinstance(body[0], nodes.ImportFrom) and body[0].modname == "__future__":
        body.pop(0)
    leading = []
    for statement in body:
        if not isinstance(statement, (nodes.Import, nodes.ImportFrom)):
            break
        leading.append(statement)
    standard = []
    for statement in leading:
        if not _is_standard_import(statement):
            break
        standard.append(statement)
    plain = [statement for statement in standard if isinstance(statement, nodes.Import)]
    later = [statement for statement in plain if statement.names[0][0].lower() > "math"]
    if later:
        return (Edit(later[0].lineno, 1, later[0].lineno, 1, f"import math{ending}"),)
    if plain:
        insertion = _insertion_after(plain[-1], lines, f"import math{ending}")
        # `import os; steps = …` on one line: the import would come after the code that needs it
        return (insertion,) if insertion.line <= _group_start(_top_statement(node), lines) else None
    if standard:
        return (Edit(standard[0].lineno, 1, standard[0].lineno, 1, f"import math{ending}"),)
    if not body:
        return None
    line = _group_start(body[0], lines)
    above = lines[line - 2].strip() if line > 1 else ""
    blank_above = ending if above and not above.startswith("#") else ""
    return (Edit(line, 1, line, 1, f"{blank_above}import math{ending}{ending}"),)


def _ceil_fix(node: nodes.NodeNG, edits: tuple[Edit, ...] | list[Edit] | None) -> Fix | None:
    """The rounding-up fix: `edits` and the `import math` they need, or None when `math` means something else."""
    imports = math_import_edits(node)
    if edits is None or imports is None:
        return None
    return Fix("round up with `math.ceil`", (*edits, *imports))


def surrounding(node: nodes.NodeNG, before: str, after: str) -> tuple[Edit, Edit]:
    """The two edits that put `before` in front of the node's text and `after` behind it; the text in
    between stays as written (comments and line breaks included)."""
    line, column, end_line, end_column = node_span(node)
    return Edit(line, column, line, column, before), Edit(end_line, end_column, end_line, end_column, after)


def _is_whole_numpy_call(node: nodes.NodeNG) -> bool:
    """`np.ceil(x)`, `ceil(x)`, …, for a call already known to return a NumPy float."""
    return (
        isinstance(node, nodes.Call)
        and len(node.args) == 1
        and not node.keywords
        and _written_name(node.func) in WHOLE_NUMPY_FUNCTIONS
    )


def _written_name(func: nodes.NodeNG) -> str:
    if isinstance(func, nodes.Name):
        return func.name
    return func.attrname if isinstance(func, nodes.Attribute) else ""


def _floored_division(node: nodes.NodeNG) -> nodes.BinOp | None:
    """The division inside a floor as written: `n // b` itself, `n / b` in `int(n / b)` or `math.floor(n / b)`,
    `n // b` in `int(n // b)`, `n / b` in `int(np.floor(n / b))`."""
    if isinstance(node, nodes.BinOp) and node.op == "//":
        return node
    if not isinstance(node, nodes.Call) or len(node.args) != 1 or node.keywords:
        return None
    inner = node.args[0]
    if isinstance(inner, nodes.BinOp) and inner.op in ("/", "//"):
        return inner
    if isinstance(inner, nodes.Call) and len(inner.args) == 1 and not inner.keywords:
        division = inner.args[0]
        return division if isinstance(division, nodes.BinOp) and division.op == "/" else None
    return None


def _ceil_division_edits(outer: nodes.NodeNG, division: nodes.BinOp) -> list[Edit] | None:
    """The edits that turn `outer`, which rounds `division` (`n // b` or `n / b`) somehow, into
    `math.ceil(n / b)`; the division keeps its text. None when a comment sits in the text that goes."""
    lines = _source_lines(outer)
    line, column, end_line, end_column = node_span(outer)
    start_line, start_column, stop_line, stop_column = node_span(division)
    before = _text_between(lines, (line, column), (start_line, start_column))
    after = _text_between(lines, (stop_line, stop_column), (end_line, end_column))
    if "#" in before + after:
        return None
    edits = []
    if before != "math.ceil(":
        edits.append(Edit(line, column, start_line, start_column, "math.ceil("))
    if division.op == "//":
        operator = _operator_edit(division, lines)
        if operator is None:
            return None
        edits.append(operator)
    if after != ")":
        edits.append(Edit(stop_line, stop_column, end_line, end_column, ")"))
    return edits


def _operator_edit(division: nodes.BinOp, lines: list[str]) -> Edit | None:
    """`//` → `/`, found between the operands (outside comments)."""
    _, _, line, column = node_span(division.left)
    right_line, right_column, _, _ = node_span(division.right)
    for number in range(line, right_line + 1):
        text = lines[number - 1] if number <= len(lines) else ""
        start = column - 1 if number == line else 0
        stop = right_column - 1 if number == right_line else len(text)
        found = text[start:stop].split("#")[0].find("//")
        if found >= 0:
            return Edit(number, start + found + 1, number, start + found + 3, "/")
    return None


def _text_between(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    """The source from `start` up to `end` (line, 1-based column), lines joined by newlines."""
    (line, column), (end_line, end_column) = start, end
    if line == end_line:
        return lines[line - 1][column - 1 : end_column - 1]
    middle = lines[line : end_line - 1]
    return "\n".join([lines[line - 1][column - 1 :], *middle, lines[end_line - 1][: end_column - 1]])


def _imports_math(binding: nodes.NodeNG) -> bool:
    return isinstance(binding, nodes.Import) and any(
        name == "math" and alias in (None, "math") for name, alias in binding.names
    )


def _is_standard_import(statement: nodes.Import | nodes.ImportFrom) -> bool:
    import sys

    if isinstance(statement, nodes.ImportFrom):
        names = [statement.modname] if not statement.level else []
    else:
        names = [name for name, _ in statement.names]
    return bool(names) and all(name.split(".")[0] in sys.stdlib_module_names for name in names)


def _insertion_after(statement: nodes.NodeNG, lines: list[str], text: str) -> Edit:
    """Insert a line of `text` (which ends in a line ending) after `statement`."""
    line = statement.end_lineno or statement.lineno
    if line < len(lines):
        return Edit(line + 1, 1, line + 1, 1, text)
    ending = text[len(text.rstrip("\r\n")) :]
    end = len(lines[line - 1]) + 1
    return Edit(line, end, line, end, ending + text[: -len(ending)])


def _top_statement(node: nodes.NodeNG) -> nodes.NodeNG:
    """The module-level statement that holds `node`."""
    while node.parent is not None and not isinstance(node.parent, nodes.Module):
        node = node.parent
    return node


def _group_start(statement: nodes.NodeNG, lines: list[str]) -> int:
    """Where a new group of lines goes before `statement`: above its decorators, and above the comments right
    over it when a blank line separates them from what comes before (they introduce it)."""
    decorators = getattr(statement, "decorators", None)
    line = decorators.lineno if decorators is not None else statement.lineno
    top = line
    while top > 1 and lines[top - 2].strip().startswith("#"):
        top -= 1
    return top if top < line and top > 1 and not lines[top - 2].strip() else line
