from __future__ import annotations

from release.alters.headers import (
    Problem,
    header_kind,
    near_miss,
    parse_header,
    read_metadata,
)


def test_legacy_header_with_comma_and_date() -> None:
    problems: list[Problem] = []
    header = parse_header("add by ann, 20240102 fix things", 3, 1, {}, problems)
    assert header is not None and problems == []
    assert (header.id, header.author, header.date, header.description) == (
        "20240102-ann-1", "ann", "20240102", "fix things")


def test_header_kind_ignores_ordinary_comments() -> None:
    assert header_kind("alter: x") == "stagecraft"
    assert header_kind("ADD BY bob 20240101") == "legacy"
    assert header_kind("added by accident") is None
    assert header_kind("this alters the table") is None


def test_metadata_lines_only_for_stagecraft_headers() -> None:
    problems: list[Problem] = []
    legacy = parse_header("add by ann 20240102 x", 1, 1, {}, problems)
    assert legacy is not None
    read_metadata(legacy, "online: gh-ost", 2, 1, problems)
    assert legacy.online is None and problems == []
    ours = parse_header("alter: y", 1, 1, {}, problems)
    assert ours is not None
    read_metadata(ours, "online: gh-ost", 2, 1, problems)
    read_metadata(ours, "online: pt-osc", 3, 1, problems)
    read_metadata(ours, "ticket:", 4, 1, problems)
    assert ours.online == "gh-ost" and ours.last_line == 4
    assert [p.line for p in problems] == [3, 4]


def test_migration_lines_collect_the_migrations_a_block_carries() -> None:
    problems: list[Problem] = []
    header = parse_header("alter: dob", 1, 1, {}, problems)
    assert header is not None
    read_metadata(header, "migration: patients.0005_date_of_birth", 2, 1, problems)
    read_metadata(header, "migration: patients.0006_npi, clinics.0003_fax", 3, 1, problems)
    assert header.migrations == ("patients.0005_date_of_birth", "patients.0006_npi",
                                 "clinics.0003_fax")
    assert problems == []


def test_a_malformed_or_repeated_migration_is_a_header_error() -> None:
    problems: list[Problem] = []
    header = parse_header("alter: dob", 1, 1, {}, problems)
    assert header is not None
    read_metadata(header, "migration: 0005_date_of_birth", 2, 1, problems)
    read_metadata(header, "migration: patients.0005_dob, patients.0005_dob", 3, 1, problems)
    assert header.migrations == ("patients.0005_dob",)
    assert [(p.code, p.line) for p in problems] == [("AL040", 2), ("AL040", 3)]
    assert "is not <app label>.<migration name>" in problems[0].message
    assert "named twice" in problems[1].message


def test_comments_that_try_to_be_a_header_are_named_with_how_to_write_one() -> None:
    tries = [("-- ", "alter 20261204-x"), ("--", "alter: x"), ("-- ", "alters: x"),
             ("# ", "alter: x"), ("-- ", "alter : x"), ("-- ", "alter-id: x"),
             ("/* ", "alter: x"), ("-- ", "Alter 0042"), ("-- ", "alter pager-carrier"),
             ("--", "add by bob 20240101 x"), ("-- ", "ALTERS = x")]
    for marker, body in tries:
        why = near_miss(marker, body)
        assert why is not None and "looks like a block header but is not one" in why, body
        assert "`-- alter: <id>`" in why


def test_headers_and_prose_about_alters_are_no_near_miss() -> None:
    fine = [("-- ", "alter: 2026-01-x"), ("--\t", "alter: x"), ("-- ", "ALTER: x"),
            ("-- ", "add by bob 20240101 x"), ("# ", "add by bob 20240101 x"),
            ("#", "add by mwang, update things"), ("-- ", "alter table t add c int"),
            ("-- ", "alter the users table for the pager"), ("-- ", "alter 2 of 3"),
            ("-- ", "alter TABLE"), ("-- ", "this alters the table: twice")]
    for marker, body in fine:
        assert near_miss(marker, body) is None, body


def test_an_empty_block_id_is_malformed_and_says_so() -> None:
    problems: list[Problem] = []
    assert parse_header("alter:", 7, 1, {}, problems) is None
    assert [(p.code, p.line) for p in problems] == [("AL040", 7)]
    assert "without a block id" in problems[0].message
