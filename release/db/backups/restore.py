"""`db.restore`: check a dump's checksum, decrypt it in memory and stream it into a database."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import IO

from release.config import PRODUCTION, BackupsConfig
from release.console import Say
from release.db import schema, tools
from release.db.backups import manifest, stream
from release.db.clones import state as clone_state
from release.db.connection import connect
from release.db.credentials import Credentials
from release.db.target import Database
from release.errors import ConfigError, Failed, Refused, ReleaseError


def check(dump: Path) -> manifest.Manifest:
    """The dump's manifest, after checking the file against its recorded SHA-256."""
    if not dump.is_file():
        raise Refused(f"{dump}: no such dump file. `invoke db.backups` lists them.")
    found = manifest.read(dump)
    if found is None:
        raise Refused(f"{dump}: its manifest ({manifest.manifest_path(dump).name}) is missing "
                      "or unreadable, so its checksum cannot be checked. Refusing to restore.")
    actual = stream.sha256_of(dump)
    if actual != found.sha256:
        raise Refused(f"{dump}: SHA-256 {actual} does not match the manifest's {found.sha256}: "
                      "the file was damaged or tampered with. Refusing to restore it.")
    return found


def restore(db: Database, dump: Path, *, say: Say, confirm: Callable[[str], None],
            yes_really: bool = False, dry_run: bool = False) -> None:
    env_name, creds = db.environment, db.credentials
    if db.production and not yes_really:
        raise Refused(f"restoring into {PRODUCTION!r} replaces live data; nothing was changed. "
                      "If that is really what you want, add --yes-really.")
    found = check(dump)
    if found.kind == "physical":
        raise Refused(f"{dump.name} is a physical backup (mariadb-backup): it is not SQL to "
                      "load. `invoke db.restore --physical --into NEW_FOLDER` prepares it into "
                      "a new data directory and prints the steps that swap it in.")
    say(f"{dump.name}: checksum OK ({found.environment}/{found.database}, "
        f"finished {found.finished_at})")
    keys = identity(db.backups)
    stream.require_decryptable(dump, keys, db.backups.identity_env)
    with connect(creds) as conn:
        present = schema.tables(conn, creds.database)
    replaced = [t for t in found.tables if t in present]
    kept = sorted(set(present) - set(found.tables) - set(clone_state.OWN_TABLES))
    rows = sum(present[t].rows_estimate for t in replaced)
    say(f"This replaces {len(replaced)} table(s) of {env_name}/{creds.database} "
        f"(about {rows} rows now) with the dump's {len(found.tables)} table(s)"
        + (f": {', '.join(replaced)}" if replaced else "."))
    if kept:
        say(f"Tables not in the dump are left as they are: {', '.join(kept)}")
    if dry_run:
        say("Dry run: nothing was changed.")
        return
    confirm(f"Replace {len(replaced)} table(s) in {env_name}/{creds.database}?")
    from_elsewhere = found.environment != env_name
    if from_elsewhere:
        # Another environment's data (production's contacts, say) until a scrub is verified.
        with connect(creds) as conn:
            clone_state.record(conn, source=found.environment, state="restored",
                               detail=f"restored {dump.name}; not scrubbed")
    with tools.progress_bar(found.size, 0, f"restore {env_name}") as progress:
        load(creds, lambda sink: stream.decrypt(dump, keys, sink, progress))
    if from_elsewhere:
        # Again: a dump that carries its own release_clone table has just replaced ours.
        with connect(creds) as conn:
            clone_state.record(conn, source=found.environment, state="restored",
                               detail=f"restored {dump.name}; not scrubbed")
    say(f"Restored {dump.name} into {env_name}/{creds.database}."
        + (" It holds another environment's data: it is marked unsafe until "
           f"`invoke db.verify-scrub --env {env_name}` passes." if from_elsewhere else ""))


def load(creds: Credentials, feed: Callable[[IO[bytes]], None]) -> None:
    """Run the client tool on the target database and let `feed` write SQL into its stdin."""
    with tools.running(creds, tools.client_binary(), ["--binary-mode", creds.database],
                       what=f"environment {creds.environment!r}: loading into "
                            f"{creds.database}",
                       left="The database is partly restored: restore again before using it.",
                       stdin=subprocess.PIPE) as (proc, _):
        assert proc.stdin is not None
        try:
            feed(proc.stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # the tool stopped reading: its exit status and stderr say why
        except ReleaseError as error:
            raise Failed(f"{error.message}\nThe load into {creds.environment}/"
                         f"{creds.database} stopped part-way: restore again before using "
                         "it.") from None


def identity(backups: BackupsConfig) -> list[object]:
    variable = backups.identity_env
    value = os.environ.get(variable)
    if not value:
        raise ConfigError(f"the environment variable {variable} (backups.identity_env) is not "
                          "set: export it with the path of the age identity that decrypts "
                          "the dumps (or the key itself).")
    return stream.identities(value, variable)
