"""Asking the server how it would run each DDL statement: on empty copies in a scratch schema
that is always dropped, so the environment's own tables never change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from release.alters.ledger_plan import plan
from release.alters.parse import parse_alters
from release.config import BackupsConfig
from release.db.credentials import Credentials
from release.db.explain import ask
from release.db.target import Database
from tests.support.mariadb import MariaDB

ALTERS = """\
-- alter: grow
ALTER TABLE orders ADD COLUMN note varchar(40) NULL;
ALTER TABLE orders MODIFY code BIGINT NULL;
ALTER TABLE elsewhere.orders ADD COLUMN x int NULL;
ALTER TABLE ghosts ADD COLUMN y int NULL;
CREATE TABLE extra (id int PRIMARY KEY);
UPDATE orders SET code = 1 WHERE id = 1;
"""


def _database(mariadb: MariaDB, name: str) -> Database:
    creds = Credentials("qa", name, mariadb.host, mariadb.port, "", mariadb.user,
                        mariadb.password)
    return Database("qa", creds, BackupsConfig(), backups_dir=Path("backups"))


def _orders(mariadb: MariaDB, database: str, rows: int = 300) -> str:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE orders (id int PRIMARY KEY, code int NULL) ENGINE=InnoDB")
        cur.execute(f"INSERT INTO orders SELECT seq, seq FROM seq_1_to_{rows}")
        cur.execute("ANALYZE TABLE orders")
        cur.execute("SHOW CREATE TABLE orders")
        return str(cur.fetchone()[1])  # type: ignore[index]


def _schemas(mariadb: MariaDB) -> set[str]:
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute("SHOW DATABASES LIKE 'stagecraft\\_explain\\_%'")
        return {str(r[0]) for r in cur.fetchall()}


def test_each_ddl_statement_gets_the_servers_answer_and_nothing_changes(
        mariadb: MariaDB, database: str) -> None:
    before = _orders(mariadb, database)
    pending = plan([parse_alters(ALTERS, "alters.sql")], []).pending
    found = ask.explain(_database(mariadb, database), pending, {})
    by_id = {e.item.statement_id: e for e in found}
    assert list(by_id) == ["grow#1", "grow#2", "grow#3", "grow#4", "grow#5"]  # DDL only
    add, modify = by_id["grow#1"], by_id["grow#2"]
    assert (add.answer.algorithm, add.answer.lock) == ("INSTANT", "NONE")
    assert add.table == "orders" and add.size is not None and add.size.rows > 0
    assert modify.answer.algorithm == "COPY"  # a type change rewrites the table
    assert "another schema (elsewhere)" in by_id["grow#3"].answer.note
    assert "ghosts is not a table of" in by_id["grow#4"].answer.note
    assert "creates a new table" in by_id["grow#5"].answer.note
    assert _orders_text(mariadb, database) == before
    assert not any(name.endswith(database) for name in _schemas(mariadb))


def _orders_text(mariadb: MariaDB, database: str) -> str:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SHOW CREATE TABLE orders")
        return str(cur.fetchone()[1])  # type: ignore[index]


def test_a_scratch_schema_a_killed_run_left_is_dropped_by_the_next_run(
        mariadb: MariaDB, database: str) -> None:
    _orders(mariadb, database)
    old = datetime.now(UTC) - ask.STALE - timedelta(minutes=5)
    stale = f"{ask.PREFIX}{old:%Y%m%d%H%M%S}_deadbeef"
    running = f"{ask.PREFIX}{datetime.now(UTC):%Y%m%d%H%M%S}_0badf00d"
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{stale}`")
        cur.execute(f"CREATE DATABASE `{running}`")
    try:
        pending = plan([parse_alters(ALTERS, "alters.sql")], []).pending[:1]
        ask.explain(_database(mariadb, database), pending, {})
        left = _schemas(mariadb)
        assert stale not in left
        assert running in left  # another run may still be using it
    finally:
        with mariadb.connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{running}`")


def test_timings_come_from_another_ledger_with_the_rows_its_table_has_now(
        mariadb: MariaDB, database: str) -> None:
    _orders(mariadb, database, rows=200)
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE release_alters (statement_checksum CHAR(64), statement "
                    "LONGTEXT, status VARCHAR(10), duration_ms INT NULL)")
        cur.execute("INSERT INTO release_alters VALUES ('c1', 'ALTER TABLE orders ADD COLUMN "
                    "z int', 'applied', 1500), ('c2', 'ALTER TABLE orders ADD COLUMN w int', "
                    "'failed', 9), ('c3', 'ALTER TABLE nowhere ADD COLUMN v int', 'applied', 7)")
    found = ask.timings(_database(mariadb, database), "release_alters")
    assert set(found) == {"c1"}
    assert found["c1"].environment == "qa" and found["c1"].duration_ms == 1500
    assert found["c1"].rows > 0


def test_no_ledger_there_means_no_timings(mariadb: MariaDB, database: str) -> None:
    assert ask.timings(_database(mariadb, database), "release_alters") == {}
