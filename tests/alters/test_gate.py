"""What alters.apply refuses to run: error-level findings in the blocks it would apply."""

from __future__ import annotations

from release.alters.gate import refusal, unsilenced_errors
from release.alters.parse import parse_alters

TEXT = """\
-- alter: old
DROP TABLE gone;

-- alter: new
UPDATE t SET a = 1;
ALTER TABLE t ADD COLUMN b int NULL;
DROP TABLE u;  -- noqa: AL010
"""


def errors(blocks: set[str], text: str = TEXT, rows: dict[str, int] | None = None) -> list[str]:
    parsed = parse_alters(text, "alters.sql")
    return [f"{f.line}:{f.code}" for f in unsilenced_errors(
        [(parsed, text)], blocks, large_table_rows=1000, table_rows=rows or {})]


def test_only_the_blocks_to_apply_are_looked_at_and_noqa_silences() -> None:
    assert errors({"new"}) == ["5:AL013"]
    assert errors({"old", "new"}) == ["2:AL010", "5:AL013"]


def test_warnings_do_not_refuse_and_live_sizes_make_al031_an_error() -> None:
    text = "-- alter: a\nALTER TABLE t ADD COLUMN b int NULL;\n"
    assert errors({"a"}, text) == []
    assert errors({"a"}, text, rows={"t": 5000}) == ["2:AL031"]


def test_the_refusal_says_where_and_how_to_silence() -> None:
    parsed = parse_alters(TEXT, "alters.sql")
    message = refusal("qa", unsilenced_errors([(parsed, TEXT)], {"old"},
                                              large_table_rows=1, table_rows={}))
    assert "alters.sql:2:1: AL010 DROP TABLE gone" in message
    assert "-- noqa: AL010" in message and "Nothing was changed" in message


def test_a_header_gone_wrong_in_a_block_to_apply_refuses_and_elsewhere_does_not() -> None:
    text = ("-- alter: a\nALTER TABLE t ADD COLUMN a int NULL;\n"
            "-- alter 20261204-x\nALTER TABLE t ADD COLUMN b int NULL;\n"
            "-- alter: c\nSELECT 1;\n")
    assert errors({"malformed@3"}, text) == ["3:AL040"]
    assert errors({"a", "c"}, text) == []
    assert errors({"c"}, text + "-- alter: c\nSELECT 2;\n") == ["7:AL040"]
