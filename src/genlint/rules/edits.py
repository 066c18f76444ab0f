"""Edit and fix builders that several rules share: text put around an expression, a call argument removed or
added, the Keras 2 `*_generator` rename, and a step count rounded up with `math.ceil` (with the `import math` it
needs)."""

from __future__ import annotations

import re

from astroid import nodes

from genlint.analysis.model import Consumer
from genlint.rules.base import Edit, Fix
from genlint.rules.messages import method_name_span, node_span


def surrounding(node: nodes.NodeNG, before: str, after: str) -> tuple[Edit, Edit]:
    """The two edits that put `before` in front of the node's text and `after` behind it; the text in
    between stays as written (comments and line breaks included)."""
    line, column, end_line, end_column = node_span(node)
    return Edit(line, column, line, column, before), Edit(end_line, end_column, end_line, end_column, after)


# Expressions that can follow `for … in` or `lambda:` as they are (a generator expression's text includes its
# parentheses); anything else (a conditional expression, a lambda, an operator…) is put in parentheses first.
PLAIN_OPERANDS = (nodes.Name, nodes.Attribute, nodes.Call, nodes.Subscript, nodes.Const, nodes.GeneratorExp)


def wrapping(node: nodes.NodeNG, before: str, after: str) -> tuple[Edit, Edit]:
    """`surrounding`, with the node's text put in parentheses first unless it can follow `before` as it is."""
    if not isinstance(node, PLAIN_OPERANDS):
        before, after = before + "(", ")" + after
    return surrounding(node, before, after)


# --- call arguments: removed or added in the call's own layout ----------------------------------------


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


def _source_lines(node: nodes.NodeNG) -> list[str]:
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return []
    return re.split(r"\r\n|\r|\n", source.decode("utf-8", errors="replace"))


def _line_ending(node: nodes.NodeNG, line: int) -> str:
    """The line ending of a line of the node's file (CRLF in a Windows file), LF when unknown."""
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return "\n"
    endings = re.findall(rb"\r\n|\r|\n", source)
    return endings[line - 1].decode() if line <= len(endings) else "\n"


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


def _is_whole_numpy_call(node: nodes.NodeNG) -> bool:
    """`np.ceil(x)`, `ceil(x)`, `tf.math.ceil(x)`, …, for a call already known to return a float; also the
    scalar read from one, `tf.math.ceil(x).numpy()` or `np.ceil(x).item()`."""
    reads_scalar = isinstance(node, nodes.Call) and isinstance(node.func, nodes.Attribute)
    if reads_scalar and node.func.attrname in ("numpy", "item") and not node.args and not node.keywords:
        return _is_whole_numpy_call(node.func.expr)
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
