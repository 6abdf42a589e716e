"""db.restore: checked, said, asked, then loaded; never production without --yes-really."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.db.backups.dump import dump
from release.db.backups.restore import restore
from release.db.target import resolve
from release.errors import Refused
from tests.support.mariadb import MariaDB, checksums
from tests.support.production import Setup


def _restore(setup: Setup, env: str, path: Path, **kwargs: bool) -> list[str]:
    said: list[str] = []
    restore(resolve(setup.config(), env), path, say=said.append, confirm=lambda q: None, **kwargs)
    return said


def test_tampered_dump_is_refused_and_nothing_changes(setup: Setup, mariadb: MariaDB) -> None:
    path = dump(resolve(setup.config(), "production"))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(Refused, match="tampered"):
        _restore(setup, "qa", path)
    assert checksums(mariadb, setup.qa) == {}


def test_restore_into_production_needs_yes_really(setup: Setup) -> None:
    path = dump(resolve(setup.config(), "production"))
    with pytest.raises(Refused, match="--yes-really"):
        _restore(setup, "production", path)


def test_restore_dry_run_says_what_it_replaces_and_changes_nothing(setup: Setup,
                                                                   mariadb: MariaDB) -> None:
    path = dump(resolve(setup.config(), "production"))
    _restore(setup, "qa", path)
    with mariadb.connect(setup.qa) as conn, conn.cursor() as cur:
        cur.execute("UPDATE auth_user SET first_name = 'Changed'")
    said = _restore(setup, "qa", path, dry_run=True)
    assert any("replaces 21 table(s)" in line for line in said)
    with mariadb.connect(setup.qa) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM auth_user WHERE first_name = 'Changed'")
        assert cur.fetchone()[0] > 0  # type: ignore[index]
    real = _restore(setup, "qa", path)
    assert [line for line in real if line.startswith("This replaces")] == \
        [line for line in said if line.startswith("This replaces")]


def test_dump_restore_round_trip_keeps_every_table_checksum(setup: Setup,
                                                            mariadb: MariaDB) -> None:
    path = dump(resolve(setup.config(), "production"))
    _restore(setup, "qa", path)
    assert checksums(mariadb, setup.qa) == checksums(mariadb, setup.production)
