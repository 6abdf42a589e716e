"""A local key-value cache in SQLite: sqlfluff results and block summaries by content hash.

It lives under the repository's git directory (`.git/stagecraft/`), so it is never
committed and is shared by worktrees. It only saves time: any failure reading or writing
it is ignored and the work is simply done again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

_CHUNK = 500


class Cache:
    def __init__(self, folder: Path | None) -> None:
        self.file = folder / "cache.sqlite3" if folder is not None else None

    def get(self, table: str, keys: Collection[str]) -> dict[str, Any]:
        if self.file is None or not keys or not self.file.exists():
            return {}
        found: dict[str, Any] = {}
        with suppress(sqlite3.Error), closing(sqlite3.connect(self.file, timeout=10)) as db:
            ordered = sorted(keys)
            for start in range(0, len(ordered), _CHUNK):
                chunk = ordered[start:start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM {table} WHERE key IN ({marks})"
                found.update((key, json.loads(value)) for key, value in db.execute(query, chunk))
        return found

    def put(self, table: str, items: Mapping[str, Any]) -> None:
        if self.file is None or not items:
            return
        with suppress(sqlite3.Error, OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.file, timeout=10)) as db, db:
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                           "(key TEXT PRIMARY KEY, value TEXT)")
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                               [(key, json.dumps(value)) for key, value in items.items()])
