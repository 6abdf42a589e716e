"""Swapping a verified clone in for the target's tables in one step, and cleaning up after a
clone that was stopped.

A clone is built in a scratch database beside the target (`<target>__stagecraft_clone`). Once
it is scrubbed and verified there, one `RENAME TABLE` moves the target's tables into a holding
database (`<target>__stagecraft_old`) and the clone's into the target, and a marker table into
the holding database: the statement is atomic, so the live target holds either its old tables
or the verified clone, never a mix, and the marker says afterwards which. MariaDB will not move
a table with triggers to another database, nor a view at all: before the RENAME, the clone's
triggers, views, routines and events are written down in a journal in the holding database
(with the target's own triggers on the tables it gives up, to put back if the swap does not
happen), and recreated in the target after it. A run killed at any moment leaves the scratch
and holding databases; the next clone finishes or undoes the journal and drops both.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pymysql

from release.db.clones.state import STATE_TABLE, TRIGGER_TABLE
from release.db.connection import Connection, ServerError
from release.db.deploys import TABLE as DEPLOYS_TABLE
from release.db.schema import quote

SCRATCH = "__stagecraft_clone"
OLD = "__stagecraft_old"
MARKER = "release_clone_swapped"
JOURNAL = "release_clone_journal"
# The target's own story stays with it; the clone never brings the source's.
KEPT = (STATE_TABLE, DEPLOYS_TABLE)
NOT_COPIED = (STATE_TABLE, DEPLOYS_TABLE, TRIGGER_TABLE, MARKER, JOURNAL)
_KINDS = {"trigger": ("SHOW CREATE TRIGGER", 2), "view": ("SHOW CREATE VIEW", 1),
          "procedure": ("SHOW CREATE PROCEDURE", 2), "function": ("SHOW CREATE FUNCTION", 2),
          "event": ("SHOW CREATE EVENT", 3)}


@dataclass(frozen=True)
class Places:
    target: str
    scratch: str
    old: str


def places(target: str) -> Places:
    return Places(target, _beside(target, SCRATCH), _beside(target, OLD))


def _beside(target: str, suffix: str) -> str:
    if len(target) + len(suffix) <= 64:
        return target + suffix
    tag = hashlib.sha256(target.encode()).hexdigest()[:8]
    return f"{target[:64 - len(suffix) - 9]}_{tag}{suffix}"


@dataclass(frozen=True)
class Definition:
    kind: str       # trigger | view | procedure | function | event
    name: str
    sql_mode: str
    create: str     # as SHOW CREATE prints it in its own database: names unqualified


@contextmanager
def using(conn: Connection, database: str) -> Iterator[None]:
    """Run the block with `database` as the default (SHOW CREATE then leaves names bare)."""
    with conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        row = cur.fetchone()
        cur.execute(f"USE {quote(database)}")
    try:
        yield
    finally:
        if row and row[0]:
            with conn.cursor() as cur:
                cur.execute(f"USE {quote(str(row[0]))}")


def exists(conn: Connection, database: str) -> bool:
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s",
                    (database,))
        row = cur.fetchone()
    return bool(row and row[0])


def base_tables(conn: Connection, database: str) -> list[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
                    "AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", (database,))
        return [str(r[0]) for r in cur.fetchall()]


def definitions(conn: Connection, database: str, *, tables: set[str] | None = None,
                kinds: tuple[str, ...] = tuple(_KINDS)) -> list[Definition]:
    """The objects of `database` that a RENAME does not carry (triggers only on `tables`)."""
    queries = {
        "trigger": "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
                   "WHERE TRIGGER_SCHEMA = %s ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, "
                   "ACTION_ORDER",
        "view": "SELECT TABLE_NAME, '' FROM information_schema.VIEWS WHERE TABLE_SCHEMA = %s",
        "procedure": "SELECT ROUTINE_NAME, '' FROM information_schema.ROUTINES WHERE "
                     "ROUTINE_SCHEMA = %s AND ROUTINE_TYPE = 'PROCEDURE'",
        "function": "SELECT ROUTINE_NAME, '' FROM information_schema.ROUTINES WHERE "
                    "ROUTINE_SCHEMA = %s AND ROUTINE_TYPE = 'FUNCTION'",
        "event": "SELECT EVENT_NAME, '' FROM information_schema.EVENTS WHERE "
                 "EVENT_SCHEMA = %s",
    }
    found: list[Definition] = []
    with using(conn, database), conn.cursor() as cur:
        for kind in kinds:
            cur.execute(queries[kind], (database,))
            names = [str(n) for n, table in cur.fetchall() if tables is None or table in tables]
            show, at = _KINDS[kind]
            for name in names:
                cur.execute(f"{show} {quote(name)}")
                row = cur.fetchone()
                assert row is not None
                mode = "" if kind == "view" else str(row[1])
                found.append(Definition(kind, name, mode, str(row[at])))
    return found


def rename_statement(places: Places, replaced: list[str], incoming: list[str]) -> str:
    """The one statement that swaps: the target's tables out first (their names are then
    free), the clone's in, and the marker that says the swap happened."""
    target, scratch, old = (quote(places.target), quote(places.scratch), quote(places.old))
    pairs = [f"{target}.{quote(t)} TO {old}.{quote(t)}" for t in replaced]
    pairs += [f"{scratch}.{quote(t)} TO {target}.{quote(t)}" for t in incoming]
    pairs.append(f"{scratch}.{quote(MARKER)} TO {old}.{quote(MARKER)}")
    return "RENAME TABLE " + ", ".join(pairs)


def incoming_tables(conn: Connection, places: Places) -> tuple[list[str], list[str]]:
    """(the target's tables the clone replaces, the clone's tables that move in)."""
    incoming = [t for t in base_tables(conn, places.scratch) if t not in NOT_COPIED]
    present = set(base_tables(conn, places.target))
    return [t for t in incoming if t in present], incoming


def swap(conn: Connection, places: Places) -> list[Definition]:
    """Write the journal, set the triggers aside and RENAME; what `finish` then carries over.
    The caller has verified the scratch database."""
    replaced, incoming = incoming_tables(conn, places)
    carried = definitions(conn, places.scratch)
    theirs = definitions(conn, places.target, tables=set(replaced), kinds=("trigger",))
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {quote(places.old)}")
        cur.execute(f"CREATE TABLE {quote(places.old)}.{quote(JOURNAL)} (id INT "
                    "AUTO_INCREMENT PRIMARY KEY, phase VARCHAR(4) NOT NULL, kind VARCHAR(16) "
                    "NOT NULL, name VARCHAR(64) NOT NULL, sql_mode TEXT NOT NULL, "
                    "statement LONGTEXT NOT NULL) ENGINE=InnoDB")
        for phase, found in (("undo", theirs), ("redo", carried)):
            for d in found:
                cur.execute(f"INSERT INTO {quote(places.old)}.{quote(JOURNAL)} (phase, kind, "
                            "name, sql_mode, statement) VALUES (%s, %s, %s, %s, %s)",
                            (phase, d.kind, d.name, d.sql_mode, d.create))
        for where, found in ((places.target, theirs), (places.scratch, carried)):
            for d in found:
                if d.kind == "trigger":
                    cur.execute(f"DROP TRIGGER {quote(where)}.{quote(d.name)}")
        cur.execute(f"CREATE TABLE {quote(places.scratch)}.{quote(MARKER)} (at DATETIME)")
        cur.execute(rename_statement(places, replaced, incoming))
    return carried


def journal(conn: Connection, places: Places, phase: str) -> list[Definition]:
    with conn.cursor() as cur:
        try:
            cur.execute(f"SELECT kind, name, sql_mode, statement FROM {quote(places.old)}."
                        f"{quote(JOURNAL)} WHERE phase = %s ORDER BY id", (phase,))
        except pymysql.err.ProgrammingError:
            return []  # killed before the journal was written: nothing was set aside
        return [Definition(str(k), str(n), str(m), str(s)) for k, n, m, s in cur.fetchall()]


def swapped(conn: Connection, places: Places) -> bool:
    return MARKER in base_tables(conn, places.old)


def finish(conn: Connection, places: Places) -> None:
    """Recreate in the target what the journal holds for the side the swap came down on
    (the clone's objects after it, the target's own triggers if it never happened), then
    drop the holding and scratch databases."""
    stop_sessions(conn, places)
    phase = "redo" if swapped(conn, places) else "undo"
    recreate(conn, places.target, journal(conn, places, phase))
    with conn.cursor() as cur:
        # The old tables may be referenced by foreign keys of tables the clone did not bring.
        cur.execute("SET SESSION foreign_key_checks = 0")
        try:
            cur.execute(f"DROP DATABASE IF EXISTS {quote(places.old)}")
            cur.execute(f"DROP DATABASE IF EXISTS {quote(places.scratch)}")
        finally:
            cur.execute("SET SESSION foreign_key_checks = 1")


def stop_sessions(conn: Connection, places: Places) -> None:
    """End the statements a stopped clone left running in its databases (a killed client's
    UPDATE goes on in the server until it ends): they would hold up the DROP."""
    with conn.cursor() as cur:
        cur.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE DB IN (%s, %s) "
                    "AND ID <> CONNECTION_ID()", (places.scratch, places.old))
        for (session,) in cur.fetchall():
            with contextlib.suppress(ServerError):  # it ended meanwhile
                cur.execute(f"KILL {int(session)}")


def recreate(conn: Connection, database: str, found: list[Definition]) -> None:
    """Create each definition in `database`, replacing one of the same name; a view that
    needs another view is retried once the others exist."""
    waiting = list(found)
    while waiting:
        failed: list[tuple[Definition, ServerError]] = []
        with using(conn, database), conn.cursor() as cur:
            cur.execute("SELECT @@SESSION.sql_mode")
            mode = str((cur.fetchone() or ("",))[0])
            for d in waiting:
                try:
                    cur.execute("SET SESSION sql_mode = %s", (d.sql_mode or mode,))
                    cur.execute(f"DROP {d.kind.upper()} IF EXISTS {quote(d.name)}")
                    cur.execute(d.create)
                except ServerError as error:
                    failed.append((d, error))
            cur.execute("SET SESSION sql_mode = %s", (mode,))
        if len(failed) == len(waiting):
            raise failed[0][1]
        waiting = [d for d, _ in failed]


def leftovers(conn: Connection, places: Places) -> list[str]:
    return [name for name in (places.scratch, places.old) if exists(conn, name)]
