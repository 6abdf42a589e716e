from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from release.config import BackupsConfig, Config, DatabaseConfig, EnvironmentConfig
from release.db.backup import backup
from release.errors import Failed
from tests.conftest import MariaDB

SECRET_ENV = "STAGECRAFT_TEST_BACKUP_PASSWORD"


def setup(tmp_path: Path, mariadb: MariaDB, database: str,
          monkeypatch: pytest.MonkeyPatch) -> tuple[Config, EnvironmentConfig]:
    monkeypatch.setenv(SECRET_ENV, mariadb.password)
    env = EnvironmentConfig(name="qa", database=DatabaseConfig(
        name=database, host=mariadb.host, port=mariadb.port, user=mariadb.user,
        password_env=SECRET_ENV))
    config = Config(root=tmp_path, source="release.toml", environments={"qa": env},
                    backups=BackupsConfig(dir="backups"))
    return config, env


def test_backup_writes_a_private_restorable_dump(
        tmp_path: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE patients (id int PRIMARY KEY, phone varchar(20))")
        cur.execute("INSERT INTO patients VALUES (1, '+15551230000')")
    config, env = setup(tmp_path, mariadb, database, monkeypatch)

    path = backup(config, env, label="before alters")

    assert path.parent == tmp_path / "backups"
    assert path.name.startswith(f"qa-{database}-") and path.name.endswith("-before-alters.sql")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    text = path.read_text()
    assert "CREATE TABLE `patients`" in text and "+15551230000" in text
    assert mariadb.password not in text
    assert not list(path.parent.glob("*.partial"))

    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{database}_restored`")
    try:
        with path.open("rb") as dump:
            subprocess.run(["mariadb", f"--socket={mariadb.socket}", "--user=root",
                            f"{database}_restored"], stdin=dump, check=True)
        with mariadb.connect(f"{database}_restored") as conn, conn.cursor() as cur:
            cur.execute("SELECT phone FROM patients")
            assert cur.fetchall() == (("+15551230000",),)
    finally:
        with mariadb.connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE `{database}_restored`")


def test_a_failed_dump_leaves_no_file_and_says_nothing_was_applied(
        tmp_path: Path, mariadb: MariaDB, monkeypatch: pytest.MonkeyPatch) -> None:
    config, env = setup(tmp_path, mariadb, "no_such_database", monkeypatch)
    with pytest.raises(Failed) as caught:
        backup(config, env, label="before")
    message = str(caught.value)
    assert "environment 'qa': the backup" in message and "no_such_database" in message
    assert "Nothing was applied" in message and mariadb.password not in message
    assert list((tmp_path / "backups").iterdir()) == []
