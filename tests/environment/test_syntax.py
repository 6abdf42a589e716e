"""Which server parses for AL001: check_with's environment, else a private one, else none."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.config import parse
from release.environment.syntax import syntax_servers
from tests.support.mariadb import MariaDB

PASSWORD_ENV = "STAGECRAFT_TEST_SYNTAX_PASSWORD"


def test_check_with_names_the_environment_whose_server_parses(
        tmp_path: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    config = parse({"alters": {"check_with": "dev"}, "environments": {"dev": {
        "path": "/srv/dev/app", "database": {
        "name": database, "host": mariadb.host, "port": mariadb.port, "user": mariadb.user,
        "password_env": PASSWORD_ENV}}}}, root=tmp_path, source="release.toml")
    with syntax_servers() as choose:
        server = choose(config)
        assert server is not None
        assert f"environment 'dev' at {mariadb.host}:{mariadb.port}" in server.name
        assert [v.parses for v in server.check(["SELEC 1", "SELECT 1"])] == [False, True]
    with syntax_servers() as choose:
        private = choose(parse({}, root=tmp_path, source="release.toml"))
        assert private is not None and "a private server" in private.name
    with syntax_servers(use_server=False) as choose:
        assert choose(config) is None
