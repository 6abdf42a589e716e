from __future__ import annotations

from pathlib import Path

from release.alters.parse import MALFORMED, AltersFile, parse_alters
from release.demo import sample


def parse(text: str) -> AltersFile:
    return parse_alters(text, "alters.sql")


def test_sample_file_blocks_come_from_legacy_then_stagecraft_headers() -> None:
    parsed = parse(sample.alters_sql())
    assert parsed.problems == ()
    assert parsed.wrapper == (1, 33)
    assert [block.id for block in parsed.blocks] == [
        "20230412-kchen-1", "20230503-mpatel-1", "20230503-kchen-1", "20230619-jlee-1",
        "20230619-mpatel-1", "20230802-kchen-1", "2025-11-provider-languages",
        "2025-12-optout-source",
    ]
    hashed = parsed.blocks[1]      # a `#` legacy header
    assert (hashed.author, hashed.date, hashed.header_line) == ("mpatel", "20230503", 6)
    assert hashed.description == "index delivery logs by status for the retry job"
    languages = parsed.blocks[6]
    assert (languages.author, languages.ticket, languages.line) == ("jlee", "PW-412", 23)
    assert [s.kind for s in parsed.blocks[4].statements] == ["dml"]
    assert sum(len(b.statements) for b in parsed.blocks) == 10
    assert parsed.blocks[3].statements[1].text.startswith("aLTER TABLE")


def test_client_file_blocks_come_from_legacy_headers(client_files: Path) -> None:
    parsed = parse_alters((client_files / "alters.sql").read_text(), "alters.sql")
    assert parsed.problems == ()
    assert parsed.wrapper == (1, 45)
    ids = [block.id for block in parsed.blocks]
    assert ids[0].startswith("head-")
    assert ids[1:] == [
        "20130624-xlin-1", "20130624-htian-1", "20130711-mwang-1", "20130715-dlu-1",
        "20130805-dlu-1",
    ]
    xlin = parsed.blocks[1]
    assert (xlin.author, xlin.date, xlin.header_line) == ("xlin", "20130624", 12)
    assert xlin.description == "add MHLUsers_provider fields 'certification'"
    assert [s.line for s in parsed.blocks[0].statements] == [3, 7, 8, 9, 10]
    assert sum(len(b.statements) for b in parsed.blocks) == 27
    assert all(s.kind == "ddl" for b in parsed.blocks for s in b.statements)
    assert parsed.blocks[-1].statements[0].text.startswith("AlTER TABLE")


def test_undated_legacy_header_of_the_german_file(client_files: Path) -> None:
    parsed = parse_alters((client_files / "alters_de.sql").read_text(), "alters_de.sql")
    assert parsed.problems == ()
    assert parsed.wrapper == (1, 9)
    (block,) = parsed.blocks
    assert (block.id, block.author, block.date) == ("undated-mwang-1", "mwang", None)
    assert block.description.startswith("update MHLPractices_organizationtype")
    assert [s.kind for s in block.statements] == ["dml"] * 4


def test_legacy_ids_count_an_authors_blocks_per_day() -> None:
    text = "# add by ann 20240101 one\nSELECT 1;\n-- add by ann 20240101 two\nSELECT 2;\n"
    assert [b.id for b in parse(text).blocks] == ["20240101-ann-1", "20240101-ann-2"]


def test_stagecraft_header_with_metadata() -> None:
    text = (
        "-- alter: add-title\n-- author: ann\n-- ticket: RM-12\n-- online: gh-ost\n"
        "-- adds the title column\nALTER TABLE t ADD COLUMN c int NULL;\n"
    )
    (block,) = parse(text).blocks
    assert (block.id, block.author, block.ticket, block.online) == (
        "add-title", "ann", "RM-12", "gh-ost")
    assert block.description == "adds the title column"
    assert (block.line, block.end_line) == (1, 6)
    assert block.statements[0].line == 6


def test_bad_headers_are_problems() -> None:
    text = (
        "-- alter: a\n-- online: fast\nSELECT 1;\n-- alter: a\nSELECT 2;\n"
        "-- alter: bad id!\n-- add by nobody\n-- add by ann 20241399 x\n"
    )
    problems = parse(text).problems
    assert [(p.code, p.line) for p in problems] == [
        ("AL040", 2), ("AL040", 4), ("AL040", 6), ("AL040", 7), ("AL040", 8)]


def test_statements_split_around_strings_identifiers_and_comments() -> None:
    text = (
        "INSERT INTO t VALUES ('a;b', \"c;\\\"d\", 'it''s');  -- trailing; comment\n"
        "SELECT `we;ird``name` FROM t # hash; comment\n WHERE x = 1 /* block; */;\n"
        "/*!40101 SET NAMES utf8 */;\n"
    )
    (block,) = parse(text).blocks
    assert [s.text for s in block.statements] == [
        "INSERT INTO t VALUES ('a;b', \"c;\\\"d\", 'it''s')",
        "SELECT `we;ird``name` FROM t # hash; comment\n WHERE x = 1",
        "/*!40101 SET NAMES utf8 */",
    ]
    assert [(s.line, s.col) for s in block.statements] == [(1, 1), (2, 1), (4, 1)]
    assert block.statements[2].tokens == ("SET", "NAMES", "utf8")


def test_delimiter_changes_keep_routines_whole() -> None:
    text = (
        "DELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN\n"
        "  SET NEW.a = 1; SET NEW.b = 2;\nEND$$\nDELIMITER ;\nSELECT 1;\n"
    )
    (block,) = parse(text).blocks
    assert len(block.statements) == 2
    assert block.statements[0].text.endswith("END")
    assert block.statements[0].kind == "ddl"
    assert block.statements[1].text == "SELECT 1"


def test_checksum_ignores_comments_and_layout_but_not_edits() -> None:
    base = parse("-- alter: a\nALTER TABLE t ADD c int; -- why\n").blocks[0].checksum
    relaid = parse("-- alter: a\n-- a new comment\nALTER   TABLE t\n  ADD c /* x */ int;\n")
    edited = parse("-- alter: a\nALTER TABLE t ADD c bigint;\n")
    assert relaid.blocks[0].checksum == base
    assert edited.blocks[0].checksum != base


def test_headerless_block_id_derives_from_content() -> None:
    one = parse("SELECT 1;\n").blocks[0].id
    assert one.startswith("head-")
    assert parse("-- note\nSELECT 1;\n").blocks[0].id == one
    assert parse("SELECT 2;\n").blocks[0].id != one


def test_empty_and_comment_only_files_have_no_blocks() -> None:
    for text in ("", "\n\n", "-- just a note\n/* and another */\n# and a third\n"):
        parsed = parse(text)
        assert parsed.blocks == () and parsed.problems == () and parsed.wrapper is None


def test_unterminated_string_and_comment_are_problems_with_a_line() -> None:
    string = parse("SELECT 1;\nSELECT 'oops;\nSELECT 3;\n").problems
    comment = parse("SELECT 1;\n\n  /* never closed\n").problems
    assert [(p.code, p.line, p.col) for p in string] == [("AL001", 2, 8)]
    assert [(p.code, p.line, p.col) for p in comment] == [("AL001", 3, 3)]
    assert "unterminated string" in string[0].message


def test_header_swallowed_by_an_open_statement_is_reported() -> None:
    text = "SELECT 1\n-- add by ann 20240101 x\nSELECT 2;\n"
    assert [(p.code, p.line) for p in parse(text).problems] == [("AL040", 2)]


def test_wrapper_only_when_first_and_last() -> None:
    assert parse("START TRANSACTION;\nUPDATE t SET a=1 WHERE b;\nCOMMIT;\n").wrapper == (1, 3)
    inner = parse("SELECT 1;\nBEGIN;\nUPDATE t SET a=1 WHERE b;\nCOMMIT;\n")
    assert inner.wrapper is None
    assert [s.kind for s in inner.blocks[0].statements] == [
        "other", "transaction", "dml", "transaction"]


def statement_texts(text: str) -> list[str]:
    return [" ".join(s.text.split()) for b in parse(text).blocks for s in b.statements]


def test_compound_statements_without_delimiter_stay_whole() -> None:
    text = (
        "CREATE TRIGGER tr AFTER DELETE ON orders FOR EACH ROW BEGIN\n"
        "  DELETE FROM order_lines WHERE order_id = OLD.id;\n"
        "  IF OLD.total > 0 THEN UPDATE stats SET n = n - 1 WHERE k = 1; END IF;\nEND;\n"
        "outer_block: BEGIN NOT ATOMIC\n  inner: BEGIN SELECT 1; END inner;\nEND outer_block;\n"
        "DECLARE EXIT HANDLER FOR SQLSTATE '23000' BEGIN SELECT 1; END;\n"
        "REPEAT SET @a = @a + 1; UNTIL @a > 5 END REPEAT;\n"
        "WHILE @a < 9 DO SET @a = @a + 1; END WHILE;\n"
        "SELECT 2;\n"
    )
    assert [t.split()[0] for t in statement_texts(text)] == [
        "CREATE", "outer_block:", "DECLARE", "REPEAT", "WHILE", "SELECT"]
    assert statement_texts(text)[0].endswith("END IF; END")


def test_case_expressions_and_end_if_do_not_close_a_block() -> None:
    text = (
        "CREATE EVENT purge ON SCHEDULE EVERY 1 DAY DO BEGIN\n"
        "  SELECT CASE WHEN a THEN IF(b, 1, 2) ELSE 0 END FROM t;\n"
        "  CASE @x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE;\n"
        "  l: LOOP LEAVE l; END LOOP l;\nEND;\nSELECT 3;\n"
    )
    assert len(statement_texts(text)) == 2


def test_a_transaction_begin_is_not_a_block() -> None:
    text = "SELECT 0;\nBEGIN;\nALTER TABLE t ADD `begin` int NULL;\nBEGIN WORK;\nCOMMIT;\n"
    assert statement_texts(text) == [
        "SELECT 0", "BEGIN", "ALTER TABLE t ADD `begin` int NULL", "BEGIN WORK", "COMMIT"]
    assert parse("BEGIN;\nUPDATE t SET a = 1 WHERE b;\nCOMMIT;\n").wrapper == (1, 3)


def test_a_routine_behind_delimiter_is_cut_at_its_delimiter_only() -> None:
    text = "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nSELECT 2;\n"
    (block,) = parse(text).blocks
    assert [s.delimiter for s in block.statements] == ["$$", ";"]


def test_a_header_gone_wrong_never_hands_its_statements_to_the_block_above() -> None:
    applied = "-- alter: 20261201-a\nALTER TABLE t ADD COLUMN a int NULL;\n"
    before = parse(applied).blocks[0]
    for wrong in ("-- alter 20261204-x", "--alter: 20261204-x", "-- alters: 20261204-x",
                  "# alter: 20261204-x", "-- alter:", "-- alter : 20261204-x",
                  "--add by bob 20261204 x", "-- add by bob 2026 x"):
        parsed = parse(f"{applied}{wrong}\nALTER TABLE t ADD COLUMN b int NULL;\n")
        first, second = parsed.blocks
        assert first == before, wrong  # same statements, same checksum: not "edited"
        assert second.id == f"{MALFORMED}3" and second.header_line == 3
        assert [s.text for s in second.statements] == ["ALTER TABLE t ADD COLUMN b int NULL"]
        assert [(p.code, p.line) for p in parsed.problems] == [("AL040", 3)], wrong


def test_a_duplicated_block_id_is_an_error_at_the_second_header() -> None:
    parsed = parse("-- alter: a\nSELECT 1;\n\n-- alter: a\nSELECT 2;\n")
    assert [b.id for b in parsed.blocks] == ["a", "a"]
    assert [(p.code, p.line) for p in parsed.problems] == [("AL040", 4)]
    assert "duplicate block id 'a' (first at line 1)" in parsed.problems[0].message


def test_commented_out_sql_and_prose_are_no_headers() -> None:
    parsed = parse("-- alter: a\nSELECT 1;\n-- alter table t add c int\n# add this later\n"
                   "-- alter 2 of 3\nSELECT 2;\n")
    assert [b.id for b in parsed.blocks] == ["a"] and parsed.problems == ()
