from __future__ import annotations

from pathlib import Path

from release.db.backups.folder import Backup, leftovers, to_prune
from release.db.backups.manifest import Manifest


def _backup(env: str, n: int) -> Backup:
    manifest = Manifest(environment=env, database="db", server_version="x",
                        started_at=f"2026-01-{n:02d}T00:00:00+00:00",
                        finished_at=f"2026-01-{n:02d}T00:10:00+00:00", sha256="0" * 64,
                        size=1, plaintext_bytes=1, rows_estimate={}, tool_versions={})
    return Backup(Path(f"{env}-{n}.sql.zst.age"), manifest)


def test_prune_keeps_the_newest_dumps_of_each_environment() -> None:
    listed = [_backup("production", n) for n in (9, 8, 7)] + [_backup("qa", 5)]
    assert [b.path.name for b in to_prune(listed, keep=2)] == ["production-7.sql.zst.age"]


def test_leftovers_are_dead_runs_partials_and_orphaned_manifests(tmp_path: Path) -> None:
    import os

    live = tmp_path / f".a.sql.zst.age.{os.getpid()}.partial"
    dead = tmp_path / ".b.sql.zst.age.999999999.partial"
    orphan = tmp_path / "production-db-20260101T000000Z.sql.zst.age.json"
    kept = tmp_path / "production-db-20260102T000000Z.sql.zst.age"
    for path in (live, dead, orphan, kept, kept.with_name(kept.name + ".json")):
        path.write_bytes(b"")
    assert leftovers(tmp_path) == [dead, orphan]
