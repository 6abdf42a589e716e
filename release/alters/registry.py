"""Every lint rule in one place (pure): its code, level, summary, the anti-pattern and the
better way, in the manner of sqlfluff's rule docstrings.

A finding takes its level from here (findings.py), so a rule's level is decided once; code
that reports a rule names it by the constant below, never by a string of its own. The
examples are checked: each anti-pattern gives its code and each better way does not
(tests/alters/test_registry.py), and the README's rule table lists the same codes and levels.
`release-lint-alters --list-rules` prints the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Final

ERROR: Final = "error"
WARNING: Final = "warning"

AL001: Final = "AL001"
AL002: Final = "AL002"
AL003: Final = "AL003"
AL004: Final = "AL004"
AL010: Final = "AL010"
AL011: Final = "AL011"
AL012: Final = "AL012"
AL013: Final = "AL013"
AL020: Final = "AL020"
AL021: Final = "AL021"
AL022: Final = "AL022"
AL023: Final = "AL023"
AL024: Final = "AL024"
AL030: Final = "AL030"
AL031: Final = "AL031"
AL040: Final = "AL040"
AL041: Final = "AL041"
AL050: Final = "AL050"
PI001: Final = "PI001"
PI002: Final = "PI002"
PI003: Final = "PI003"
PI004: Final = "PI004"
PI005: Final = "PI005"
PI006: Final = "PI006"
PI007: Final = "PI007"


@dataclass(frozen=True)
class Rule:
    code: str
    level: str  # ERROR blocks a commit; WARNING only with --strict
    summary: str  # one line: what it finds
    anti_pattern: str  # an alters file (AL) or push-instructions lines (PI) that give the code
    better: str  # the same change done the safe way: it does not give the code


_ADD_NOTE = "ALTER TABLE orders ADD COLUMN note text NULL;"

ALTERS_RULES: Final = (
    Rule(AL001, ERROR, "SQL that does not parse, or a file that cannot be read",
         "ALTER TABEL orders ADD COLUMN note text NULL;", _ADD_NOTE),
    Rule(AL002, ERROR, "DDL inside BEGIN ... COMMIT: DDL commits at once, nothing rolls back",
         f"BEGIN;\n{_ADD_NOTE}\nCOMMIT;", _ADD_NOTE),
    Rule(AL003, WARNING, "DDL and data changes in one block: a failure leaves it half applied",
         f"-- alter: 2026-03-note\n{_ADD_NOTE}\n"
         "UPDATE orders SET note = '' WHERE note IS NULL;",
         f"-- alter: 2026-03-note\n{_ADD_NOTE}\n"
         "-- alter: 2026-03-note-fill\nUPDATE orders SET note = '' WHERE note IS NULL;"),
    Rule(AL004, WARNING, "a compound statement without DELIMITER: the mysql client cuts it",
         "CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW\n"
         "BEGIN SET NEW.note = ''; END;",
         "DELIMITER $$\nCREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW\n"
         "BEGIN SET NEW.note = ''; END$$\nDELIMITER ;"),
    Rule(AL010, ERROR, "DROP TABLE, DATABASE or SCHEMA: the data is gone for good",
         "DROP TABLE old_orders;",
         "-- a release after the code stopped using it, after a backup:\n"
         "DROP TABLE old_orders;  -- noqa: AL010"),
    Rule(AL011, ERROR, "DROP COLUMN: the data is lost and the running code still reads it",
         "ALTER TABLE orders DROP COLUMN fax;",
         "-- a release after the code stopped reading it:\n"
         "ALTER TABLE orders DROP COLUMN fax, ALGORITHM=INPLACE, LOCK=NONE;  -- noqa: AL011"),
    Rule(AL012, ERROR, "TRUNCATE: every row deleted, no rollback",
         "TRUNCATE TABLE sessions;", "DELETE FROM sessions WHERE expires_at < NOW();"),
    Rule(AL013, ERROR, "UPDATE or DELETE without WHERE: every row changes",
         "UPDATE orders SET status = 'new';",
         "UPDATE orders SET status = 'new' WHERE status IS NULL;"),
    Rule(AL020, ERROR, "a column that ends the block NOT NULL without a default: inserts fail",
         "ALTER TABLE orders ADD COLUMN priority int NOT NULL;",
         "ALTER TABLE orders ADD COLUMN priority int NOT NULL DEFAULT 0;"),
    Rule(AL021, WARNING, "MODIFY/CHANGE making a column NOT NULL: fails on existing NULLs",
         "ALTER TABLE orders MODIFY note text NOT NULL DEFAULT '';",
         "-- no NULL left (checked on production):\n"
         "ALTER TABLE orders MODIFY note text NOT NULL DEFAULT '';  -- noqa: AL021"),
    Rule(AL022, WARNING, "MODIFY/CHANGE restating a column's type: may truncate, copies the table",
         "ALTER TABLE orders MODIFY total decimal(8,2) NULL;",
         "ALTER TABLE orders ADD COLUMN total_cents bigint NULL;"),
    Rule(AL023, ERROR, "a table or column renamed: the running code uses the old name",
         "ALTER TABLE orders RENAME COLUMN note TO remark;",
         "ALTER TABLE orders ADD COLUMN remark text NULL;\n"
         "-- copy note into it, and drop note in a later release"),
    Rule(AL024, WARNING, "a new UNIQUE key or index: it fails on duplicates",
         "ALTER TABLE users ADD UNIQUE KEY email_uq (email);",
         "-- no duplicate emails (checked on production):\n"
         "ALTER TABLE users ADD UNIQUE KEY email_uq (email), ALGORITHM=INPLACE, LOCK=NONE;"
         "  -- noqa: AL024"),
    Rule(AL030, WARNING, "an ALTER that may copy the table and block writes",
         "ALTER TABLE orders ADD INDEX status_ix (status);",
         "ALTER TABLE orders ADD INDEX status_ix (status), ALGORITHM=INPLACE, LOCK=NONE;"),
    Rule(AL031, ERROR, "an ALTER of a table above large_table_rows without an online strategy",
         "-- alter: 2026-03-events-kind\n-- events holds 40 million rows\n"
         "ALTER TABLE events ADD INDEX kind_ix (kind);",
         "-- alter: 2026-03-events-kind\n-- online: pt-osc\n"
         "ALTER TABLE events ADD INDEX kind_ix (kind);"),
    Rule(AL040, ERROR, "a malformed or duplicated block header",
         f"-- alter: 2026-03-note\n{_ADD_NOTE}\n"
         "-- alter: 2026-03-note\nALTER TABLE orders ADD COLUMN remark text NULL;",
         f"-- alter: 2026-03-note\n{_ADD_NOTE}\n"
         "-- alter: 2026-03-remark\nALTER TABLE orders ADD COLUMN remark text NULL;"),
    Rule(AL041, ERROR, "a block that shipped in a release tag was edited",
         "-- alter: 2026-03-note\n-- shipped with varchar(100), then edited in place\n"
         "ALTER TABLE orders ADD COLUMN note varchar(200) NULL;",
         "-- alter: 2026-03-note\n-- as shipped\n"
         "ALTER TABLE orders ADD COLUMN note varchar(100) NULL;\n"
         "-- alter: 2026-04-longer-note\nALTER TABLE orders MODIFY note varchar(200) NULL;"),
    Rule(AL050, ERROR, "BEGIN without COMMIT, or COMMIT without BEGIN",
         "-- alter: 2026-03-fill\nBEGIN;\nUPDATE orders SET note = '' WHERE note IS NULL;",
         "-- alter: 2026-03-fill\nBEGIN;\nUPDATE orders SET note = '' WHERE note IS NULL;\n"
         "COMMIT;"),
)

_HEADER = "Production push instructions\n\n"

PUSH_INSTRUCTION_RULES: Final = (
    Rule(PI001, ERROR, "the push instructions lost their free-text header",
         "2026-03-02: ann, clear the page cache after the deploy",
         f"{_HEADER}2026-03-02: ann, clear the page cache after the deploy"),
    Rule(PI002, ERROR, "a line that is not an entry or its indented continuation; an "
         "unreadable file",
         f"{_HEADER}2026-03-02: ann, clear the page cache\nthen restart the workers",
         f"{_HEADER}2026-03-02: ann, clear the page cache\n    then restart the workers"),
    Rule(PI003, ERROR, "an entry dated in the future",
         f"{_HEADER}2099-03-02: ann, clear the page cache",
         f"{_HEADER}2026-03-02: ann, clear the page cache"),
    Rule(PI004, ERROR, "an entry dated before the one above it",
         f"{_HEADER}2026-03-02: ann, clear the page cache\n2026-02-20: bob, restart the workers",
         f"{_HEADER}2026-02-20: bob, restart the workers\n2026-03-02: ann, clear the page cache"),
    Rule(PI005, ERROR, "an entry that says nothing",
         f"{_HEADER}2026-03-02: ann,", f"{_HEADER}2026-03-02: ann, clear the page cache"),
    Rule(PI006, ERROR, "a password, token or key pasted in",
         f"{_HEADER}2026-03-02: ann, run mysql -u shop -pS3cret shop < fix.sql",
         f"{_HEADER}2026-03-02: ann, run mysql -u shop -p shop < fix.sql (the vault has it)"),
    Rule(PI007, ERROR, "a new entry says to run the alters, but no alters block is pending",
         f"{_HEADER}2026-03-02: ann, run alters.sql (no pending block in alters.sql)",
         f"{_HEADER}2026-03-02: ann, run alters.sql (its block is committed with it)"),
)

RULES: Final = {rule.code: rule for rule in (*ALTERS_RULES, *PUSH_INSTRUCTION_RULES)}


def level_of(code: str) -> str:
    """A code's level; an unknown code is a bug in the rule that reported it."""
    rule = RULES.get(code)
    if rule is None:
        raise ValueError(f"{code} is not in the rule registry (release/alters/registry.py)")
    return rule.level


def render_rules(rules: Iterable[Rule], fmt: str) -> str:
    """What `--list-rules` prints: a plain-text table of code, level and summary, or (json)
    every field, the examples included."""
    if fmt == "json":
        return json.dumps([asdict(rule) for rule in rules], indent=2)
    rows = [("code", "level", "summary"), *((r.code, r.level, r.summary) for r in rules)]
    level_width = max(len(level) for _, level, _ in rows)
    return "\n".join(f"{code:<5}  {level:<{level_width}}  {summary}"
                     for code, level, summary in rows)
