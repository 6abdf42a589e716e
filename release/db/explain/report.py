"""alters.explain: how long each pending DDL statement would block writes in an environment.

The server's own answer (ask.py), the table's size there, and, when another environment's
ledger (QA's rehearsal) recorded how long the same statement took, that time scaled by the
rows. The answers are kept in `<git common dir>/stagecraft/explain.json` (explained.py) for
the production checklist and the lint. Changes nothing in any environment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from release.alters import ledger_plan as lp
from release.alters.explain_store import Explained, record_explained
from release.config import Config
from release.console import Say, who
from release.db.explain import ask
from release.db.ledger.apply import load_files
from release.db.ledger.table import open_ledger
from release.db.target import Database, resolve
from release.errors import ReleaseError, UsageError
from release.git.repo import Repository
from release.state import state_dir


def explain(db: Database, config: Config, *, compare: Sequence[str] | None = None,
            texts: Mapping[str, str] | None = None, say: Say) -> list[ask.Explanation]:
    """Print the verdict for each pending DDL statement on `db`; `compare` names the
    environments whose ledgers hold timings (default: every other configured one); `texts`
    the alters files as the environment's ref has them (None: the work tree's)."""
    files = load_files(config, texts)
    with open_ledger(db.credentials, config.alters.ledger_table,
                     applied_by=who()) as ledger:
        pending = lp.plan(files, ledger.rows()).pending
    ddl = [p for p in pending if p.statement.kind == "ddl"]
    say(f"environment {db.environment!r}: {len(ddl)} pending DDL statement(s) in "
        f"{db.name} at {db.credentials.where}")
    if not ddl:
        return []
    timings = _timings(config, db.environment, compare, say)
    found = ask.explain(db, ddl, timings)
    for line in lines(found):
        say(line)
    stored = _store(config, db.environment, found)
    if stored:
        say(f"the answers are kept in {stored} for the checklist and the lint")
    return found


def lines(found: Sequence[ask.Explanation]) -> list[str]:
    out: list[str] = []
    for e in found:
        text = " ".join(e.item.statement.text.split())
        out.append(f"  {e.item.statement_id} ({e.item.where}): "
                   f"{text if len(text) <= 80 else text[:77] + '...'}")
        facts = []
        if e.table and e.size:
            facts.append(f"{e.table}: {e.size.rows:,} rows, {_size(e.size.bytes)}")
        if e.answer.algorithm:
            facts.append(f"server: ALGORITHM={e.answer.algorithm}, LOCK={e.answer.lock}")
        if e.timing:
            facts.append(f"{e.timing.environment} took {e.timing.duration_ms / 1000:.1f} s on "
                         f"{e.timing.rows:,} rows")
        if facts:
            out.append("      " + "; ".join(facts))
        out.append(f"      => {e.verdict}")
    return out


def _timings(config: Config, environment: str, compare: Sequence[str] | None,
             say: Say) -> dict[str, ask.Timing]:
    names = list(compare) if compare else [
        n for n, env in config.environments.items() if n != environment and env.database]
    found: dict[str, ask.Timing] = {}
    for name in names:
        try:
            found.update(ask.timings(resolve(config, name), config.alters.ledger_table))
        except ReleaseError as error:
            if compare:
                raise
            say(f"note: no timings from {name!r}: {error.message}")
    return found


def _store(config: Config, environment: str, found: Sequence[ask.Explanation]) -> Path | None:
    try:
        folder = state_dir(Repository(config.root).common_dir())
    except UsageError:
        return None  # not a git checkout: nothing for the checklist to read
    at = datetime.now(UTC).isoformat(timespec="seconds")
    answers: dict[str, Explained] = {}
    for e in found:
        recorded = e.recorded(environment, at)
        if recorded:
            answers[e.item.checksum] = recorded
    return record_explained(folder, answers) if answers else None


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count //= 1024
    return f"{count} TB"
