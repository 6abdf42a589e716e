from __future__ import annotations

import json
from pathlib import Path

from release.alters.table_stats import merged, remember


def test_merged_keeps_the_largest_size_seen_in_any_environment() -> None:
    assert merged({"qa": {"t": 10, "u": 5}, "production": {"t": 2_000_000}}) == {
        "t": 2_000_000, "u": 5}


def test_remember_keeps_each_environment_and_rewrites_the_merged_file(tmp_path: Path) -> None:
    remember(tmp_path, "production", {"big": 5_000_000})
    target = remember(tmp_path, "qa", {"big": 100, "small": 3})
    assert json.loads(target.read_text()) == {"big": 5_000_000, "small": 3}
    assert json.loads((tmp_path / "table-stats-qa.json").read_text()) == {"big": 100, "small": 3}


def test_a_damaged_snapshot_is_ignored_until_refreshed(tmp_path: Path) -> None:
    (tmp_path / "table-stats-old.json").write_text("{not json")
    target = remember(tmp_path, "qa", {"t": 1})
    assert json.loads(target.read_text()) == {"t": 1}


def test_the_last_server_seen_picks_the_dialect(tmp_path: Path) -> None:
    from release.alters.table_stats import recorded_dialect

    assert recorded_dialect(tmp_path) is None
    remember(tmp_path, "qa", {"t": 1})  # no server string: nothing recorded
    assert recorded_dialect(tmp_path) is None
    remember(tmp_path, "qa", {"t": 1}, server="10.11.6-MariaDB-0+deb12u1")
    assert recorded_dialect(tmp_path) == "mariadb"
    (tmp_path / "server-production.json").write_text(
        '{"version": "8.0.36", "seen": "2999-01-01T00:00:00+00:00"}')
    assert recorded_dialect(tmp_path) == "mysql"
    (tmp_path / "server-production.json").write_text("{damaged")
    assert recorded_dialect(tmp_path) == "mariadb"
