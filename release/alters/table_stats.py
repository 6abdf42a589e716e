"""Remembering what `alters.status` saw of a server, so the hook can use it offline.

Each environment's last look at table sizes is kept in
`<git common dir>/stagecraft/table-stats-<env>.json`; `table-stats.json` beside them (what
AL031 reads) holds, per table, the largest size seen in any environment, since a QA clone may
be smaller than production. The server's version string (`SELECT VERSION()`) is kept in
`server-<env>.json`, `{"version": "10.11.6-MariaDB-0+deb12u1", "seen": "<ISO time>"}`: the
last look at any environment's server picks the default SQL dialect (`recorded_dialect`).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from pathlib import Path


def merged(per_environment: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    largest: dict[str, int] = {}
    for tables in per_environment.values():
        for table, rows in tables.items():
            largest[table] = max(rows, largest.get(table, 0))
    return dict(sorted(largest.items()))


def remember(folder: Path, environment: str, tables: Mapping[str, int], *,
             server: str = "") -> Path:
    """Record one environment's sizes (and its server's version, when given) and rewrite
    the merged file; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    if server:
        seen = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        _write(folder / f"server-{environment}.json", {"version": server, "seen": seen})
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


def recorded_dialect(folder: Path | None) -> str | None:
    """"mariadb" or "mysql" as the most recent look at any environment's server said;
    None when no server was looked at."""
    looks: list[tuple[str, str]] = []
    for path in folder.glob("server-*.json") if folder is not None else ():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("version"), str):
            looks.append((str(data.get("seen", "")), data["version"]))
    if not looks:
        return None
    return "mariadb" if "mariadb" in max(looks)[1].lower() else "mysql"


def _write(path: Path, data: Mapping[str, object]) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
