"""What `alters.explain` last learned from a server, kept for the checklist and the lint.

`<git common dir>/stagecraft/explain.json` (local knowledge, never committed), keyed by the
statement's checksum, so an answer follows the statement and not its position:

    {"<statement checksum>": {"algorithm": "INSTANT|NOCOPY|INPLACE|COPY",
                              "lock": "NONE|SHARED|EXCLUSIVE|DEFAULT",
                              "environment": "production", "rows": 1200000,
                              "at": "2024-05-01T10:00:00+00:00"}}

Only statements the server was asked about are kept (DROP, CREATE TABLE... have no answer).
A later look at the same statement replaces the earlier one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

FILE = "explain.json"


@dataclass(frozen=True)
class Explained:
    algorithm: str
    lock: str
    environment: str
    rows: int
    at: str

    @property
    def online(self) -> bool:
        """Writes go on while it runs: the case AL030/AL031 warn about does not arise."""
        return self.algorithm == "INSTANT" or self.lock == "NONE"


def read(folder: Path | None) -> dict[str, Explained]:
    """The recorded answers; none when there is no file or it cannot be read (the next
    `alters.explain` rewrites it)."""
    if folder is None:
        return {}
    try:
        data = json.loads((folder / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, Explained] = {}
    for checksum, entry in data.items():
        try:
            found[checksum] = Explained(str(entry["algorithm"]), str(entry["lock"]),
                                        str(entry["environment"]), int(entry["rows"]),
                                        str(entry["at"]))
        except (KeyError, TypeError, ValueError):
            continue
    return found


def remember(folder: Path, answers: Mapping[str, Explained]) -> Path:
    """Merge these answers into the file (atomically); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    merged = {**read(folder), **answers}
    path = folder / FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({k: asdict(v) for k, v in sorted(merged.items())},
                                    indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
