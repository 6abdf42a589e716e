"""The backups alters.apply takes: db.dump's encrypted dumps, named in advance."""

from __future__ import annotations

import io
import stat
from dataclasses import replace

import pytest

from release.config import BackupsConfig
from release.db.backups import folder as backups
from release.db.backups.names import alters_backup_path
from release.db.backups.pair import backup
from release.db.backups.stream import AGE_HEADER, decrypt, identities
from release.db.target import resolve
from release.errors import ConfigError, Failed
from tests.support.production import Setup
from tests.support.toml import IDENTITY_ENV


def test_backup_is_an_encrypted_listed_dump_with_the_name_the_checklist_prints(
        setup: Setup) -> None:
    config = setup.config()
    env = config.environment("production")

    path = backup(resolve(config, env.name), moment="before", release="release-2026.11.26.1",
                  say=[].append)

    expected = alters_backup_path(str(setup.root / "backups"), "production", setup.production,
                                  "release-2026.11.26.1", "before")
    assert str(path) == expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(AGE_HEADER)
    assert [b.path for b in backups.listed(path.parent)] == [path]
    plain = io.BytesIO()
    decrypt(path, identities(str(setup.identity_file), IDENTITY_ENV), plain)
    assert b"CREATE TABLE `accounts_profile`" in plain.getvalue()


def test_a_second_backup_of_the_same_release_does_not_overwrite_the_first(
        setup: Setup) -> None:
    config = setup.config()
    env = config.environment("qa")
    first = backup(resolve(config, env.name), moment="after", release="abc1234567", say=[].append)
    second = backup(resolve(config, env.name), moment="after", release="abc1234567", say=[].append)
    assert first != second and first.is_file() and second.is_file()
    assert second.name.endswith("-after-alters-2.sql.zst.age")


def test_without_recipients_no_unencrypted_backup_is_written(setup: Setup) -> None:
    config = replace(setup.config(), backups=BackupsConfig(dir="backups"))
    with pytest.raises(ConfigError, match=r"\[backups\] recipients is empty"):
        backup(resolve(config, "qa"), moment="before", release="r", say=[].append)
    assert not (setup.root / "backups").exists()


def test_a_failed_dump_leaves_no_listed_backup(setup: Setup) -> None:
    config = setup.config()
    qa = config.environment("qa")
    assert qa.database is not None
    missing = replace(qa, database=replace(qa.database, name="no_such_database"))
    config = replace(config, environments={"qa": missing})
    with pytest.raises(Failed) as caught:
        backup(resolve(config, "qa"), moment="before", release="r", say=[].append)
    assert "no_such_database" in str(caught.value)
    folder = setup.root / "backups"
    assert not folder.exists() or backups.listed(folder) == []
