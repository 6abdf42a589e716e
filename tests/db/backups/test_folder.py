from __future__ import annotations

from pathlib import Path

from release.db.backups import manifest as manifests
from release.db.backups.folder import WORK_PREFIX, Backup, leftovers, listed, to_prune
from release.db.backups.manifest import SUFFIXES, Manifest


def _backup(env: str, n: int, kind: str = "logical") -> Backup:
    manifest = Manifest(environment=env, database="db", server_version="x",
                        started_at=f"2026-01-{n:02d}T00:00:00+00:00",
                        finished_at=f"2026-01-{n:02d}T00:10:00+00:00", sha256="0" * 64,
                        size=1, plaintext_bytes=1, rows_estimate={}, tool_versions={},
                        kind=kind)
    return Backup(Path(f"{env}-{n}{SUFFIXES[kind]}"), manifest)


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


def test_prune_keeps_the_newest_of_each_kind_apart() -> None:
    found = [_backup("production", 9, "physical"), _backup("production", 8),
             _backup("production", 7, "physical"), _backup("production", 6, "physical"),
             _backup("production", 5)]
    assert [b.path.name for b in to_prune(found, keep=2)] == ["production-6.xb.zst.age"]


def test_both_kinds_are_listed_and_a_killed_physical_backup_leaves_leftovers(
        tmp_path: Path) -> None:
    for backup in (_backup("production", 3), _backup("production", 4, "physical")):
        path = tmp_path / backup.path.name
        path.write_bytes(b"")
        manifests.write(path, backup.manifest)
    assert [b.path.name for b in listed(tmp_path)] == ["production-4.xb.zst.age",
                                                        "production-3.sql.zst.age"]
    work = tmp_path / f"{WORK_PREFIX}999999999-abc"
    work.mkdir()
    partial = tmp_path / ".production-5.xb.zst.age.999999999.partial"
    partial.write_bytes(b"")
    assert leftovers(tmp_path) == [partial, work]
