from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.alters.explain_store import Explained, read_explained, record_explained
from release.errors import Damaged


def test_recorded_answers_are_merged_and_read_back(tmp_path: Path) -> None:
    record_explained(tmp_path, {"a" * 64: Explained("INSTANT", "NONE", "qa", "10.11.6")})
    target = record_explained(tmp_path, {"b" * 64: Explained("COPY", "SHARED")})
    assert json.loads(target.read_text())["format"] == 1
    found = read_explained(tmp_path)
    assert found["a" * 64].online and not found["b" * 64].online
    assert Explained("INPLACE", "NONE").online and not Explained("INPLACE", "SHARED").online


def test_no_file_or_no_folder_means_no_answers(tmp_path: Path) -> None:
    assert read_explained(tmp_path) == {} and read_explained(None) == {}


@pytest.mark.parametrize(("text", "problem"), [
    ("{not json", "not valid JSON"),
    ('{"statements": {"k": {"algorithm": "FAST", "lock": "NONE"}}}',
     "statements.k.algorithm: expected one of INSTANT, NOCOPY, INPLACE, COPY, got 'FAST'"),
    ('{"statements": {"j": "COPY"}}', "statements.j: expected an object, got a string"),
    ("[1, 2]", "expected an object, got a list"),
])
def test_a_damaged_file_is_reported_by_its_path_and_never_half_used(
        tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "explain.json").write_text(text)
    for attempt in (lambda: read_explained(tmp_path),
                    lambda: record_explained(tmp_path, {"a": Explained("COPY", "SHARED")})):
        with pytest.raises(Damaged) as caught:
            attempt()
        assert f"{tmp_path / 'explain.json'}: damaged: " in caught.value.message
        assert problem in caught.value.message and "Delete it" in caught.value.message
        assert caught.value.exit_code == 1
    assert (tmp_path / "explain.json").read_text() == text
