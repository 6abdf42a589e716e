from __future__ import annotations

from pathlib import Path

from release.alters.cache import Cache


def test_values_come_back_by_key_in_their_table(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "stagecraft")
    cache.put("al001", {"a": [[1, 2, "bad"]], "b": []})
    cache.put("outline", {"a": {"marks": []}})
    assert cache.get("al001", ["a", "b", "missing"]) == {"a": [[1, 2, "bad"]], "b": []}
    assert cache.get("outline", ["a"]) == {"a": {"marks": []}}
    assert (tmp_path / "stagecraft" / "cache.sqlite3").is_file()


def test_a_later_put_replaces_the_value(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("t", {"k": 1})
    cache.put("t", {"k": 2})
    assert Cache(tmp_path).get("t", ["k"]) == {"k": 2}


def test_many_keys_are_read_in_chunks(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    items = {f"key{n}": n for n in range(1_234)}
    cache.put("t", items)
    assert cache.get("t", list(items)) == items


def test_no_folder_or_no_file_is_an_empty_cache(tmp_path: Path) -> None:
    Cache(None).put("t", {"k": 1})
    assert Cache(None).get("t", ["k"]) == {}
    assert Cache(tmp_path).get("t", ["k"]) == {}
    assert not (tmp_path / "cache.sqlite3").exists()


def test_a_damaged_cache_only_costs_the_work_again(tmp_path: Path) -> None:
    (tmp_path / "cache.sqlite3").write_bytes(b"not a database")
    cache = Cache(tmp_path)
    cache.put("t", {"k": 1})
    assert cache.get("t", ["k"]) == {}
    assert Cache(tmp_path / "file-not-folder" / "x").get("t", ["k"]) == {}
