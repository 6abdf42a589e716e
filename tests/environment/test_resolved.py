"""An environment resolved once, where a task starts: its hosts, its backups folder and its
database, the database resolved only when something needs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.config import load
from release.environment.resolved import resolve_environment
from release.errors import ConfigError
from tests.support.toml import Backups, Database, Environment, Host, release_toml

TOML = release_toml([
    Environment("web", path="/srv/app", hosts=[Host("web1"), Host("web2", "/srv/other")]),
    Environment("qa", path="/srv/qa", database=Database(
        "qatest", user="deploy", password_env="STAGECRAFT_TEST_RESOLVED_PASSWORD"))],
    backups=Backups("dumps", encrypted=False))


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    (tmp_path / "release.toml").write_text(TOML)
    return tmp_path


def test_the_hosts_and_the_backups_folder_are_resolved_once(config_dir: Path) -> None:
    web = resolve_environment(load(config_dir), "web")
    assert web.name == "web"
    assert [str(h) for h in web.hosts] == ["web1:/srv/app", "web2:/srv/other"]
    assert web.backups_dir == config_dir / "dumps" and web.database is None


def test_an_unknown_environment_is_named_with_the_file(config_dir: Path) -> None:
    with pytest.raises(ConfigError, match=r"release\.toml: no \[environments\.prod\] section"):
        resolve_environment(load(config_dir), "prod")


def test_the_database_is_resolved_when_needed_and_says_what_is_missing(
        config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAGECRAFT_TEST_RESOLVED_PASSWORD", raising=False)
    qa = resolve_environment(load(config_dir), "qa")   # no password needed to resolve it
    with pytest.raises(ConfigError, match="STAGECRAFT_TEST_RESOLVED_PASSWORD"):
        _ = qa.database
    monkeypatch.setenv("STAGECRAFT_TEST_RESOLVED_PASSWORD", "secret")
    database = qa.configured_database()
    assert database.name == "qatest" and database.environment == "qa"
    assert database.backups_dir == config_dir / "dumps"
    assert qa.database is database   # once: the same value every time it is asked


def test_an_environment_without_a_database_says_which_section_to_add(config_dir: Path) -> None:
    web = resolve_environment(load(config_dir), "web")
    with pytest.raises(ConfigError, match=r"no \[environments\.web\.database\] section"):
        web.configured_database()
