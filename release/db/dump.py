"""`db.dump`: an encrypted, compressed, checksummed dump that does not block writes."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

from release.config import Config
from release.db import backups, manifest, schema, stream, tools
from release.db.backup_names import safe
from release.db.connection import connect
from release.db.credentials import Credentials, client_option_file
from release.errors import Failed, Refused

Say = Callable[[str], None]


def plan(config: Config, env_name: str, *, allow_locking: bool = False) -> list[str]:
    """What `dump` would do, checked as far as possible without writing anything."""
    creds = tools.local_credentials(config, env_name)
    stream.recipients(config.backups.recipients)
    with connect(creds) as conn:
        found = schema.tables(conn, creds.database)
    options = dump_options(env_name, found, allow_locking, None)
    size = sum(t.bytes_estimate for t in found.values())
    return [f"{Path(tools.dump_binary()).name} --defaults-extra-file=<temporary 0600 file> "
            f"{' '.join(options)} {creds.database}  ({len(found)} tables, about "
            f"{size / 1e6:.0f} MB in the server)",
            f"| zstd | age -r {len(config.backups.recipients)} recipient(s) "
            f"-> {config.backups.dir}/{env_name}-{creds.database}-<time>{manifest.DUMP_SUFFIX}"
            " (0600), with .json manifest and .sha256"]


def dump(config: Config, env_name: str, *, label: str = "", allow_locking: bool = False,
         say: Say | None = None, stem: str | None = None) -> Path:
    """Dump the environment's database into the backups folder; return the dump's path.

    `stem` fixes the file name (alters backups, named in advance by the checklist); otherwise
    the name carries the environment, database, time and label."""
    creds = tools.local_credentials(config, env_name)
    keys = stream.recipients(config.backups.recipients)
    with connect(creds) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            row = cur.fetchone()
            server_version = str(row[0]) if row else "unknown"
        found = schema.tables(conn, creds.database)
    options = dump_options(env_name, found, allow_locking, say)
    where = backups.folder(config)
    started = datetime.now(UTC)
    if stem is None:
        suffix = f"-{safe(label)}" if label else ""
        stem = f"{safe(env_name)}-{safe(creds.database)}-{started:%Y%m%dT%H%M%SZ}{suffix}"
    final = where / f"{stem}{manifest.DUMP_SUFFIX}"
    for n in range(2, 100):  # two dumps in one second, or a second apply of one release
        if not final.exists():
            break
        final = where / f"{stem}-{n}{manifest.DUMP_SUFFIX}"
    partial = where / f".{final.name}.{os.getpid()}{manifest.PARTIAL_SUFFIX}"
    tool = tools.dump_binary()
    total = sum(t.bytes_estimate for t in found.values())
    try:
        sha, plain, _ = _run(tool, creds, options, partial, keys, total, len(found))
        written = partial.stat().st_size
        manifest.write(final, manifest.Manifest(
            environment=env_name, database=creds.database, server_version=server_version,
            started_at=started.isoformat(), finished_at=datetime.now(UTC).isoformat(),
            sha256=sha, size=written, plaintext_bytes=plain,
            rows_estimate={name: t.rows_estimate for name, t in found.items()},
            tool_versions={"stagecraft": package_version("stagecraft"),
                           "dump": tools.version(tool)},
            options=list(options), label=label))
        # Renamed last: a run killed before this line leaves only the ignored partial file.
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


def _run(tool: str, creds: Credentials, options: tuple[str, ...], partial: Path,
         keys: list[object], total_bytes: int, total_tables: int) -> tuple[str, int, int]:
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with client_option_file(creds) as option_file, \
                tempfile.NamedTemporaryFile(prefix="stagecraft-dump-err-") as errors, \
                tools.progress_bar(total_bytes, total_tables,
                                   f"dump {creds.environment}") as progress:
            command = [tool, f"--defaults-extra-file={option_file}", *options,
                       creds.database]
            connected = False

            def forget_password(done: int, tables: int) -> None:
                # Output means the tool has read its options and logged in: the password file
                # need not outlive that, even if this process is killed before cleaning up.
                nonlocal connected
                if not connected:
                    option_file.unlink(missing_ok=True)
                    connected = True
                if progress:
                    progress(done, tables)

            with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors) as proc:
                assert proc.stdout is not None
                dumped = proc.stdout
                try:
                    result = tools.in_background(
                        lambda: stream.encrypt(dumped, fd, keys, forget_password),
                        children=(proc.pid,))
                finally:
                    proc.stdout.close()
                code = proc.wait()
            if code != 0:
                raise Failed(
                    f"environment {creds.environment!r}: {Path(tool).name} failed ({code}): "
                    f"{tools.stderr_text(Path(errors.name))}\nNo backup was written.")
        os.fsync(fd)
        return result
    finally:
        os.close(fd)
