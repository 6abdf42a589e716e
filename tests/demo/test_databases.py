"""release.demo.databases: the databases part of the demo, its configuration and what it does
without a MariaDB server (the whole part runs in tests/demo/test_story.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from release.config import parse
from release.demo import sample
from release.demo.databases import (
    DROPPED_RULE,
    IDENTITY_ENV,
    PASSWORD_ENV,
    SHOWN,
    _configuration,
    run_databases_demo,
)
from release.demo.tools import MISSING_MARIADB


def test_production_and_qa_sit_on_the_private_server_with_the_samples_scrub_rules(
        tmp_path: Path) -> None:
    text = _configuration("127.0.0.1", 3399, "root", "age1recipient")
    config = parse(tomllib.loads(text), root=tmp_path, source="release.toml")
    for env, name in (("production", sample.PRODUCTION), ("qa", "qatest")):
        db = config.environment(env).database
        assert db is not None
        assert (db.name, db.host, db.port, db.user, db.password_env) == \
            (name, "127.0.0.1", 3399, "root", PASSWORD_ENV)
    assert (config.backups.dir, config.backups.identity_env) == ("backups", IDENTITY_ENV)
    covered = {(r.table, r.column) for r in config.scrub.rules}
    assert {(table, column) for table, _, column in SHOWN} <= covered


def test_the_rule_it_drops_is_in_the_configuration_and_the_only_cover_of_its_column(
        tmp_path: Path) -> None:
    text = _configuration("127.0.0.1", 3399, "root", "age1recipient")
    assert text.count(DROPPED_RULE) == 1
    dropped = parse(tomllib.loads(text.replace(DROPPED_RULE, "")), root=tmp_path,
                    source="release.toml")
    assert ("accounts_profile", "mobile_phone") not in \
        {(r.table, r.column) for r in dropped.scrub.rules}


def test_without_a_mariadb_server_it_says_how_to_get_one_and_does_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no mariadb-install-db to be found
    run_databases_demo(tmp_path / "sandbox")
    assert capsys.readouterr().out == MISSING_MARIADB + "\n"
    assert not (tmp_path / "sandbox").exists()
