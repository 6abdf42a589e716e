"""`db.dump --physical`: a hot physical backup (mariadb-backup's xbstream) through zstd and age
into the backups folder, with its SHA-256 and a manifest that holds exact row counts.

Read from the replica when one is configured: its SQL thread is held stopped while the rows
are counted and the files copied, so both describe one point of its history (the marker file
of release.db.replica makes sure it replicates again, even after a killed run). Read from the
primary, the counts are exact when no row was inserted or deleted between count and copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

from release.console import Say
from release.db import replica, schema, tools
from release.db.backups import folder as backups
from release.db.backups import manifest, stream
from release.db.backups.dump import encrypt_output
from release.db.backups.names import free_name, safe
from release.db.clones import state as clone_state
from release.db.connection import Connection, connect, server_version
from release.db.target import Database
from release.errors import Refused

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_ROW_CHANGES = ("Innodb_rows_inserted", "Innodb_rows_deleted")


@dataclass(frozen=True)
class BackupPlan:
    database: Database
    source: replica.Source
    tool: str
    tool_version: str
    server_version: str
    datadir: str
    tables: dict[str, schema.Table]
    started: datetime
    label: str
    final: Path

    @property
    def options(self) -> tuple[str, ...]:
        held = ("--slave-info", "--safe-slave-backup") if self.source.replica else ()
        return ("--backup", "--stream=xbstream", f"--datadir={self.datadir}", *held)

    def describe(self) -> list[str]:
        size = sum(t.bytes_estimate for t in self.tables.values())
        held = ("; its SQL thread held stopped for the count and copy"
                if self.source.replica else "")
        return [f"read from {self.source.describe()}{held}",
                f"count the rows of {len(self.tables)} tables (SELECT COUNT(*)) for the manifest",
                f"{Path(self.tool).name} --defaults-extra-file=<in-memory 0600 file> "
                f"{' '.join(self.options)}  (the whole server; {self.database.name} is about "
                f"{size / 1e6:.0f} MB)",
                f"| zstd | age -r {len(self.database.backups.recipients)} recipient(s) "
                f"-> {self.final} (0600), with .json manifest and .sha256"]


def version_problem(tool_version: str, server_version: str) -> str | None:
    """Why this mariadb-backup cannot copy this server (pure): it reads the server's own files,
    whose formats change between releases, so the versions must be the same."""
    tool, server = _VERSION.search(tool_version), _VERSION.search(server_version)
    if tool is None or server is None:
        return (f"cannot tell the versions apart (tool: {tool_version!r}, server: "
                f"{server_version!r})")
    if tool.groups() != server.groups():
        return (f"mariadb-backup is version {'.'.join(tool.groups())} but the server is "
                f"{'.'.join(server.groups())}")
    return None


def plan(db: Database, *, label: str = "", say: Say, wait: bool = False) -> BackupPlan:
    stream.recipients(db.backups.recipients)
    clone_state.require_private_backups(db)
    source = replica.choose(db, say=say, wait=wait)
    tool = tools.backup_binary()
    with connect(source.credentials) as conn:
        version = server_version(conn)
        found = schema.tables(conn, db.name)
        datadir = _variable(conn, "datadir")
    where = f"environment {db.environment!r} ({source.describe()})"
    tool_version = tools.version(tool)
    problem = version_problem(tool_version, version)
    if problem:
        raise Refused(f"{where}: {problem}. Install the mariadb-backup of the server's version "
                      "(or take a logical dump without --physical). Nothing was written.")
    ssh = db.replica.ssh if source.replica and db.replica else db.ssh
    if (ssh and ssh != "local") or not Path(datadir).is_dir():
        raise Refused(f"{where}: mariadb-backup copies the server's own files ({datadir}), "
                      "which are not on this machine. Run `invoke db.dump --physical` on the "
                      "database's host. Nothing was written.")
    started = datetime.now(UTC)
    suffix = f"-{safe(label)}" if label else ""
    stem = f"{safe(db.environment)}-{safe(db.name)}-{started:%Y%m%dT%H%M%SZ}{suffix}"
    return BackupPlan(database=db, source=source, tool=tool, tool_version=tool_version,
                      server_version=version, datadir=datadir, tables=found, started=started,
                      label=label, final=free_name(db.backups_dir, stem,
                                                    manifest.PHYSICAL_SUFFIX))


def carry_out(planned: BackupPlan, *, say: Say) -> Path:
    db, final = planned.database, planned.final
    keys = stream.recipients(db.backups.recipients)
    backups.folder(final.parent)
    partial = final.parent / f".{final.name}.{os.getpid()}{manifest.PARTIAL_SUFFIX}"
    creds = planned.source.credentials
    held = replica.sql_thread_held(db, db.replica, say=say) \
        if planned.source.replica and db.replica else nullcontext("")
    try:
        with held as stopped_at, connect(creds) as conn:
            before = _row_changes(conn)
            counts = _counts(conn, db.name, planned.tables)
            sha, plain, _ = _run(planned, partial, keys)
            exact = bool(planned.source.replica) or _row_changes(conn) == before
        manifest.write(final, manifest.Manifest(
            environment=db.environment, database=db.name,
            server_version=planned.server_version, started_at=planned.started.isoformat(),
            finished_at=datetime.now(UTC).isoformat(), sha256=sha,
            size=partial.stat().st_size, plaintext_bytes=plain,
            rows_estimate={name: t.rows_estimate for name, t in planned.tables.items()},
            tool_versions={"stagecraft": package_version("stagecraft"),
                           "backup": planned.tool_version},
            options=list(planned.options), label=planned.label, kind="physical",
            replica=planned.source.replica,
            gtid_position=stopped_at or planned.source.gtid_position,
            lag_seconds=planned.source.lag, row_counts=counts, counts_exact=exact))
        # Renamed last: a run killed before this line leaves only the ignored partial file.
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final


def _variable(conn: Connection, name: str) -> str:
    with conn.cursor() as cur:
        cur.execute(f"SELECT @@{name}")
        row = cur.fetchone()
    return str(row[0]) if row else ""


def _row_changes(conn: Connection) -> tuple[int, ...]:
    with conn.cursor() as cur:
        cur.execute("SHOW GLOBAL STATUS WHERE Variable_name IN %s", (_ROW_CHANGES,))
        return tuple(int(value) for _, value in sorted(cur.fetchall()))


def _counts(conn: Connection, database: str, tables: dict[str, schema.Table]) -> dict[str, int]:
    counts = {}
    with conn.cursor() as cur:
        for name in sorted(tables):
            cur.execute(f"SELECT COUNT(*) FROM `{database}`.`{name.replace('`', '``')}`")
            row = cur.fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


@contextmanager
def _scratch(near: Path) -> Iterator[Path]:
    """mariadb-backup's --target-dir: it streams everything, but wants a folder of its own."""
    folder = Path(tempfile.mkdtemp(prefix=f"{backups.WORK_PREFIX}{os.getpid()}-", dir=near))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(planned: BackupPlan, partial: Path, keys: list[object]) -> tuple[str, int, int]:
    db, creds = planned.database, planned.source.credentials
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with _scratch(partial.parent) as target, \
                tools.progress_bar(sum(t.bytes_estimate for t in planned.tables.values()), 0,
                                   f"backup {db.environment}") as progress, \
                tools.running(creds, planned.tool,
                              [*planned.options, f"--target-dir={target}"],
                              what=f"environment {db.environment!r}",
                              left="No backup was written.", stdout=subprocess.PIPE,
                              die_with_us=True) as (proc, _):
            result = encrypt_output(proc, fd, keys, progress)
        os.fsync(fd)
        return result
    finally:
        os.close(fd)
