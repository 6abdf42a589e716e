"""AL001 from the server's own parser: what it runs gets none, what it refuses gets one at the
right line, quoting it; verdicts are kept by text, server version and SQL mode."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pymysql
import pytest

from release.alters.parse import parse_alters
from release.alters.server_syntax import VERDICTS_FILE, SyntaxServer, Verdict, server_findings
from release.db.syntax_check import ServerSyntax, environment_syntax
from tests.support.checking_server import al001, checked_repo
from tests.support.mariadb import MariaDB

SERVER_RUNS_SQLFLUFF_DOES_NOT = """\
-- alter: partitions
ALTER TABLE t PARTITION BY RANGE (MONTH(d)) (
  PARTITION p0 VALUES LESS THAN (6),
  PARTITION p1 VALUES LESS THAN MAXVALUE);
LOCK TABLES t1 AS a READ LOCAL;
SAVEPOINT s;
CREATE DATABASE IF NOT EXISTS pma DEFAULT CHARSET 'utf8';
UNLOCK TABLES;
"""
SERVER_REFUSES = """\
-- alter: purge
DELETE FROM t WHERE id > 3 LIMIT 0,25;

-- alter: two-in-one
CREATE TABLE u (
  id int PRIMARY KEY
)
CREATE VIEW v AS SELECT id FROM u;
"""


def test_with_a_server_only_what_it_refuses_gets_al001_at_its_line(
        tmp_path: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = checked_repo(tmp_path, mariadb, database, monkeypatch)
    (repo / "alters.sql").write_text(SERVER_RUNS_SQLFLUFF_DOES_NOT + SERVER_REFUSES)
    found = al001(repo, [repo / "alters.sql"])
    assert [(f.line, f.col) for f in found] == [(10, 1), (16, 1)]
    delete, missing = found
    assert "the server does not parse it" in delete.message
    assert "environment 'dev'" in delete.message and "MariaDB" in delete.message
    assert "error 1064" in delete.message and "near '25' at line 1" in delete.message
    assert missing.message.startswith(
        "`CREATE VIEW` begins another statement inside the one that starts at line 13: is the "
        "`;` before it missing?")
    assert "error 1064" in missing.message


def test_without_a_server_sqlfluff_decides_and_says_no_server_was_asked(
        tmp_path: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = checked_repo(tmp_path, mariadb, database, monkeypatch)
    (repo / "alters.sql").write_text(SERVER_RUNS_SQLFLUFF_DOES_NOT + SERVER_REFUSES)
    found = al001(repo, [repo / "alters.sql"], use_server=False)
    assert found and all("sqlfluff's verdict: no server was asked" in f.message for f in found)
    # the missing `;` is found without any parser, at the line where the second one begins
    assert [f.line for f in found if "begins another statement" in f.message] == [16]


def test_an_unreachable_check_with_server_falls_back_to_sqlfluff_and_says_why(
        tmp_path: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = checked_repo(tmp_path, mariadb, database, monkeypatch)
    toml = repo / "release.toml"
    toml.write_text(toml.read_text().replace(f"port = {mariadb.port}", "port = 9"))
    (repo / "alters.sql").write_text("SELEC 1;\n")
    (finding,) = al001(repo, [repo / "alters.sql"])
    assert "sqlfluff's verdict: the server could not be asked" in finding.message
    assert "environment 'dev': cannot reach the database server" in finding.message


class Recording:
    """A real server, and what it was asked."""

    def __init__(self, server: SyntaxServer) -> None:
        self.server, self.asked = server, []  # type: tuple[SyntaxServer, list[list[str]]]

    @property
    def name(self) -> str:
        return self.server.name

    def identity(self) -> str:
        return self.server.identity()

    def check(self, texts: Sequence[str]) -> list[Verdict]:
        self.asked.append(list(texts))
        return self.server.check(texts)


def server_with_mode(mariadb: MariaDB, database: str, mode: str) -> ServerSyntax:
    def connect() -> pymysql.connections.Connection[pymysql.cursors.Cursor]:
        conn = mariadb.connect(database)
        with conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = %s", (mode,))
        return conn

    return environment_syntax(connect, "dev", f"{mariadb.host}:{mariadb.port}")


def test_verdicts_are_kept_by_text_version_and_sql_mode(
        tmp_path: Path, mariadb: MariaDB, database: str) -> None:
    text = 'CREATE TABLE "quoted" (a int);\nALTER TABLE t ADD COLUMN b int NULL;\n'
    statements = parse_alters(text, "a.sql").blocks[0].statements
    plain = Recording(server_with_mode(mariadb, database, "STRICT_TRANS_TABLES"))
    first = server_findings("a.sql", statements, plain, state=tmp_path)
    assert [f.line for f in first] == [1]  # "quoted" is a string, not a name, in this mode
    assert (tmp_path / VERDICTS_FILE).is_file()
    assert server_findings("a.sql", statements, plain, state=tmp_path) == first
    assert len(plain.asked) == 1  # the second lint asked nothing

    edited = parse_alters(text.replace("b int", "c int"), "a.sql").blocks[0].statements
    server_findings("a.sql", edited, plain, state=tmp_path)
    assert plain.asked[1] == ["ALTER TABLE t ADD COLUMN c int NULL"]

    ansi = Recording(server_with_mode(mariadb, database, "ANSI_QUOTES"))
    assert server_findings("a.sql", statements, ansi, state=tmp_path) == []
    assert len(ansi.asked) == 1  # another SQL mode: asked again, and the answer differs
