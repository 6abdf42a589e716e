"""An environment's database resolved once from the configuration: credentials, backups folder,
whether it is production, and the same database reached through a tunnel."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from release.config import Config, parse
from release.db.target import backups_dir, resolve
from release.errors import ConfigError
from tests.support.toml import Backups, Database, Environment, release_toml

PASSWORD_ENV = "STAGECRAFT_TEST_TARGET_PW"


def _config(root: Path, backups: str = "dumps") -> Config:
    text = release_toml([
        Environment("production", database=Database(
            "app", host="db.internal", port=3307, user="deploy", password_env=PASSWORD_ENV,
            ssh="bastion.example.invalid")),
        Environment("qa", database=Database(
            "app_qa", socket="/run/mysqld/mysqld.sock", user="qa", password_env=PASSWORD_ENV)),
        Environment("web", host="web1")], backups=Backups(backups, encrypted=False))
    return parse(tomllib.loads(text), root=root, source="release.toml")


def test_production_is_resolved_with_its_credentials_tunnel_host_and_backups(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGECRAFT_TEST_TARGET_PW", "pw-123")
    db = resolve(_config(tmp_path), "production")
    assert db.production and db.name == "app" and db.ssh == "bastion.example.invalid"
    assert db.credentials.where == "db.internal:3307"
    assert db.credentials.password == "pw-123"
    assert db.backups_dir == tmp_path / "dumps"


def test_a_test_environment_is_not_production_and_has_no_tunnel(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGECRAFT_TEST_TARGET_PW", "pw-123")
    db = resolve(_config(tmp_path), "qa")
    assert not db.production and db.ssh == ""
    assert db.credentials.where == "/run/mysqld/mysqld.sock"


def test_through_a_tunnel_the_same_database_is_reached_at_the_local_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAGECRAFT_TEST_TARGET_PW", "pw-123")
    db = resolve(_config(tmp_path), "qa")
    tunnelled = db.through("127.0.0.1", 40001)
    assert tunnelled.credentials.where == "127.0.0.1:40001"
    assert tunnelled.credentials.socket == ""
    assert (tunnelled.name, tunnelled.environment, tunnelled.credentials.user) == \
        ("app_qa", "qa", "qa")
    assert db.credentials.where == "/run/mysqld/mysqld.sock"  # the original is unchanged


def test_an_absolute_backups_dir_is_kept_and_a_home_one_expanded(tmp_path: Path) -> None:
    assert backups_dir(_config(tmp_path, str(tmp_path / "elsewhere"))) == tmp_path / "elsewhere"
    assert backups_dir(_config(tmp_path, "~/dumps")) == Path.home() / "dumps"


def test_an_environment_without_a_database_section_is_a_configuration_error(
        tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[environments.web.database\]"):
        resolve(_config(tmp_path), "web")
