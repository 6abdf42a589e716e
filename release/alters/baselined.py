"""Which blocks `alters.baseline` recorded as applied without running them, kept where
staging.status, the release notes and the checklist find them without a database.

A team adopting Stagecraft baselines the blocks its databases already have; until its first
release tag, nothing else says those blocks shipped. The record is
`<git common dir>/stagecraft/baselined.json`: `{environment: {file: {block id: checksum}}}`,
added to by every baseline. A block counts as shipped when its id and checksum are recorded
for its file in any environment (an edited block is pending again, as after a release).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from release.errors import Failed
from release.state import write_atomically

FILE = "baselined.json"
Recorded = dict[str, dict[str, dict[str, str]]]


def remember(folder: Path, environment: str, blocks: Iterable[tuple[str, str, str]]) -> Path:
    """Add (file, block id, checksum) triples to the environment's record; returns the path."""
    path = folder / FILE
    recorded = _read(path)
    files = recorded.setdefault(environment, {})
    for file, block_id, checksum in blocks:
        files.setdefault(file, {})[block_id] = checksum
    write_atomically(path, json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    return path


def shipped_pairs(folder: Path, file: str) -> frozenset[tuple[str, str]]:
    """(block id, checksum) of `file`'s blocks baselined in any environment."""
    return frozenset((block_id, checksum) for files in _read(folder / FILE).values()
                     for block_id, checksum in files.get(file, {}).items())


def _read(path: Path) -> Recorded:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise Failed(f"{path}: cannot be read ({error}). Remove it and run alters.baseline "
                     "again for each environment.") from None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not _well_formed(data):
        raise Failed(f"{path}: damaged (expected {{environment: {{file: {{block id: "
                     "checksum}}}}}}). Remove it and run alters.baseline again for each "
                     "environment (the ledger keeps what it recorded).")
    return data  # type: ignore[no-any-return]


def _well_formed(data: object) -> bool:
    return isinstance(data, dict) and all(
        isinstance(files, Mapping) and all(
            isinstance(blocks, Mapping) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in blocks.items())
            for blocks in files.values())
        for files in data.values())
