"""The backup alters.apply takes before and after it changes a database.

This is the fallback until the encrypted `db.dump` replaces it behind the same signature: a
plain `mariadb-dump` (or `mysqldump`) with `--single-transaction --quick --routines --triggers
--events --hex-blob`, so writers are not blocked, credentials passed in a 0600 option file (never
on the command line), written to `[backups] dir` as a 0600 file in a 0700 folder. The dump is
written under a `.partial` name and renamed only when the tool succeeded, so a file without that
suffix is always a complete dump. It restores into any database (`mariadb NAME < FILE`). It is
NOT encrypted: keep the folder off shared disks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from release.config import Config, EnvironmentConfig
from release.db.credentials import client_option_file, credentials
from release.errors import Failed, Refused

DUMP_OPTIONS = ("--single-transaction", "--quick", "--routines", "--triggers", "--events",
                "--hex-blob")
_TOOLS = ("mariadb-dump", "mysqldump")


def dump_tool() -> str:
    for name in _TOOLS:
        found = shutil.which(name)
        if found:
            return found
    raise Failed("neither mariadb-dump nor mysqldump is installed, so no backup can be taken. "
                 "Install the MariaDB (or MySQL) client tools and retry; nothing was changed.")


def backup(config: Config, env: EnvironmentConfig, *, label: str) -> Path:
    """Dump the environment's database to a new file in the backups folder; return its path."""
    creds = credentials(env)
    if env.database is not None and env.database.ssh:
        raise Refused(f"environment {env.name!r}: backups through an SSH host (database.ssh) "
                      "need db.dump, which this version lacks. Nothing was changed.")
    tool = dump_tool()
    folder = backups_folder(config)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    safe_label = re.sub(r"[^A-Za-z0-9._-]+", "-", label)
    final = folder / f"{env.name}-{creds.database}-{stamp}-{safe_label}.sql"
    partial = final.with_name(final.name + ".partial")
    with client_option_file(creds) as options:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            result = subprocess.run(
                [tool, f"--defaults-extra-file={options}", *DUMP_OPTIONS, creds.database],
                stdout=out, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, check=False,
            )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Failed(
            f"environment {env.name!r}: the backup ({Path(tool).name} of {creds.database!r} at "
            f"{creds.where}) failed: {' '.join(message[-3:]) or f'exit {result.returncode}'}. "
            "Nothing was applied; fix the cause and retry."
        )
    os.replace(partial, final)
    return final


def backups_folder(config: Config) -> Path:
    folder = Path(config.backups.dir).expanduser()
    if not folder.is_absolute():
        folder = config.root / folder
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    return folder
