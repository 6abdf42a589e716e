"""Before alters.apply runs anything: the target server parses every pending statement.

A typo in the fourth statement of a release used to be found when the server reached it, with
the DDL before it already applied and impossible to roll back. Now each pending statement is
prepared (never executed; release.db.syntax_check) on the target server itself, over a
connection of its own, before the backup and the first statement: one that does not parse
stops the run with its name, file and line, and the server's message, with nothing applied, no
backup taken and no ledger row written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from release.alters.ledger_plan import Pending
from release.alters.server_syntax import Verdict
from release.db.connection import connect
from release.db.syntax_check import environment_syntax
from release.db.target import Database
from release.errors import Refused


def require_parsed(db: Database, pending: Sequence[Pending], *,
                   say: Callable[[str], None]) -> None:
    """Refuse unless the server parses every pending statement; say what it checked."""
    creds = db.credentials
    server = environment_syntax(lambda: connect(creds), db.environment, creds.where)
    try:
        verdicts = server.check([item.statement.text for item in pending])
        name = server.name
    finally:
        server.close()
    refused = [(item, v) for item, v in zip(pending, verdicts, strict=True) if not v.parses]
    if refused:
        raise Refused(_refusal(db.environment, name, refused))
    unchecked = [(item, v) for item, v in zip(pending, verdicts, strict=True) if not v.checked]
    say(f"The server parsed the {len(pending) - len(unchecked)} pending statement(s) "
        f"(prepared, not run; {name}).")
    for item, verdict in unchecked:
        say(f"  not checked: {item.statement_id} ({item.where}): {verdict.message}")


def _refusal(environment: str, name: str, refused: Sequence[tuple[Pending, Verdict]]) -> str:
    listing = []
    for item, verdict in refused:
        line = item.statement.line + verdict.line - 1
        first = " ".join(item.statement.text.split())
        first = first if len(first) <= 100 else first[:97] + "..."
        listing.append(f"  {item.statement_id} ({item.file}:{line}): {first}\n"
                       f"    {verdict.message}")
    return (f"environment {environment!r}: the server does not parse {len(refused)} pending "
            f"statement(s) ({name}):\n" + "\n".join(listing) + "\nFix them in the alters "
            "file and retry. Nothing was applied: no backup, no ledger row.")
