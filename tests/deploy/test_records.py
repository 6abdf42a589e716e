"""The audit record's JSON line: written, read back, and a damaged one named by its line."""

from __future__ import annotations

import json

import pytest

from release.deploy.records import DEPLOYED, Record, parse_lines
from release.errors import Damaged

RECORD = Record(deploy_id="d1", action="deploy", environment="qa", who="ann@box",
                when="2026-05-01T10:00:00+00:00", host="local", path="/srv/qa", from_sha="a" * 40,
                to_ref="staging", to_sha="b" * 40, result=DEPLOYED, backups=("qa-1.sql.zst.age",),
                alters=("2026-greeting",))


def test_a_record_reads_back_as_it_was_written() -> None:
    assert parse_lines(RECORD.line() + "\n", where="log") == [RECORD]


def test_keys_of_a_newer_version_are_skipped_and_missing_optional_ones_take_defaults() -> None:
    data = RECORD.to_json()
    del data["checklist"], data["backups"]
    data["rolled_by_robot"] = True
    [found] = parse_lines(json.dumps(data) + "\n", where="log")
    assert found.backups == () and found.checklist == "" and found.alters == RECORD.alters


def test_a_torn_last_line_is_a_killed_append_and_is_skipped() -> None:
    text = RECORD.line() + "\n" + RECORD.line()[:30]
    assert parse_lines(text, where="log") == [RECORD]


@pytest.mark.parametrize(("line", "problem"), [
    ('{"deploy_id": "d2"', "not valid JSON"),
    (json.dumps({**RECORD.to_json(), "to_sha": 7}), "to_sha: expected a string, got an integer"),
    (json.dumps({k: v for k, v in RECORD.to_json().items() if k != "host"}),
     "host: required value is missing"),
])
def test_a_damaged_complete_line_is_reported_with_its_place(line: str, problem: str) -> None:
    text = RECORD.line() + "\n" + line + "\n" + RECORD.line() + "\n"
    with pytest.raises(Damaged) as caught:
        parse_lines(text, where="web1:/srv/qa/.git/stagecraft/deploys.jsonl")
    message = caught.value.message
    assert message.startswith("web1:/srv/qa/.git/stagecraft/deploys.jsonl:2: damaged: ")
    assert problem in message and "move the damaged one aside" in message
    assert caught.value.exit_code == 1
