"""Writing and reading the audit trail: each host's log inside its checkout's .git, and the
environment's database table. A record that cannot be written is reported, never fatal: the
deploy itself has already happened."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from posixpath import basename

from release.console import Say
from release.db.target import Database
from release.deploy.checkouts import Checkout
from release.deploy.records import Record, newest_first
from release.environment import database
from release.environment.resolved import Environment
from release.errors import ConfigError, ReleaseError


def write(entries: Sequence[tuple[Checkout, Record]], db: Database | None, *, say: Say) -> None:
    for checkout, record in entries:
        if not checkout.git_dir:
            continue  # no checkout there: nowhere to keep its log
        done = checkout.append(record)
        if not done.ok:
            say(f"warning: could not append the audit record on {checkout.label}: "
                f"{done.describe('append to ' + checkout.git_dir + '/stagecraft/deploys.jsonl')}")
    if db is None:
        return
    try:
        for _, record in entries:
            database.record(db, record.to_json())
    except ReleaseError as error:
        say(f"warning: could not record the deploy in the database: {error.message}")


def history(checkouts: Sequence[Checkout], db: Database | None, environment: str
            ) -> list[Record]:
    """The environment's records, newest first: the database's table (every host's records)
    together with the hosts' own logs (which also hold those the database missed)."""
    found: list[Record] = []
    for checkout in checkouts:
        if checkout.git_dir or not checkout.inspect():
            found += checkout.records()
    if db is not None:
        found += [Record.from_json(text, where=f"the {environment} database's {row}")
                  for row, text in database.records(db)]
    # A checkout shared by two environments keeps both's records; show the one asked for.
    return newest_first(r for r in found if r.environment == environment)


@dataclass(frozen=True)
class History:
    records: list[Record]
    note: str = ""  # what the records could not come from, and what that means


def read_history(stack: ExitStack, env: Environment, checkouts: Sequence[Checkout]) -> History:
    """deploy.history's records. When the database cannot be reached, the hosts' own logs
    still hold every deploy that reached them: those are shown, and the note says so."""
    problem = ""
    if env.config.database is not None:
        try:
            db = stack.enter_context(database.open_database(env))
            problem = database.problem_reaching(db) or ""
        except ConfigError:
            raise
        except ReleaseError as error:  # the tunnel to it
            problem = error.message
        if not problem:  # reached: a damaged row is reported, never skipped
            return History(with_existing_checklists(history(checkouts, db, env.name),
                                                    checkouts))
    found = with_existing_checklists(history(checkouts, None, env.name), checkouts)
    if not problem:
        return History(found)
    hosts = ", ".join(c.label for c in checkouts)
    return History(found, f"the database of {env.name!r} cannot be reached ({problem}); "
                          f"these records come from the hosts' own logs ({hosts}): a record "
                          "only the database kept (a host since replaced) is missing.")


def with_existing_checklists(records: Sequence[Record],
                             checkouts: Sequence[Checkout]) -> list[Record]:
    """The records, each naming its completed checklist only when that file is on its host
    (a run that failed or stopped never wrote one)."""
    places = {(c.entry.host, c.entry.path): c for c in checkouts}
    seen: dict[tuple[str, str], bool] = {}
    shown = []
    for record in records:
        checkout = places.get((record.host, record.path))
        where = _checklist_on(checkout, record.checklist) if checkout else ""
        if where and (record.host, where) not in seen:
            seen[(record.host, where)] = checkout is not None and \
                checkout.host.run(["test", "-f", where]).ok
        exists = bool(where) and seen.get((record.host, where), False)
        shown.append(replace(record, checklist=where if exists else ""))
    return shown


def _checklist_on(checkout: Checkout, path: str) -> str:
    """Where a record's checklist is on this checkout's host: the record names the first
    host's copy; every host keeps one in its own .git/stagecraft/runs/."""
    if not path or not (checkout.git_dir or not checkout.inspect()):
        return ""
    if path.startswith(f"{checkout.git_dir}/"):
        return path
    return f"{checkout.git_dir}/stagecraft/runs/{basename(path)}"
