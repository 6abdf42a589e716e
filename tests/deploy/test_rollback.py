"""deploy.rollback: back to what ran before, from the audit trail; the database left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from release.config import load
from release.deploy.plan import Move
from release.deploy.preflight import ALTERS, LOCAL_CHANGES, LOCK, REF, Check, Preflight
from release.deploy.rollback import Options, back_steps, blocking, restore_steps, rollback
from release.deploy.run import Options as DeployOptions
from release.deploy.run import deploy
from release.environment.resolved import resolve_environment
from release.errors import Refused
from tests.support.site import Site


def test_rollback_returns_to_the_previous_ref_and_leaves_the_database_alone(
        db_site: Site) -> None:
    old = db_site.head()
    config = db_site.configure()
    deploy(db_site.repo, config, resolve_environment(config, "qa"),
           DeployOptions(yes=True), say=lambda _: None)
    said: list[str] = []
    rollback(db_site.repo, config, resolve_environment(config, "qa"),
             Options(yes=True), say=said.append)
    assert db_site.head() == old
    assert "greeting" in db_site.tables()  # the alters stay: no restore was asked for
    assert not any("restore" in line for line in said)
    assert db_site.reload_lines()[-1].split()[0] == old


def test_rollback_dry_run_names_the_target_and_changes_nothing(site: Site) -> None:
    old = site.head()
    config = site.configure(database=False)
    deploy(site.repo, config, resolve_environment(config, "qa"),
           DeployOptions(yes=True), say=lambda _: None)
    said: list[str] = []
    rollback(site.repo, config, resolve_environment(config, "qa"),
             Options(dry_run=True), say=said.append)
    assert site.head() == site.staging()
    assert any(f"git checkout --detach {old[:12]}" in line for line in said)


def test_rollback_without_a_recorded_deploy_refuses_and_asks_for_to(site: Site) -> None:
    config = site.configure(database=False)
    with pytest.raises(Refused, match="--to REF"):
        rollback(site.repo, config, resolve_environment(config, "qa"),
                 Options(yes=True), say=lambda _: None)


def test_rollback_after_rollback_goes_further_back_by_the_trail(site: Site) -> None:
    first = site.head()
    config = site.configure(database=False)
    deploy(site.repo, config, resolve_environment(config, "qa"),
           DeployOptions(yes=True), say=lambda _: None)
    second = site.head()
    rollback(site.repo, config, resolve_environment(config, "qa"),
             Options(yes=True), say=lambda _: None)
    assert site.head() == first
    rollback(site.repo, config, resolve_environment(config, "qa"),
             Options(to=second, yes=True), say=lambda _: None)
    assert site.head() == second


def test_rollback_with_a_dump_says_what_is_lost_then_restores_it(db_site: Site) -> None:
    old = db_site.head()
    config = db_site.configure()
    deploy(db_site.repo, config, resolve_environment(config, "qa"),
           DeployOptions(yes=True), say=lambda _: None)
    assert "greeting" in db_site.tables()
    (before,) = (db_site.tmp / "backups").glob("*-before-alters.sql.zst.age")

    planned: list[str] = []
    rollback(db_site.repo, config, resolve_environment(config, "qa"),
             Options(restore_db=before, dry_run=True),
             say=planned.append)
    assert any("is LOST" in line for line in planned)
    assert any("alters undone by it: 2026-greeting#1" in line for line in planned)
    assert "greeting" in db_site.tables() and db_site.head() == db_site.staging()

    said: list[str] = []
    rollback(db_site.repo, config, resolve_environment(config, "qa"),
             Options(restore_db=before, yes=True), say=said.append)
    assert db_site.head() == old
    assert db_site.mariadb is not None
    with db_site.mariadb.connect(db_site.database) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM release_alters")
        assert cur.fetchone() == (0,)  # the ledger is as it was before the alters
    # A table made after the dump is not dropped by a restore; it is named instead.
    assert any("left as they are" in line and "greeting" in line for line in said)


def test_restoring_production_in_a_rollback_needs_yes_really(db_site: Site) -> None:
    config = db_site.configure()
    deploy(db_site.repo, config, resolve_environment(config, "qa"),
           DeployOptions(yes=True), say=lambda _: None)
    (before,) = (db_site.tmp / "backups").glob("*-before-alters.sql.zst.age")
    text = (db_site.sandbox.app / "release.toml").read_text()
    (db_site.sandbox.app / "release.toml").write_text(
        text.replace("[environments.qa", "[environments.production"))
    production = load(db_site.sandbox.app)
    deploy(db_site.repo, production, resolve_environment(production, "production"),
           DeployOptions(yes=True), say=lambda _: None)
    with pytest.raises(Refused, match="--yes-really"):
        rollback(db_site.repo, production, resolve_environment(production, "production"),
                 Options(restore_db=before, yes=True),
                 say=lambda _: None)
    assert "greeting" in db_site.tables()


# -- the plan's pure parts ------------------------------------------------------------------
OLD, NEW = "1" * 40, "2" * 40


def test_the_hosts_go_back_one_by_one_with_reload_and_smoke_check() -> None:
    moves = [Move("web1", "/srv/app", NEW, OLD), Move("web2", "/srv/app", NEW, OLD)]
    assert back_steps(moves, reload="reload-it", smoke_url="http://x/") == [
        f"web1:/srv/app: git checkout --detach {OLD[:12]} (runs {NEW[:12]} now)",
        "web1:/srv/app: reload: reload-it", "web1:/srv/app: smoke check http://x/",
        f"web2:/srv/app: git checkout --detach {OLD[:12]} (runs {NEW[:12]} now)",
        "web2:/srv/app: reload: reload-it", "web2:/srv/app: smoke check http://x/"]
    assert len(back_steps(moves, reload="", smoke_url="")) == 2


def test_a_restore_says_how_much_time_of_writes_and_which_alters_it_undoes() -> None:
    taken = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    lines = restore_steps("d.sql.zst.age", "qatest", taken=taken,
                          at=taken + timedelta(hours=2, minutes=5), undone=["b1#1 (...)"])
    assert lines == ["restore d.sql.zst.age into qatest: every write since 2026-12-05 08:00 "
                     "UTC (2h 05m ago) is LOST", "  alters undone by it: b1#1 (...)"]
    assert restore_steps("d", "q", taken=taken, at=taken, undone=[])[1].endswith("none")


def test_only_the_checks_that_matter_for_going_back_stop_it() -> None:
    found = Preflight("qa", (
        Check(REF, "the ref exists on the remote", ("no such ref",)),
        Check(ALTERS, "the alters lint clean", ("AL001",)),
        Check(LOCAL_CHANGES, "no local changes to tracked files", ("M views.py",)),
        Check(LOCK, "no other deploy of this environment is running")), None, ())
    assert blocking(found) == ["no local changes to tracked files: M views.py"]
