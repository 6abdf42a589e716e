"""deploy.rollback: back to what ran before, from the audit trail; the database left alone."""

from __future__ import annotations

import pytest

from release.deploy.rollback import Options, rollback
from release.deploy.run import Options as DeployOptions
from release.deploy.run import deploy
from release.errors import Refused
from tests.deploy.conftest import Site


def test_rollback_returns_to_the_previous_ref_and_leaves_the_database_alone(
        db_site: Site) -> None:
    old = db_site.head()
    config = db_site.configure()
    deploy(db_site.repo, config, "qa", DeployOptions(yes=True), say=lambda _: None)
    said: list[str] = []
    rollback(db_site.repo, config, "qa", Options(yes=True), say=said.append)
    assert db_site.head() == old
    assert "greeting" in db_site.tables()  # the alters stay: no restore was asked for
    assert not any("restore" in line for line in said)
    assert db_site.reload_lines()[-1].split()[0] == old


def test_rollback_dry_run_names_the_target_and_changes_nothing(site: Site) -> None:
    old = site.head()
    config = site.configure(database=False)
    deploy(site.repo, config, "qa", DeployOptions(yes=True), say=lambda _: None)
    said: list[str] = []
    rollback(site.repo, config, "qa", Options(dry_run=True), say=said.append)
    assert site.head() == site.staging()
    assert any(f"git checkout --detach {old[:12]}" in line for line in said)


def test_rollback_without_a_recorded_deploy_refuses_and_asks_for_to(site: Site) -> None:
    config = site.configure(database=False)
    with pytest.raises(Refused, match="--to REF"):
        rollback(site.repo, config, "qa", Options(yes=True), say=lambda _: None)


def test_rollback_after_rollback_goes_further_back_by_the_trail(site: Site) -> None:
    first = site.head()
    config = site.configure(database=False)
    deploy(site.repo, config, "qa", DeployOptions(yes=True), say=lambda _: None)
    second = site.head()
    rollback(site.repo, config, "qa", Options(yes=True), say=lambda _: None)
    assert site.head() == first
    rollback(site.repo, config, "qa", Options(to=second, yes=True), say=lambda _: None)
    assert site.head() == second
