"""The statements inside a compound statement's body, as statements of their own (pure).

A stored program's body (procedure, function, trigger, event) runs later, each time it is
called or fires: its statements are parts of the routine, not changes the block makes, so
only the irreversible ones are reported there (see rules.py). An anonymous compound
statement (MariaDB's `BEGIN NOT ATOMIC ... END`, a top-level `IF`, a labelled block) runs
when it is applied: its statements count as the block's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from release.alters.compound import body_spans, opens_compound, stored_program
from release.alters.parse import Statement, statement_kind
from release.alters.tokens import Lines


@dataclass(frozen=True)
class Body:
    program: tuple[str, str] | None  # (PROCEDURE|FUNCTION|TRIGGER|EVENT, name), or anonymous
    statements: tuple[Statement, ...]


def body_of(statement: Statement, up: list[str]) -> Body | None:
    """The body of a compound statement (`up`: its upper-cased tokens); None otherwise."""
    if not opens_compound(up):
        return None
    inner = []
    lines = Lines(statement.text)  # a body may be long: place its statements in one pass
    for start, end in body_spans(up):
        begin = statement.offsets[start]
        stop = statement.offsets[end] if end < len(up) else len(statement.text)
        text = statement.text[begin:stop].rstrip()
        line, col = _absolute(statement, lines.position(begin))
        inner.append(Statement(
            statement.index, text, line, col, statement_kind(up[start:start + 2]),
            end_line=statement.line + lines.line(begin + len(text)) - 1,
            normalized=" ".join(text.split())))
    return Body(stored_program(up, statement.tokens), tuple(inner))


def _absolute(statement: Statement, at: tuple[int, int]) -> tuple[int, int]:
    line, col = at
    return statement.line + line - 1, (statement.col + col - 1 if line == 1 else col)


def parts(statement: Statement) -> list[Statement]:
    """What a statement changes when applied: itself, or an anonymous block's statements."""
    up = [t.upper() for t in statement.tokens]
    body = body_of(statement, up)
    if body is None or body.program is not None:
        return [statement]
    return list(body.statements)
