from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from release.alters.pi_rules import push_instruction_findings
from release.alters.push_instructions import parse_push_instructions
from release.demo import sample

TODAY = datetime.date(2024, 6, 1)
HEADER = "Push instructions\n-=-=-\n\n"


def codes(text: str, pending: int | None = 1, new: set[int] | None = None) -> list[str]:
    parsed = parse_push_instructions(text)
    found = push_instruction_findings("p.txt", text, parsed, today=TODAY, new_entries=new,
                                      pending_blocks=pending)
    return [f.code for f in found]


def test_sample_file_passes() -> None:
    text = sample.push_instructions()
    found = push_instruction_findings("p.txt", text, parse_push_instructions(text),
                                      today=datetime.date(2026, 1, 5), new_entries=None,
                                      pending_blocks=1)
    assert found == []


def test_client_file_passes(client_files: Path) -> None:
    text = (client_files / "production_push_instructions.txt").read_text()
    assert codes(text) == []


@pytest.mark.parametrize(("code", "text"), [
    ("PI001", "2024-01-01: ann, do it\n"),
    ("PI002", HEADER + "2024-01-01: ann, do it\nunindented junk\n"),
    ("PI002", HEADER + "2024-01-01 ann do it\n"),
    ("PI003", HEADER + "2024-06-02: ann, tomorrow\n"),
    ("PI004", HEADER + "2024-01-02: ann, a\n2024-01-01: bob, b\n"),
    ("PI005", HEADER + "2024-01-02: ann,\n"),
    ("PI006", HEADER + "2024-01-02: ann, run\n    $ mysqldump -uroot -phunter2 db > x.sql\n"),
    ("PI006", HEADER + "2024-01-02: ann, set password=hunter2 in settings\n"),
    ("PI006", HEADER + "2024-01-02: ann, key AKIAABCDEFGHIJKLMNOP\n"),
    ("PI006", HEADER + "2024-01-02: ann, sid AC0123456789abcdef0123456789abcdef\n"),
    ("PI007", HEADER + "2024-01-02: ann, please run alters.sql\n"),
])
def test_rule_triggers(code: str, text: str) -> None:
    assert code in codes(text, pending=0)


@pytest.mark.parametrize(("code", "text"), [
    ("PI003", HEADER + "2024-06-01: ann, today\n"),
    ("PI004", HEADER + "2024-01-01: ann, a\n2024-01-01: bob, b\n"),
    ("PI005", HEADER + "2024-01-02: ann,\n    1. the steps are below\n"),
    ("PI006", HEADER + "2024-01-02: ann, run\n    $ mysql -u root -p db\n"),
    ("PI006", HEADER + "2024-01-02: ann, create_resetkeys <admin password>\n"),
    ("PI006", HEADER + "2024-01-02: ann, mkdir -p /var/x\n"),
])
def test_rule_stays_silent(code: str, text: str) -> None:
    assert code not in codes(text)


def test_run_alters_needs_a_pending_block_only_in_new_entries() -> None:
    text = HEADER + "2024-01-02: ann, run alters.sql\n"
    assert codes(text, pending=1) == []
    assert codes(text, pending=0) == ["PI007"]
    assert codes(text, pending=0, new=set()) == []
    assert codes(text, pending=None) == []
