"""The manifest beside each dump: what it holds, where it came from, and its SHA-256.

A dump is listed as a good backup only when its final name, its manifest and its checksum file
all exist: they are written first and the dump is renamed into place last. A manifest is
checked when read; one that does not fit is reported by its path, never half-used.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from release.state import read_json, write_atomically

DUMP_SUFFIX = ".sql.zst.age"
PHYSICAL_SUFFIX = ".xb.zst.age"   # mariadb-backup's xbstream, compressed and encrypted
SUFFIXES = {"logical": DUMP_SUFFIX, "physical": PHYSICAL_SUFFIX}
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
    kind: str = "logical"              # or "physical" (mariadb-backup)
    replica: str = ""                  # the replica it was read from, "" for the primary
    gtid_position: str = ""            # the replica's GTID position when it was read
    lag_seconds: int | None = None     # how far behind its primary the replica was
    row_counts: dict[str, int] = field(default_factory=dict)  # exact (physical backups)
    counts_exact: bool = False         # no write could have happened between count and copy

    @property
    def tables(self) -> list[str]:
        return sorted(self.rows_estimate)


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def checksum_path(dump: Path) -> Path:
    return dump.with_name(dump.name + CHECKSUM_SUFFIX)


def write(dump: Path, manifest: Manifest) -> None:
    """Write the manifest and a `sha256sum -c` file beside `dump` (each atomically, 0600)."""
    write_atomically(manifest_path(dump), json.dumps(asdict(manifest), indent=2) + "\n")
    write_atomically(checksum_path(dump), f"{manifest.sha256}  {dump.name}\n")


def read(dump: Path) -> Manifest | None:
    """The manifest beside `dump`; None when there is none (Damaged when it does not fit)."""
    return read_json(manifest_path(dump), Manifest, remedy=(
        f"A dump whose manifest cannot be read is never listed or restored: move {dump.name} "
        f"and its {CHECKSUM_SUFFIX} and {MANIFEST_SUFFIX} files out of the backups folder."))
