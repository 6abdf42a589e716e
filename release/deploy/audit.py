"""Writing and reading the audit trail: each host's log inside its checkout's .git, and the
environment's database table. A record that cannot be written is reported, never fatal: the
deploy itself has already happened."""

from __future__ import annotations

from collections.abc import Sequence

from release.console import Say
from release.db.target import Database
from release.deploy.checkouts import Checkout
from release.deploy.records import Record, newest_first
from release.environment import database
from release.errors import ReleaseError


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
