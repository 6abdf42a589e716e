"""release.demo.guided: the guided release (release.run through QA and production, the tag, the
audit trail) as invoke processes, and the configuration the demo commits for it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from release.config import parse
from release.demo import sample
from release.demo.guided import IDENTITY_ENV, PASSWORD_ENV, _configuration, run_guided_release
from tests.support.git import commit, git
from tests.support.mariadb import MariaDB, query
from tests.support.site import make_site
from tests.support.toml import Backups, Database, Environment, release_toml, use_credentials


def test_the_committed_configuration_puts_qa_and_production_on_their_servers_and_databases(
        tmp_path: Path) -> None:
    servers = {"qa": tmp_path / "servers" / "qa", "production": tmp_path / "servers" / "production"}
    text = _configuration("127.0.0.1", 3307, "demo", "age1recipient", servers, tmp_path)
    config = parse(tomllib.loads(text), root=tmp_path / "operator", source="release.toml")
    qa, production = config.environment("qa"), config.environment("production")
    assert (qa.path, qa.ref, production.path, production.ref) == \
        (str(servers["qa"]), "staging", str(servers["production"]), "tag")
    assert qa.database is not None and production.database is not None
    assert (qa.database.name, production.database.name) == ("qatest", sample.PRODUCTION)
    assert (production.database.port, production.database.password_env) == (3307, PASSWORD_ENV)
    assert config.backups.recipients == ("age1recipient",)
    assert config.backups.identity_env == IDENTITY_ENV
    assert config.scrub.rules  # the sample's scrub rules come along


def test_the_guided_release_runs_qa_tags_runs_production_and_writes_both_checklists(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], mariadb: MariaDB, database: str,
        qa_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    use_credentials(monkeypatch, mariadb)
    site = make_site(tmp_path, servers=2)
    reload = f'echo "$(git rev-parse HEAD) $(pwd)" >> {site.reloads}'
    commit(site.sandbox.dev, "release.toml", release_toml([
        Environment("qa", path=site.servers[0], ref="staging", reload=reload,
                    database=Database.on(mariadb, qa_database)),
        Environment("production", path=site.servers[1], ref="tag", reload=reload,
                    database=Database.on(mariadb, database))],
        backups=Backups(tmp_path / "backups")), "chore: QA and production")
    git(site.sandbox.dev, "push", "--quiet", "origin", "HEAD:master", "HEAD:staging")
    git(site.sandbox.app, "pull", "--quiet")
    git(site.sandbox.app, "fetch", "--quiet")
    git(site.sandbox.app, "branch", "--quiet", "--force", "staging", "origin/staging")

    written = run_guided_release(site.sandbox.app, clone=False)

    shown = capsys.readouterr().out
    for step in ("release.run --env qa --yes", "release.tag",
                 "release.run --env production --yes", "deploy.history --env production"):
        assert f"$ invoke {step}" in shown
    assert "$ invoke release.run --env qa --yes --clone" not in shown
    assert "nothing to do, nothing was changed" in shown  # the second production run
    tag = git(site.sandbox.origin, "describe", "--tags", "--abbrev=0", "staging")
    assert site.head(0) == site.staging() == git(site.servers[1], "rev-parse", "HEAD")
    for name in (qa_database, database):
        assert query(mariadb, name, "SELECT block_id, status FROM release_alters") == \
            [("2026-greeting", "applied")]
    # QA ran before the tag, so its checklist is named by staging's head.
    qa = site.staging()[:10]
    assert [p.name for p in written] == sorted([f"{qa}-qa.md", f"{tag}-production.md"]) + \
        sorted([f"{qa}-qa.html", f"{tag}-production.html"])
