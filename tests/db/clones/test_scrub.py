"""Carrying out a scrub plan on the suite's MariaDB: production's values fingerprinted first,
every row rewritten (in key ranges where the table has an integer key), UPDATE triggers set
aside while it runs and recreated afterwards, even when an UPDATE fails."""

from __future__ import annotations

import pytest

from release.config import ScrubRule
from release.db import schema
from release.db.clones import fingerprints, scrub
from release.db.clones.scrub_plan import TableScrub, plan
from release.db.clones.state import FINGERPRINT_TABLE, SLOT_TABLE, TRIGGER_TABLE
from release.db.connection import ServerError
from release.errors import Failed
from tests.support.mariadb import MariaDB

KEY = b"s" * 32
RULES = (ScrubRule("people", "phone", "phone"), ScrubRule("people", "email", "email"),
         ScrubRule("people", "note", "redact"))


def _people(mariadb: MariaDB, database: str, rows: int = 45) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE people (id INT PRIMARY KEY, phone VARCHAR(20) NULL, "
                    "email VARCHAR(80) NULL, note TEXT NULL, updates INT NOT NULL DEFAULT 0)")
        # Keys with a gap, so the ranges include empty ones.
        cur.execute(f"INSERT INTO people SELECT IF(seq > 20, seq + 1000, seq), "
                    f"CONCAT('(212) 867-', LPAD(seq, 4, '0')), CONCAT('p', seq, '@gmail.com'), "
                    f"IF(seq = 1, '', 'text'), 0 FROM seq_1_to_{rows}")
        cur.execute("CREATE TABLE update_log (id INT AUTO_INCREMENT PRIMARY KEY, person INT)")
        cur.execute("CREATE TRIGGER people_logged AFTER UPDATE ON people FOR EACH ROW "
                    "INSERT INTO update_log (person) VALUES (NEW.id)")


def _plan(mariadb: MariaDB, database: str) -> list[TableScrub]:
    with mariadb.connect(database) as conn:
        return plan(RULES, schema.columns(conn, database), {"people": "id"},
                    schema.update_triggers(conn, database))


def _rows(mariadb: MariaDB, database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return [tuple(row) for row in cur.fetchall()]


def test_fingerprints_hold_salted_hashes_of_production_values_never_the_values(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    with mariadb.connect(database) as conn:
        fingerprints.record(conn, RULES, KEY, {"people": "id"})
    slots = _rows(mariadb, database, f"SELECT column_name, table_id, slot FROM `{SLOT_TABLE}` "
                  "ORDER BY slot")
    assert slots == [("phone", 1, 0), ("email", 1, 1)]  # redact: nothing to fingerprint
    counts = _rows(mariadb, database, f"SELECT COUNT(*), COUNT(d0), COUNT(d1) FROM "
                   f"`{FINGERPRINT_TABLE}` WHERE table_id = 1")
    assert counts == [(45, 45, 45)]  # one row a person, keyed by the person's id
    digests = _rows(mariadb, database, f"SELECT d0, d1 FROM `{FINGERPRINT_TABLE}`")
    assert all(len(bytes(d)) == 8 and b"gmail" not in bytes(d)  # type: ignore[call-overload]
               for row in digests for d in row if d is not None)


def test_every_row_is_rewritten_in_key_ranges_without_firing_update_triggers(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    said: list[str] = []
    with mariadb.connect(database) as conn:
        scrub.apply(conn, _plan(mariadb, database), KEY, batch_rows=7, report=said.append)
    left = _rows(mariadb, database, "SELECT COUNT(*) FROM people WHERE phone LIKE '%867-%' "
                 "OR email LIKE '%gmail.com'")
    assert left == [(0,)]
    assert _rows(mariadb, database, "SELECT COUNT(*) FROM update_log") == [(0,)]
    assert _rows(mariadb, database, "SELECT note FROM people WHERE id = 1") == [("",)]
    assert said == ["trigger people_logged set aside for the scrub",
                    "scrub people: phone, email, note", "trigger people_logged recreated"]
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("UPDATE people SET updates = 1 WHERE id = 2")  # the trigger is back
    assert _rows(mariadb, database, "SELECT person FROM update_log") == [(2,)]
    assert _rows(mariadb, database, f"SHOW TABLES LIKE '{TRIGGER_TABLE}'") == []


def test_a_failing_update_still_recreates_the_triggers(mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    broken = [TableScrub("people", (("phone", "no_such_function(phone)"),),
                         triggers=("people_logged",))]
    with mariadb.connect(database) as conn, pytest.raises(ServerError):
        scrub.apply(conn, broken, KEY)
    assert _rows(mariadb, database, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                 "WHERE TRIGGER_SCHEMA = DATABASE()") == [("people_logged",)]


def test_triggers_a_killed_scrub_set_aside_are_recreated_by_the_next_run(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    with mariadb.connect(database) as conn:
        scrub.set_aside(conn, ["people_logged"])
    assert _rows(mariadb, database, f"SELECT name FROM `{TRIGGER_TABLE}`") == \
        [("people_logged",)]
    with mariadb.connect(database) as conn:
        scrub.restore_triggers(conn)
        scrub.restore_triggers(conn)  # nothing kept any more: nothing to do
    assert _rows(mariadb, database, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                 "WHERE TRIGGER_SCHEMA = DATABASE()") == [("people_logged",)]


def test_a_trigger_that_cannot_be_recreated_is_named_with_its_statement(
        mariadb: MariaDB, database: str) -> None:
    _people(mariadb, database)
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        scrub.set_aside(conn, ["people_logged"])
        cur.execute("DROP TABLE update_log")  # what the trigger writes to is gone
        cur.execute("CREATE TRIGGER people_logged BEFORE UPDATE ON people FOR EACH ROW "
                    "SET NEW.updates = NEW.updates + 1")  # and its name is taken
        with pytest.raises(Failed) as caught:
            scrub.restore_triggers(conn)
    message = str(caught.value)
    assert "recreate them by hand" in message and f"table {TRIGGER_TABLE}" in message
    assert "people_logged (error 1359: " in message and "INSERT INTO update_log" in message
