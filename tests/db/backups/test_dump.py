from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from release.db.backups import folder as backups
from release.db.backups.dump import dump
from release.db.backups.manifest import read
from release.db.backups.stream import AGE_HEADER
from release.db.target import resolve
from release.errors import Refused
from tests.support.mariadb import MariaDB, big_table
from tests.support.production import Setup


def test_dump_is_private_encrypted_and_described(setup: Setup) -> None:
    path = dump(resolve(setup.config(), "production"), label="before-alters")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_bytes().startswith(AGE_HEADER)
    assert b"INSERT INTO" not in path.read_bytes()
    manifest = read(path)
    assert manifest is not None
    assert manifest.environment == "production"
    assert manifest.database == setup.production
    assert "MariaDB" in manifest.server_version
    assert manifest.rows_estimate["auth_user"] > 0
    assert "--single-transaction" in manifest.options
    assert "before-alters" in path.name
    assert [b.path for b in backups.listed(path.parent)] == [path]


def test_non_innodb_tables_are_refused_unless_locking_is_allowed(setup: Setup,
                                                                  mariadb: MariaDB) -> None:
    with mariadb.connect(setup.production) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE legacy_log (id INT PRIMARY KEY) ENGINE=MyISAM")
    with pytest.raises(Refused, match=r"legacy_log \(MyISAM\)"):
        dump(resolve(setup.config(), "production"))
    assert backups.listed(setup.root / "backups") == []
    path = dump(resolve(setup.config(), "production"), allow_locking=True)
    manifest = read(path)
    assert manifest is not None and "--lock-tables" in manifest.options


def _start_dump(setup: Setup) -> subprocess.Popen[bytes]:
    # A private TMPDIR: the option file holding the password is created there.
    (setup.root / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "invoke", "db.dump", "--env", "production"],
                            cwd=setup.root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "TMPDIR": str(setup.root / "tmp")})


def _partials(folder: Path) -> list[Path]:
    return list(folder.glob(".*.partial")) if folder.is_dir() else []


def test_dump_killed_half_way_leaves_no_plaintext_no_password_and_no_backup(
        setup: Setup, mariadb: MariaDB) -> None:
    big_table(mariadb, setup.production, 400_000)
    folder = setup.root / "backups"
    proc = _start_dump(setup)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 1 << 20 for p in _partials(folder)):
        assert proc.poll() is None, "the dump finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)  # let the orphaned mariadb-dump notice the broken pipe
    assert backups.listed(folder) == []
    leftovers = backups.leftovers(folder)
    assert leftovers
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"marker-plaintext" not in data, path
            assert data.startswith(AGE_HEADER), path
    for path in (setup.root / "tmp").rglob("*"):
        assert not path.is_file() or mariadb.password.encode() not in path.read_bytes(), path


def test_password_never_appears_on_any_command_line_during_a_dump(setup: Setup,
                                                                  mariadb: MariaDB) -> None:
    big_table(mariadb, setup.production, 150_000)
    secret = mariadb.password.encode()
    proc = _start_dump(setup)
    seen_dump_tool = False
    while proc.poll() is None:
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes()
            except OSError:
                continue
            assert secret not in text, f"password visible in {cmdline}"
            seen_dump_tool = seen_dump_tool or b"mariadb-dump" in text
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert seen_dump_tool


def test_the_dump_dry_run_is_the_plan_the_dump_carries_out(setup: Setup) -> None:
    from release.db.backups import dump as dumping
    production = resolve(setup.config(), "production")
    planned = dumping.plan(production, label="before-alters")
    path = dumping.carry_out(planned)
    assert path == planned.final and "before-alters" in path.name
    written = read(path)
    assert written is not None
    assert written.options == list(planned.options) and written.label == "before-alters"
    assert " ".join(planned.options) in planned.describe()[0]
    assert str(planned.final) in planned.describe()[1]
