"""The record of baselined blocks: added to per environment, read per file, damage named."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.alters.baselined import FILE, remember, shipped_pairs
from release.errors import Failed


def test_each_environment_adds_and_any_one_counts(tmp_path: Path) -> None:
    remember(tmp_path, "production", [("alters.sql", "a", "c1"), ("alters_de.sql", "x", "c9")])
    remember(tmp_path, "qa", [("alters.sql", "b", "c2")])
    remember(tmp_path, "qa", [("alters.sql", "a", "c1")])
    assert shipped_pairs(tmp_path, "alters.sql") == {("a", "c1"), ("b", "c2")}
    assert shipped_pairs(tmp_path, "alters_de.sql") == {("x", "c9")}
    assert shipped_pairs(tmp_path / "none", "alters.sql") == frozenset()
    assert oct((tmp_path / FILE).stat().st_mode & 0o777) == "0o600"


def test_a_damaged_record_is_named_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / FILE).write_text('{"qa": ["a"]}')
    with pytest.raises(Failed, match=f"{tmp_path / FILE}: damaged .* alters.baseline again"):
        shipped_pairs(tmp_path, "alters.sql")
