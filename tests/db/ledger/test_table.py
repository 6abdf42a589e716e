from __future__ import annotations

import pytest

from release.alters.ledger_plan import plan
from release.alters.parse import parse_alters
from release.db.ledger.table import SCHEMA_VERSION, Ledger
from release.errors import Refused
from tests.support.mariadb import MariaDB

ALTERS = "-- alter: one\nUPDATE t SET a = 1 WHERE id = 1;\n"


def open_ledger(mariadb: MariaDB, database: str) -> Ledger:
    return Ledger(mariadb.connect(database), "release_alters", applied_by="dev@host",
                  release_tag="release-2026.01.01.1")


def tables(mariadb: MariaDB, database: str) -> list[str]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES")
        return sorted(r[0] for r in cur.fetchall())


def test_reading_a_database_without_a_ledger_creates_nothing(
        mariadb: MariaDB, database: str) -> None:
    assert open_ledger(mariadb, database).rows() == []
    assert tables(mariadb, database) == []


def test_first_use_creates_the_ledger_with_its_schema_version(
        mariadb: MariaDB, database: str) -> None:
    ledger = open_ledger(mariadb, database)
    ledger.ensure()
    ledger.ensure()  # idempotent
    assert tables(mariadb, database) == ["release_alters", "release_alters_runs",
                                         "release_alters_schema"]
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SELECT version FROM release_alters_schema")
        assert cur.fetchall() == ((SCHEMA_VERSION,),)


def test_a_ledger_newer_than_this_code_is_refused(mariadb: MariaDB, database: str) -> None:
    ledger = open_ledger(mariadb, database)
    ledger.ensure()
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("UPDATE release_alters_schema SET version = version + 1")
    with pytest.raises(Refused, match="newer than this Stagecraft understands"):
        ledger.ensure()


def test_rows_round_trip_with_who_when_and_release(mariadb: MariaDB, database: str) -> None:
    ledger = open_ledger(mariadb, database)
    ledger.ensure()
    item = plan([parse_alters(ALTERS, "alters.sql")], []).pending[0]
    run = ledger.start_run("backups/before.sql")
    ledger.record(item, "applied", run_id=run, duration_ms=7)
    ledger.finish_run(run, result="applied", backup_after="backups/after.sql")
    [row] = ledger.rows()
    assert (row.statement_id, row.status, row.applied_by, row.release_tag, row.duration_ms) == (
        "one#1", "applied", "dev@host", "release-2026.01.01.1", 7)
    assert row.statement_checksum == item.checksum and row.applied_at is not None
    [run_row] = ledger.runs()
    assert run_row[4:] == ("applied", "backups/before.sql", "backups/after.sql")
