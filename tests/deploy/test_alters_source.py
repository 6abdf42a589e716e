"""alters.status, alters.apply and alters.explain read the alters files at the ref the
environment runs (its branch on the remote, or the newest release tag), say so, say when the
working tree differs, and read the working tree with --from-worktree."""

from __future__ import annotations

import json

import pytest

from tests.support.git import Sandbox, git
from tests.support.ledger import configure
from tests.support.mariadb import MariaDB, query

ON_STAGING = "-- alter: 2026-01-a\nALTER TABLE t ADD COLUMN a int NULL;\n"
HOTFIX = "\n-- alter: 2026-01-hotfix\nALTER TABLE t ADD COLUMN h int NULL;\n"


@pytest.fixture
def app(sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """QA runs staging, which has one block; the working tree has a second, uncommitted."""
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (id int PRIMARY KEY)")
    sandbox.land_on_master("alters.sql", ON_STAGING, "feat(db): column a")
    git(sandbox.dev, "push", "--quiet", "origin", "HEAD:staging")
    git(sandbox.app, "pull", "--quiet")
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": ON_STAGING + HOTFIX})
    return sandbox


def columns(mariadb: MariaDB, database: str) -> list[str]:
    return [str(r[0]) for r in query(mariadb, database, "SHOW COLUMNS FROM t")]


def test_the_files_at_the_environments_ref_are_read_and_a_differing_tree_is_named(
        app: Sandbox, mariadb: MariaDB, database: str) -> None:
    staging = git(app.dev, "rev-parse", "HEAD")
    status = app.invoke("alters.status", "--env", "qa")
    assert status.returncode == 0, status.stderr
    assert f"alters files: alters.sql as at staging ({staging[:12]}), what qa runs or is " \
           "about to run" in status.stdout
    assert "note: the working tree's alters.sql differs from staging's: this run reads " \
           "staging's. For a hotfix that is not there yet, pass --from-worktree." in status.stdout
    assert "2026-01-a" in status.stdout and "2026-01-hotfix" not in status.stdout

    as_json = app.invoke("alters.status", "--env", "qa", "--json")
    assert [b["block"] for b in json.loads(as_json.stdout)["blocks"]] == ["2026-01-a"]
    assert "as at staging" in as_json.stderr

    applied = app.invoke("alters.apply", "--env", "qa", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert "as at staging" in applied.stdout and "Applied 1 statement(s)" in applied.stdout
    assert columns(mariadb, database) == ["id", "a"]

    hotfix = app.invoke("alters.apply", "--env", "qa", "--yes", "--from-worktree")
    assert hotfix.returncode == 0, hotfix.stderr
    assert "alters files: the working tree's alters.sql (--from-worktree)" in hotfix.stdout
    assert columns(mariadb, database) == ["id", "a", "h"]


def test_explain_reads_the_ref_too(app: Sandbox) -> None:
    shown = app.invoke("alters.explain", "--env", "qa")
    assert shown.returncode == 0, shown.stderr
    assert "as at staging" in shown.stdout and "2026-01-a#1" in shown.stdout
    assert "2026-01-hotfix" not in shown.stdout


def test_a_tag_environment_reads_the_newest_release_tag_or_says_why_it_cannot(
        app: Sandbox) -> None:
    toml = app.app / "release.toml"
    toml.write_text(toml.read_text().replace(
        'path = "/srv/qa/app"\n', 'path = "/srv/qa/app"\nref = "tag"\n'))
    untagged = app.invoke("alters.status", "--env", "qa")
    assert untagged.returncode == 0, untagged.stderr
    assert "alters files: the working tree's alters.sql, because qa's ref ('tag') cannot be " \
           "read: environment 'qa' deploys the latest release tag, and origin has none." \
           in untagged.stdout
    assert "2026-01-hotfix" in untagged.stdout
    git(app.dev, "tag", "-a", "-m", "first", "release-2026.01.05.1")
    git(app.dev, "push", "--quiet", "origin", "release-2026.01.05.1")
    tagged = app.invoke("alters.status", "--env", "qa")
    assert "as at release-2026.01.05.1" in tagged.stdout
    assert "2026-01-hotfix" not in tagged.stdout
