"""What a finding says and where: node spans and source lines, and the wording several rule messages share."""

from __future__ import annotations

import os
import re

from astroid import nodes

from genlint.analysis.model import Consumer, DataSource, Finiteness, SourceKind, source_text
from genlint.rules.base import character_column

# A line with its line ending (LF, CRLF or CR), or the last line without one.
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def node_span(node: nodes.NodeNG) -> tuple[int, int, int, int]:
    """A node's whole text as (line, column, end line, end column), 1-based character columns."""
    line = node.lineno or 1
    end_line = node.end_lineno or line
    column = character_column(node, line, node.col_offset or 0) + 1
    return line, column, end_line, character_column(node, end_line, node.end_col_offset or 0) + 1


def file_lines(node: nodes.NodeNG) -> tuple[str, ...]:
    """The lines of the module that holds `node`, with their line endings; () when its source is not at hand."""
    source = getattr(node.root(), "file_bytes", None)
    if not isinstance(source, bytes):
        return ()
    return tuple(LINE.findall(source.decode("utf-8", errors="replace")))


def method_name_span(consumer: Consumer) -> tuple[int, int, int]:
    """Line and 1-based start/end columns of the method name in `receiver.method(...)`."""
    func = consumer.node.func
    line = func.end_lineno or func.lineno or 1
    end_column = character_column(func, line, func.end_col_offset or 0) + 1
    return line, end_column - len(consumer.method), end_column


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


def removal_status(method: str, target: str) -> str:
    """What became of a Keras 2 `*_generator` method, on the target the code runs on."""
    if target == "tf-keras":
        replacement = method.removesuffix("_generator")
        return f"is deprecated since tf.keras 2.1 (it warns, then calls `{replacement}`) and is gone in Keras 3"
    return f"was removed in Keras 3, which raises AttributeError: object has no attribute '{method}'"
