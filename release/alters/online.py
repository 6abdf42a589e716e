"""AL030 and AL031 (pure): will this ALTER copy the table and block writes?

The server's own answer wins when `alters.explain` recorded one for the statement (see
explain_store.py): INSTANT, NOCOPY, or INPLACE with LOCK=NONE is fine; anything else is
reported as what the server said. Without an answer, AL030 stays silent when the statement
names its algorithm (`ALGORITHM=INSTANT|NOCOPY`, or any ALGORITHM with a LOCK), when an
online tool runs it, and when every clause is one that MariaDB 10.3+ and MySQL 8 never run
by copying the table:

- always metadata-only: `ALTER COLUMN ... SET DEFAULT | DROP DEFAULT`, `DROP INDEX|KEY`,
  `DROP FOREIGN KEY`, `RENAME INDEX|KEY`, `RENAME COLUMN a TO b` (MariaDB 10.5+, MySQL 8),
  `RENAME [TO] t` and the ALGORITHM/LOCK options themselves;
- instant on both (MariaDB 10.3+, MySQL 8.0.12+): `ADD COLUMN` of a nullable column or one
  with a DEFAULT (not AUTO_INCREMENT, not a stored generated column, no inline key) at the
  end of the table. With `FIRST`/`AFTER` only MariaDB (10.4+) does it in place: with the
  mysql dialect it is reported, since MySQL before 8.0.29 rebuilds the table for it.

AL031 (a large table without an online strategy) needs more than that: the block's
`-- online:`, the statement's ALGORITHM, the server's answer, or a clause that is always
metadata-only. An instant ADD COLUMN is not enough on a large table: a FULLTEXT index, an
old row format or an older server makes it copy, and on millions of rows that is an outage.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from release.alters.clauses import Code, Hit, added_columns, adds_columns, option, pair
from release.alters.explain_store import Explained
from release.alters.ledger_plan import statement_checksum
from release.alters.parse import Block
from release.alters.registry import AL030, AL031

ONLINE_TOOLS = ("gh-ost", "pt-osc")
_ALWAYS, _INSTANT, _MAY_COPY = 2, 1, 0


def online_findings(c: Code, table: str, clauses: list[Code], block: Block, *,
                    dialect: str, explained: Mapping[str, Explained],
                    large_table_rows: int, table_rows: Mapping[str, int]) -> Iterator[Hit]:
    """AL030/AL031 for an ALTER TABLE (its clauses) or a CREATE INDEX (no clauses)."""
    here = (c.statement.line, c.statement.col)
    algorithm, lock = option(c.up, "ALGORITHM"), option(c.up, "LOCK")
    answer = explained.get(statement_checksum(c.statement))
    stated = algorithm in ("INSTANT", "NOCOPY") or bool(algorithm and lock)
    cost = min((_clause_cost(clause, dialect) for clause in clauses), default=_MAY_COPY)
    tool = block.online in ONLINE_TOOLS
    if answer is not None and not answer.online and not tool:
        by = f" on {answer.environment}" if answer.environment else ""
        yield AL030, here, f"ALTER of {table}: the server{by} said it would run " \
            f"it with ALGORITHM={answer.algorithm}, LOCK={answer.lock}: it copies the table " \
            "or blocks writes; use `-- online: gh-ost|pt-osc` or change the statement"
    elif answer is None and not tool and not stated and cost == _MAY_COPY:
        yield AL030, here, f"ALTER of {table} without ALGORITHM= and LOCK=: it may " \
            "copy the table and block writes; say e.g. ALGORITHM=INPLACE, LOCK=NONE"
    rows = table_rows.get(table, table_rows.get(table.lower()))
    online = block.online is not None or algorithm in ("INSTANT", "NOCOPY") or (
        algorithm == "INPLACE" and lock == "NONE") or cost == _ALWAYS or (
        answer is not None and answer.online)
    if rows is not None and rows > large_table_rows and not online:
        yield AL031, here, f"{table} has {rows:,} rows (large_table_rows is " \
            f"{large_table_rows:,}) and this ALTER has no online strategy: put " \
            "`-- online: pt-osc` in the block header (pt-online-schema-change copies the " \
            "table while writes go on), or ALGORITHM=INSTANT / ALGORITHM=INPLACE, LOCK=NONE " \
            "when `invoke alters.explain` says the server accepts it"


def _clause_cost(c: Code, dialect: str) -> int:
    verb, what = c.at(c.start), c.at(c.start + 1)
    words = c.up[c.start:c.end]
    if verb in ("ALGORITHM", "LOCK"):
        return _ALWAYS
    if verb == "ALTER" and ("DEFAULT" in words[-2:] or words[-1:] in (["VISIBLE"],
                                                                     ["INVISIBLE"])):
        return _ALWAYS
    if verb == "DROP" and what in ("INDEX", "KEY", "FOREIGN"):
        return _ALWAYS
    if verb == "RENAME" and (what in ("INDEX", "KEY", "COLUMN", "TO", "AS")
                             or c.end - c.start == 2):
        return _ALWAYS
    if adds_columns(c):
        return min((_add_cost(definition, dialect) for _, definition in added_columns(c)),
                   default=_MAY_COPY)
    return _MAY_COPY


def _add_cost(definition: list[str], dialect: str) -> int:
    nullable = not pair(definition, "NOT", "NULL")
    keyed = {"AUTO_INCREMENT", "PRIMARY", "UNIQUE", "KEY", "STORED", "PERSISTENT",
             "SERIAL", "REFERENCES"} & set(definition)
    placed = {"FIRST", "AFTER"} & set(definition)
    if keyed or not (nullable or "DEFAULT" in definition):
        return _MAY_COPY
    if placed and dialect != "mariadb":
        return _MAY_COPY
    return _INSTANT
