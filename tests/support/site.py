"""A deployable site: the sandbox's origin with staging holding a release (an alters block
and a push instruction), "servers" that are clones of origin in temporary folders, the
operator's repository (the sandbox's app) with a release.toml pointing at them, and a QA
database in the suite's MariaDB."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from release.config import Config, load
from release.deploy.records import parse_lines
from release.git.repo import Repository
from tests.support.git import Sandbox, commit, git, make_sandbox
from tests.support.mariadb import MariaDB, fresh_database
from tests.support.toml import (
    Backups,
    Database,
    Environment,
    Host,
    release_toml,
    use_credentials,
)

ALTERS = ("-- alter: 2026-greeting\n-- author: ann\n"
          "CREATE TABLE greeting (id int PRIMARY KEY, text varchar(40) NULL);\n")
INSTRUCTIONS = ("Production push instructions\n-----\n\n"
                "2026-01-05: ann, clear the page cache after the deploy\n")


@dataclass
class Site:
    tmp: Path
    sandbox: Sandbox
    servers: list[Path]
    reloads: Path            # each reload appends the commit it found to this file
    database: str = ""
    mariadb: MariaDB | None = None
    env_extra: str = ""
    hosts: list[str] = field(default_factory=list)

    @property
    def repo(self) -> Repository:
        return Repository(self.sandbox.app)

    def configure(self, *, reload: str | None = None, smoke_url: str = "",
                  hosts: list[Host] | None = None, database: bool = True,
                  extra: str = "", ssh_database: str = "") -> Config:
        """release.toml for environment qa on the first server (and the QA database)."""
        reload = reload if reload is not None else \
            f'echo "$(git rev-parse HEAD) $(pwd)" >> {self.reloads}'
        with_database = database and self.mariadb is not None
        qa = Environment("qa", path=self.servers[0], ref="staging", reload=reload,
                         smoke_url=smoke_url, hosts=hosts, extra=extra,
                         database=(Database.on(self.mariadb, self.database, ssh=ssh_database)
                                   if with_database and self.mariadb else None))
        (self.sandbox.app / "release.toml").write_text(release_toml(
            [qa], backups=Backups(self.tmp / "backups") if with_database else None))
        return load(self.sandbox.app)

    def head(self, server: int = 0) -> str:
        return git(self.servers[server], "rev-parse", "HEAD")

    def staging(self) -> str:
        return git(self.sandbox.dev, "rev-parse", "HEAD")

    def reload_lines(self) -> list[str]:
        return self.reloads.read_text().splitlines() if self.reloads.exists() else []

    def tables(self) -> set[str]:
        assert self.mariadb is not None
        with self.mariadb.connect(self.database) as conn, conn.cursor() as cur:
            cur.execute("SHOW TABLES")
            return {str(row[0]) for row in cur.fetchall()}


def host_log(site: Site, server: int = 0) -> list[dict[str, object]]:
    """The deploy records a server's own log holds, oldest first."""
    log = site.servers[server] / ".git" / "stagecraft" / "deploys.jsonl"
    return [r.to_json() for r in parse_lines(log.read_text(), where=str(log))]


def ledger_count(site: Site) -> int:
    """How many rows the QA database's ledger holds."""
    assert site.mariadb is not None
    with site.mariadb.connect(site.database) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM release_alters")
        row = cur.fetchone()
    return int(row[0]) if row else 0


def make_site(tmp: Path, *, servers: int = 1) -> Site:
    """Servers clone origin at v1; then staging gets the release (alters and instructions)."""
    sandbox = make_sandbox(tmp)
    paths = []
    for n in range(servers):
        path = tmp / f"server{n + 1}"
        git(tmp, "clone", "--quiet", str(sandbox.origin), str(path))
        paths.append(path)
    commit(sandbox.dev, "alters.sql", ALTERS, "feat(db): greeting table")
    commit(sandbox.dev, "production_push_instructions.txt", INSTRUCTIONS, "docs: push step")
    commit(sandbox.dev, "app.py", "print('v2')\n", "feat: second version")
    git(sandbox.dev, "push", "--quiet", "origin", "HEAD:master", "HEAD:staging")
    git(sandbox.app, "pull", "--quiet")
    return Site(tmp=tmp, sandbox=sandbox, servers=paths, reloads=tmp / "reloads.log")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """Local servers and no database."""
    return make_site(tmp_path)


@pytest.fixture
def db_site(tmp_path: Path, mariadb: MariaDB, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Local servers and a QA database (empty)."""
    use_credentials(monkeypatch, mariadb)
    with fresh_database(mariadb, "stagecraft_deploy") as name:
        found = make_site(tmp_path)
        found.database, found.mariadb = name, mariadb
        yield found


@pytest.fixture(autouse=True)
def in_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tasks find release.toml from the working directory, as `invoke` would."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", os.environ.get("HOME", str(tmp_path)))
