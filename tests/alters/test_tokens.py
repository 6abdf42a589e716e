from __future__ import annotations

from release.alters.tokens import code_tokens, pattern


def test_code_tokens_keep_quotes_and_open_version_comments() -> None:
    text = "ALTER TABLE `a b` /* no */ ADD c int -- no\n DEFAULT 'x;y' /*!50100 COMMENT 'v' */"
    tokens, offsets = code_tokens(text)
    assert tokens == ("ALTER", "TABLE", "`a b`", "ADD", "c", "int", "DEFAULT", "'x;y'",
                      "COMMENT", "'v'")
    assert text[offsets[2]:].startswith("`a b`")


def test_coarse_runs_stop_at_the_delimiter_and_comment_starts() -> None:
    text = "SET a = 1; END$$ -- c\nx-1"
    pieces = [(m.lastgroup, m.group()) for m in pattern("$$").finditer(text)]
    assert pieces == [("run", "SET a = 1; END"), ("delim", "$$"), ("ws", " "),
                      ("comment", "-- c"), ("ws", "\n"), ("run", "x"), ("punct", "-"),
                      ("run", "1")]
