"""The manifest beside a dump: written atomically 0600, checked when read."""

from __future__ import annotations

import json
import stat
from dataclasses import asdict
from pathlib import Path

import pytest

from release.db.backups.folder import listed
from release.db.backups.manifest import Manifest, checksum_path, manifest_path, read, write
from release.errors import Damaged

MANIFEST = Manifest(environment="production", database="mhlogin", server_version="10.11.6",
                    started_at="2026-01-02T00:00:00+00:00",
                    finished_at="2026-01-02T00:10:00+00:00", sha256="0" * 64, size=10,
                    plaintext_bytes=40, rows_estimate={"auth_user": 12},
                    tool_versions={"dump": "10.11.6"}, options=["--single-transaction"])


def test_a_written_manifest_reads_back_and_is_private(tmp_path: Path) -> None:
    dump = tmp_path / "production-mhlogin-20260102T000000Z.sql.zst.age"
    write(dump, MANIFEST)
    assert read(dump) == MANIFEST
    assert checksum_path(dump).read_text() == f"{'0' * 64}  {dump.name}\n"
    for path in (manifest_path(dump), checksum_path(dump)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [dump.name + ".json", dump.name + ".sha256"])  # no partial file left behind


def test_no_manifest_is_none(tmp_path: Path) -> None:
    assert read(tmp_path / "x.sql.zst.age") is None


@pytest.mark.parametrize(("change", "problem"), [
    (lambda data: data.update(size="10"), "size: expected an integer, got a string ('10')"),
    (lambda data: data.pop("sha256"), "sha256: required value is missing"),
    (lambda data: data["rows_estimate"].update(auth_user=None),
     "rows_estimate.auth_user: expected an integer"),
])
def test_a_damaged_manifest_is_reported_by_its_path(tmp_path: Path, change: object,
                                                    problem: str) -> None:
    dump = tmp_path / "production-mhlogin-20260102T000000Z.sql.zst.age"
    dump.write_bytes(b"")
    write(dump, MANIFEST)
    data = asdict(MANIFEST)
    change(data)  # type: ignore[operator]
    manifest_path(dump).write_text(json.dumps(data))
    for attempt in (lambda: read(dump), lambda: listed(tmp_path)):
        with pytest.raises(Damaged) as caught:
            attempt()
        message = caught.value.message
        assert message.startswith(f"{manifest_path(dump)}: damaged: ") and problem in message
        assert f"move {dump.name} and its .sha256 and .json files out" in message
        assert caught.value.exit_code == 1


def test_a_manifest_that_is_not_json_is_damaged(tmp_path: Path) -> None:
    dump = tmp_path / "qa-qatest-20260102T000000Z.sql.zst.age"
    manifest_path(dump).write_text('{"environment": "qa", ')
    with pytest.raises(Damaged, match=r"\.json: damaged: not valid JSON"):
        read(dump)
