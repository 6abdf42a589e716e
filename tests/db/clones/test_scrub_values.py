"""The scrubbed values, computed by the suite's MariaDB from the SQL scrub_values writes: fictional,
fitting their column, the same for the same input under one key, and never the old value."""

from __future__ import annotations

import re

import pytest

from release.config import ScrubRule
from release.db import schema
from release.db.clones import scrub, scrub_plan
from release.db.clones.qa_values import is_fictional
from release.db.clones.scrub_values import EMAIL_DOMAIN, KEY, expression
from release.db.connection import connect
from release.db.credentials import Credentials
from tests.support.mariadb import MariaDB

PEOPLE = ("CREATE TABLE people (id INT PRIMARY KEY, phone VARCHAR(20) NULL, "
          "email VARCHAR(80) NULL, first_name VARCHAR(30) NULL, zip VARCHAR(10) NULL, "
          "street VARCHAR(60) NULL, born DATE NULL, note TEXT NULL, "
          "login VARCHAR(40) NULL UNIQUE) DEFAULT CHARSET=utf8mb4")
ROWS = [
    (1, "(212) 555-7788", "ann@mail.example.org", "Ann", "10027", "12 High St", "1980-02-29",
     "call me at 212-867-5309 or ann@gmail.com", "ann"),
    (2, "(212) 555-7788", "bob@gmail.com", "Bob", "10028", "14 High St", "1975-12-31",
     "nothing personal here", "bob"),
    (3, None, "", "Cy", "99999", "1 Low Rd", None, None, "cy"),
]


def scrubbed(mariadb: MariaDB, database: str, kind: str, column: str,
             key: bytes = b"k" * 32) -> list[object]:
    """The column's values after the `kind` expression, by id."""
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SHOW TABLES LIKE 'people'")
        if not cur.fetchall():
            cur.execute(PEOPLE)
            cur.executemany("INSERT INTO people VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            ROWS)
        sql = expression(kind, schema.columns(conn, database)[f"people.{column}"])
        cur.execute(f"SET {KEY} = UNHEX(%s)", (key.hex(),))
        cur.execute(f"SELECT {sql} FROM people ORDER BY id")
        return [row[0] for row in cur.fetchall()]


def test_phones_are_fictional_and_equal_numbers_stay_equal(mariadb: MariaDB,
                                                           database: str) -> None:
    first, second, blank = scrubbed(mariadb, database, "phone", "phone")
    assert first == second and blank is None
    assert isinstance(first, str) and is_fictional(first) and len(first) <= 20


def test_emails_go_to_the_reserved_domain_and_fit_the_column(mariadb: MariaDB,
                                                             database: str) -> None:
    ann, bob, empty = scrubbed(mariadb, database, "email", "email")
    assert empty == ""  # blank values reach nobody: left as they are
    for value in (ann, bob):
        assert isinstance(value, str) and value.endswith(EMAIL_DOMAIN) and len(value) <= 80
    assert ann != bob


def test_another_key_gives_other_values_so_nothing_can_be_read_back(mariadb: MariaDB,
                                                                    database: str) -> None:
    one = scrubbed(mariadb, database, "first_name", "first_name", key=b"a" * 32)
    again = scrubbed(mariadb, database, "first_name", "first_name", key=b"a" * 32)
    other = scrubbed(mariadb, database, "first_name", "first_name", key=b"b" * 32)
    assert one == again and one != other
    assert not {"Ann", "Bob", "Cy"} & set(map(str, one))
    assert all(re.fullmatch(r"[A-Z][a-z]{7}", str(v)) for v in one)


def test_five_digit_zip_codes_become_distinct_codes_no_us_zip_uses(mariadb: MariaDB,
                                                                   database: str) -> None:
    codes = scrubbed(mariadb, database, "address", "zip")
    assert len(set(codes)) == 3
    assert all(re.fullmatch(r"0000[0-9]-[0-9]{4}", str(c)) for c in codes), codes


def test_streets_get_a_number_and_a_made_up_name(mariadb: MariaDB, database: str) -> None:
    streets = scrubbed(mariadb, database, "address", "street")
    assert all(re.fullmatch(r"[0-9]+ [A-Z][a-z]{5} Street", str(s)) for s in streets), streets


def test_dates_move_within_their_year_and_null_stays_null(mariadb: MariaDB,
                                                          database: str) -> None:
    leap, last, missing = scrubbed(mariadb, database, "date", "born")
    assert missing is None
    assert str(leap).startswith("1980-") and str(leap) != "1980-02-29"
    assert str(last).startswith("1975-") and str(last) != "1975-12-31"


def test_redact_replaces_contact_data_inside_text_and_leaves_other_text(
        mariadb: MariaDB, database: str) -> None:
    note, plain, missing = scrubbed(mariadb, database, "redact", "note")
    assert plain == "nothing personal here" and missing is None
    assert isinstance(note, str) and note.startswith("call me at 201-555-01")
    assert "867-5309" not in note and "ann@gmail.com" not in note
    assert note.endswith(EMAIL_DOMAIN)


def test_a_unique_column_gets_values_that_stay_unique(mariadb: MariaDB, database: str) -> None:
    logins = scrubbed(mariadb, database, "name", "login")
    assert len(set(logins)) == 3 and all(len(str(v)) <= 40 for v in logins)


def test_a_kind_that_cannot_fit_its_column_is_refused_before_any_sql_runs(
        mariadb: MariaDB, database: str) -> None:
    with pytest.raises(ValueError, match="kind 'date' needs a date column"):
        scrubbed(mariadb, database, "date", "zip")
    with pytest.raises(ValueError, match="unknown kind 'fax'"):
        scrubbed(mariadb, database, "fax", "phone")


UNIQUE_ROWS = 120_000  # well past where 32-bit hashes collide (about 77,000 values for even odds)


def test_tokens_in_a_unique_column_stay_unique_past_a_32_bit_hash(mariadb: MariaDB,
                                                                  database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE calls (id INT PRIMARY KEY, sid VARCHAR(34) NOT NULL, "
                    "UNIQUE KEY calls_sid (sid)) ENGINE=InnoDB")
        cur.execute(f"INSERT INTO calls SELECT seq, CONCAT('CA', MD5(seq)) "
                    f"FROM seq_1_to_{UNIQUE_ROWS}")
    creds = Credentials("qa", database, mariadb.host, mariadb.port, "", mariadb.user,
                        mariadb.password)
    with connect(creds) as conn:
        rules = [ScrubRule("calls", "sid", "token")]
        keys = {name: t.integer_key for name, t in schema.tables(conn, database).items()}
        scrub.apply(conn, scrub_plan.plan(rules, schema.columns(conn, database), keys),
                    b"k" * 32)
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(DISTINCT sid), SUM(sid = CONCAT('CA', MD5(id))) FROM calls")
        assert cur.fetchone() == (UNIQUE_ROWS, 0)
