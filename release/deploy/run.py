"""deploy.run: preflight, fetch on each host, confirm the new push instructions, apply the
pending alters through the ledger (with its backups), roll the commit over the hosts (check
out, reload, smoke check), record it all. `--dry-run` prints the plan and stops.

The alters are applied before any host checks the release out, so a failed apply leaves every
host on what it ran (and in a roll over several hosts, the schema must suit both versions
anyway while the roll is under way)."""

from __future__ import annotations

import sys
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, replace

from release.config import Config
from release.console import Say, confirm
from release.db.ledger.apply import Applied
from release.db.ledger.apply import Options as AlterOptions
from release.deploy import audit
from release.deploy.plan import DeployPlan, Move, show
from release.deploy.preflight import DATABASE
from release.deploy.records import DEPLOYED, FAILED, REFUSED, Record, now, who
from release.deploy.roll import Outcome, roll
from release.deploy.session import Session, open_session
from release.deploy.target import new_entries, release_files
from release.environment import database
from release.environment.resolved import Environment
from release.errors import Failed, Refused, ReleaseError, Uncertain
from release.git.repo import Repository


@dataclass(frozen=True)
class Options:
    ref: str | None = None
    dry_run: bool = False
    yes: bool = False
    from_primary: bool = False  # the alters' backups read the primary, not its replica


def deploy(repo: Repository, config: Config, env: Environment, options: Options, *,
           say: Say) -> DeployPlan:
    with ExitStack() as stack:
        session = open_session(stack, repo, config, env, ref=options.ref, lock=True,
                               from_primary=options.from_primary)
        pre = session.preflight
        if not pre.ok or pre.target is None:
            _record_all(session, base_record(session, "", ""), REFUSED, "preflight",
                        "; ".join(p for c in pre.checks for p in c.problems), say=say)
            raise Refused(pre.refusal())
        plan = make_plan(repo, config, session)
        show(f"Deploy {plan.ref} ({plan.sha[:12]}) to {env.name!r}:", plan.steps(),
             dry_run=options.dry_run, say=say)
        if not options.dry_run:
            _carry_out(repo, config, session, plan, options, say=say)
        return plan


def make_plan(repo: Repository, config: Config, session: Session) -> DeployPlan:
    env, pre = session.env, session.preflight
    assert pre.target is not None
    moves = tuple(Move(c.entry.host, c.entry.path, head, pre.target.sha)
                  for c, head in zip(session.checkouts, pre.heads, strict=True))
    return DeployPlan(
        environment=env.name, remote=config.git.remote, ref=pre.target.ref,
        sha=pre.target.sha, moves=moves,
        entries=new_entries(repo, config, pre.target.sha, pre.heads[0]),
        alters=pre.pending, database=session.db.name if session.db else "",
        reload=env.config.reload, smoke_url=env.config.smoke_url)


def _carry_out(repo: Repository, config: Config, session: Session, plan: DeployPlan,
               options: Options, *, say: Say) -> None:
    base = base_record(session, plan.ref, plan.sha)
    if plan.entries and not options.yes and not sys.stdin.isatty():
        reason = (f"{len(plan.entries)} new push instruction(s) need confirming and there is "
                  "no terminal to ask")
        _record_all(session, base, REFUSED, "push instructions", reason, say=say)
        raise Refused(f"{reason}; nothing was changed. Do them, then re-run with --yes.")
    fetch_all(session, plan, base, say=say)
    _confirm_entries(session, base, plan, options, say=say)
    applied = Applied()
    if plan.alters and session.db is not None:
        applied = _apply(repo, config, session, base, plan, say=say)
    base = replace(base, backups=applied.backups, alters=applied.statements)
    roll_and_record(session, plan, base, say=say)


def fetch_all(session: Session, plan: DeployPlan, base: Record, *, say: Say) -> None:
    """Fetch the release on every host (changing no checkout); Failed, recorded, if one
    cannot get it."""
    for checkout in session.checkouts:
        say(f"{checkout.label}: git fetch {plan.remote}")
        fetched = checkout.fetch(plan.remote)
        if not fetched.ok or not checkout.has_commit(plan.sha):
            reason = (fetched.describe(f"git fetch --quiet --tags {plan.remote}")
                      if not fetched.ok else f"{plan.sha[:12]} is not there after fetching")
            _record_all(session, base, FAILED, "fetch", f"{checkout.label}: {reason}", say=say)
            raise Failed(f"{checkout.label}: fetch failed: {reason}. No host was changed.")


def roll_and_record(session: Session, plan: DeployPlan, base: Record, *, say: Say) -> None:
    """Check out, reload and smoke-check host by host, append the audit records, and report
    (Failed or Uncertain when the roll stopped)."""
    outcomes = roll(session.checkouts, plan.moves, ref=plan.ref, reload=plan.reload,
                    smoke_url=plan.smoke_url, say=say)
    audit.write([(c, _from_outcome(base, o)) for c, o in
                 zip(session.checkouts, outcomes, strict=True)], session.db, say=say)
    _report(plan, outcomes, say=say)


def _confirm_entries(session: Session, base: Record, plan: DeployPlan, options: Options, *,
                     say: Say) -> None:
    for entry in plan.entries:
        say(f"Push instruction ({entry.date}, {entry.author}):\n    "
            + "\n    ".join(entry.text.strip().splitlines()))
        try:
            confirm(f"Done (or not needed) on {session.env.name!r}?", assume_yes=options.yes)
        except Refused:
            _record_all(session, base, REFUSED, "push instructions",
                        f"not confirmed: {entry.date} {entry.author}", say=say)
            raise


def _apply(repo: Repository, config: Config, session: Session, base: Record,
           plan: DeployPlan, *, say: Say) -> Applied:
    assert session.db is not None
    from release.db.backups.names import release_label

    options = AlterOptions(assume_yes=True, release_tag=plan.ref if plan.ref != plan.sha else "",
                           release_label=release_label(plan.ref, plan.sha))
    try:
        return database.apply_alters(session.db, config, release_files(repo, config, plan.sha),
                                     options, say=say)
    except ReleaseError as error:
        _record_all(session, base, FAILED, "alters", error.message, say=say)
        error.message += ("\nNo host was changed: every host still runs its previous commit ("
                          + ", ".join(f"{m.label} {m.from_sha[:12]}" for m in plan.moves) + ").")
        raise


def _report(plan: DeployPlan, outcomes: list[Outcome], *, say: Say) -> None:
    lines = [o.line() for o in outcomes]
    if all(o.result == DEPLOYED for o in outcomes):
        say(f"Deployed {plan.ref} ({plan.sha[:12]}) to {plan.environment!r}:\n"
            + "\n".join(lines))
        return
    message = (f"the deploy of {plan.ref} to {plan.environment!r} stopped; the hosts now run:\n"
               + "\n".join(lines))
    if any(o.uncertain for o in outcomes):
        raise Uncertain(message + "\nA host could not be put back: look at it, then run "
                        f"`invoke deploy.rollback --env {plan.environment}`.")
    raise Failed(message + "\nFix the cause (see `invoke deploy.history --env "
                 f"{plan.environment}`) and deploy again.")


def base_record(session: Session, ref: str, sha: str) -> Record:
    return Record(deploy_id=uuid.uuid4().hex, action="deploy", environment=session.env.name,
                  who=who(), when=now(), host="", path="", from_sha="", to_ref=ref,
                  to_sha=sha, result="")


def _from_outcome(base: Record, outcome: Outcome) -> Record:
    return replace(base, host=outcome.move.host, path=outcome.move.path,
                   from_sha=outcome.move.from_sha, result=outcome.result, step=outcome.step,
                   reason=outcome.reason, when=now())


def _record_all(session: Session, base: Record, result: str, step: str, reason: str, *,
                say: Say) -> None:
    heads = session.preflight.heads
    audit.write([(c, replace(base, host=c.entry.host, path=c.entry.path, from_sha=head,
                             result=result, step=step, reason=reason[:2000]))
                 for c, head in zip(session.checkouts, heads, strict=True)],
                session.db if _reachable(session) else None, say=say)


def _reachable(session: Session) -> bool:
    return session.db is not None and not session.preflight.failed(DATABASE)
