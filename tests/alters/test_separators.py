"""A missing `;` between two statements is found without a server, and SQL that merely has a
statement keyword at the start of a line is left alone."""

from __future__ import annotations

import pytest

from release.alters.parse import parse_alters
from release.alters.separators import second_statement

MISSING = [
    ("CREATE TABLE t (\n  id int PRIMARY KEY\n)\nCREATE VIEW v AS SELECT id FROM t", 4,
     "CREATE VIEW"),
    ("CREATE TABLE t (\n  id int\n) ENGINE=InnoDB\nALTER TABLE t ADD c int NULL", 4,
     "ALTER TABLE"),
    ("ALTER TABLE t ADD COLUMN a int NULL\nALTER TABLE u ADD COLUMN b int NULL", 2,
     "ALTER TABLE"),
    ("CREATE TABLE t (id int)\nINSERT INTO t VALUES (1)", 2, "INSERT INTO"),
    ("UPDATE t SET a = 1 WHERE id = 2\nDELETE FROM t WHERE id = 3", 2, "DELETE FROM"),
    ("CREATE TABLE t (id int)\n\n  DROP VIEW IF EXISTS v", 3, "DROP VIEW"),
    ("ALTER TABLE t DROP COLUMN a\nDROP TABLE u", 2, "DROP TABLE"),
    ("INSERT INTO t VALUES (1)\nLOCK TABLES t WRITE", 2, "LOCK TABLES"),
]
RUNS_AS_ONE = [
    "CREATE TABLE t (\n  id int\n)\nSELECT 1 AS id",  # CREATE TABLE ... SELECT
    "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY\nUPDATE a = a + 1",
    "ALTER TABLE t\nDROP user,\nALTER view SET DEFAULT 1",  # columns named user and view
    "ALTER TABLE t\nALTER COLUMN a SET DEFAULT 1,\nDROP INDEX i,\nRENAME TO u",
    "CREATE TABLE t (\n  ts timestamp DEFAULT CURRENT_TIMESTAMP ON\nUPDATE CURRENT_TIMESTAMP\n)",
    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\nUPDATE u SET n = n + 1",
    "GRANT SELECT, INSERT,\nCREATE, DROP ON db.* TO someone",
    "SELECT * FROM t\nUSE INDEX (i)\nWHERE a = 1",
    "SELECT * FROM t WHERE a = 1\nLOCK IN SHARE MODE",
    "CREATE SEQUENCE s\nSTART WITH 10",
    "SELECT a FROM t WHERE b = 1 FOR\nUPDATE",
    "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) ON\nDELETE CASCADE",
    "EXPLAIN\nUPDATE t SET a = 1",
    "SELECT REPLACE(a, 'x', 'y') FROM t\nWHERE b = 1",
]


@pytest.mark.parametrize(("sql", "line", "words"), MISSING)
def test_a_statement_holding_the_start_of_another_is_found_where_it_begins(
        sql: str, line: int, words: str) -> None:
    (statement,) = parse_alters(sql + ";\n", "a.sql").blocks[0].statements
    found = second_statement(statement)
    assert found is not None and (found.line, found.words) == (line, words)


@pytest.mark.parametrize("sql", RUNS_AS_ONE)
def test_a_keyword_that_continues_the_statement_is_not_a_second_one(sql: str) -> None:
    (statement,) = parse_alters(sql + ";\n", "a.sql").blocks[0].statements
    assert second_statement(statement) is None
