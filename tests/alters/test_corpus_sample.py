"""AL001 on public SQL nobody here wrote (a sample of sqlfluff's MySQL and MariaDB fixtures,
tests/alters/corpus/, MIT licensed): the server's verdict through the real mariadb client is
the truth, and the hook, with a server, agrees with it file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.checking_server import al001, checked_repo, client_parse_errors
from tests.support.mariadb import MariaDB

CORPUS = Path(__file__).parent / "corpus"


def test_with_a_server_al001_falls_exactly_on_the_files_the_server_refuses(
        tmp_path: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = checked_repo(tmp_path, mariadb, database, monkeypatch)
    files = sorted(CORPUS.glob("*.sql"))
    refused = {path.name for path in files if client_parse_errors(mariadb, path)}
    flagged = {f.path.rsplit("/", 1)[-1] for f in al001(repo, files)}
    # both kinds are in the sample, so agreement says something
    assert 3 <= len(refused) <= len(files) - 5
    assert flagged == refused
    assert {"mariadb_create_table_partition_list.sql", "mariadb_line_comment.sql",
            "mariadb_create_database.sql"}.isdisjoint(flagged)
    assert {"mysql_if.sql", "mysql_create_procedure.sql"} <= flagged
