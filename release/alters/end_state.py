"""AL020 (pure): columns that end the block NOT NULL without a default.

The running code does not know a new column, so its INSERTs leave it out: they fail until
the reload if the column is NOT NULL and has no default. What counts is the state at the end
of the block, however it got there: `ADD COLUMN c ... NOT NULL` without DEFAULT, `MODIFY` or
`CHANGE` to NOT NULL without DEFAULT, or `ADD COLUMN c ... DEFAULT v NOT NULL` followed by
`ALTER COLUMN c DROP DEFAULT` (what Django's migrations generate for MariaDB). The finding
sits at the clause that completed the hazard. A later `SET DEFAULT`, `DROP COLUMN` or a
nullable `MODIFY` in the same block clears it; so does `-- code-first: yes` in the block's
header (the code that writes the column is deployed already), and a column of a table the
block creates is nobody's yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from release.alters.clauses import (
    Code,
    added_columns,
    adds_columns,
    alter_clauses,
    is_alter_table,
    name,
    pair,
    skip,
)
from release.alters.findings import Finding
from release.alters.parse import Block, Statement
from release.alters.registry import AL020

_HAS_DEFAULT = {"DEFAULT", "AUTO_INCREMENT", "AS", "GENERATED", "SERIAL"}


@dataclass
class _Column:
    table: str
    column: str
    not_null: bool
    default: bool
    statement: Statement
    where: tuple[int, int]
    how: str  # what made it so, for the message


def end_state_findings(block: Block, statements: Iterable[Statement],
                       path: str) -> list[Finding]:
    if block.code_first:
        return []
    columns: dict[tuple[str, str], _Column] = {}
    created: set[str] = set()
    for statement in statements:
        c = Code.of(statement)
        if c.at(0) == "CREATE" and "TABLE" in c.up[1:3]:
            created.add(name(c.raw[c.up.index("TABLE") + 1]).lower() if
                        c.up.index("TABLE") + 1 < len(c.raw) else "?")
        elif is_alter_table(c):
            table, clauses = alter_clauses(c)
            if table.lower() not in created:
                for clause in clauses:
                    _follow(clause, table, columns)
    return [Finding(path, col.where[0], col.where[1], AL020, _message(col),
                    col.statement.end_line)
            for col in columns.values() if col.not_null and not col.default]


def _follow(c: Code, table: str, columns: dict[tuple[str, str], _Column]) -> None:
    verb, where = c.at(c.start), c.where(c.start)

    def define(column: str, definition: list[str], how: str) -> None:
        not_null = pair(definition, "NOT", "NULL") or pair(definition, "PRIMARY", "KEY")
        columns[(table.lower(), column.lower())] = _Column(
            table, column, not_null, bool(_HAS_DEFAULT & set(definition)), c.statement, where,
            how)

    if adds_columns(c):
        for column, definition in added_columns(c):
            define(column, definition, f"ADD COLUMN {column} NOT NULL without DEFAULT")
        return
    j = skip(c, c.start + 1, ["COLUMN"], ["IF", "EXISTS"])
    if j >= c.end:
        return
    old = name(c.raw[j])
    key = (table.lower(), old.lower())
    if verb == "MODIFY":
        define(old, c.up[j + 1:c.end], f"MODIFY makes {old} NOT NULL without DEFAULT")
    elif verb == "CHANGE" and j + 1 < c.end:
        columns.pop(key, None)
        new = name(c.raw[j + 1])
        define(new, c.up[j + 2:c.end], f"CHANGE makes {new} NOT NULL without DEFAULT")
    elif verb == "DROP" and c.at(c.start + 1) not in ("INDEX", "KEY", "FOREIGN", "PRIMARY"):
        columns.pop(key, None)
    elif verb == "RENAME" and c.at(c.start + 1) == "COLUMN" and key in columns:
        moved = columns.pop(key)
        moved.column = name(c.raw[j + 2]) if j + 2 < c.end else "?"
        columns[(table.lower(), moved.column.lower())] = moved
    elif verb == "ALTER" and key in columns and c.up[c.end - 2:c.end] == ["DROP", "DEFAULT"]:
        known = columns[key]
        known.how = f"DROP DEFAULT after the definition at line {known.statement.line}"
        known.default, known.statement, known.where = False, c.statement, where
    elif verb == "ALTER" and key in columns and "SET" in c.up[j + 1:j + 2] and \
            "DEFAULT" in c.up[j + 2:j + 3]:
        columns[key].default = True


def _message(col: _Column) -> str:
    return (f"{col.how}: {col.table}.{col.column} ends the block NOT NULL without a default, "
            "so inserts from the running code fail until it is reloaded; keep a DEFAULT, or "
            "say `-- code-first: yes` in the block header once the code that writes it runs")
