from __future__ import annotations

import datetime
from pathlib import Path

from release.alters.push_instructions import parse_push_instructions
from release.demo import sample


def test_sample_file_header_and_entries() -> None:
    parsed = parse_push_instructions(sample.push_instructions())
    assert parsed.header.startswith("Pagewell Production Push Instructions")
    assert parsed.header_lines == 14
    assert [(e.date, e.author, e.line) for e in parsed.entries] == [
        (datetime.date(2023, 5, 3), "mpatel", 15), (datetime.date(2023, 6, 19), "jlee", 21),
        (datetime.date(2025, 11, 20), "jlee", 22), (datetime.date(2025, 12, 4), "mpatel", 23),
    ]
    assert "python manage.py rebuild_retry_queue" in parsed.entries[0].text
    assert parsed.malformed == ()


def test_client_file_header_and_entries(client_files: Path) -> None:
    parsed = parse_push_instructions(
        (client_files / "production_push_instructions.txt").read_text())
    assert parsed.header.startswith("DoctorCom Production Push Instructions")
    assert parsed.header_lines == 16
    assert [(e.date, e.author, e.line) for e in parsed.entries] == [
        (datetime.date(2013, 7, 28), "KurtV", 17),
        (datetime.date(2013, 8, 11), "KurtV", 33),
        (datetime.date(2013, 8, 12), "xlin", 34),
    ]
    assert "python manage.py create_userkeys" in parsed.entries[0].text
    assert parsed.entries[2].text == "add field title in MHLUsers_mhluser,please run alters.sql"
    assert parsed.malformed == ()


def test_unindented_junk_and_bad_dates_are_malformed() -> None:
    text = "Header\n\n2024-01-02: ann, ok\nnot indented\n2024-02-30: bob, x\n2024-03-01 bob x\n"
    parsed = parse_push_instructions(text)
    assert [e.line for e in parsed.entries] == [3]
    assert [m.line for m in parsed.malformed] == [4, 5, 6]


def test_file_starting_with_an_entry_has_no_header() -> None:
    parsed = parse_push_instructions("2024-01-02: ann, ok\n")
    assert (parsed.header, parsed.header_lines, len(parsed.entries)) == ("", 0, 1)
