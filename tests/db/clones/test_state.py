from __future__ import annotations

import stat

import pytest

from release.db.backups.dump import dump
from release.db.backups.restore import restore
from release.db.clones import state as clone_state
from release.db.clones.copy import verify_environment
from release.db.connection import connect
from release.db.credentials import credentials
from release.db.target import resolve
from release.errors import Refused
from tests.support.production import Setup


def test_a_database_never_cloned_into_is_not_refused(setup: Setup) -> None:
    with connect(credentials(setup.config().environment("qa"))) as conn:
        assert clone_state.latest(conn) is None
        clone_state.require_verified(conn, "qa")


def test_restoring_another_environments_dump_marks_the_target_unsafe(setup: Setup) -> None:
    config = setup.config()
    path = dump(resolve(config, "production"))
    restore(resolve(config, "qa"), path, say=lambda line: None, confirm=lambda q: None)
    with pytest.raises(Refused, match=r"copy of 'production' .* db\.verify-scrub --env qa"):
        clone_state.require_verified_environment(resolve(config, "qa"))
    with connect(credentials(config.environment("qa"))) as conn:
        clone_state.record(conn, source="production", state=clone_state.VERIFIED)
    clone_state.require_verified_environment(resolve(config, "qa"))


def test_the_scrub_key_is_kept_private_outside_the_database(setup: Setup) -> None:
    config = setup.config()
    key = clone_state.new_key(resolve(config, "qa"))
    path = clone_state.key_path(resolve(config, "qa"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert clone_state.read_key(resolve(config, "qa")) == key
    assert clone_state.new_key(resolve(config, "qa")) != key


def test_verifying_a_database_that_was_never_cloned_records_nothing_there(setup: Setup) -> None:
    config = setup.config()
    result = verify_environment(resolve(config, "production"), config.scrub, say=lambda line: None)
    assert not result.passed and not result.fingerprints
    with connect(credentials(config.environment("production"))) as conn:
        assert clone_state.latest(conn) is None
