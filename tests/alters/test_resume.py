from __future__ import annotations

import json
from pathlib import Path

import pytest

from release.alters.parse import Resume, parse_alters
from release.alters.resume import common_prefix, from_json, outline, resume_point, to_json
from release.demo import sample
from release.errors import Damaged

MIXED = (
    "-- a note before anything\n"
    "SELECT 1;\n"
    "-- alter: first\n-- author: ann\n-- online: gh-ost\n"
    "ALTER TABLE t ADD c int NULL;\n"
    "# add by bob 20240101 legacy one\n"
    "UPDATE t SET c = 1 WHERE id = 2;\n"
    "-- add by bob 20240101 legacy two\n"
    "DELIMITER $$\n"
    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.c = 1;\nEND$$\n"
    "-- alter: after-trigger\n"
    "SELECT 2$$\n"
    "DELIMITER ;\n"
    "-- alter: first\n"
    "SELECT 3; /* a comment; with a delimiter */\n"
    "-- add by bob 20240101 legacy three\n"
    "DROP TABLE x;\n"
)


def test_resuming_at_any_header_gives_the_same_blocks_as_a_whole_parse() -> None:
    for text in (MIXED, sample.alters_sql().replace("BEGIN;", "", 1)):
        assert_resumes_like_a_whole_parse(text)


def test_resuming_the_client_file_gives_the_same_blocks(client_files: Path) -> None:
    assert_resumes_like_a_whole_parse(
        (client_files / "alters.sql").read_text().replace("BEGIN;", "", 1))


def assert_resumes_like_a_whole_parse(text: str) -> None:
    whole = parse_alters(text, "a.sql")
    for index, block in enumerate(whole.blocks):
        if block.offset is None:
            continue
        before = tuple((b.id, b.line) for b in whole.blocks[:index])
        tail = parse_alters(text, "a.sql", resume=Resume(block.offset, block.delimiter,
                                                          before))
        assert tail.blocks == whole.blocks[index:]
        assert [b.checksum for b in tail.blocks] == [
            b.checksum for b in whole.blocks[index:]]
        assert tail.problems == tuple(p for p in whole.problems if p.line >= block.line)


def test_mixed_file_ids_and_duplicate() -> None:
    whole = parse_alters(MIXED, "a.sql")
    assert [b.id for b in whole.blocks][1:] == [
        "first", "20240101-bob-1", "20240101-bob-2", "after-trigger", "first",
        "20240101-bob-3"]
    assert [(p.code, p.line) for p in whole.problems] == [("AL040", 17)]


def test_appending_a_block_resumes_at_the_last_one() -> None:
    head = MIXED
    head_outline = outline(parse_alters(head, "a.sql"))
    shipped = {m.id for m in head_outline.marks}
    text = head + "-- alter: new\nDROP TABLE y;\n"
    point = resume_point(head_outline, head, text, shipped)
    assert point is not None
    resume, settled, _ = point
    assert [m.id for m in settled] == [m.id for m in head_outline.marks[:-1]]
    assert resume.offset == head_outline.marks[-1].offset
    tail = parse_alters(text, "a.sql", resume=resume)
    assert [b.id for b in tail.blocks] == ["20240101-bob-3", "new"]


def test_an_edit_stops_the_shortcut_where_it_is() -> None:
    head = MIXED
    head_outline = outline(parse_alters(head, "a.sql"))
    shipped = {m.id for m in head_outline.marks}
    edited = head.replace("UPDATE t SET c = 1", "UPDATE t SET c = 2")
    point = resume_point(head_outline, head, edited, shipped)
    assert point is not None
    assert [m.id for m in point[1]] == [head_outline.marks[0].id, "first"]
    # a changed header line of the next block unsettles the block before it too
    renamed = head.replace("-- alter: after-trigger", "-- later: after-trigger")
    point = resume_point(head_outline, head, renamed, shipped)
    assert point is not None
    assert point[0].offset == head_outline.marks[3].offset


def test_no_shortcut_for_pending_blocks_a_wrapper_or_empty_prefixes() -> None:
    head = MIXED
    head_outline = outline(parse_alters(head, "a.sql"))
    assert resume_point(head_outline, head, head + "SELECT 9;\n", set()) is None
    wrapped = "BEGIN;\n-- alter: a\nDROP TABLE x;\n-- alter: b\nSELECT 1;\nCOMMIT;\n"
    wrapped_outline = outline(parse_alters(wrapped, "a.sql"))
    assert wrapped_outline.begins
    assert resume_point(wrapped_outline, wrapped, wrapped, {"a", "b"}) is None
    empty_first = "-- alter: a\n-- alter: b\nSELECT 1;\n-- alter: c\nSELECT 2;\n"
    empty_outline = outline(parse_alters(empty_first, "a.sql"))
    point = resume_point(empty_outline, empty_first, empty_first, {"a", "b", "c"})
    assert point is not None and [m.id for m in point[1]] == ["a", "b"]
    assert resume_point(empty_outline, empty_first, empty_first, {"a"}) is None


def test_common_prefix() -> None:
    assert common_prefix("abcdef", "abcxef") == 3
    assert common_prefix("abc", "abc") == 3
    assert common_prefix("", "abc") == 0
    assert common_prefix("abc", "abcdef") == 3


def test_a_stored_outline_reads_back_as_it_was() -> None:
    found = outline(parse_alters(MIXED, "a.sql"))
    assert from_json(json.loads(json.dumps(to_json(found))), where="cache") == found


def test_a_damaged_stored_outline_is_reported_with_where_it_was_kept() -> None:
    stored = to_json(outline(parse_alters(MIXED, "a.sql")))
    stored["marks"][0][2] = "three"
    with pytest.raises(Damaged) as caught:
        from_json(stored, where=".git/stagecraft/cache.sqlite3: outline of a.sql at HEAD")
    assert caught.value.message.startswith(
        ".git/stagecraft/cache.sqlite3: outline of a.sql at HEAD: damaged: marks[0][2]: "
        "expected an integer, got a string ('three')")
    assert "Delete it" in caught.value.message
