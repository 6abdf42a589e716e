"""The backups folder: listing good backups (logical dumps and physical backups alike),
spotting leftovers of killed runs, pruning."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from release.db import tools
from release.db.backups.manifest import (
    CHECKSUM_SUFFIX,
    MANIFEST_SUFFIX,
    PARTIAL_SUFFIX,
    SUFFIXES,
    Manifest,
    checksum_path,
    manifest_path,
    read,
)

WORK_PREFIX = ".stagecraft-backup-"  # mariadb-backup's working folder, beside the partial


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: Manifest

    @property
    def finished(self) -> datetime:
        return datetime.fromisoformat(self.manifest.finished_at)


def folder(path: Path) -> Path:
    """The backups folder, created (and kept) 0700: dumps are copies of patient data."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def listed(where: Path) -> list[Backup]:
    """Good backups of both kinds, newest first: final name, manifest and checksum file all
    present."""
    found = []
    for path in (p for suffix in SUFFIXES.values() for p in where.glob(f"*{suffix}")):
        manifest = read(path)
        if manifest is not None and checksum_path(path).is_file():
            found.append(Backup(path, manifest))
    return sorted(found, key=lambda b: b.manifest.finished_at, reverse=True)


def leftovers(where: Path) -> list[Path]:
    """What killed runs left: partial dumps (ciphertext, never listed) of processes that are
    gone, manifests or checksum files whose dump was never renamed into place, and the empty
    working folders of killed physical backups."""
    found = []
    for path in where.glob(f".*{PARTIAL_SUFFIX}"):
        pid = path.name.removesuffix(PARTIAL_SUFFIX).rsplit(".", 1)[-1]
        if not pid.isdigit() or not tools.process_alive(int(pid)):
            found.append(path)
    for path in where.glob(f"{WORK_PREFIX}*"):
        pid = path.name.removeprefix(WORK_PREFIX).split("-", 1)[0]
        if path.is_dir() and (not pid.isdigit() or not tools.process_alive(int(pid))):
            found.append(path)
    for suffix in (MANIFEST_SUFFIX, CHECKSUM_SUFFIX):
        for path in (p for kind in SUFFIXES.values() for p in where.glob(f"*{kind}{suffix}")):
            if not path.with_name(path.name.removesuffix(suffix)).exists():
                found.append(path)
    return sorted(found)


def to_prune(backups: list[Backup], keep: int) -> list[Backup]:
    """The backups beyond the newest `keep` of each environment and kind (logical dumps and
    physical backups are kept apart: one kind never pushes the other out)."""
    seen: dict[tuple[str, str], int] = {}
    doomed = []
    for backup in backups:
        key = (backup.manifest.environment, backup.manifest.kind)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > keep:
            doomed.append(backup)
    return doomed


def files(backup: Backup) -> list[Path]:
    return [backup.path, manifest_path(backup.path), checksum_path(backup.path)]


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def listing(found: list[Backup], stale: list[Path]) -> list[str]:
    lines = [f"{b.path.name}  {b.manifest.kind}  {b.manifest.size / 1e6:.1f} MB  "
             f"{age_text(b.finished)} ago  sha256 {b.manifest.sha256[:16]}"
             + (f"  from replica {b.manifest.replica}" if b.manifest.replica else "")
             for b in found]
    lines += [f"incomplete (a killed run, encrypted, not a backup): {p.name}" for p in stale]
    return lines


def age_text(when: datetime, now: datetime | None = None) -> str:
    seconds = int(((now or datetime.now(UTC)) - when).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{max(seconds, 0)}s"

