"""What release.run does for each automated step: the deploy's own phases (preflight, fetch,
alters through the ledger, the roll with its audit record) and the database steps of a test
environment (clone, scrub verification, [[qa.values]]). Each returns a line saying what it
did (kept in the progress record) or raises a ReleaseError that stops the run there.

A step may run in a later process than the one before it (a resumed run), so nothing here
relies on what an earlier step left in memory: each takes what it needs from the session
(opened afresh by every run) or from the progress record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from release.config import Config
from release.db.backups.names import release_label
from release.db.ledger.apply import Options as AlterOptions
from release.db.target import Database
from release.deploy.plan import DeployPlan
from release.deploy.preflight import gather
from release.deploy.records import Record
from release.deploy.run import base_record, fetch_all, make_plan, roll_and_record
from release.deploy.session import Session
from release.deploy.target import release_files, resolve_target
from release.environment import database
from release.errors import Refused, UsageError
from release.git.repo import Repository
from release.runbook.progress import AUTOMATED, Progress

Say = Callable[[str], None]


@dataclass
class Run:
    repo: Repository
    config: Config
    session: Session
    label: str            # names the backups and the progress record
    checklist_path: str   # the completed checklist on the first host, for the audit record
    progress: Callable[[], Progress]
    say: Say

    @property
    def db(self) -> Database:
        if self.session.db is None:
            raise UsageError(f"[environments.{self.session.env.name}.database] is not "
                             "configured, so release.run cannot do this step: add it.")
        return self.session.db

    def plan(self) -> DeployPlan:
        if self.session.preflight.target is None:
            raise Refused(self.session.preflight.refusal())
        return make_plan(self.repo, self.config, self.session)


def carry_out(run: Run, action: str) -> str:
    return ACTIONS[action](run)


def _staging(run: Run) -> str:
    env = run.session.env
    target, problems = resolve_target(run.repo, run.config, env, None)
    dirty = [line for line in run.repo.porcelain_status() if not line.startswith("??")]
    if dirty:
        problems.append("the work tree has uncommitted changes: " + ", ".join(dirty[:10]))
    if target is None or problems:
        raise Refused("the release is not ready: " + " ".join(problems))
    return f"{target.ref} is at {target.sha[:12]} on {run.config.git.remote}; work tree clean"


def _clone(run: Run) -> str:
    database.clone_production(run.config, run.db, say=run.say)
    return "cloned production, scrubbed and verified"


def _verify(run: Run) -> str:
    return database.verify_scrub(run.db, run.config, say=run.say)


def _qa_values(run: Run) -> str:
    return "; ".join(database.set_qa_values(run.db, run.config, say=run.say))


def _preflight(run: Run) -> str:
    s = run.session
    # Again, now: a clone made by an earlier step changes what the checks find.
    found = gather(run.repo, run.config, s.env, checkouts=s.checkouts, db=s.db, ref=None,
                   lock_problem=None)
    run.session = replace(s, preflight=found)
    for line in found.lines():
        run.say(line)
    if not found.ok:
        raise Refused(found.refusal())
    return f"preflight passed: {found.target.ref if found.target else '?'}, " \
           f"{len(found.pending)} alters statement(s) pending"


def _backup(run: Run, moment: str) -> str:
    path = database.backup(run.db, moment=moment, release=run.label)
    run.say(f"backup {moment}: {path}")
    return str(path)


def _fetch(run: Run) -> str:
    plan = run.plan()
    fetch_all(run.session, plan, _base(run, plan), say=run.say)
    return f"fetched {plan.ref} ({plan.sha[:12]}) on {len(plan.moves)} host(s)"


def _alters(run: Run) -> str:
    plan = run.plan()
    tag = plan.ref if plan.ref != plan.sha else ""
    options = AlterOptions(assume_yes=True, release_tag=tag,
                           release_label=release_label(tag or None, plan.sha))
    applied = database.apply_alters(run.db, run.config,
                                    release_files(run.repo, run.config, plan.sha), options)
    return ("applied " + ", ".join(applied.statements)) if applied.statements else \
        "nothing left to apply (the ledger has every statement)"


def _roll(run: Run) -> str:
    plan = run.plan()
    roll_and_record(run.session, plan, _base(run, plan), say=run.say)
    return f"{plan.ref} ({plan.sha[:12]}) runs on " + ", ".join(m.label for m in plan.moves)


def _smoke(run: Run) -> str:
    return "checked host by host with the reload (a failing one would have been put back)"


def _base(run: Run, plan: DeployPlan) -> Record:
    """The audit record's common part: what this run applied and backed up, from its record."""
    steps = run.progress().steps
    backups = tuple(steps[k].note for k in ("backup-before", "backup-after")
                    if k in steps and steps[k].how == AUTOMATED)
    alters = steps["alters"].note if "alters" in steps else ""
    ran = tuple(alters.removeprefix("applied ").split(", ")) \
        if alters.startswith("applied ") else ()
    return replace(base_record(run.session, plan.ref, plan.sha), backups=backups, alters=ran,
                   checklist=run.checklist_path)


ACTIONS: dict[str, Callable[[Run], str]] = {
    "staging-pushed": _staging, "clone": _clone, "verify-scrub": _verify,
    "qa-values": _qa_values, "local-changes": _preflight,
    "backup-before": lambda run: _backup(run, "before"), "checkout": _fetch,
    "alters": _alters, "backup-after": lambda run: _backup(run, "after"), "reload": _roll,
    "smoke": _smoke,
}
