"""How to ask the server how it would run a DDL statement (pure: statements in, SQL text out).

`alters.explain` runs each ALTER TABLE / CREATE INDEX / DROP INDEX on an empty copy of its
table in a scratch schema, once per way of running it, most gentle first: the first way the
server accepts is how it would run the statement. This module finds the statement's table,
writes the statement onto the copy with an ALGORITHM= and LOCK= of our choosing (the
statement's own ones removed), and turns the answer into a verdict a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from release.alters.parse import Statement

# (ALGORITHM, LOCK) in the order tried; None: not said, the server's default for it.
ATTEMPTS: tuple[tuple[str, str | None], ...] = (
    ("INSTANT", None), ("NOCOPY", "NONE"), ("INPLACE", "NONE"), ("NOCOPY", None),
    ("INPLACE", "SHARED"), ("INPLACE", None), ("COPY", "SHARED"), ("COPY", None),
)
_OPTIONS = ("ALGORITHM", "LOCK")
_ALGORITHMS = ("INSTANT", "NOCOPY", "INPLACE", "COPY")
_LOCKS = ("NONE", "SHARED", None, "EXCLUSIVE")
_HINT = re.compile(r"Try (ALGORITHM|LOCK)=(\w+)")


def remaining(attempts: Sequence[tuple[str, str | None]], refusal: str
              ) -> list[tuple[str, str | None]]:
    """The attempts still worth making after the server refused the first one: MariaDB says
    what would work ("... Try ALGORITHM=COPY", "Try LOCK=SHARED"), which saves a try (each
    costs milliseconds) on every way gentler than that."""
    algorithm = attempts[0][0]
    rest = list(attempts[1:])
    hint = _HINT.search(refusal)
    if hint and hint.group(1) == "ALGORITHM" and hint.group(2) in _ALGORITHMS:
        floor = _ALGORITHMS.index(hint.group(2))
        return [a for a in rest if _ALGORITHMS.index(a[0]) >= floor]
    if hint and hint.group(1) == "LOCK" and hint.group(2) in _LOCKS:
        floor = _LOCKS.index(hint.group(2))
        return [a for a in rest if a[0] != algorithm or _LOCKS.index(a[1]) >= floor]
    return rest
ONLINE_TOOLS = ("pt-osc", "gh-ost")


@dataclass(frozen=True)
class Target:
    """Where in a statement its table is named, and what must change to aim it at a copy."""

    kind: str  # "alter" (ALTER TABLE: options after a comma) or "index" (CREATE/DROP INDEX)
    table: str  # unquoted
    schema: str | None  # when the statement names one
    span: tuple[int, int]  # offsets of the table reference in the text
    references: tuple[str, ...]  # tables of the same schema it adds foreign keys to
    options: tuple[tuple[int, int], ...]  # ALGORITHM= / LOCK= clauses to drop


@dataclass(frozen=True)
class Answer:
    algorithm: str  # INSTANT | NOCOPY | INPLACE | COPY, or "" when not asked
    lock: str  # NONE | SHARED | EXCLUSIVE | DEFAULT, or ""
    note: str = ""  # why it was not asked, or the server's refusal


def unquoted(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == "`":
        return token[1:-1].replace("``", "`")
    return token


def quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def target(statement: Statement) -> Target | None:
    """The table an ALTER TABLE, CREATE INDEX or DROP INDEX works on; None for other SQL."""
    tokens = statement.tokens
    if len(set(statement.offsets)) != len(tokens):
        return None  # /*! */ code inside: its tokens cannot be put back where they were
    up = [t.upper() for t in tokens]
    if up[:1] == ["ALTER"]:
        i = 1
        while i < len(up) and up[i] in ("ONLINE", "IGNORE"):
            i += 1
        if up[i:i + 1] != ["TABLE"]:
            return None
        i += 1
        if up[i:i + 2] == ["IF", "EXISTS"]:
            i += 2
        kind = "alter"
    elif up[:1] in (["CREATE"], ["DROP"]) and "INDEX" in up[:4] and "ON" in up:
        kind, i = "index", up.index("ON") + 1
    else:
        return None
    return _aimed(statement, kind, i, up)


def _aimed(statement: Statement, kind: str, i: int, up: list[str]) -> Target | None:
    tokens, offsets = statement.tokens, statement.offsets
    if i >= len(tokens):
        return None
    end, schema, table = i + 1, None, tokens[i]
    if up[i + 1:i + 2] == ["."] and i + 2 < len(tokens):
        schema, table, end = unquoted(tokens[i]), tokens[i + 2], i + 3
    elif "." in table and "`" not in table:
        schema, table = table.split(".", 1)
    name = unquoted(table)
    span = (offsets[i], offsets[end - 1] + len(tokens[end - 1]))
    return Target(kind, name, schema, span, _references(statement, up, name),
                  _option_spans(statement, up, end, kind))


def _references(statement: Statement, up: list[str], table: str) -> tuple[str, ...]:
    """REFERENCES `x` naming another table of the same schema: the copy's schema needs a
    copy of it too, as unqualified names there mean the copy's schema."""
    found = []
    for j, word in enumerate(up[:-1]):
        token = statement.tokens[j + 1]
        if word == "REFERENCES" and up[j + 2:j + 3] != ["."] and "." not in token \
                and unquoted(token) != table:
            found.append(unquoted(token))
    return tuple(found)


def _option_spans(statement: Statement, up: list[str], start: int,
                  kind: str) -> tuple[tuple[int, int], ...]:
    tokens, offsets = statement.tokens, statement.offsets
    spans, depth, j = [], 0, start
    while j < len(up):
        depth += {"(": 1, ")": -1}.get(up[j], 0)
        if depth == 0 and up[j] in _OPTIONS and j + 1 < len(up):
            last = j + 2 if up[j + 1] == "=" else j + 1
            begin, stop = offsets[j], offsets[last] + len(tokens[last])
            if kind == "alter" and last + 1 < len(up) and up[last + 1] == ",":
                stop = offsets[last + 1] + 1
            elif kind == "alter" and j > start and up[j - 1] == ",":
                begin = offsets[j - 1]
            spans.append((begin, stop))
            j = last
        j += 1
    return tuple(spans)


def on_copy(statement: Statement, aim: Target, *, scratch: str, algorithm: str,
            lock: str | None) -> str:
    """The statement aimed at `scratch`.`table`, run with ALGORITHM= (and LOCK=) as given."""
    text = statement.text
    pieces, at = [], aim.span[1]
    for start, stop in sorted(aim.options):
        pieces.append(text[at:max(start, at)])  # two options may share a comma
        at = max(stop, at)
    body = "".join([*pieces, text[at:]]).strip()
    head = f"{text[:aim.span[0]]}{quoted(scratch)}.{quoted(aim.table)}"
    options = [f"ALGORITHM={algorithm}", *([f"LOCK={lock}"] if lock else [])]
    if aim.kind == "index":
        return " ".join(part for part in (head, body, *options) if part)
    body = body.strip(", \n\t")
    return f"{head} {', '.join(options)}" + (f", {body}" if body else "")


def without_trying(statement: Statement) -> Answer | None:
    """A verdict for DDL that is not tried on a copy (nothing to copy, or nothing to try on)."""
    words = [t.upper() for t in statement.tokens[:3]]
    first = words[0] if words else ""
    if first == "CREATE" and "TABLE" in words:
        return Answer("", "", "creates a new table: nothing is copied or locked")
    if first == "CREATE":
        return Answer("", "", "creates a new object: no table is copied")
    if first == "DROP" and "TABLE" in words:
        return Answer("", "", "drops a table: instant, and its data is gone for good")
    if first == "DROP":
        return Answer("", "", "drops an object: instant")
    if first == "RENAME":
        return Answer("", "", "renames: instant (metadata only), but the running code breaks")
    if first == "TRUNCATE":
        return Answer("", "", "empties the table: quick, and every row is gone")
    return None


def scaled_seconds(duration_ms: int, rows_there: int, rows_here: int) -> float:
    """A duration measured elsewhere, scaled by the table's rows (copies are linear in rows)."""
    return duration_ms / 1000 * max(rows_here, 1) / max(rows_there, 1)


def verdict(answer: Answer, *, online: str | None, estimate_s: float | None) -> str:
    """instant, online (writes go on), or blocks writes for about N s."""
    if online in ONLINE_TOOLS:
        return f"online through {online} (writes go on while it copies)"
    if not answer.algorithm:
        return answer.note
    if answer.algorithm == "INSTANT":
        return "instant"
    if answer.lock == "NONE":
        return "online (writes go on)"
    if estimate_s is None:
        return ("blocks writes while the table is rebuilt (no other environment recorded "
                "how long it took: rehearse it on QA)")
    return f"blocks writes for about {_seconds(estimate_s)}"


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value:.1f} s"
    if value < 120:
        return f"{round(value)} s"
    return f"{round(value / 60)} min"
