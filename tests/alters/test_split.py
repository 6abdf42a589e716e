from __future__ import annotations

from release.alters.headers import Problem
from release.alters.split import Comment, Raw, split
from release.alters.tokens import Lines


def cut(text: str, start: int = 0,
        delimiter: str = ";") -> tuple[list[Raw | Comment], list[Problem]]:
    return split(text, Lines(text), start, delimiter)


def pieces(text: str) -> list[str]:
    """What came out, in order: statements as their text, comments as `# body`."""
    events, _ = cut(text)
    return [f"# {e.body}" if isinstance(e, Comment) else text[e.start:e.end] for e in events]


def test_full_line_comments_between_statements_come_out_in_order() -> None:
    text = "-- alter: a\nSELECT 1; -- trailing\n# note\n/* block */\nSELECT 2;\n"
    assert pieces(text) == ["# alter: a", "SELECT 1", "# note", "SELECT 2"]


def test_a_comment_inside_a_statement_is_part_of_it() -> None:
    assert pieces("SELECT 1\n-- why\n  FROM t;\n") == ["SELECT 1\n-- why\n  FROM t"]


def test_comments_remember_where_they_start_and_the_delimiter_in_force() -> None:
    text = "SELECT 1;\nDELIMITER $$\n  -- alter: b\nSELECT 2$$\n"
    comment = next(e for e in cut(text)[0] if isinstance(e, Comment))
    assert (comment.line, comment.col, comment.offset, comment.delimiter) == (3, 3, 25, "$$")


def test_normalized_pieces_collapse_white_space_and_drop_comments() -> None:
    (raw,), _ = cut("ALTER   TABLE t\n  ADD c /* x */ int;\n")
    assert isinstance(raw, Raw)
    assert "".join(raw.normal) == "ALTER TABLE t ADD c int"
    assert raw.words == ["ALTER", "TABLE", "T", "ADD", "C", "INT"]


def test_a_last_statement_without_its_delimiter_still_comes_out() -> None:
    assert pieces("SELECT 1;\nSELECT 2\n") == ["SELECT 1", "SELECT 2"]


def test_delimiter_changes_the_cut_and_each_statement_keeps_its_own() -> None:
    text = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT 2;\n"
    events, problems = cut(text)
    raws = [e for e in events if isinstance(e, Raw)]
    assert problems == []
    assert [(text[r.start:r.end], r.delimiter) for r in raws] == [
        ("CREATE PROCEDURE p() BEGIN SELECT 1; END", "//"), ("SELECT 2", ";")]


def test_a_body_without_delimiter_keeps_its_inner_semicolons() -> None:
    text = "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END;\n"
    assert pieces(text) == [text.rstrip(";\n")]


def test_delimiter_without_a_new_one_is_al001_at_its_line() -> None:
    _, problems = cut("SELECT 1;\nDELIMITER\nSELECT 2;\n")
    assert problems == [Problem("AL001", 2, 1, "DELIMITER without a new delimiter")]


def test_an_unterminated_quote_stops_the_cut_with_al001() -> None:
    events, problems = cut("SELECT 1;\nSELECT `x;\nSELECT 3;\n")
    assert [(p.code, p.line, p.col) for p in problems] == [("AL001", 2, 8)]
    assert "unterminated quoted identifier" in problems[0].message
    assert len(events) == 1


def test_a_header_inside_an_open_statement_is_al040_naming_where_it_started() -> None:
    _, problems = cut("SELECT 1\n\n-- alter: x\nSELECT 2;\n")
    assert [(p.code, p.line) for p in problems] == [("AL040", 3)]
    assert "starts at line 1: is its delimiter missing?" in problems[0].message


def test_cutting_from_an_offset_skips_what_came_before() -> None:
    text = "SELECT 1;\n-- alter: b\nSELECT 2;\n"
    assert [text[e.start:e.end] for e in cut(text, start=10)[0] if isinstance(e, Raw)] == [
        "SELECT 2"]
