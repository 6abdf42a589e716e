"""The backups alters.apply takes before and after it changes a database (from its replica when
one is configured, as every dump).

They are `db.dump`'s encrypted, checksummed dumps (listed by `db.backups`, restored by
`db.restore`), named in advance from the environment, database and release (see
release.db.backups.names), so a checklist can print the exact file its recovery step restores.
There is no unencrypted fallback: dump files are copies of patient data.
"""

from __future__ import annotations

from pathlib import Path

from release.console import Say
from release.db.backups.dump import dump
from release.db.backups.manifest import DUMP_SUFFIX
from release.db.backups.names import alters_backup_stem
from release.db.target import Database
from release.errors import ConfigError


def require_encryption(db: Database, source: str) -> None:
    """Checked before anything changes, so a run never stops at its first backup."""
    if not db.backups.recipients:
        raise ConfigError(
            f"{source}: [backups] recipients is empty, so the backups alters.apply takes "
            "could not be encrypted. Add an age public key (make one with `age-keygen -o "
            "key.txt` and keep key.txt safe; its `public key: age1...` line goes in [backups] "
            "recipients) and retry. Nothing was changed."
        )


def backup(db: Database, *, moment: str, release: str, say: Say, planned: str = "") -> Path:
    """Dump the environment's database before or after the alters of `release`, to the file
    name a plan printed (`planned`, see names.alters_backup_path) when given. Read from a
    replica, the backup after the alters waits until the replica has applied them."""
    stem = Path(planned).name.removesuffix(DUMP_SUFFIX) if planned else \
        alters_backup_stem(db.environment, db.name, release, moment)
    return dump(db, say=say, stem=stem, wait=moment == "after")
