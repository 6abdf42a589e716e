"""`db.dump`: an encrypted, compressed, checksummed dump that does not block writes.

`plan` reads what it needs (tables, engines, the server's version) and names the file; the
dry run prints that plan and `dump` carries out the same value, so the two cannot drift.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

from release.console import Say
from release.db import replica, schema, tools
from release.db.backups import folder as backups
from release.db.backups import manifest, stream
from release.db.backups.names import free_name, safe
from release.db.clones import state as clone_state
from release.db.connection import connect, server_version
from release.db.target import Database
from release.errors import Refused


@dataclass(frozen=True)
class DumpPlan:
    database: Database
    tool: str
    options: tuple[str, ...]
    tables: dict[str, schema.Table]
    server_version: str
    started: datetime
    label: str
    final: Path        # the file the dump will be renamed to once complete
    source: replica.Source

    def describe(self) -> list[str]:
        size = sum(t.bytes_estimate for t in self.tables.values())
        return [f"{Path(self.tool).name} --defaults-extra-file=<in-memory 0600 file> "
                f"{' '.join(self.options)} {self.database.name}  ({len(self.tables)} tables, "
                f"about {size / 1e6:.0f} MB in the server)",
                f"| zstd | age -r {len(self.database.backups.recipients)} recipient(s) "
                f"-> {self.final} (0600), with .json manifest and .sha256",
                f"read from {self.source.describe()}"]


def plan(db: Database, *, label: str = "", allow_locking: bool = False,
         say: Say | None = None, stem: str | None = None, wait: bool = False) -> DumpPlan:
    """What `dump` will do, checked as far as possible without writing anything.

    `stem` fixes the file name (alters backups, named in advance by the checklist); otherwise
    the name carries the environment, database, time and label. With a replica configured
    the dump reads it (`wait`: once it has applied everything its primary has)."""
    stream.recipients(db.backups.recipients)
    clone_state.require_private_backups(db)
    source = replica.choose(db, say=say or _quiet, wait=wait)
    with connect(source.credentials) as conn:
        version = server_version(conn)
        found = schema.tables(conn, db.name)
    started = datetime.now(UTC)
    if stem is None:
        suffix = f"-{safe(label)}" if label else ""
        stem = f"{safe(db.environment)}-{safe(db.name)}-{started:%Y%m%dT%H%M%SZ}{suffix}"
    return DumpPlan(database=db, tool=tools.dump_binary(),
                    options=dump_options(db.environment, found, allow_locking, say),
                    tables=found, server_version=version,
                    started=started, label=label, final=free_name(db.backups_dir, stem),
                    source=source)


def dump(db: Database, *, label: str = "", allow_locking: bool = False,
         say: Say | None = None, stem: str | None = None, wait: bool = False) -> Path:
    """Dump the environment's database into the backups folder; return the dump's path."""
    return carry_out(plan(db, label=label, allow_locking=allow_locking, say=say, stem=stem,
                          wait=wait))


def _quiet(_: str) -> None:
    pass


def carry_out(planned: DumpPlan) -> Path:
    db, final = planned.database, planned.final
    keys = stream.recipients(db.backups.recipients)
    backups.folder(final.parent)
    partial = final.parent / f".{final.name}.{os.getpid()}{manifest.PARTIAL_SUFFIX}"
    try:
        sha, plain, _ = _run(planned, partial, keys)
        manifest.write(final, manifest.Manifest(
            environment=db.environment, database=db.name,
            server_version=planned.server_version, started_at=planned.started.isoformat(),
            finished_at=datetime.now(UTC).isoformat(), sha256=sha,
            size=partial.stat().st_size, plaintext_bytes=plain,
            rows_estimate={name: t.rows_estimate for name, t in planned.tables.items()},
            tool_versions={"stagecraft": package_version("stagecraft"),
                           "dump": tools.version(planned.tool)},
            options=list(planned.options), label=planned.label,
            replica=planned.source.replica, gtid_position=planned.source.gtid_position,
            lag_seconds=planned.source.lag))
        # Renamed last: a run killed before this line leaves only the ignored partial file.
        # Not release.state.write_atomically: the dump is streamed to disk as the server sends
        # it (gigabytes, fsynced by _run), never held in memory; only the rename is shared.
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final


def dump_options(env_name: str, found: dict[str, schema.Table], allow_locking: bool,
                 say: Say | None) -> tuple[str, ...]:
    """The dump tool's options; Refused when a table is not InnoDB unless locking is allowed."""
    locking = sorted(f"{t.name} ({t.engine})" for t in found.values()
                     if (t.engine or "").lower() != "innodb")
    if not locking:
        return tools.DUMP_OPTIONS
    listing = ", ".join(locking)
    if not allow_locking:
        raise Refused(
            f"environment {env_name!r}: these tables are not InnoDB, so a dump can only be "
            f"consistent by locking them and blocking writes for the whole dump: {listing}. "
            "Convert them to InnoDB, or re-run with --allow-locking (at a quiet time).")
    if say:
        say(f"WARNING: locking tables for the whole dump (writes will wait): {listing}")
    return tools.LOCKING_OPTIONS


def _run(planned: DumpPlan, partial: Path, keys: list[object]) -> tuple[str, int, int]:
    db = planned.database
    total = sum(t.bytes_estimate for t in planned.tables.values())
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with tools.progress_bar(total, len(planned.tables), f"dump {db.environment}") \
                as progress, \
                tools.running(planned.source.credentials, planned.tool,
                              [*planned.options, db.name],
                              what=f"environment {db.environment!r}",
                              left="No backup was written.", stdout=subprocess.PIPE) \
                as (proc, _):
            result = encrypt_output(proc, fd, keys, progress)
        os.fsync(fd)
        return result
    finally:
        os.close(fd)


def encrypt_output(proc: subprocess.Popen[bytes], fd: int, keys: list[object],
                   progress: stream.Progress | None) -> tuple[str, int, int]:
    """A backup tool's stdout compressed and encrypted into `fd` while the tool runs (a
    killed tool ends the stream); its pipe closed afterwards."""
    assert proc.stdout is not None
    output = proc.stdout
    try:
        return tools.in_background(lambda: stream.encrypt(output, fd, keys, progress),
                                   children=(proc.pid,))
    finally:
        output.close()
