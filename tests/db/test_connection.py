from __future__ import annotations

import socket
from pathlib import Path

import pytest

from release.config import DatabaseConfig, EnvironmentConfig
from release.db.connection import connect
from release.db.credentials import credentials
from release.errors import Failed
from tests.conftest import MariaDB

SECRET_ENV = "STAGECRAFT_TEST_CONNECT_PASSWORD"


def env(mariadb: MariaDB, name: str, *, port: int | None = None) -> EnvironmentConfig:
    return EnvironmentConfig(name="production", database=DatabaseConfig(
        name=name, host=mariadb.host, port=port or mariadb.port, user=mariadb.user,
        password_env=SECRET_ENV))


def test_right_credentials_connect_to_the_database(
        mariadb: MariaDB, database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, mariadb.password)
    with connect(credentials(env(mariadb, database))) as conn, conn.cursor() as cur:
        cur.execute("SELECT DATABASE()")
        assert cur.fetchone() == (database,)


def test_a_wrong_password_names_the_environment_and_never_the_password(
        mariadb: MariaDB, database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, "wrong-Secret-123")
    with pytest.raises(Failed) as caught:
        connect(credentials(env(mariadb, database)))
    message = str(caught.value)
    assert message.startswith("environment 'production': access denied for user 'stagecraft'")
    assert "wrong-Secret-123" not in message and caught.value.exit_code == 1


def test_an_unknown_database_is_named(mariadb: MariaDB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, mariadb.password)
    with pytest.raises(Failed, match="'production': the database 'no_such_db' does not exist"):
        connect(credentials(env(mariadb, "no_such_db")))


def test_an_unreachable_server_says_where_it_looked(
        mariadb: MariaDB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, mariadb.password)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(Failed) as caught:
        connect(credentials(env(mariadb, "x", port=closed_port)))
    assert f"cannot reach the database server at 127.0.0.1:{closed_port}" in str(caught.value)
    assert mariadb.password not in str(caught.value)


def test_credentials_from_an_option_file_connect(
        mariadb: MariaDB, database: str, tmp_path: Path) -> None:
    option_file = tmp_path / "my.qa.cnf"
    option_file.write_text(f"[client]\nuser = {mariadb.user}\npassword = \"{mariadb.password}\"\n"
                           f"host = {mariadb.host}\nport = {mariadb.port}\n")
    env = EnvironmentConfig(name="qa", database=DatabaseConfig(
        name=database, option_file=str(option_file)))
    with connect(credentials(env)) as conn, conn.cursor() as cur:
        cur.execute("SELECT CURRENT_USER()")
        assert str(cur.fetchone()[0]).startswith(f"{mariadb.user}@")  # type: ignore[index]
