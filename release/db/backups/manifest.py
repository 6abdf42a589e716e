"""The manifest beside each dump: what it holds, where it came from, and its SHA-256.

A dump is listed as a good backup only when its final name, its manifest and its checksum file
all exist: they are written first and the dump is renamed into place last.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

DUMP_SUFFIX = ".sql.zst.age"
MANIFEST_SUFFIX = ".json"
CHECKSUM_SUFFIX = ".sha256"
PARTIAL_SUFFIX = ".partial"


@dataclass(frozen=True)
class Manifest:
    environment: str
    database: str
    server_version: str
    started_at: str
    finished_at: str
    sha256: str
    size: int
    plaintext_bytes: int
    rows_estimate: dict[str, int]
    tool_versions: dict[str, str]
    options: list[str] = field(default_factory=list)
    label: str = ""
    compression: str = "zstd"
    encryption: str = "age"
    format: int = 1

    @property
    def tables(self) -> list[str]:
        return sorted(self.rows_estimate)


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def checksum_path(dump: Path) -> Path:
    return dump.with_name(dump.name + CHECKSUM_SUFFIX)


def write(dump: Path, manifest: Manifest) -> None:
    """Write the manifest and a `sha256sum -c` file beside `dump` (each atomically, 0600)."""
    _write_atomic(manifest_path(dump), json.dumps(asdict(manifest), indent=2) + "\n")
    _write_atomic(checksum_path(dump), f"{manifest.sha256}  {dump.name}\n")


def read(dump: Path) -> Manifest | None:
    try:
        data = json.loads(manifest_path(dump).read_text())
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(path.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)
