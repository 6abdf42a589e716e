"""What the server said it would do with a statement: the record `alters.explain` keeps.

`alters.explain` asks an environment's server how it would run each pending DDL statement
and records the answer in `<git common dir>/stagecraft/explain.json` (local knowledge, never
committed), keyed by the statement's checksum (the ledger's: SHA-256 of the statement with
comments dropped and white space collapsed), so that AL030/AL031 can use it offline:

    {"format": 1,
     "statements": {"<sha256>": {"algorithm": "INSTANT", "lock": "NONE",
                                 "environment": "qa", "server": "10.11.6-MariaDB",
                                 "rows": 1200000, "at": "2026-05-01T10:00:00+00:00"}}}

`algorithm` is one of INSTANT, NOCOPY, INPLACE, COPY; `lock` one of NONE, SHARED, EXCLUSIVE,
DEFAULT. Entries that do not have that shape are ignored, and so is a damaged file: the next
explain writes it again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

FILE = "explain.json"
ALGORITHMS = ("INSTANT", "NOCOPY", "INPLACE", "COPY")
LOCKS = ("NONE", "SHARED", "EXCLUSIVE", "DEFAULT")


@dataclass(frozen=True)
class Explained:
    algorithm: str
    lock: str
    environment: str = ""
    server: str = ""
    rows: int = 0     # the table's rows when the server was asked
    at: str = ""      # when (ISO 8601, UTC)

    @property
    def online(self) -> bool:
        """Whether the server runs it without copying the table or blocking writes."""
        return self.algorithm in ("INSTANT", "NOCOPY") or (
            self.algorithm == "INPLACE" and self.lock == "NONE")


def parse_explained(data: object) -> dict[str, Explained]:
    """The entries of the file's JSON value (pure)."""
    entries = data.get("statements") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return {}
    found = {}
    for key, entry in entries.items():
        if not isinstance(entry, dict):
            continue
        algorithm, lock = entry.get("algorithm"), entry.get("lock")
        if algorithm in ALGORITHMS and lock in LOCKS:
            rows = entry.get("rows", 0)
            found[key] = Explained(algorithm, lock, str(entry.get("environment", "")),
                                   str(entry.get("server", "")),
                                   rows if isinstance(rows, int) else 0, str(entry.get("at", "")))
    return found


def read_explained(folder: Path | None) -> dict[str, Explained]:
    """What the file in `folder` holds; nothing when there is no readable file."""
    if folder is None:
        return {}
    try:
        return parse_explained(json.loads((folder / FILE).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}


def record_explained(folder: Path, answers: Mapping[str, Explained]) -> Path:
    """Add (or replace) the server's answers for these statement checksums."""
    entries = {**read_explained(folder), **answers}
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / FILE
    temporary = target.with_suffix(".tmp")
    data = {"format": 1, "statements": {k: asdict(v) for k, v in sorted(entries.items())}}
    temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    temporary.replace(target)
    return target
