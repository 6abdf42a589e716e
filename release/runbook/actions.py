"""What release.run does for each automated step: the deploy's own phases (preflight, fetch,
alters through the ledger, the roll with its audit record) and the database steps of a test
environment (clone, scrub verification, [[qa.values]]). Each returns what it did (a line for
people and the data later steps use, kept in the progress record) or raises a ReleaseError
that stops the run there.

A step may run in a later process than the one before it (a resumed run), so nothing here
relies on what an earlier step left in memory: each takes what it needs from the session
(opened afresh by every run) or from the progress record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from release.config import Config
from release.console import Say
from release.db.backups.names import release_label
from release.db.ledger.apply import Options as AlterOptions
from release.db.target import Database
from release.deploy.plan import DeployPlan
from release.deploy.preflight import gather
from release.deploy.records import Record
from release.deploy.run import base_record, fetch_all, make_plan, roll_and_record
from release.deploy.session import Session
from release.deploy.target import release_files, resolve_target
from release.docs.context import BackupNames
from release.environment import database
from release.environment.resolved import Environment
from release.errors import Refused, UsageError
from release.git.repo import Repository
from release.runbook.progress import Kept, Produced


@dataclass
class Run:
    repo: Repository
    config: Config
    session: Session
    label: str            # names the backups and the progress record
    checklist_path: str   # the completed checklist on the first host, for the audit record
    kept: Kept            # the progress record, as the steps before this one left it
    say: Say
    production: Environment | None = None   # what --clone copies (None without --clone)
    backups: BackupNames | None = None     # the pair the checklist names, written as named

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


def staging(run: Run) -> Produced:
    env = run.session.env
    target, problems = resolve_target(run.repo, run.config, env.config, None)
    dirty = [line for line in run.repo.porcelain_status() if not line.startswith("??")]
    if dirty:
        problems.append("the work tree has uncommitted changes: " + ", ".join(dirty[:10]))
    if target is None or problems:
        raise Refused("the release is not ready: " + " ".join(problems))
    return Produced(f"{target.ref} is at {target.sha[:12]} on {run.config.git.remote}; "
                    "work tree clean")


def clone(run: Run) -> Produced:
    assert run.production is not None  # the clone step runs only with --clone, which names it
    database.clone_production(run.config, run.production, run.db, say=run.say)
    return Produced("cloned production, scrubbed and verified")


def verify(run: Run) -> Produced:
    return Produced(database.verify_scrub(run.db, run.config, say=run.say))


def qa_values(run: Run) -> Produced:
    return Produced("; ".join(database.set_qa_values(run.db, run.config, say=run.say)))


def preflight(run: Run) -> Produced:
    s = run.session
    # Again, now: a clone made by an earlier step changes what the checks find.
    found = gather(run.repo, run.config, s.env, checkouts=s.checkouts, db=s.db, ref=None,
                   lock_problem=None)
    run.session = replace(s, preflight=found)
    for line in found.lines():
        run.say(line)
    if not found.ok:
        raise Refused(found.refusal())
    return Produced(f"preflight passed: {found.target.ref if found.target else '?'}, "
                    f"{len(found.pending)} alters statement(s) pending")


def backup_before(run: Run) -> Produced:
    return _backup(run, "before")


def backup_after(run: Run) -> Produced:
    return _backup(run, "after")


def _backup(run: Run, moment: str) -> Produced:
    planned = "" if run.backups is None else \
        run.backups.before if moment == "before" else run.backups.after
    path = database.backup(run.db, moment=moment, release=run.label, say=run.say,
                           planned=planned)
    run.say(f"backup {moment}: {path}")
    return Produced(str(path), backups=(str(path),))


def fetch(run: Run) -> Produced:
    plan = run.plan()
    fetch_all(run.session, plan, _base(run, plan), say=run.say)
    return Produced(f"fetched {plan.ref} ({plan.sha[:12]}) on {len(plan.moves)} host(s)")


def alters(run: Run) -> Produced:
    plan = run.plan()
    tag = plan.ref if plan.ref != plan.sha else ""
    # The run's own backup steps are this release's pair: apply takes none of its own.
    taken = run.kept.state.produced("backup-before").backups
    shared = (taken[0], run.backups.after) if taken and run.backups else None
    options = AlterOptions(assume_yes=True, release_tag=tag,
                           release_label=release_label(tag or None, plan.sha),
                           shared_backups=shared)
    applied = database.apply_alters(run.db, run.config,
                                    release_files(run.repo, run.config, plan.sha), options,
                                    say=run.say)
    note = ("applied " + ", ".join(applied.statements)) if applied.statements else \
        "nothing left to apply (the ledger has every statement)"
    return Produced(note, statements=applied.statements, backups=applied.backups)


def roll(run: Run) -> Produced:
    plan = run.plan()
    roll_and_record(run.session, plan, _base(run, plan), say=run.say)
    return Produced(f"{plan.ref} ({plan.sha[:12]}) runs on "
                    + ", ".join(m.label for m in plan.moves))


def smoke(run: Run) -> Produced:
    return Produced("checked host by host with the reload (a failing one would have been put "
                    "back)")


def _base(run: Run, plan: DeployPlan) -> Record:
    """The audit record's common part: the statements this run applied and the dumps its
    backup steps wrote, from its progress record."""
    state = run.kept.state
    return replace(base_record(run.session, plan.ref, plan.sha),
                   backups=state.produced("backup-before", "backup-after").backups,
                   alters=state.produced("alters").statements, checklist=run.checklist_path)
