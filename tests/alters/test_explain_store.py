from __future__ import annotations

import json
from pathlib import Path

from release.alters.explain_store import (
    Explained,
    parse_explained,
    read_explained,
    record_explained,
)


def test_recorded_answers_are_merged_and_read_back(tmp_path: Path) -> None:
    record_explained(tmp_path, {"a" * 64: Explained("INSTANT", "NONE", "qa", "10.11.6")})
    target = record_explained(tmp_path, {"b" * 64: Explained("COPY", "SHARED")})
    assert json.loads(target.read_text())["format"] == 1
    found = read_explained(tmp_path)
    assert found["a" * 64].online and not found["b" * 64].online
    assert Explained("INPLACE", "NONE").online and not Explained("INPLACE", "SHARED").online


def test_malformed_entries_and_damaged_files_are_ignored(tmp_path: Path) -> None:
    assert parse_explained({"statements": {"k": {"algorithm": "FAST", "lock": "NONE"},
                                           "j": "COPY"}}) == {}
    assert parse_explained([1, 2]) == {}
    (tmp_path / "explain.json").write_text("{not json")
    assert read_explained(tmp_path) == {} and read_explained(None) == {}
