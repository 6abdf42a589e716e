"""Remembering what `alters.status` saw of a server, so the hook can use it offline.

Each environment's last look at table sizes is kept in
`<git common dir>/stagecraft/table-stats-<env>.json`; `table-stats.json` beside them (what
AL031 reads) holds, per table, the largest size seen in any environment, since a QA clone may
be smaller than production. The server's version string (`SELECT VERSION()`) is kept in
`server-<env>.json`, `{"version": "10.11.6-MariaDB-0+deb12u1", "seen": "<ISO time>"}`: the
last look at any environment's server picks the default SQL dialect (`recorded_dialect`).
A file without its shape is reported by its path; deleting it is safe (the next
`alters.status` for that environment writes it again).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from release.errors import ConfigError
from release.state import read_json, write_atomically
from release.validation import Invalid, from_json_value

MERGED = "table-stats.json"
_EXAMPLE = '{"auth_user": 120000}'

Sizes = dict[str, int]


@dataclass(frozen=True)
class Server:
    version: str
    seen: str = ""  # ISO 8601, UTC


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
    if server:
        seen = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        _write(folder / f"server-{environment}.json", {"version": server, "seen": seen})
    _write(folder / f"table-stats-{environment}.json", dict(sorted(tables.items())))
    everyone: dict[str, dict[str, int]] = {}
    for path in sorted(folder.glob("table-stats-*.json")):
        everyone[path.stem] = read_json(path, Sizes, remedy=_remedy(path, "table-stats-")) or {}
    target = folder / MERGED
    _write(target, merged(everyone))
    return target


def recorded_dialect(folder: Path | None) -> str | None:
    """"mariadb" or "mysql" as the most recent look at any environment's server said;
    None when no server was looked at."""
    looks: list[tuple[str, str]] = []
    for path in sorted(folder.glob("server-*.json")) if folder is not None else ():
        found = read_json(path, Server, remedy=_remedy(path, "server-"))
        if found is not None:
            looks.append((found.seen, found.version))
    if not looks:
        return None
    return "mariadb" if "mariadb" in max(looks)[1].lower() else "mysql"


def read_table_stats(path: Path, *, chosen: bool) -> dict[str, int]:
    """The sizes AL031 uses. A file the person chose (`--table-stats`) is bad usage when it
    is wrong; the default one (under .git) is state Stagecraft wrote, reported as damaged."""
    if not chosen:
        return read_json(path, Sizes, remedy=_remedy(path, "")) or {}
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read the table stats: {error}. It must be a JSON "
                          f"object such as {_EXAMPLE}.") from None
    try:
        return from_json_value(Sizes, data)
    except Invalid as invalid:
        raise ConfigError(f"{path}: table stats must be a JSON object of table name to row "
                          f"count, such as {_EXAMPLE} ({'; '.join(invalid.problems[:3])}).")\
            from None


def _remedy(path: Path, prefix: str) -> str:
    environment = path.stem[len(prefix):] if prefix else "ENV"
    return (f"Delete it (it only remembers what a server said): "
            f"`invoke alters.status --env {environment}` writes it again.")


def _write(path: Path, data: Mapping[str, object]) -> None:
    write_atomically(path, json.dumps(data, indent=1) + "\n")
