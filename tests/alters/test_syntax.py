from __future__ import annotations

from pathlib import Path

from release.alters.cache import Cache
from release.alters.parse import parse_alters
from release.alters.syntax import syntax_findings


def statements(count: int, bad: int) -> str:
    lines = [f"ALTER TABLE t{i} ADD c{i} int NULL;" for i in range(count)]
    lines[bad] = "ALTER TABLE t ADD COLUMN c int NULL NULL garbage here;"
    return "\n".join(lines) + "\n"


def test_process_pool_finds_the_bad_statement_among_many(tmp_path: Path) -> None:
    text = statements(240, bad=201)
    parsed = parse_alters(text, "a.sql")
    found = syntax_findings("a.sql", parsed.blocks[0].statements, cache=Cache(tmp_path),
                            processes=2)
    assert [(f.line, f.code) for f in found] == [(202, "AL001")]
    again = syntax_findings("a.sql", parsed.blocks[0].statements, cache=Cache(tmp_path),
                            processes=2)
    assert again == found


def test_cached_result_is_placed_at_the_statements_new_line(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    first = parse_alters("SELEC 1;\n", "a.sql").blocks[0].statements
    moved = parse_alters("SELECT 1;\n\n  SELEC 1;\n", "a.sql").blocks[0].statements
    assert [(f.line, f.col) for f in syntax_findings("a.sql", first, cache=cache)] == [(1, 1)]
    assert [(f.line, f.col) for f in syntax_findings("a.sql", moved, cache=cache)] == [(3, 3)]
