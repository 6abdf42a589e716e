"""Asking an environment's server how it would run each pending DDL statement.

Each statement runs on an empty copy of its table in a scratch schema (`stagecraft_explain_
<utc time>_<random>`), once per way of running it (explain_sql.ATTEMPTS), most gentle first:
the first the server accepts is its answer. A copy is empty, so each try takes milliseconds
whatever the table's size, and the statements of one run build on each other as they will in
the apply. The scratch schema is dropped whatever happens; one a killed run left behind is
recognised by its name and dropped by the next run. Nothing in the environment's own schema
changes: its tables are only read (SHOW CREATE TABLE, information_schema).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pymysql

from release.alters import explain_sql as ex
from release.alters import ledger_plan as lp
from release.alters.explain_store import Explained
from release.alters.online_plan import autoinc_refusal
from release.alters.parse import Statement
from release.db.connection import (
    Connection,
    ServerError,
    connect,
    error_code,
    reported,
    server_words,
)
from release.db.explain.scratch import PREFIX, STALE, copy_table, references, scratch_schema
from release.db.ledger.online import autoinc_mode
from release.db.target import Database

__all__ = ["PREFIX", "STALE", "Explanation", "Size", "Timing", "explain", "timings"]
_NOT_THIS_WAY = (1845, 1846)  # ER_ALTER_OPERATION_NOT_SUPPORTED(_REASON)
_SYNTAX = 1064  # a server too old for INSTANT/NOCOPY calls them syntax errors


@dataclass(frozen=True)
class Size:
    rows: int
    bytes: int


@dataclass(frozen=True)
class Timing:
    """How long a statement took in another environment, on a table of `rows` rows."""

    environment: str
    duration_ms: int
    rows: int


@dataclass(frozen=True)
class Explanation:
    item: lp.Pending
    table: str | None
    size: Size | None
    answer: ex.Answer
    timing: Timing | None
    estimate_s: float | None
    verdict: str

    def recorded(self, environment: str, at: str) -> Explained | None:
        if not self.answer.algorithm:
            return None
        return Explained(self.answer.algorithm, self.answer.lock, environment,
                         rows=self.size.rows if self.size else 0, at=at)


def explain(db: Database, items: Sequence[lp.Pending],
            timings: dict[str, Timing]) -> list[Explanation]:
    """The server's answer for each DDL statement in `items`, in order."""
    conn = connect(db.credentials)
    try:
        with reported(f"environment {db.environment!r}", "database error while explaining",
                      f"Nothing in {db.name} was changed."):
            sizes = _sizes(conn)
            with scratch_schema(conn) as scratch:
                asker = _Asker(conn, db.name, scratch)
                return [_explained(asker, item, sizes, timings) for item in items
                        if item.statement.kind == "ddl"]
    finally:
        conn.close()


def _explained(asker: _Asker, item: lp.Pending, sizes: dict[str, Size],
               timings: dict[str, Timing]) -> Explanation:
    aim = ex.target(item.statement)
    answer = ex.without_trying(item.statement) if aim is None else asker.ask(item.statement, aim)
    if answer is None:
        answer = ex.Answer("", "", "not a statement the server can be asked about")
    size = sizes.get(aim.table) if aim else None
    timing = timings.get(item.checksum)
    estimate = (ex.scaled_seconds(timing.duration_ms, timing.rows, size.rows)
                if timing and size else None)
    online = item.block.online
    verdict = ex.verdict(answer, online=online, estimate_s=estimate)
    mode = autoinc_mode(asker.conn, aim.table) if aim and online == "pt-osc" else None
    if aim is not None and mode is not None:
        verdict = f"alters.apply will refuse it: {autoinc_refusal(aim.table, mode)}"
    return Explanation(item, aim.table if aim else None, size, answer, timing, estimate,
                       verdict)


class _Asker:
    """Tries statements on copies in the scratch schema, copying each table on first use."""

    def __init__(self, conn: Connection, schema: str, scratch: str) -> None:
        self.conn, self.schema, self.scratch = conn, schema, scratch
        self.copied: set[str] = set()

    def ask(self, statement: Statement, aim: ex.Target) -> ex.Answer:
        if aim.schema not in (None, self.schema):
            return ex.Answer("", "", f"works on another schema ({aim.schema}): not asked")
        if not self._copy(aim.table):
            return ex.Answer("", "", f"{aim.table} is not a table of {self.schema} (yet): "
                             "nothing to ask the server about")
        for name in aim.references:
            self._copy(name)
        attempts = list(ex.ATTEMPTS)
        while attempts:
            algorithm, lock = attempts[0]
            sql = ex.on_copy(statement, aim, scratch=self.scratch, algorithm=algorithm,
                             lock=lock)
            try:
                self._run(sql)
            except ServerError as error:
                code = error_code(error)
                if code in _NOT_THIS_WAY or (code == _SYNTAX and algorithm != "COPY"):
                    attempts = ex.remaining(attempts, str(error.args[-1]))
                    continue
                return ex.Answer("", "", f"the server refuses it: {server_words(error)}")
            # INSTANT changes metadata only: no lock beyond a moment's metadata lock.
            return ex.Answer(algorithm, lock or ("NONE" if algorithm == "INSTANT" else "DEFAULT"))
        return ex.Answer("", "", "the server accepts it no way")

    def _copy(self, table: str) -> bool:
        """An empty copy of `table` (and of the tables its foreign keys reference, so they
        resolve there); False when the schema has no such table."""
        if table in self.copied:
            return True
        create = copy_table(self.conn, self.schema, self.scratch, table)
        if create is None:
            return False
        self.copied.add(table)
        # Creating copies in any order: a reference is resolved when a statement needs it.
        for name in references(create, table):
            self._copy(name)
        return True

    def _run(self, sql: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql)


def _sizes(conn: Connection) -> dict[str, Size]:
    """Rows and bytes of each table, as the server estimates them (no COUNT(*))."""
    with conn.cursor() as cur:
        cur.execute("SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0) "
                    "+ COALESCE(INDEX_LENGTH, 0) FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")
        return {str(n): Size(int(r), int(b)) for n, r, b in cur.fetchall()}


def timings(db: Database, ledger_table: str) -> dict[str, Timing]:
    """Statement checksum -> how long it took in `db` (its ledger's applied rows with a
    duration), with the rows its table has there now."""
    conn = connect(db.credentials)
    try:
        sizes = _sizes(conn)
        with conn.cursor() as cur:
            try:
                cur.execute(f"SELECT statement_checksum, statement, duration_ms FROM "
                            f"{ex.quoted(ledger_table)} WHERE status = 'applied' "
                            "AND duration_ms IS NOT NULL")
            except pymysql.err.ProgrammingError:
                return {}  # no ledger there yet
            found = list(cur.fetchall())
    finally:
        conn.close()
    known: dict[str, Timing] = {}
    for checksum, text, duration in found:
        statement = Statement(0, str(text), 1, 1, "ddl")
        aim = ex.target(statement)
        size = sizes.get(aim.table) if aim else None
        if size is not None:
            known[str(checksum)] = Timing(db.environment, int(duration), size.rows)
    return known
