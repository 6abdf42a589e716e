"""Asking a server whether statements parse: PREPARE, never executed; errors of the parser are
refusals, errors about names, rights or state are not; what cannot be prepared is parsed in a
block's body."""

from __future__ import annotations

from release.db.syntax_check import ServerSyntax, environment_syntax
from tests.support.mariadb import MariaDB, query


def server(mariadb: MariaDB, database: str) -> ServerSyntax:
    return environment_syntax(lambda: mariadb.connect(database), "dev",
                              f"{mariadb.host}:{mariadb.port}")


def test_parser_errors_are_refusals_and_unknown_names_are_not(
        mariadb: MariaDB, database: str) -> None:
    checker = server(mariadb, database)
    verdicts = checker.check([
        "DELETE FROM t WHERE id > 3 LIMIT 0,25",          # 1064
        "UPDATE t SET a = 1 LIMIT 1 OFFSET 2",            # 1064
        "INSERT INTO a (v) SET v = '1'",                  # 1064
        "CREATE TABLE d (a decimal(5,10))",               # 1427: M must be >= D
        "SELECT * FROM no_such_table",                    # 1146: parsed
        "SELECT no_such_column FROM mysql.user",          # 1054: parsed
        "USE no_such_database",                           # parsed
        "select * from école",                            # 1146: parsed
        "CREATE TABLE e (id int AUTO_INCREMENT KEY)",
        "ALTER FUNCTION f COMMENT \"x\"",
    ])
    name = checker.name
    checker.close()
    assert [v.parses for v in verdicts] == [False, False, False, False] + [True] * 6
    assert verdicts[0].message.startswith("error 1064: You have an error in your SQL syntax")
    assert verdicts[3].message.startswith("error 1427")
    assert "MariaDB" in name and "environment 'dev'" in name
    assert query(mariadb, database, "SHOW TABLES") == []  # nothing was run


def test_the_line_the_server_names_is_counted_from_the_statement(
        mariadb: MariaDB, database: str) -> None:
    checker = server(mariadb, database)
    (verdict,) = checker.check(["ALTER TABLE t\n  ADD COLUMN b int,\n  ADD COLUMN c int NUL L"])
    checker.close()
    assert not verdict.parses and verdict.line == 3


def test_statements_that_cannot_be_prepared_are_parsed_in_a_block_body(
        mariadb: MariaDB, database: str) -> None:
    checker = server(mariadb, database)
    verdicts = checker.check(["PREPARE s FROM 'SELECT 1'", "EXECUTE s USING @a",
                              "DEALLOCATE PREPARE s", "PREPARE s FRM 'SELECT 1'",
                              "EXECUTE IMMEDIATE 'SELECT 1'", "ALTER TABLE no_such ADD c int"])
    checker.close()
    assert [v.parses for v in verdicts] == [True, True, True, False, True, True]
    assert all(v.checked for v in verdicts)
    assert "near 'FRM 'SELECT 1''" in verdicts[3].message
