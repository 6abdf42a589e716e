"""The names of the backups `alters.apply` takes, fixed in advance so that a checklist written
before the deploy can name the exact files its recovery steps restore (pure).

A release is labelled by its release tag, or by its commit's short sha before it is tagged.
"""

from __future__ import annotations

import re

from release.db.backups.manifest import DUMP_SUFFIX

MOMENTS = ("before", "after")


def release_label(tag: str | None, sha: str) -> str:
    return tag or sha[:10]


def alters_backup_stem(env_name: str, database: str, release: str, moment: str) -> str:
    if moment not in MOMENTS:
        raise ValueError(f"moment must be one of {MOMENTS}, not {moment!r}")
    return f"{safe(env_name)}-{safe(database)}-{safe(release)}-{moment}-alters"


def alters_backup_path(backups_dir: str, env_name: str, database: str, release: str,
                       moment: str) -> str:
    stem = alters_backup_stem(env_name, database, release, moment)
    return f"{backups_dir.rstrip('/')}/{stem}{DUMP_SUFFIX}"


def safe(text: str) -> str:
    """A file-name-safe form of a label, database or environment name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"
