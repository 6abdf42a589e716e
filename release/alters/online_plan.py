"""Online schema changes for `-- online: pt-osc|gh-ost` blocks (pure: the command lines).

Such a block's ALTER TABLE statements are carried out by copying the table in the background
while writes go on: pt-online-schema-change (Debian's percona-toolkit) keeps the copy in step
with triggers and swaps it in with one RENAME; gh-ost follows the binary log instead. Their
other statements run as usual. The tool logs in with Stagecraft's temporary option file,
never a password on its command line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from release.alters.explain_sql import ONLINE_TOOLS, Target, target
from release.alters.parse import Block, Statement
from release.config import OnlineConfig

BINARIES = {"pt-osc": "pt-online-schema-change", "gh-ost": "gh-ost"}
PACKAGES = {"pt-osc": "Debian: apt install percona-toolkit",
            "gh-ost": "https://github.com/github/gh-ost/releases"}


@dataclass(frozen=True)
class OnlineAlter:
    tool: str  # pt-osc | gh-ost
    table: str
    alter: str  # the statement without `ALTER TABLE <table>`: what --alter takes


@dataclass(frozen=True)
class TableFacts:
    """What pt-osc's options depend on, read from the server before it runs."""

    replicas: bool
    referenced_by: bool  # other tables' foreign keys point at it
    triggers: bool
    statement_binlog: bool  # binary logging by statement: READ COMMITTED copies are unsafe


def autoinc_refusal(table: str, mode: int) -> str:
    """Why pt-osc is refused on `table`: the setting, its value, the deadlock, the fix."""
    return (f"{table} has an AUTO_INCREMENT key and the server runs "
            f"innodb_autoinc_lock_mode={mode} (MariaDB's default is 1): while pt-osc copies a "
            "chunk it holds the copy's AUTO-INC table lock, and an application INSERT that "
            "leaves the key to the server and arrives then fails with a deadlock (error 1213) "
            "that Django does not retry: a lost write. Set innodb_autoinc_lock_mode=2 in the "
            "server's configuration ([mariadbd] section; it takes a restart and is safe with "
            "row-based or no binary logging), or use `-- online: gh-ost` or a plain ALTER in "
            "a quiet hour.")


def online_alter(block: Block, statement: Statement) -> OnlineAlter | None:
    """The online change a statement is, or None when it runs as a plain statement."""
    if block.online not in ONLINE_TOOLS:
        return None
    aim = target(statement)
    if aim is None or aim.kind != "alter":
        return None
    return OnlineAlter(block.online, aim.table, _clauses(statement, aim))


def _clauses(statement: Statement, aim: Target) -> str:
    text, pieces, at = statement.text, [], aim.span[1]
    for start, stop in sorted(aim.options):  # the tool chooses its own algorithm and locks
        pieces.append(text[at:max(start, at)])
        at = max(stop, at)
    body = "".join([*pieces, text[at:]])
    return " ".join(body.split()).strip(", ")


def pt_osc_args(change: OnlineAlter, *, database: str, option_file: str,
                online: OnlineConfig, facts: TableFacts, dry_run: bool) -> list[str]:
    dsn = f"D={database},t={change.table},F={option_file}"
    args = [
        "--alter", change.alter, "--max-load", online.max_load,
        "--critical-load", online.critical_load, "--progress", "time,5",
        "--no-version-check",  # it would ask percona.com over the network
        "--print",  # the SQL it runs, for the record
        "--dry-run" if dry_run else "--execute",
    ]
    if not facts.replicas:
        args += ["--recursion-method", "none", "--no-check-replication-filters"]
    if facts.referenced_by:
        args += ["--alter-foreign-keys-method", "auto"]
    if facts.triggers:
        args.append("--preserve-triggers")
    if not facts.statement_binlog:
        # Its copy reads with LOCK IN SHARE MODE; under REPEATABLE READ that also locks the
        # gap after the last row, where the application inserts, and InnoDB then kills the
        # application's INSERT as the deadlock victim. READ COMMITTED locks rows only.
        args += ["--set-vars", "tx_isolation='READ-COMMITTED'"]
    return [*args, dsn]


def gh_ost_args(change: OnlineAlter, *, database: str, host: str, port: int,
                option_file: str, dry_run: bool) -> list[str]:
    return [
        f"--conf={option_file}", f"--host={host}", f"--port={port}",
        f"--database={database}", f"--table={change.table}", f"--alter={change.alter}",
        "--allow-on-master", "--initially-drop-ghost-table", "--initially-drop-old-table",
        *([] if dry_run else ["--execute"]),
    ]


def leftover_table(table: str, name: str) -> bool:
    """pt-osc's copy of `table` (`_<table>_new`, more underscores when that name was taken)."""
    return re.fullmatch(r"_+" + re.escape(table) + r"_new", name) is not None


def tools_needed(blocks: Sequence[Block]) -> list[str]:
    """The online tools the blocks to apply use, in order."""
    return sorted({b.online for b in blocks if b.online is not None and b.online in ONLINE_TOOLS})
