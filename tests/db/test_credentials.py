"""Where a database password comes from (an environment variable or a MySQL option file, never
release.toml), and how the client tools receive it (an option file only we can read, gone
afterwards)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from release.config import DatabaseConfig, EnvironmentConfig
from release.db.credentials import Credentials, client_option_file, credentials
from release.errors import ConfigError
from tests.support.mariadb import MariaDB

VARIABLE = "STAGECRAFT_TEST_CREDENTIALS_PW"


def _env(**database: Any) -> EnvironmentConfig:
    return EnvironmentConfig(name="qa", database=DatabaseConfig(name="app_qa", **database))


def test_the_password_comes_from_its_variable_and_is_never_shown(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "s3cret-Value")
    creds = credentials(_env(user="deploy", password_env=VARIABLE))
    assert creds.password == "s3cret-Value" and creds.where == "127.0.0.1:3306"
    assert "s3cret-Value" not in repr(creds) and "password=set" in repr(creds)


def test_a_missing_variable_is_named_with_its_key_path_and_no_value(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    with pytest.raises(ConfigError) as caught:
        credentials(_env(password_env=VARIABLE))
    assert str(caught.value).startswith(
        f"the environment variable {VARIABLE} (environments.qa.database.password_env) is not "
        "set.")
    assert caught.value.exit_code == 2


def test_an_option_file_gives_user_password_and_where_and_the_variable_wins(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    option_file = tmp_path / "my.cnf"
    option_file.write_text('[client]\nuser = reader\npassword = "from-file"\n'
                           "socket = /run/db.sock\n\n[mysqldump]\nuser = other\n")
    creds = credentials(_env(option_file=str(option_file)))
    assert (creds.user, creds.password, creds.where) == ("reader", "from-file", "/run/db.sock")
    monkeypatch.setenv(VARIABLE, "from-variable")
    both = credentials(_env(option_file=str(option_file), password_env=VARIABLE))
    assert both.password == "from-variable"


def test_an_unreadable_option_file_is_a_configuration_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.cnf"
    with pytest.raises(ConfigError, match=r"environments.qa.database.option_file: cannot read "
                       + str(missing).replace(".", r"\.")):
        credentials(_env(option_file=str(missing)))


def test_an_environment_without_a_database_is_told_what_to_add() -> None:
    with pytest.raises(ConfigError, match=r"has no \[environments.web.database\] section"):
        credentials(EnvironmentConfig(name="web"))


def test_the_client_logs_in_through_an_option_file_that_never_touches_disk(
        mariadb: MariaDB, database: str) -> None:
    creds = Credentials("qa", database, mariadb.host, mariadb.port, "", mariadb.user,
                        mariadb.password)
    with client_option_file(creds) as path:
        held = os.fstat(path.fd)
        assert stat.S_IMODE(held.st_mode) == 0o600
        assert held.st_nlink == 0  # no name in any folder: a killed run leaves nothing
        assert str(path) == f"/dev/fd/{path.fd}"
        result = subprocess.run(["mariadb", f"--defaults-extra-file={path}", database,
                                 "--batch", "--skip-column-names", "-e", "SELECT DATABASE()"],
                                capture_output=True, text=True, check=False,
                                pass_fds=path.fds)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == database
    with pytest.raises(OSError):
        os.fstat(path.fd)  # closed: the memory is gone with the last process holding it


def test_quotes_and_hashes_in_a_password_reach_the_client_intact(
        mariadb: MariaDB, database: str) -> None:
    odd = 'we"ird#pa ss\\word'
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute("CREATE USER IF NOT EXISTS 'odd_pw'@'%%' IDENTIFIED BY %s", (odd,))
        cur.execute(f"GRANT SELECT ON `{database}`.* TO 'odd_pw'@'%'")
    try:
        creds = Credentials("qa", database, mariadb.host, mariadb.port, "", "odd_pw", odd)
        with client_option_file(creds) as path:
            result = subprocess.run(["mariadb", f"--defaults-extra-file={path}", database,
                                     "-e", "SELECT 1"], capture_output=True, text=True,
                                    check=False, pass_fds=path.fds)
        assert result.returncode == 0, result.stderr
    finally:
        with mariadb.connect() as conn, conn.cursor() as cur:
            cur.execute("DROP USER IF EXISTS 'odd_pw'@'%'")
