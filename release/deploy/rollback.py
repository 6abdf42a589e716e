"""deploy.rollback: each host back to what ran before its last deploy, as the audit trail
records it (never guessed from file times), or to `--to REF`. The database is left alone
unless a dump is named; then the command first says which alters and how much time of writes
the restore would undo (production also needs --yes-really)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from release.config import PRODUCTION, Config
from release.console import Say, confirm
from release.db.backups import manifest
from release.deploy import audit
from release.deploy.plan import Move, show
from release.deploy.preflight import (
    CHECKOUTS,
    DATABASE,
    LOCAL_CHANGES,
    LOCK,
    Preflight,
)
from release.deploy.records import DEPLOYED, ROLLED_BACK, Record, now, previous_sha, who
from release.deploy.roll import Outcome, roll
from release.deploy.session import Session, open_session
from release.environment import database
from release.environment.resolved import Environment
from release.errors import Failed, Refused, Uncertain
from release.git.repo import Repository

# The preflight checks that matter for going back (the ref and the alters do not).
CHECKS = (CHECKOUTS, LOCAL_CHANGES, DATABASE, LOCK)


@dataclass(frozen=True)
class Options:
    to: str | None = None
    restore_db: Path | None = None
    dry_run: bool = False
    yes: bool = False
    yes_really: bool = False


def rollback(repo: Repository, config: Config, env: Environment, options: Options, *,
             say: Say) -> list[Move]:
    env_name = env.name
    with ExitStack() as stack:
        session = open_session(stack, repo, config, env, ref=None, lock=True)
        problems = blocking(session.preflight)
        if problems:
            raise Refused(f"rollback of {env_name!r} refused:\n  " + "\n  ".join(problems)
                          + "\nNothing was changed.")
        moves = _moves(repo, session, options.to)
        steps = back_steps(moves, reload=env.config.reload, smoke_url=env.config.smoke_url)
        if options.restore_db:
            steps += _restore_plan(config, session, options.restore_db)
        show(f"Roll {env_name!r} back:", steps, dry_run=options.dry_run, say=say)
        if options.dry_run:
            return moves
        if options.restore_db and env_name == PRODUCTION and not options.yes_really:
            raise Refused(f"restoring {PRODUCTION!r}'s database replaces live data; nothing was "
                          "changed. If that is really what you want, add --yes-really.")
        confirm(f"Roll {env_name!r} back as shown?", assume_yes=options.yes)
        outcomes = roll(session.checkouts, moves, ref="the previous commit",
                        reload=env.config.reload, smoke_url=env.config.smoke_url, say=say)
        if options.restore_db and all(o.result == DEPLOYED for o in outcomes):
            assert session.db is not None
            database.restore_dump(session.db, config, options.restore_db, say=say,
                                  confirm=lambda q: confirm(q, assume_yes=options.yes),
                                  yes_really=options.yes_really)
        _record(session, outcomes, options, say=say)
        _report(env_name, outcomes, say=say)
        return moves


def blocking(found: Preflight) -> list[str]:
    """The preflight's problems that stop going back (pure)."""
    return [f"{c.name}: {p}" for c in found.checks if c.id in CHECKS for p in c.problems]


def _moves(repo: Repository, session: Session, to: str | None) -> list[Move]:
    records = audit.history(session.checkouts, session.db, session.env.name)
    moves: list[Move] = []
    for checkout, head in zip(session.checkouts, session.preflight.heads, strict=True):
        if to:
            found = checkout.git("rev-parse", "--verify", "--quiet", f"{to}^{{commit}}")
            sha = found.stdout.strip() if found.ok else repo.resolve(f"{to}^{{commit}}")
            if not sha or not checkout.has_commit(sha):
                raise Refused(f"{checkout.label}: {to!r} is not a commit there. Fetch it on the "
                              "host (or deploy it with deploy.run). Nothing was changed.")
        else:
            sha = previous_sha(records, checkout.entry.host, checkout.entry.path, head)
            if sha is None:
                raise Refused(
                    f"{checkout.label}: the audit trail has no deploy that brought "
                    f"{head[:12]} there, so what ran before it is unknown. Name it: "
                    f"deploy.rollback --env {session.env.name} --to REF. Nothing was changed.")
        moves.append(Move(checkout.entry.host, checkout.entry.path, head, sha))
    return moves


def back_steps(moves: Sequence[Move], *, reload: str, smoke_url: str) -> list[str]:
    """The hosts' part of the plan, host by host (pure)."""
    out: list[str] = []
    for move in moves:
        out.append(f"{move.label}: git checkout --detach {move.to_sha[:12]} (runs "
                   f"{move.from_sha[:12]} now)")
        if reload:
            out.append(f"{move.label}: reload: {reload}")
        if smoke_url:
            out.append(f"{move.label}: smoke check {smoke_url}")
    return out


def _restore_plan(config: Config, session: Session, dump: Path) -> list[str]:
    if session.db is None:
        raise Refused(f"environment {session.env.name!r} has no database to restore {dump} "
                      "into. Nothing was changed.")
    found = manifest.read(dump)
    if found is None:
        raise Refused(f"{dump}: no readable manifest beside it, so what a restore would undo "
                      "cannot be said. Nothing was changed.")
    taken = datetime.fromisoformat(found.started_at)
    undone = database.applied_since(session.db, config, taken)
    return restore_steps(dump.name, session.db.name, taken=taken, at=datetime.now(UTC),
                         undone=undone)


def restore_steps(dump: str, database_name: str, *, taken: datetime, at: datetime,
                  undone: Sequence[str]) -> list[str]:
    """What restoring a dump taken at `taken` loses, said at `at` (pure)."""
    hours, minutes = divmod(int((at - taken).total_seconds()) // 60, 60)
    since = f"{taken:%Y-%m-%d %H:%M}"
    return [f"restore {dump} into {database_name}: every write since {since} UTC "
            f"({hours}h {minutes:02d}m ago) is LOST",
            "  alters undone by it: " + (", ".join(undone) if undone else "none")]


def _record(session: Session, outcomes: Sequence[Outcome], options: Options, *,
            say: Say) -> None:
    run_id, when = uuid.uuid4().hex, now()
    reason = "deploy.rollback" + (f" --to {options.to}" if options.to else "") + \
        (f" --restore-db {options.restore_db.name}" if options.restore_db else "")
    audit.write([(c, Record(
        deploy_id=run_id, action="rollback", environment=session.env.name, who=who(),
        when=when, host=o.move.host, path=o.move.path, from_sha=o.move.from_sha,
        to_ref=options.to or "previous", to_sha=o.move.to_sha,
        result=ROLLED_BACK if o.result == DEPLOYED else o.result, step=o.step,
        reason=reason if o.result == DEPLOYED else o.reason,
        backups=(str(options.restore_db),) if options.restore_db else ()))
        for c, o in zip(session.checkouts, outcomes, strict=True)], session.db, say=say)


def _report(env_name: str, outcomes: Sequence[Outcome], *, say: Say) -> None:
    lines = "\n".join(o.line() for o in outcomes)
    if all(o.result == DEPLOYED for o in outcomes):
        say(f"Rolled {env_name!r} back:\n{lines}")
        return
    message = f"the rollback of {env_name!r} stopped; the hosts now run:\n{lines}"
    if any(o.uncertain for o in outcomes):
        raise Uncertain(message + "\nLook at that host and check it out by hand.")
    raise Failed(message)
