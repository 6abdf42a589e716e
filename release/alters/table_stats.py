"""Remembering table sizes between `alters.status` runs, so the hook can apply AL031 offline.

Each environment's last look is kept in `<git common dir>/stagecraft/table-stats-<env>.json`;
`table-stats.json` beside them (what the lint reads) holds, per table, the largest size seen in
any environment, since a QA clone may be smaller than production.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path


def merged(per_environment: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    largest: dict[str, int] = {}
    for tables in per_environment.values():
        for table, rows in tables.items():
            largest[table] = max(rows, largest.get(table, 0))
    return dict(sorted(largest.items()))


def remember(folder: Path, environment: str, tables: Mapping[str, int]) -> Path:
    """Record one environment's sizes and rewrite the merged file; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / f"table-stats-{environment}.json", dict(sorted(tables.items())))
    everyone: dict[str, dict[str, int]] = {}
    for path in folder.glob("table-stats-*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged snapshot is refreshed by that environment's next status
        if isinstance(data, dict):
            everyone[path.stem] = {k: v for k, v in data.items()
                                   if isinstance(k, str) and isinstance(v, int)}
    target = folder / "table-stats.json"
    _write(target, merged(everyone))
    return target


def _write(path: Path, data: Mapping[str, int]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
