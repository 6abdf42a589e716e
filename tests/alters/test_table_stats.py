from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.alters.table_stats import merged, read_table_stats, recorded_dialect, remember
from release.errors import ConfigError, Damaged


def test_merged_keeps_the_largest_size_seen_in_any_environment() -> None:
    assert merged({"qa": {"t": 10, "u": 5}, "production": {"t": 2_000_000}}) == {
        "t": 2_000_000, "u": 5}


def test_remember_keeps_each_environment_and_rewrites_the_merged_file(tmp_path: Path) -> None:
    remember(tmp_path, "production", {"big": 5_000_000})
    target = remember(tmp_path, "qa", {"big": 100, "small": 3})
    assert json.loads(target.read_text()) == {"big": 5_000_000, "small": 3}
    assert json.loads((tmp_path / "table-stats-qa.json").read_text()) == {"big": 100, "small": 3}


def test_refreshing_an_environment_replaces_its_damaged_snapshot(tmp_path: Path) -> None:
    (tmp_path / "table-stats-qa.json").write_text("{not json")
    target = remember(tmp_path, "qa", {"t": 1})
    assert json.loads(target.read_text()) == {"t": 1}


def test_another_environments_damaged_snapshot_is_reported_by_its_path(tmp_path: Path) -> None:
    (tmp_path / "table-stats-old.json").write_text('{"t": "many"}')
    with pytest.raises(Damaged) as caught:
        remember(tmp_path, "qa", {"t": 1})
    message = caught.value.message
    assert f"{tmp_path / 'table-stats-old.json'}: damaged: t: expected an integer" in message
    assert "invoke alters.status --env old" in message and caught.value.exit_code == 1


def test_the_last_server_seen_picks_the_dialect(tmp_path: Path) -> None:
    assert recorded_dialect(tmp_path) is None
    remember(tmp_path, "qa", {"t": 1})  # no server string: nothing recorded
    assert recorded_dialect(tmp_path) is None
    remember(tmp_path, "qa", {"t": 1}, server="10.11.6-MariaDB-0+deb12u1")
    assert recorded_dialect(tmp_path) == "mariadb"
    (tmp_path / "server-production.json").write_text(
        '{"version": "8.0.36", "seen": "2999-01-01T00:00:00+00:00"}')
    assert recorded_dialect(tmp_path) == "mysql"
    (tmp_path / "server-production.json").write_text("{damaged")
    with pytest.raises(Damaged, match=r"server-production\.json: damaged: not valid JSON"):
        recorded_dialect(tmp_path)


def test_the_default_stats_file_is_state_and_a_chosen_one_is_usage(tmp_path: Path) -> None:
    stats = tmp_path / "table-stats.json"
    assert read_table_stats(stats, chosen=False) == {}
    stats.write_text('{"big": 2000000}')
    assert read_table_stats(stats, chosen=True) == {"big": 2_000_000}
    stats.write_text('{"big": true}')
    with pytest.raises(Damaged, match=r"table-stats\.json: damaged: big: expected an integer"):
        read_table_stats(stats, chosen=False)
    with pytest.raises(ConfigError, match=r"table stats must be a JSON object .*big: expected"):
        read_table_stats(stats, chosen=True)
    with pytest.raises(ConfigError, match=r"cannot read the table stats"):
        read_table_stats(tmp_path / "missing.json", chosen=True)
