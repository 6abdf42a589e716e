from __future__ import annotations

from pathlib import Path

from release.db.backups import Backup, leftovers, to_prune
from release.db.manifest import Manifest


def _backup(env: str, n: int) -> Backup:
    manifest = Manifest(environment=env, database="db", server_version="x",
                        started_at=f"2026-01-{n:02d}T00:00:00+00:00",
                        finished_at=f"2026-01-{n:02d}T00:10:00+00:00", sha256="0" * 64,
                        size=1, plaintext_bytes=1, rows_estimate={}, tool_versions={})
    return Backup(Path(f"{env}-{n}.sql.zst.age"), manifest)


def test_prune_keeps_the_newest_dumps_of_each_environment() -> None:
    listed = [_backup("production", n) for n in (9, 8, 7)] + [_backup("qa", 5)]
    assert [b.path.name for b in to_prune(listed, keep=2)] == ["production-7.sql.zst.age"]


def test_partial_files_of_live_runs_are_not_leftovers(tmp_path: Path) -> None:
    import os

    live = tmp_path / f".a.sql.zst.age.{os.getpid()}.partial"
    dead = tmp_path / ".b.sql.zst.age.999999999.partial"
    live.write_bytes(b"")
    dead.write_bytes(b"")
    assert leftovers(tmp_path) == [dead]
