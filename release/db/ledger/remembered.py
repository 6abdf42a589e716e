"""What alters.status and alters.baseline leave in the repository's state folder
(`<git common dir>/stagecraft/`, never committed) for tasks that run without a database: the
table sizes and server version the hook's AL031 reads, and the blocks baselined, which
staging.status and the release notes count as shipped."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from release.alters.baselined import remember as remember_baselined
from release.alters.parse import AltersFile
from release.alters.table_stats import remember
from release.config import Config
from release.errors import UsageError
from release.git.repo import Repository
from release.state import state_dir


def _folder(config: Config) -> Path | None:
    try:
        return state_dir(Repository(config.root).common_dir())
    except UsageError:
        return None  # not a git checkout: nothing reads it


def remember_sizes(config: Config, env_name: str, sizes: dict[str, int],
                   server: str) -> Path | None:
    """Keep this look at the table sizes where the hook's AL031 finds them (not committed)."""
    folder = _folder(config)
    return remember(folder, env_name, sizes, server=server) if folder else None


def remember_baseline(config: Config, env_name: str, files: Sequence[AltersFile],
                      wanted: set[str]) -> None:
    """Keep, in the repository's state folder, which blocks count as shipped now
    (staging.status and the notes read it; a release tag says it for everyone later)."""
    folder = _folder(config)
    if folder is not None:
        remember_baselined(folder, env_name, [(f.path, b.id, b.checksum) for f in files
                                              for b in f.blocks if b.id in wanted])
