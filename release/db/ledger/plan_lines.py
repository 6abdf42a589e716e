"""How alters.apply and alters.baseline print their plans: one line a statement, the backups
and what a file-level BEGIN/COMMIT means (pure text, through `say`)."""

from __future__ import annotations

from collections.abc import Sequence

from release.alters import ledger_plan as lp
from release.alters.online_plan import online_alter
from release.alters.parse import AltersFile
from release.console import Say
from release.db.ledger.online import OnlineRunner


def backup_line(database: str, path: str, moment: str, *, shared: bool) -> str:
    if shared:
        return f"backup {moment} the alters: release.run's, {path}"
    return f"back up {database} to {path} (encrypted)"


def note_wrappers(files: Sequence[AltersFile], say: Say) -> None:
    for file in files:
        if file.wrapper:
            first, last = file.wrapper
            say(f"note: {file.path}:{first}-{last}: the file-level BEGIN/COMMIT is not applied "
                "(MariaDB commits DDL implicitly, so it protects nothing); each statement is "
                "recorded in the ledger instead.")


def describe(item: lp.Pending) -> str:
    text = " ".join(item.statement.text.split())
    text = text if len(text) <= 90 else text[:87] + "..."
    return f"{item.statement_id} ({item.where}, {item.statement.kind}): {text}"


def online_dry_runs(plan: lp.LedgerPlan, online: OnlineRunner, say: Say) -> None:
    """The online tool's own dry run: it builds and alters its copy, then drops it."""
    for item in plan.pending:
        change = online_alter(item.block, item.statement)
        if change is not None:
            say(f"{item.statement_id}: {change.tool} --dry-run")
            online(change, dry_run=True)
