"""Carrying out a scrub plan on a database."""

from __future__ import annotations

from collections.abc import Iterable

from release.console import Say
from release.db.clones.fingerprints import set_key
from release.db.clones.scrub_plan import TableScrub
from release.db.clones.state import TRIGGER_TABLE
from release.db.connection import Connection, ServerError, server_words
from release.db.schema import quote
from release.errors import Failed

BATCH_ROWS = 200_000



def apply(conn: Connection, scrubs: Iterable[TableScrub], key: bytes, *,
          batch_rows: int = BATCH_ROWS, report: Say | None = None) -> None:
    """Run each table's UPDATE, with the tables' UPDATE triggers set aside (MariaDB cannot
    disable a trigger: each is dropped, kept in `release_scrub_triggers`, and recreated
    afterwards, even when an UPDATE fails)."""
    scrubs = list(scrubs)
    set_key(conn, key)
    set_aside(conn, [name for scrub in scrubs for name in scrub.triggers], report)
    try:
        for scrub in scrubs:
            if report:
                report(f"scrub {scrub.table}: {', '.join(c for c, _ in scrub.assignments)}")
            _update(conn, scrub, batch_rows)
    except BaseException as error:
        try:
            restore_triggers(conn, report)
        except Failed as failed:
            raise Failed(f"{failed.message}\n(The scrub had failed first: {error})") from error
        raise
    restore_triggers(conn, report)


def _update(conn: Connection, scrub: TableScrub, batch_rows: int) -> None:
    """One table's UPDATE; tables with an integer key are done in key ranges so that no
    single transaction holds millions of rows of undo."""
    with conn.cursor() as cur:
        if scrub.batch_key is None:
            cur.execute(scrub.statement())
            return
        key_name = quote(scrub.batch_key)
        cur.execute(f"SELECT MIN({key_name}), MAX({key_name}) FROM {quote(scrub.table)}")
        row = cur.fetchone()
        low, high = (row[0], row[1]) if row else (None, None)
        if low is None or high is None:
            return
        if high - low < batch_rows:
            cur.execute(scrub.statement())
            return
        statement = scrub.batch_statement()
        for start in range(int(low), int(high) + 1, batch_rows):
            cur.execute(statement, (start, start + batch_rows))


def set_aside(conn: Connection, names: list[str], report: Say | None = None) -> None:
    """Keep each trigger's definition in the database itself, then drop it: a scrub that dies
    part-way leaves the definitions where `restore_triggers` (the next clone) finds them."""
    if not names:
        return
    with conn.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS `{TRIGGER_TABLE}` (name VARCHAR(64) PRIMARY "
                    "KEY, sql_mode TEXT NOT NULL, statement LONGTEXT NOT NULL) ENGINE=InnoDB")
        for name in names:
            cur.execute(f"SHOW CREATE TRIGGER {quote(name)}")
            row = cur.fetchone()
            assert row is not None
            cur.execute(f"REPLACE INTO `{TRIGGER_TABLE}` VALUES (%s, %s, %s)",
                        (name, str(row[1]), str(row[2])))
            cur.execute(f"DROP TRIGGER {quote(name)}")
            if report:
                report(f"trigger {name} set aside for the scrub")


def restore_triggers(conn: Connection, report: Say | None = None) -> None:
    """Recreate every trigger `set_aside` kept, in the order they were created; Failed with the
    statements to run by hand if the server refuses one."""
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    "DATABASE() AND TABLE_NAME = %s", (TRIGGER_TABLE,))
        row = cur.fetchone()
        if not row or not row[0]:
            return
        cur.execute(f"SELECT name, sql_mode, statement FROM `{TRIGGER_TABLE}`")
        kept = [(str(n), str(m), str(s)) for n, m, s in cur.fetchall()]
        cur.execute("SELECT @@SESSION.sql_mode")
        mode = str((cur.fetchone() or ("",))[0])
        failed: list[str] = []
        for name, sql_mode, statement in kept:
            try:
                cur.execute("SET SESSION sql_mode = %s", (sql_mode,))
                cur.execute(statement)
                cur.execute(f"DELETE FROM `{TRIGGER_TABLE}` WHERE name = %s", (name,))
            except ServerError as error:
                failed.append(f"{name} ({server_words(error)}):\n    SET sql_mode = '{sql_mode}';"
                              f"\n    {statement};")
            else:
                if report:
                    report(f"trigger {name} recreated")
        cur.execute("SET SESSION sql_mode = %s", (mode,))
        if not failed:
            cur.execute(f"DROP TABLE `{TRIGGER_TABLE}`")
            return
    raise Failed("the scrub could not recreate these triggers (their definitions are kept in "
                 f"table {TRIGGER_TABLE}); recreate them by hand:\n  " + "\n  ".join(failed))
