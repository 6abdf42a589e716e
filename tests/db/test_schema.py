"""What release.db.schema reads from information_schema: tables with engines and integer keys,
columns with their types and uniqueness, the triggers an UPDATE fires, and what a copy carries
along (views, triggers, routines)."""

from __future__ import annotations

from release.db import schema
from tests.support.mariadb import MariaDB

TABLES = [
    "CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(120) NOT NULL UNIQUE, "
    "phone VARCHAR(20) NULL, born DATE NULL, touched TIMESTAMP NOT NULL "
    "DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) ENGINE=InnoDB "
    "DEFAULT CHARSET=utf8mb4",
    "CREATE TABLE pairs (a INT, b INT, note TEXT, PRIMARY KEY (a, b)) ENGINE=InnoDB",
    "CREATE TABLE labels (code VARCHAR(10) PRIMARY KEY) ENGINE=MyISAM",
    "CREATE VIEW adults AS SELECT id FROM people WHERE born < '2000-01-01'",
    "CREATE TRIGGER people_b BEFORE UPDATE ON people FOR EACH ROW SET NEW.phone = NEW.phone",
    "CREATE TRIGGER people_a AFTER UPDATE ON people FOR EACH ROW SET @x = 1",
    "CREATE TRIGGER people_i BEFORE INSERT ON people FOR EACH ROW SET @y = 1",
    "CREATE FUNCTION twice(n INT) RETURNS INT DETERMINISTIC RETURN n * 2",
]


def _build(mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        for sql in TABLES:
            cur.execute(sql)


def test_tables_have_engines_and_only_single_integer_keys_count(
        mariadb: MariaDB, database: str) -> None:
    _build(mariadb, database)
    with mariadb.connect(database) as conn:
        found = schema.tables(conn, database)
    assert sorted(found) == ["labels", "pairs", "people"]  # not the view
    assert found["people"].integer_key == "id" and found["people"].engine == "InnoDB"
    assert found["pairs"].integer_key is None          # two columns
    assert found["labels"].integer_key is None         # not an integer
    assert found["labels"].engine == "MyISAM"


def test_columns_say_type_length_nullability_uniqueness_and_on_update(
        mariadb: MariaDB, database: str) -> None:
    _build(mariadb, database)
    with mariadb.connect(database) as conn:
        found = schema.columns(conn, database)
    email, phone = found["people.email"], found["people.phone"]
    assert (email.data_type, email.max_length, email.nullable, email.unique) == \
        ("varchar", 120, False, True)
    assert email.is_text and email.charset == "utf8mb4"
    assert (phone.nullable, phone.unique) == (True, False)
    assert found["people.touched"].on_update and not found["people.born"].on_update
    assert found["pairs.a"].unique and found["pairs.note"].max_length == 65535
    assert "adults.id" not in found


def test_update_triggers_are_listed_in_firing_order_and_insert_triggers_are_not(
        mariadb: MariaDB, database: str) -> None:
    _build(mariadb, database)
    with mariadb.connect(database) as conn:
        assert schema.update_triggers(conn, database) == {"people": ("people_b", "people_a")}
        carried = schema.other_objects(conn, database)
    assert carried == {"views": ["adults"],
                       "triggers": ["people_a", "people_b", "people_i"],
                       "routines": ["function twice"]}


def test_an_empty_database_has_no_tables_columns_or_objects(mariadb: MariaDB,
                                                            database: str) -> None:
    with mariadb.connect(database) as conn:
        assert schema.tables(conn, database) == {} and schema.columns(conn, database) == {}
        assert schema.update_triggers(conn, database) == {}
        assert schema.other_objects(conn, database) == {"views": [], "triggers": [],
                                                         "routines": []}


def test_quote_doubles_backticks_so_a_name_cannot_end_the_identifier() -> None:
    assert schema.quote("a`; DROP TABLE x; --") == "`a``; DROP TABLE x; --`"
