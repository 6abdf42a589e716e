from __future__ import annotations

import socket
from pathlib import Path

import pytest

from release.config import DatabaseConfig, EnvironmentConfig
from release.db.connection import (
    ServerError,
    connect,
    error_code,
    failure,
    lost_connection,
    reported,
    server_words,
)
from release.db.credentials import credentials
from release.errors import Failed
from tests.support.mariadb import MariaDB

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


def _server_error(mariadb: MariaDB, database: str, sql: str) -> ServerError:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        try:
            cur.execute(sql)
        except ServerError as error:
            return error
    raise AssertionError(f"the server ran {sql!r}")


def test_a_refused_statement_becomes_a_message_naming_where(mariadb: MariaDB,
                                                            database: str) -> None:
    with (mariadb.connect(database) as conn, conn.cursor() as cur,
          pytest.raises(Failed, match=r"environment 'qa': .* \(error 1146: "),
          reported("environment 'qa'")):
        cur.execute("SELECT * FROM no_such_table")


def test_reported_says_what_failed_the_servers_words_and_what_to_do_next(
        mariadb: MariaDB, database: str) -> None:
    with (mariadb.connect(database) as conn, conn.cursor() as cur,
          pytest.raises(Failed) as caught,
          reported("environment 'qa'", "database error while reading the ledger `t`",
                   "Check the grants and retry.")):
        cur.execute("SELECT * FROM t")
    assert str(caught.value) == (
        f"environment 'qa': database error while reading the ledger `t` (error 1146: Table "
        f"'{database}.t' doesn't exist). Check the grants and retry.")
    assert caught.value.exit_code == 1


def test_server_words_quote_the_servers_number_and_text(mariadb: MariaDB,
                                                        database: str) -> None:
    error = _server_error(mariadb, database, "SELEC 1")
    assert error_code(error) == 1064
    assert server_words(error).startswith("error 1064: You have an error in your SQL syntax")
    assert str(failure(error, "here")) == (
        f"here: the database server refused a statement ({server_words(error)}). Check the "
        "user's grants and the server's log, then retry.")


def test_a_connection_killed_mid_statement_counts_as_lost(mariadb: MariaDB,
                                                          database: str) -> None:
    refused = _server_error(mariadb, database, "SELECT * FROM no_such_table")
    assert not lost_connection(refused)
    with mariadb.connect(database) as victim, mariadb.connect(database) as killer:
        with victim.cursor() as cur:
            cur.execute("SELECT CONNECTION_ID()")
            (ident,) = cur.fetchone()  # type: ignore[misc]
        with killer.cursor() as cur:
            cur.execute(f"KILL {int(ident)}")
        with pytest.raises(ServerError) as caught, victim.cursor() as cur:
            cur.execute("SELECT 1")
    assert lost_connection(caught.value), caught.value
