"""Helpers for the ledger tests: an application clone configured for a real database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, MariaDB, Sandbox

PASSWORD_ENV = "STAGECRAFT_TEST_QA_PASSWORD"


def configure(sandbox: Sandbox, mariadb: MariaDB, database: str, monkeypatch: pytest.MonkeyPatch,
              alters: dict[str, str], *, table: str = "release_alters") -> Path:
    """Write release.toml (environment `qa` on the test server) and the alters files."""
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    names = ", ".join(f'"{name}"' for name in alters)
    (sandbox.app / "release.toml").write_text(
        f"[alters]\nfiles = [{names}]\nledger_table = \"{table}\"\n\n"
        "[environments.qa.database]\n"
        f'name = "{database}"\nhost = "{mariadb.host}"\nport = {mariadb.port}\n'
        f'user = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        f'[backups]\ndir = "{sandbox.app.parent / "backups"}"\n'
    )
    for name, text in alters.items():
        (sandbox.app / name).write_text(text)
    return sandbox.app


def load_client_dump(mariadb: MariaDB, database: str) -> None:
    """The client's mhlogin_dump.sql, loaded with the mariadb client as a person would."""
    with (FIXTURES / "mhlogin_dump.sql").open("rb") as dump:
        subprocess.run(
            ["mariadb", f"--socket={mariadb.socket}", "--user=root", database],
            stdin=dump, check=True, capture_output=True,
        )


def query(mariadb: MariaDB, database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def client_alters() -> str:
    return (FIXTURES / "alters.sql").read_text()
