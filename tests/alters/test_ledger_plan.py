from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from release.alters.ledger_plan import (
    LedgerRow,
    plan,
    resolve_hint,
    statement_checksum,
    through,
    uncertain_message,
)
from release.alters.parse import AltersFile, parse_alters
from release.demo import sample
from release.errors import Refused
from tests.support.corpus import client_alters
from tests.support.ledger import TWO_BLOCKS, row_of


def parsed(text: str, path: str = "alters.sql") -> AltersFile:
    return parse_alters(text, path)


def rows_for(files: list[AltersFile], status: str = "applied",
             only: set[str] | None = None) -> list[LedgerRow]:
    """Ledger rows as an apply of these files would have written them."""
    result = plan(files, [])
    return [row_of(p, status) for p in result.pending
            if only is None or p.statement_id in only]


def states(result: object) -> dict[str, str]:
    return {s.block_id: s.state for s in result.blocks}  # type: ignore[attr-defined]


def test_statements_are_named_block_hash_position_from_one() -> None:
    result = plan([parsed(TWO_BLOCKS)], [])
    assert [p.statement_id for p in result.pending] == [
        "add-phone#1", "add-phone#2", "fix-names#1", "fix-names#2"]
    assert states(result) == {"add-phone": "pending", "fix-names": "pending"}


def test_ddl_commits_alone_and_each_dml_commits_with_its_row() -> None:
    units = plan([parsed(TWO_BLOCKS)], []).units
    assert [(u.transactional, len(u.statements)) for u in units] == [
        (False, 1), (False, 1), (True, 1), (True, 1)]


def test_a_blocks_begin_commit_groups_its_dml_into_one_transaction() -> None:
    text = ("-- alter: first\nALTER TABLE t ADD COLUMN a int NULL;\n"
            "-- alter: pair\nBEGIN;\nUPDATE t SET a = 1 WHERE id = 1;\n"
            "UPDATE t SET a = 2 WHERE id = 2;\nCOMMIT;\n")
    units = plan([parsed(text)], []).units
    assert [[p.statement_id for p in u.statements] for u in units] == [
        ["first#1"], ["pair#2", "pair#3"]]
    assert units[1].transactional


@pytest.fixture(params=["sample", "client"])
def history(request: pytest.FixtureRequest) -> tuple[str, int]:
    """An alters history in the client's style and its statement count: the sample's, and
    the client's own when its files are here."""
    if request.param == "sample":
        return sample.alters_sql(), 10
    return client_alters(request.getfixturevalue("client_files")), 27


def test_applied_blocks_plan_nothing_and_report_applied(history: tuple[str, int]) -> None:
    files = [parsed(history[0])]
    result = plan(files, rows_for(files))
    assert result.units == ()
    assert set(states(result).values()) == {"applied"}


def test_the_files_wrapper_is_not_a_statement(history: tuple[str, int]) -> None:
    result = plan([parsed(history[0])], [])
    texts = [p.statement.text.strip().upper() for p in result.pending]
    assert "BEGIN" not in texts and "COMMIT" not in texts
    assert len(result.pending) == history[1]


def test_an_edited_applied_block_is_changed_and_planned_for_nothing() -> None:
    files = [parsed(TWO_BLOCKS)]
    rows = rows_for(files)
    edited = [parsed(TWO_BLOCKS.replace("varchar(20) NULL;\nALTER", "varchar(30) NULL;\nALTER"))]
    result = plan(edited, rows)
    assert states(result)["add-phone"] == "changed"
    assert [c.block_id for c in result.changed] == ["add-phone"]
    assert [p.statement_id for p in result.pending] == []


def test_a_statement_appended_to_an_applied_block_makes_it_changed() -> None:
    files = [parsed(TWO_BLOCKS)]
    appended = [parsed(TWO_BLOCKS + "UPDATE t SET name = 'z' WHERE id = 3;\n")]
    assert states(plan(appended, rows_for(files)))["fix-names"] == "changed"


def test_reformatting_comments_in_an_applied_block_is_not_a_change() -> None:
    files = [parsed(TWO_BLOCKS)]
    reformatted = [parsed(TWO_BLOCKS.replace("ALTER TABLE t ADD COLUMN fax",
                                             "-- the fax column\nALTER  TABLE t\n ADD COLUMN fax"))]
    assert states(plan(reformatted, rows_for(files)))["add-phone"] == "applied"


def test_after_a_failure_the_failed_statement_may_be_fixed_and_continues() -> None:
    files = [parsed(TWO_BLOCKS)]
    first = plan(files, []).pending
    rows = [row_of(first[0], "applied"), row_of(first[1], "failed", "error 1060: Duplicate")]
    assert states(plan(files, rows))["add-phone"] == "failed"
    fixed = [parsed(TWO_BLOCKS.replace("fax varchar(20)", "fax2 varchar(20)"))]
    result = plan(fixed, rows)
    assert states(result)["add-phone"] == "failed"
    assert [p.statement_id for p in result.pending][:1] == ["add-phone#2"]


def test_a_block_finished_after_fixing_its_failed_statement_is_applied_not_changed() -> None:
    files = [parsed(TWO_BLOCKS)]
    first = plan(files, []).pending
    fixed = [parsed(TWO_BLOCKS.replace("fax varchar(20)", "fax2 varchar(20)"))]
    rest = plan(fixed, [row_of(first[0], "applied")]).pending
    later = replace(row_of(rest[0], "applied"), applied_at=datetime(2026, 1, 3))
    rows = [row_of(first[0], "applied"), later]
    assert states(plan(fixed, rows))["add-phone"] == "applied"
    assert states(plan(files, rows))["add-phone"] == "changed"


def test_editing_a_done_statement_of_a_partial_block_is_changed() -> None:
    files = [parsed(TWO_BLOCKS)]
    first = plan(files, []).pending
    rows = [row_of(first[0], "applied")]
    assert states(plan(files, rows))["add-phone"] == "partial"
    edited = [parsed(TWO_BLOCKS.replace("phone varchar(20)", "phone varchar(40)"))]
    assert states(plan(edited, rows))["add-phone"] == "changed"


def test_trimmed_blocks_are_reported_and_never_planned() -> None:
    files = [parsed(TWO_BLOCKS)]
    rows = rows_for(files)
    trimmed = [parsed(TWO_BLOCKS.split("-- alter: fix-names")[0])]
    result = plan(trimmed, rows)
    assert result.units == ()
    trimmed_state = next(s for s in result.blocks if s.block_id == "fix-names")
    assert (trimmed_state.state, trimmed_state.file) == ("applied", None)


def test_a_started_row_makes_the_block_uncertain_and_is_reported() -> None:
    files = [parsed(TWO_BLOCKS)]
    first = plan(files, []).pending
    rows = [row_of(first[0], "applied"), row_of(first[1], "started")]
    result = plan(files, rows)
    assert states(result)["add-phone"] == "uncertain"
    assert [r.statement_id for r in result.uncertain] == ["add-phone#2"]
    message = uncertain_message("qa", result.uncertain)
    assert "add-phone#2 (alters.sql:3)" in message
    assert "invoke alters.resolve --env qa --statement 'add-phone#2' --applied" in message
    assert "--not-applied" in message


def test_baseline_and_resolved_rows_count_as_done() -> None:
    files = [parsed(TWO_BLOCKS)]
    first = plan(files, []).pending
    rows = [row_of(first[0], "baseline"), row_of(first[1], "resolved")]
    assert states(plan(files, rows))["add-phone"] in ("applied", "baseline")
    assert [p.block.id for p in plan(files, rows).pending] == ["fix-names", "fix-names"]


def test_duplicate_block_ids_across_files_are_refused() -> None:
    files = [parsed(TWO_BLOCKS), parsed(TWO_BLOCKS, "alters_de.sql")]
    with pytest.raises(Refused, match=r"add-phone: alters\.sql:1 and alters_de\.sql:1"):
        plan(files, [])


def test_through_selects_blocks_up_to_the_named_one_across_files() -> None:
    files = [parsed(TWO_BLOCKS), parsed("-- alter: later\nDELETE FROM t WHERE id = 9;\n", "b.sql")]
    assert through(files, "fix-names") == {"add-phone", "fix-names"}
    assert through(files, None) == {"add-phone", "fix-names", "later"}
    with pytest.raises(Refused, match="no block 'nope'"):
        through(files, "nope")


def test_statement_checksum_ignores_layout() -> None:
    a = parsed("-- alter: a\nUPDATE t SET x = 1 WHERE id = 1;\n").blocks[0].statements[0]
    b = parsed("-- alter: a\nUPDATE  t\n  SET x = 1 WHERE id = 1;\n").blocks[0].statements[0]
    assert statement_checksum(a) == statement_checksum(b)


def test_resolve_hint_quotes_the_statement_for_the_shell() -> None:
    assert "--statement 'head-abc#1'" in resolve_hint("production", "head-abc#1")
