"""The progress record: what each step produced kept as fields, validated when read, a damaged
file named by its path, and records written before those fields still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.errors import Failed
from release.runbook.progress import (
    AUTOMATED,
    DONE,
    FORMAT,
    Kept,
    Progress,
    StepRecord,
    load,
    path_for,
    save,
)


def record(**fields: object) -> StepRecord:
    return StepRecord.model_validate({"status": DONE, "who": "ann@box", "when": "2026-12-05",
                                      "how": AUTOMATED, **fields})


def test_what_the_steps_produced_survives_a_save_and_a_load(tmp_path: Path) -> None:
    path = path_for(tmp_path, "release-2026.12.05.1", "qa")
    kept = Kept(path, Progress(release="release-2026.12.05.1", environment="qa", sha="a" * 40,
                               started="2026-12-05T10:00:00+00:00"))
    kept.record("backup-before", record(note="/b/before", backups=("/b/before",)))
    kept.record("alters", record(note="applied b1#1, b2#1", statements=("b1#1", "b2#1")))
    kept.record("backup-after", record(note="/b/after", backups=("/b/after",)))
    again = load(path)
    assert again == kept.state and path.parent == tmp_path / "stagecraft" / "runs"
    assert again.produced("backup-before", "backup-after").backups == ("/b/before", "/b/after")
    assert again.produced("alters").statements == ("b1#1", "b2#1")
    assert json.loads(path.read_text())["format"] == FORMAT


def test_an_answer_by_a_person_produces_nothing(tmp_path: Path) -> None:
    state = Progress(release="r", environment="qa", started="now").with_step(
        "backup-before", record(how="answered at the terminal", backups=("/b/x",)))
    assert state.produced("backup-before").backups == ()


def test_a_missing_record_is_none(tmp_path: Path) -> None:
    assert load(tmp_path / "nothing.json") is None


@pytest.mark.parametrize(("text", "said"), [
    ("{not json", "not JSON"),
    ('{"release": "r", "environment": "qa", "started": "s", "format": 2, '
     '"steps": {"alters": {"status": "half", "who": "a", "when": "w", "how": "h"}}}',
     "steps.alters.status"),
    ('{"environment": "qa", "started": "s", "format": 2}', "release: Field required"),
])
def test_a_damaged_record_is_named_by_its_path(tmp_path: Path, text: str, said: str) -> None:
    path = tmp_path / "r-qa.json"
    path.write_text(text)
    with pytest.raises(Failed) as failed:
        load(path)
    assert str(path) in failed.value.message and said in failed.value.message
    assert "move it away" in failed.value.message and failed.value.exit_code == 1


def test_a_record_written_before_format_2_is_read_with_what_its_steps_produced(
        tmp_path: Path) -> None:
    old = {"release": "r", "environment": "qa", "sha": "s", "started": "t", "completed": "",
           "checklist": [], "steps": {
               "backup-before": {"status": "done", "who": "a", "when": "w", "how": AUTOMATED,
                                 "note": "/b/before"},
               "alters": {"status": "done", "who": "a", "when": "w", "how": AUTOMATED,
                          "note": "applied b1#1, b2#1"},
               "review": {"status": "skipped", "who": "a", "when": "w",
                          "how": "answered at the terminal", "note": "read yesterday"}}}
    path = tmp_path / "r-qa.json"
    path.write_text(json.dumps(old))
    state = load(path)
    assert state is not None
    assert state.produced("alters").statements == ("b1#1", "b2#1")
    assert state.produced("backup-before").backups == ("/b/before",)
    assert state.steps["review"].note == "read yesterday"
    save(path, state)
    assert load(path) == state
