"""What a schema's shape normalizes: display widths, CURRENT_TIMESTAMP's spellings, DEFAULT
NULL written or not; and Stagecraft's own tables, which no model describes."""

from __future__ import annotations

from release.db.shape import normalized_default, normalized_type, own_tables


def test_integer_display_widths_do_not_count() -> None:
    assert normalized_type("int(11)") == normalized_type("int(4)") == "int"
    assert normalized_type("bigint(20) unsigned") == "bigint unsigned"
    assert normalized_type("tinyint(1)") == "tinyint"
    assert normalized_type("varchar(20)") == "varchar(20)"
    assert normalized_type("decimal(8,2)") == "decimal(8,2)"


def test_current_timestamp_is_one_spelling_and_null_defaults_follow_nullability() -> None:
    assert normalized_default("current_timestamp()", nullable=False) == "CURRENT_TIMESTAMP"
    assert normalized_default("CURRENT_TIMESTAMP", nullable=False) == "CURRENT_TIMESTAMP"
    assert normalized_default("now(6)", nullable=False) == "CURRENT_TIMESTAMP(6)"
    assert normalized_default("current_timestamp(6)", nullable=False) == "CURRENT_TIMESTAMP(6)"
    assert normalized_default(None, nullable=True) == normalized_default("NULL", nullable=True)
    assert normalized_default(None, nullable=False) is None
    assert normalized_default("''", nullable=False) == "''"


def test_stagecraft_keeps_its_own_tables_out_of_the_comparison() -> None:
    assert {"release_alters", "release_alters_runs", "release_deploys",
            "release_clone"} <= own_tables("release_alters")
