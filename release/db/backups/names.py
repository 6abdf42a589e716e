"""The names of the backups `alters.apply` takes, fixed in advance so that a checklist written
before the deploy can name the exact files its recovery steps restore (pure).

A release is labelled by its release tag, or by its commit's short sha before it is tagged.
"""

from __future__ import annotations

import re
from pathlib import Path

from release.db.backups.manifest import DUMP_SUFFIX

MOMENTS = ("before", "after")


def release_label(tag: str | None, sha: str) -> str:
    return tag or sha[:10]


def alters_backup_stem(env_name: str, database: str, release: str, moment: str) -> str:
    if moment not in MOMENTS:
        raise ValueError(f"moment must be one of {MOMENTS}, not {moment!r}")
    return f"{safe(env_name)}-{safe(database)}-{safe(release)}-{moment}-alters"


def alters_backup_path(backups_dir: str, env_name: str, database: str, release: str,
                       moment: str, *, free_in: Path | None = None) -> str:
    """The backup's path as the configuration names its folder; with `free_in` (that folder
    on disk), the name the next dump gets there: a second backup of one release and moment
    (a second apply) is `...-2`, and what a plan prints is the file written."""
    stem = alters_backup_stem(env_name, database, release, moment)
    name = free_name(free_in, stem).name if free_in is not None else f"{stem}{DUMP_SUFFIX}"
    return f"{backups_dir.rstrip('/')}/{name}"


def free_name(folder: Path, stem: str, suffix: str = DUMP_SUFFIX) -> Path:
    """The file a dump named `stem` gets in `folder`: the plain name, else the first `-N`
    free (two dumps in one second, or a second apply of one release)."""
    final = folder / f"{stem}{suffix}"
    for n in range(2, 100):
        if not final.exists():
            break
        final = folder / f"{stem}-{n}{suffix}"
    return final


def safe(text: str) -> str:
    """A file-name-safe form of a label, database or environment name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"
