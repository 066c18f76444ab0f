"""The rule contract: every rule, built in or third-party, is a `Rule` subclass."""

from __future__ import annotations

import enum
import inspect
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

if TYPE_CHECKING:  # the contract loads without astroid: a run whose results all come from the cache needs no tree
    from astroid import nodes

    from genlint.analysis.model import FileModel


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
    from astroid import nodes  # already loaded: a node to report at comes from an astroid tree

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
