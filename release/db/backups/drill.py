"""A physical backup brought back: `db.verify-backup` (the restore drill) and
`db.restore --physical`.

The drill decrypts the backup into a private scratch folder, extracts it (`mbstream -x`),
prepares it (`mariadb-backup --prepare`), starts a throwaway server on it (socket only, in the
same private folder), compares its tables and row counts with the manifest, stops it and
removes everything, whatever happens. A physical restore does the same into a new data
directory and prints the steps that swap it in, which need the database's own host.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pymysql

from release.config import BackupsConfig
from release.console import Say
from release.db import schema, throwaway, tools
from release.db.backups import manifest, stream
from release.db.backups.restore import check, identity
from release.db.connection import ServerError, connect
from release.db.target import Database
from release.errors import Failed, Refused, ReleaseError

SCRATCH_PREFIX = "stagecraft-drill-"


@dataclass
class Drill:
    """What the drill found, and how long bringing the backup back took."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # extract, prepare, start, check

    @property
    def passed(self) -> bool:
        return not self.problems


def compare(found: manifest.Manifest, counts: dict[str, int]) -> Drill:
    """The restored tables and row counts against the manifest's (pure)."""
    drill = Drill()
    expected = found.row_counts or {name: -1 for name in found.tables}
    for name in sorted(set(expected) - set(counts)):
        drill.problems.append(f"table {name} is in the manifest but not in the backup")
    for name in sorted(set(counts) - set(expected)):
        drill.problems.append(f"table {name} is in the backup but not in the manifest")
    for name in sorted(set(expected) & set(counts)):
        want, got = expected[name], counts[name]
        if want < 0 or want == got:
            continue
        line = f"table {name}: {got} rows restored, the manifest counted {want}"
        if found.counts_exact:
            drill.problems.append(line)
        else:
            drill.notes.append(line + " (rows were written during the backup: not exact)")
    return drill


def verify_backup(backups: BackupsConfig, dump: Path, *, say: Say) -> Drill:
    """The restore drill, on this machine; the scratch folder is gone when it returns."""
    found = _physical(dump, "db.verify-backup")
    keys = identity(backups)
    _remove_stale(say)
    with scratch() as folder:
        datadir = folder / "data"
        seconds = bring_back(dump, keys, datadir)
        started = time.monotonic()
        with throwaway.server_on(datadir, folder) as sock:
            seconds["start"] = time.monotonic() - started
            started = time.monotonic()
            counts = _counted(sock, found.database)
            seconds["check"] = time.monotonic() - started
    drill = compare(found, counts)
    drill.seconds = seconds
    for line in drill.notes:
        say(line)
    return drill


def restore_physical(db: Database, dump: Path, into: Path, *, say: Say,
                     dry_run: bool = False) -> list[str]:
    """Prepare the backup into the new data directory `into`; the steps that swap it in."""
    found = _physical(dump, "db.restore --physical")
    if into.exists() or not into.parent.is_dir():
        raise Refused(f"{into} already exists, or its parent folder does not: name a new "
                      "folder (in an existing one) for the prepared data directory. Nothing "
                      "was changed.")
    say(f"{dump.name}: checksum OK ({found.environment}/{found.database}, physical, "
        f"finished {found.finished_at})")
    if dry_run:
        say(f"Dry run: would decrypt, extract and prepare it into {into}; nothing was changed.")
        return []
    keys = identity(db.backups)
    try:
        bring_back(dump, keys, into)
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise
    return swap_steps(into, _datadir(db), db.environment)


def swap_steps(prepared: Path, datadir: str, env_name: str) -> list[str]:
    """What a person runs on the database's host to put the prepared copy in place (pure)."""
    live = datadir.rstrip("/") or "DATADIR"
    return [f"On the database host of {env_name!r} (copy {prepared} there first if it was "
            "prepared elsewhere):",
            "  1. sudo systemctl stop mariadb",
            f"  2. sudo mv {live} {live}.before-restore",
            f"  3. sudo mv {prepared} {live}",
            f"  4. sudo chown -R mysql:mysql {live}",
            "  5. sudo systemctl start mariadb",
            f"Once it is running and checked, remove {live}.before-restore."]


def bring_back(dump: Path, keys: list[object], datadir: Path) -> dict[str, float]:
    """Decrypt, extract and prepare a physical backup into `datadir` (created 0700)."""
    datadir.mkdir(mode=0o700)
    started = time.monotonic()
    with tools.extracting(datadir, what=f"extracting {dump.name}") as sink:
        stream.decrypt(dump, keys, sink)
    extracted = time.monotonic()
    tools.prepare(datadir, what=f"preparing {dump.name}")
    return {"extract": extracted - started, "prepare": time.monotonic() - extracted}


@contextmanager
def scratch() -> Iterator[Path]:
    """A private (0700) folder for decrypted data, removed however the block ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        folder.chmod(0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale(say: Say) -> None:
    """A drill killed before its cleanup left decrypted data behind: the next one removes it."""
    for path in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        pid = path.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not tools.process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            say(f"removed {path}, the decrypted copy a killed drill left behind")


def _physical(dump: Path, command: str) -> manifest.Manifest:
    found = check(dump)
    if found.kind != "physical":
        raise Refused(f"{dump.name} is a logical dump (SQL): {command} brings back physical "
                      "backups (db.dump --physical). Restore it with `invoke db.restore`.")
    return found


def _counted(sock: Path, database: str) -> dict[str, int]:
    try:
        conn = pymysql.connect(unix_socket=str(sock), user="drill", autocommit=True)
    except ServerError as error:
        raise Failed(f"the drill's server on the restored copy did not answer: {error}") \
            from None
    with conn:
        found = schema.tables(conn, database)
        counts = {}
        with conn.cursor() as cur:
            for name in sorted(found):
                cur.execute(f"SELECT COUNT(*) FROM `{database}`.`{name.replace('`', '``')}`")
                row = cur.fetchone()
                counts[name] = int(row[0]) if row else 0
    return counts


def _datadir(db: Database) -> str:
    try:
        with connect(db.credentials) as conn, conn.cursor() as cur:
            cur.execute("SELECT @@datadir")
            row = cur.fetchone()
        return str(row[0]) if row else ""
    except (ReleaseError, ServerError):
        return ""

