"""What alters.status prints: a line a block with its state and progress, a summary, and the
same facts as JSON."""

from __future__ import annotations

import json

from release.alters.ledger_plan import plan
from release.alters.parse import parse_alters
from release.db.credentials import Credentials
from release.db.ledger.status_view import status_json, status_lines
from tests.support.ledger import TWO_BLOCKS, row_of

CREDS = Credentials("qa", "app_qa", "127.0.0.1", 3306, "", "deploy", "secret-pw")


def _half_applied() -> object:
    files = [parse_alters(TWO_BLOCKS, "alters.sql")]
    first = plan(files, []).pending[:2]  # the add-phone block, both statements
    return plan(files, [row_of(item, "applied") for item in first])


def test_each_block_shows_its_state_progress_and_who_applied_it() -> None:
    lines = status_lines(_half_applied())  # type: ignore[arg-type]
    assert lines[0].split() == ["applied", "add-phone", "alters.sql:1", "2/2", "2026-01-02",
                                "03:04", "by", "dev@host"]
    assert lines[1].split() == ["pending", "fix-names", "alters.sql:5", "0/2"]
    assert lines[2:] == ["1 applied, 1 pending", "2 statement(s) pending."]


def test_no_alters_at_all_says_so() -> None:
    assert status_lines(plan([], [])) == ["no blocks"]


def test_the_json_names_the_environment_blocks_and_pending_statements_not_the_password(
        ) -> None:
    found = status_json(CREDS, _half_applied())  # type: ignore[arg-type]
    text = json.dumps(found)
    assert "secret-pw" not in text
    assert found["environment"] == "qa" and found["database"] == "app_qa"
    assert found["pending_statements"] == ["fix-names#1", "fix-names#2"]
    assert found["uncertain_statements"] == []
    blocks = found["blocks"]
    assert isinstance(blocks, list)
    assert blocks[0] == {"block": "add-phone", "file": "alters.sql", "line": 1,
                         "state": "applied", "statements_done": 2, "statements": 2,
                         "applied_at": "2026-01-02T03:04:00", "applied_by": "dev@host",
                         "detail": None}
