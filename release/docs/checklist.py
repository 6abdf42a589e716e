"""The runbook as data: every step of a release to one environment, in the runbook's order.

Pure: a ReleaseContext and the environment's facts in, a ChecklistContext out. Each step says
whether `release.run` carries it out (automated) or a person must (manual); the templates only
print it, so the Markdown and HTML checklists cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from release.alters.registry import ERROR
from release.config import ChecklistStep
from release.docs.context import (
    BackupNames,
    EnvironmentFacts,
    ReleaseContext,
)
from release.docs.qa_steps import qa_database_steps
from release.docs.step import Section, Step
from release.docs.team_steps import with_team_steps


@dataclass(frozen=True)
class ChecklistContext:
    title: str
    release: ReleaseContext
    environment: EnvironmentFacts
    backups: BackupNames | None
    sections: tuple[Section, ...]
    team: tuple[ChecklistStep, ...] = ()  # the team's own steps (all environments')


def build_checklist(release: ReleaseContext, env: EnvironmentFacts,
                    backups: BackupNames | None,
                    team: Sequence[ChecklistStep] = ()) -> ChecklistContext:
    """The runbook's built-in steps, with the team's own (`[[checklist.steps]]`) in place."""
    built_in = [
        Section("warnings", "Warnings", "", _warnings(release, env)),
        Section("staging", "Staging branch and release", "", _staging(release, env)),
        Section("backups", "Backups", "", _backups(env, backups, before=True)),
        Section("local-changes", "Local changes", "", _local_changes(env)),
        Section("checkout", "Checkout", "", _checkout(release, env)),
        Section("push-instructions", "Push instructions", "", _push_instructions(release)),
        Section("alters", "Alters", "", _alters(release, env, backups)),
        Section("reload", "Reload", "", _reload(env)),
        Section("recovery", "When things go wrong (recovery)",
                "Only when something above failed; tick what you did.",
                _recovery(env, backups)),
    ]
    sections = with_team_steps(built_in, team, env.name, _qa_intro(env))
    numbered, n = [], 0
    for section in sections:
        steps = []
        for step in section.steps:
            n += 1
            steps.append(replace(step, number=n))
        numbered.append(replace(section, steps=tuple(steps)))
    return ChecklistContext(title=f"Release {release.release} to {env.name}", release=release,
                            environment=env, backups=backups, sections=tuple(numbered),
                            team=tuple(team))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {one.rsplit(' ', 1)[0]} {many}"


def _db(env: EnvironmentFacts) -> str:
    return env.database or f"(no [environments.{env.name}.database] configured)"


def _warnings(release: ReleaseContext, env: EnvironmentFacts) -> tuple[Step, ...]:
    notes = [
        f"Changes to the {_db(env)} database can be very difficult or impossible to reverse "
        "without losing data: whoever follows this checklist must understand every step.",
        "Dumps are copies of patient data. Stagecraft encrypts them to [backups] recipients; "
        "never make a plaintext copy, and prune old ones (invoke db.backups --prune).",
        "A schema change may not apply without downtime when the database's schema and Django's "
        "idea of it disagree; a long ALTER blocks writes unless it runs online.",
    ]
    if env.production:
        notes.append("This is production: try every alter on a scrubbed clone in QA first, "
                     "and pick a quiet time for the dumps.")
    else:
        notes.append(f"{env.name} may hold a copy of production's customers: unless the clone "
                     "is scrubbed and verified, a test message, call or page can reach a real "
                     "person.")
    pt_osc = [b.id for b in release.blocks if b.online == "pt-osc"]
    if pt_osc:
        notes.append(f"Block(s) {', '.join(pt_osc)} run online with pt-osc: alters.apply "
                     "refuses one whose table has an AUTO_INCREMENT column while the server's "
                     "innodb_autoinc_lock_mode is below 2 (MariaDB's default is 1), because "
                     "the application's inserts would fail with a deadlock and be lost. Set "
                     "innodb_autoinc_lock_mode=2 in the server's configuration and restart it "
                     f"first; `invoke alters.explain --env {env.name}` tells which tables.")
    errors = sum(1 for b in release.blocks for f in b.findings if f.level == ERROR)
    if errors:
        notes.append(f"The pending alters have {errors} lint error(s): read them in the "
                     "Alters section before going on.")
    return (Step("read-warnings", "Read the warnings", False,
                 "Read these before starting.", notes=tuple(notes)),)


def _staging(release: ReleaseContext, env: EnvironmentFacts) -> tuple[Step, ...]:
    since = f"since {release.previous}" if release.previous else "(first release)"
    steps = [Step(
        "staging-pushed", f"{release.head_ref} is at {release.head_short} on {release.remote}",
        True, f"release.run checks that {release.head_ref} exists on {release.remote} at "
        f"{release.head_short} and that the work tree is clean.",
        commands=("invoke staging.status",),
        notes=(f"{release.commit_count} commit(s) {since}; base branch {release.base}.",),
    )]
    if env.checkout_is_tag and not release.tag:
        steps.append(Step(
            "tag", f"Tag the release as {env.checkout}", False,
            f"Production checks out a tag. Tag {release.head_ref}'s head and push the tag.",
            commands=("invoke release.tag",),
        ))
    steps.append(Step(
        "review", "Review the push instructions and alters for developer notes", False,
        f"{_count(len(release.entries), 'new push-instruction entry', 'entries')} and "
        f"{_count(len(release.blocks), 'pending alters block', 'blocks')} are listed below; "
        "read them now, before anything changes.",
    ))
    return tuple(steps)


def _backups(env: EnvironmentFacts, backups: BackupNames | None, *,
             before: bool) -> tuple[Step, ...]:
    steps = list(qa_database_steps(env)) if before else []
    when = "before" if before else "after"
    if backups is None:
        steps.append(Step(
            f"backup-{when}", f"Back up the database {when} the alters", False,
            f"No [environments.{env.name}.database] is configured, so Stagecraft cannot dump "
            "it: add it to release.toml, or dump by hand with mariadb-dump --single-transaction "
            "and encrypt the file.",
        ))
    else:
        name = backups.before if before else backups.after
        steps.append(Step(
            f"backup-{when}", f"Back up {env.database} {when} the alters", True,
            f"release.run dumps {env.database} ({env.database_server}) without blocking "
            f"writes, compressed and encrypted, to {name}.",
            commands=(f"invoke db.dump --env {env.name}",),
        ))
    return tuple(steps)


def _local_changes(env: EnvironmentFacts) -> tuple[Step, ...]:
    return (Step(
        "local-changes", f"No local changes in {env.location}", True,
        "release.run runs the deploy preflight: the checkout is a clean git repository (any "
        "local change is listed and stops the deploy before anything is touched), the ref "
        "exists on the remote, the database is reachable and no applied alter was edited.",
        commands=(f"invoke deploy.preflight --env {env.name}",),
    ),)


def _checkout(release: ReleaseContext, env: EnvironmentFacts) -> tuple[Step, ...]:
    return (Step(
        "checkout", f"Check out {env.checkout} in {env.path}", True,
        f"release.run fetches {release.remote} and checks out {env.checkout} "
        f"({release.head_short}) in {env.location}.",
        commands=(f"git fetch {release.remote}", f"git checkout {env.checkout}"),
    ),)


def _push_instructions(release: ReleaseContext) -> tuple[Step, ...]:
    since = f"since {release.previous}" if release.previous else "in this first release"
    return (Step(
        "push-instructions", f"Follow the new entries in {release.push_instructions}", False,
        f"Do what each entry added {since} says, in order, and tick it.",
        entries=release.entries,
        empty="" if release.entries else f"No new entries in {release.push_instructions} {since}.",
    ),)


def _alters(release: ReleaseContext, env: EnvironmentFacts,
            backups: BackupNames | None) -> tuple[Step, ...]:
    notes = [release.pending_basis]
    notes += [f"{f.level} {f.code} at {f.path}:{f.line}:{f.col}: {f.message}"
              for f in release.file_findings]
    apply = Step(
        "alters", f"Apply the pending alters to {_db(env)}", True,
        "release.run applies each pending block statement by statement, records each in the "
        "ledger, and stops at the first failure with the server's error.",
        commands=(f"invoke alters.apply --env {env.name}",),
        notes=tuple(notes), blocks=release.blocks,
        empty="" if release.blocks else f"No pending blocks in {', '.join(release.alters_files)}.",
    )
    return (apply, *_backups(env, backups, before=False))


def _reload(env: EnvironmentFacts) -> tuple[Step, ...]:
    if env.reload:
        steps = [Step("reload", "Reload the application", True,
                      f"release.run reloads the application on {env.location}.",
                      commands=(env.reload,))]
    else:
        steps = [Step("reload", "Reload the application", False,
                      f"No reload command in [environments.{env.name}] reload: reload the web "
                      "server by hand (for Apache: /etc/init.d/apache2 reload).")]
    if env.smoke_url:
        steps.append(Step("smoke", f"Smoke check {env.smoke_url}", True,
                          "release.run fetches the page; a failure rolls the code back to the "
                          "previous ref by itself."))
    return tuple(steps)


def _qa_intro(env: EnvironmentFacts) -> str:
    if env.production:
        return ("These run on live production: message, page and call only yourself and test "
                "accounts. File an issue for anything wrong.")
    return (f"Treat {env.name} with care even when scrubbed. File an issue for anything wrong "
            "and fix it before going to production.")


def _recovery(env: EnvironmentFacts, backups: BackupNames | None) -> tuple[Step, ...]:
    steps = [
        Step("recover-alters", "An alter failed", False,
             "release.run stopped at the failing statement. See what is applied, pending or "
             "failed; settle a statement left uncertain by a crash, then fix the block and run "
             "again.",
             commands=(f"invoke alters.status --env {env.name}",
                       f"invoke alters.resolve --env {env.name} --statement ID "
                       "(--applied|--not-applied)")),
        Step("recover-code", "Roll the code back", False,
             "Back to the previously deployed ref; the database is left as it is.",
             commands=(f"invoke deploy.rollback --env {env.name}",)),
    ]
    if backups is None:
        steps.append(Step("recover-database", "Restore the database", False,
                          "No database is configured: restore your own dump by hand."))
    else:
        really = " --yes-really" if env.production else ""
        steps.append(Step(
            "recover-database", f"Restore {env.database} from {backups.before}", False,
            f"Only if the data must go back: everything written to {env.database} since that "
            f"dump is lost (the dump after the alters is {backups.after}).",
            commands=(f"invoke db.restore --env {env.name} --dump {backups.before}{really}",),
        ))
    return tuple(steps)
