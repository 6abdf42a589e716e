from __future__ import annotations

import pytest

from release.alters.lint import lint_alters
from release.alters.parse import parse_alters
from release.alters.rules import Context


def codes(sql: str, rows: dict[str, int] | None = None) -> list[str]:
    parsed = parse_alters(sql, "alters.sql")
    ctx = Context("alters.sql", 1_000_000, rows or {})
    return [f.code for f in lint_alters(parsed, sql, ctx=ctx) if f.code != "AL030"]


@pytest.mark.parametrize(("code", "sql"), [
    ("AL001", "ALTER TABEL t ADD c int;"),
    ("AL001", "SELEC 1;"),
    ("AL002", "SELECT 1;\nBEGIN;\nALTER TABLE t ADD c int NULL;\nCOMMIT;\n"),
    ("AL002", "START TRANSACTION;\nDROP INDEX i ON t;\nCOMMIT;\n"),
    ("AL003", "ALTER TABLE t ADD c int NULL;\nUPDATE t SET c = 1 WHERE id = 2;\n"),
    ("AL010", "DROP TABLE `a`;"),
    ("AL010", "drop table if exists a;"),
    ("AL010", "DROP DATABASE d;"),
    ("AL010", "DROP SCHEMA d;"),
    ("AL011", "ALTER TABLE t DROP COLUMN c;"),
    ("AL011", "ALTER TABLE t ADD x int NULL, DROP c;"),
    ("AL012", "TRUNCATE TABLE t;"),
    ("AL012", "truncate t;"),
    ("AL013", "UPDATE t SET a = 1;"),
    ("AL013", "DELETE FROM t;"),
    ("AL013", "UPDATE t SET a = (SELECT b FROM u WHERE u.id = 1);"),
    ("AL020", "ALTER TABLE t ADD COLUMN c int NOT NULL;"),
    ("AL020", "AlTER TABLE t ADD c varchar(3) not null;"),
    ("AL020", "ALTER TABLE t ADD (a int NOT NULL DEFAULT 1, b varchar(3) NOT NULL);"),
    ("AL021", "ALTER TABLE t MODIFY c int NOT NULL;"),
    ("AL021", "ALTER TABLE t CHANGE c c int NOT NULL;"),
    ("AL022", "ALTER TABLE t MODIFY COLUMN c bigint NULL;"),
    ("AL022", "ALTER TABLE t CHANGE COLUMN c c bigint NULL;"),
    ("AL023", "RENAME TABLE a TO b;"),
    ("AL023", "ALTER TABLE t RENAME COLUMN a TO b;"),
    ("AL023", "ALTER TABLE t RENAME TO u;"),
    ("AL023", "ALTER TABLE t CHANGE a b int NULL;"),
    ("AL024", "ALTER TABLE t ADD UNIQUE KEY k (a);"),
    ("AL024", "CREATE UNIQUE INDEX k ON t (a);"),
    ("AL024", "ALTER TABLE t ADD CONSTRAINT k UNIQUE (a);"),
    ("AL031", "ALTER TABLE big ADD c int NULL;"),
    ("AL031", "CREATE INDEX i ON big (a);"),
    ("AL040", "-- alter: x\nSELECT 1;\n-- alter: x\nSELECT 2;\n"),
    ("AL040", "-- add by someone\nSELECT 1;\n"),
    ("AL050", "BEGIN;\nUPDATE t SET a = 1 WHERE b = 2;\n"),
    ("AL050", "SELECT 1;\nCOMMIT;\n"),
])
def test_rule_triggers(code: str, sql: str) -> None:
    assert code in codes(sql, {"big": 5_000_000})


@pytest.mark.parametrize(("code", "sql"), [
    ("AL010", "INSERT INTO log VALUES ('DROP TABLE users');"),
    ("AL010", "-- DROP TABLE users;\nSELECT 1;"),
    ("AL010", "/* DROP TABLE users; */ SELECT 1;"),
    ("AL010", "# DROP TABLE users;\nSELECT 1;"),
    ("AL010", "DROP INDEX i ON t;"),
    ("AL010", "SELECT `DROP TABLE x` FROM t;"),
    ("AL011", "ALTER TABLE t DROP FOREIGN KEY fk;"),
    ("AL011", "ALTER TABLE t DROP INDEX i, DROP KEY k, DROP PRIMARY KEY;"),
    ("AL012", "SELECT 'TRUNCATE t';"),
    ("AL013", "UPDATE t SET a = 1 WHERE id = 2;"),
    ("AL013", "delete from t where id in (1, 2);"),
    ("AL020", "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;"),
    ("AL020", "ALTER TABLE t ADD COLUMN c int DEFAULT 1 NOT NULL;"),
    ("AL020", "ALTER TABLE t ADD COLUMN id int NOT NULL AUTO_INCREMENT, ADD PRIMARY KEY (id);"),
    ("AL020", "ALTER TABLE t ADD COLUMN c int NULL;"),
    ("AL020", "ALTER TABLE t ADD COLUMN c varchar(9) NOT NULL DEFAULT '';"),
    ("AL020", "ALTER TABLE t ADD (a int NOT NULL DEFAULT 1, b decimal(5, 2) NULL);"),
    ("AL020", "CREATE TABLE t (c int NOT NULL);"),
    ("AL021", "ALTER TABLE t MODIFY COLUMN c varchar(9) DEFAULT NULL;"),
    ("AL023", "ALTER TABLE t CHANGE c `c` int NULL;"),
    ("AL023", "ALTER TABLE t RENAME INDEX a TO b;"),
    ("AL024", "ALTER TABLE t ADD INDEX k (a);"),
    ("AL024", "CREATE TABLE t (a int, UNIQUE KEY k (a));"),
    ("AL031", "ALTER TABLE small ADD c int NULL;"),
    ("AL031", "ALTER TABLE big ADD c int NULL, ALGORITHM=INSTANT;"),
    ("AL031", "-- alter: x\n-- online: gh-ost\nALTER TABLE big ADD c int NULL;"),
    ("AL050", "BEGIN;\nUPDATE t SET a = 1 WHERE b = 2;\nCOMMIT;\n"),
    ("AL003", "UPDATE t SET c = 1 WHERE id = 2;\nINSERT INTO t VALUES (1);\n"),
])
def test_rule_stays_silent(code: str, sql: str) -> None:
    assert code not in codes(sql, {"big": 5_000_000, "small": 10})


def all_codes(sql: str) -> list[str]:
    parsed = parse_alters(sql, "alters.sql")
    return [f.code for f in lint_alters(parsed, sql, ctx=Context("alters.sql", 1, {}))]


@pytest.mark.parametrize("sql", [
    "ALTER TABLE t ADD c int NULL, ALGORITHM=INSTANT;",
    "ALTER TABLE t ADD c int NULL, ALGORITHM=INPLACE, LOCK=NONE;",
    "CREATE INDEX i ON t (a) ALGORITHM=INPLACE LOCK=NONE;",
    "-- alter: x\n-- online: pt-osc\nALTER TABLE t ADD c int NULL;",
])
def test_al030_silent_with_algorithm_and_lock_or_an_online_tool(sql: str) -> None:
    assert all_codes(sql) == []


def test_al030_warns_on_a_table_rebuild_and_create_index() -> None:
    assert all_codes("ALTER TABLE t ENGINE=InnoDB;\nCREATE INDEX i ON t (a);") == [
        "AL030", "AL030"]


def test_findings_point_at_the_clause() -> None:
    sql = "ALTER TABLE t\n  ADD a int NULL,\n  DROP COLUMN b,\n  ALGORITHM=INPLACE, LOCK=NONE;\n"
    parsed = parse_alters(sql, "x.sql")
    (finding,) = lint_alters(parsed, sql, ctx=Context("x.sql", 1, {}))
    assert (finding.path, finding.line, finding.col, finding.code) == ("x.sql", 3, 3, "AL011")


def test_noqa_silences_only_the_named_code_on_that_statement() -> None:
    sql = (
        "DROP TABLE a; -- noqa: AL010\n"
        "ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE,\n  DROP COLUMN c; -- noqa: AL010, AL011\n"
        "DROP TABLE b; -- noqa: AL011\n"
    )
    assert codes(sql) == ["AL010"]


def test_syntax_error_is_placed_at_its_line() -> None:
    sql = "-- alter: a\nSELECT 1;\n\nALTER TABLE t\n  ADD COLUMN c int NULL NULL NULL garbage;\n"
    parsed = parse_alters(sql, "x.sql")
    found = [f for f in lint_alters(parsed, sql, ctx=Context("x.sql", 1, {}))
             if f.code == "AL001"]
    assert found and all(4 <= f.line <= 5 for f in found)
    assert 'does not parse as MySQL (dialect "mysql")' in found[0].message


def test_routines_and_version_comments_parse() -> None:
    sql = (
        "/*!40101 SET NAMES utf8 */;\nDELIMITER $$\n"
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n"
        "  SET NEW.a = 1;\n  SET NEW.b = 2;\nEND$$\nDELIMITER ;\n"
    )
    assert codes(sql) == []
