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
DEFAULT. A file without that shape is reported by its path (deleting it is safe: the next
`alters.explain` asks again).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated

from release.state import read_json, write_atomically
from release.validation import Check

FILE = "explain.json"
ALGORITHMS = ("INSTANT", "NOCOPY", "INPLACE", "COPY")
LOCKS = ("NONE", "SHARED", "EXCLUSIVE", "DEFAULT")
REMEDY = ("Delete it (it only remembers the servers' answers): the next "
          "`invoke alters.explain --env ENV` asks again.")


def _one_of(names: tuple[str, ...]) -> Check:
    return Check(lambda v: v in names, lambda v: f"expected one of {', '.join(names)}, got {v!r}")


@dataclass(frozen=True)
class Explained:
    algorithm: Annotated[str, _one_of(ALGORITHMS)]
    lock: Annotated[str, _one_of(LOCKS)]
    environment: str = ""
    server: str = ""
    rows: int = 0     # the table's rows when the server was asked
    at: str = ""      # when (ISO 8601, UTC)

    @property
    def online(self) -> bool:
        """Whether the server runs it without copying the table or blocking writes."""
        return self.algorithm in ("INSTANT", "NOCOPY") or (
            self.algorithm == "INPLACE" and self.lock == "NONE")


@dataclass(frozen=True)
class _File:
    format: int = 1
    statements: dict[str, Explained] = field(default_factory=dict)


def read_explained(folder: Path | None) -> dict[str, Explained]:
    """What the file in `folder` holds; nothing when there is no file (Damaged when it does
    not have the shape above)."""
    if folder is None:
        return {}
    found = read_json(folder / FILE, _File, remedy=REMEDY)
    return dict(found.statements) if found else {}


def record_explained(folder: Path, answers: Mapping[str, Explained]) -> Path:
    """Add (or replace) the server's answers for these statement checksums."""
    entries = {**read_explained(folder), **answers}
    target = folder / FILE
    data = {"format": 1, "statements": {k: asdict(v) for k, v in sorted(entries.items())}}
    write_atomically(target, json.dumps(data, indent=1) + "\n")
    return target
