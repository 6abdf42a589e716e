"""Which alters blocks and push-instruction entries ship with a release."""

from __future__ import annotations

from release.alters.findings import Finding
from release.alters.parse import parse_alters
from release.alters.push_instructions import parse_push_instructions
from release.docs.pending import new_entries, outside_blocks, pending_blocks

SHIPPED = "-- alter: one\nALTER TABLE t ADD COLUMN a INT NULL;\n"
CURRENT = SHIPPED + "\n-- alter: two\n-- author: bob\nALTER TABLE t ADD COLUMN b INT NULL;\n"


def test_blocks_in_the_previous_release_are_not_pending() -> None:
    blocks = pending_blocks(parse_alters(CURRENT, "alters.sql"),
                            parse_alters(SHIPPED, "alters.sql"), [])
    assert [(b.id, b.author, b.line) for b in blocks] == [("two", "bob", 4)]
    assert blocks[0].statements[0].text == "ALTER TABLE t ADD COLUMN b INT NULL;"


def test_a_shipped_block_edited_since_is_pending_again_and_reformatting_is_not() -> None:
    edited = CURRENT.replace("COLUMN a INT", "COLUMN a BIGINT")
    reformatted = CURRENT.replace("ALTER TABLE t ADD COLUMN a", "ALTER TABLE t\n  ADD COLUMN a")
    shipped = parse_alters(SHIPPED, "alters.sql")
    assert [b.id for b in pending_blocks(parse_alters(edited, "a"), shipped, [])] == ["one", "two"]
    assert [b.id for b in pending_blocks(parse_alters(reformatted, "a"), shipped, [])] == ["two"]


def test_trimming_shipped_blocks_out_changes_nothing_and_no_previous_means_all() -> None:
    trimmed = CURRENT[len(SHIPPED):]
    shipped = parse_alters(SHIPPED, "alters.sql")
    assert [b.id for b in pending_blocks(parse_alters(trimmed, "a"), shipped, [])] == ["two"]
    assert [b.id for b in pending_blocks(parse_alters(CURRENT, "a"), None, [])] == ["one", "two"]


def test_findings_go_to_the_block_on_whose_lines_they_are() -> None:
    text = "BEGIN;\n" + CURRENT + "COMMIT;\n"
    current = parse_alters(text, "alters.sql")
    findings = [Finding("alters.sql", 1, 1, "AL002", "wrapper"),
                Finding("alters.sql", 7, 1, "AL030", "no ALGORITHM")]
    blocks = pending_blocks(current, None, findings)
    assert [f.code for f in blocks[1].findings] == ["AL030"] and not blocks[0].findings
    assert [f.code for f in outside_blocks(current, findings)] == ["AL002"]


HEADER = "Push instructions\n-----\n\n"


def test_new_entries_are_those_not_in_the_previous_release_file() -> None:
    old = HEADER + "2026-01-05: ann, restart the worker\n"
    new = old + "2026-01-05: bob, same day but added later\n2026-02-01: ann, rebuild\n    index\n"
    entries = new_entries(parse_push_instructions(new), parse_push_instructions(old))
    assert [(e.date, e.author, e.text) for e in entries] == [
        ("2026-01-05", "bob", "same day but added later"), ("2026-02-01", "ann", "rebuild\nindex")]
    assert len(new_entries(parse_push_instructions(new), None)) == 3


def test_each_statement_carries_what_the_server_said_when_explain_asked_it() -> None:
    from release.alters.explain_store import Explained
    from release.alters.ledger_plan import statement_checksum

    current = parse_alters(CURRENT + "ALTER TABLE t MODIFY b BIGINT NULL;\n", "alters.sql")
    instant, copy = current.blocks[1].statements
    explained = {statement_checksum(instant): Explained("INSTANT", "NONE", "production",
                                                        rows=1_200_000),
                 statement_checksum(copy): Explained("COPY", "SHARED", "production")}
    (block,) = pending_blocks(current, parse_alters(SHIPPED, "alters.sql"), [], explained)
    said = [s.server for s in block.statements]
    assert said[0] == ("the server on production (1,200,000 rows) said ALGORITHM=INSTANT, "
                       "LOCK=NONE: writes go on")
    assert "ALGORITHM=COPY" in said[1] and "BLOCKS WRITES" in said[1]
    (unasked,) = pending_blocks(current, parse_alters(SHIPPED, "alters.sql"), [])
    assert [s.server for s in unasked.statements] == ["", ""]
