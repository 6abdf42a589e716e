"""release.run: the checklist of one release and environment, walked step by step.

Automated steps run (release.runbook.actions); manual ones are shown and answered (done,
skip with a reason, stop). Every answer and outcome is recorded (release.runbook.progress)
before the next step starts, so a run stopped in any way resumes where it stopped and never
repeats a finished automated step; the alters step resumes through the ledger. At the end the
completed checklist is written beside the audit trail.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from release.config import Config, EnvironmentConfig
from release.console import Ask, Say
from release.db.backups.names import release_label
from release.deploy.checkouts import Checkout
from release.deploy.preflight import LOCK
from release.deploy.records import now, who
from release.deploy.session import open_session
from release.docs.checklist import ChecklistContext, build_checklist
from release.docs.documents import checklist_context
from release.environment.resolved import Environment
from release.errors import Refused, ReleaseError, UsageError
from release.git.repo import Repository
from release.runbook import progress as prog
from release.runbook.actions import Run
from release.runbook.completed import write_completed
from release.runbook.steps import NOT_ASKED, RUNS_AGAIN, RunStep, lines, run_steps

TERMINAL = "answered at the terminal"


@dataclass(frozen=True)
class Options:
    yes: bool = False
    clone_from: Environment | None = None   # --clone: production, copied in first
    dry_run: bool = False
    from_primary: bool = False  # backups and the clone read primaries, not replicas

    @property
    def clone(self) -> bool:
        return self.clone_from is not None


def release_run(repo: Repository, config: Config, env: Environment, options: Options, *,
                say: Say, ask: Ask | None = None) -> prog.Progress:
    """`ask`: reads an answer from a person; None when there is no terminal."""
    context = checklist_context(repo, config, env=env.config, today=date.today())
    if options.clone and context.environment.production:
        raise UsageError("--clone copies production into a test environment; it cannot be "
                         "used with --env production.")
    label = _label(context)
    path = prog.path_for(repo.common_dir(), label, env.name)
    state = prog.load(path) or prog.Progress(release=label, environment=env.name,
                                             sha=context.release.head, started=now())
    context = _with_taken_backups(context, state)
    steps = run_steps(context, clone=options.clone)
    if state.completed:
        say(f"Release {label} to {env.name!r} was completed at {state.completed}; nothing to "
            f"do, nothing was changed. Completed checklist: {', '.join(state.checklist)}")
        return state
    finished = {k: r.status for k, r in state.steps.items() if r.status in prog.FINISHED}
    say(f"release.run: {context.title}" + (" (dry run: nothing will change)"
                                            if options.dry_run else ""))
    for line in lines(steps, finished):
        say(line)
    if options.dry_run:
        return state
    _say_resuming(steps, state, say=say)
    kept = prog.Kept(path, state)
    with ExitStack() as stack:
        session = open_session(stack, repo, config, env, ref=None, lock=True,
                               from_primary=options.from_primary)
        busy = session.preflight.check(LOCK)
        if busy is not None and not busy.ok:
            raise Refused("; ".join(busy.problems) + " Wait for it to finish, then retry.")
        run = Run(repo=repo, config=config, session=session, label=label,
                  checklist_path=_host_path(session.checkouts, label, env.name), kept=kept,
                  say=say, production=options.clone_from, backups=context.backups)
        for step in steps:
            if not kept.state.finished(step.id):
                _walk(run, step, options, ask=ask)
        done = write_completed(run, context, kept.state, path)
    kept.replace(done)
    say(f"Release {label} to {env.name!r} completed. Completed checklist: "
        + ", ".join(done.checklist))
    return done


def checklist_with_run(repo: Repository, config: Config, env: EnvironmentConfig,
                       today: date) -> ChecklistContext:
    """release.checklist's document: once release.run took this release's dumps in this
    environment, it names the files written (not the names the next dumps would get)."""
    context = checklist_context(repo, config, env=env, today=today)
    state = prog.load(prog.path_for(repo.common_dir(), _label(context), env.name))
    return _with_taken_backups(context, state) if state else context


def _with_taken_backups(context: ChecklistContext, state: prog.Progress) -> ChecklistContext:
    """A resumed run names the dumps it already wrote, not the next free names."""
    names = context.backups
    if names is None:
        return context
    before, after = (state.produced(f"backup-{m}").backups for m in ("before", "after"))
    if not before and not after:
        return context
    folder = names.dir.rstrip("/")
    taken = replace(names, before=f"{folder}/{Path(before[0]).name}" if before else names.before,
                    after=f"{folder}/{Path(after[0]).name}" if after else names.after)
    return build_checklist(context.release, context.environment, taken, context.team)


def _walk(run: Run, step: RunStep, options: Options, *, ask: Ask | None) -> None:
    title = f"step {step.step.number}: {step.step.title}"
    env_name, kept = run.session.env.name, run.kept
    if step.kind == NOT_ASKED:
        kept.record(step.id, prog.StepRecord(status=prog.SKIPPED, who=who(), when=now(),
                                             how=prog.AUTOMATED, note=step.reason))
        run.say(f"-- {title}: skipped ({step.reason})")
        return
    if not step.automated or step.entry is None:
        run.say(f"-- {title} (manual)")
        kept.record(step.id, _answer(step, options, env_name, run.say, ask))
        return
    run.say(f"-- {title}")
    kept.record(step.id, prog.StepRecord(status=prog.STARTED, who=who(), when=now(),
                                         how=prog.AUTOMATED))
    try:
        produced = step.entry.action(run)
    except ReleaseError as error:
        kept.record(step.id, prog.StepRecord(status=prog.FAILED, who=who(), when=now(),
                                             how=prog.AUTOMATED, note=error.message[:2000]))
        error.message += (f"\nrelease.run stopped at {title}. Fix the cause, then run `invoke "
                          f"release.run --env {env_name}` again: it resumes at this step.")
        raise
    kept.record(step.id, prog.StepRecord(
        status=prog.DONE, who=who(), when=now(), how=prog.AUTOMATED, note=produced.note,
        statements=produced.statements, backups=produced.backups))
    if step.then_ask:
        run.say(f"-- {title}: {step.then_ask} (manual)")
        kept.record(step.id, _answer(step, options, env_name, run.say, ask))


def _answer(step: RunStep, options: Options, env_name: str, say: Say,
            ask: Ask | None) -> prog.StepRecord:
    for line in _shown(step):
        say(f"   {line}")
    if options.yes:
        return prog.StepRecord(status=prog.DONE, who="--yes", when=now(),
                               how=f"confirmed by automation (--yes), run by {who()}")
    if ask is None:
        raise Refused(
            f"release.run stopped at step {step.step.number} ({step.step.title}): it is a "
            "manual step and there is no terminal to ask. Do it, then run `invoke release.run "
            f"--env {env_name}` at a terminal to answer it (and the next ones), or `invoke "
            f"release.run --env {env_name} --yes` to confirm every remaining manual step.")
    while True:
        reply = ask("[d]one, [s]kip (with a reason), s[t]op? ").strip().lower()
        if reply in ("d", "done"):
            return prog.StepRecord(status=prog.DONE, who=who(), when=now(), how=TERMINAL)
        if reply in ("s", "skip"):
            reason = ask("Why is it skipped? ").strip()
            if reason:
                return prog.StepRecord(status=prog.SKIPPED, who=who(), when=now(),
                                       how=TERMINAL, note=reason)
        if reply in ("t", "stop"):
            raise Refused(f"stopped at step {step.step.number} ({step.step.title}) as asked. "
                          f"Run `invoke release.run --env {env_name}` to resume here.")


def _shown(step: RunStep) -> list[str]:
    s = step.step
    out = [s.text] if s.text else []
    out += [f"$ {command}" for command in s.commands]
    out += [f"- {note}" for note in s.notes]
    for entry in s.entries:
        out += [f"{entry.date} {entry.author}:", *(f"    {line}" for line in entry.lines)]
    for b in s.blocks:
        out.append(f"block {b.id} ({b.file}:{b.line})" + (f" by {b.author}" if b.author else ""))
        for st in b.statements:
            first, *rest = st.text.splitlines() or [""]
            out += [f"    line {st.line}: {first}", *(f"        {line}" for line in rest)]
            out += [f"        the server: {st.server}"] if st.server else []
        out += [f"    {f.level} {f.code} at {b.file}:{f.line}:{f.col}: {f.message}"
                for f in b.findings]
    return out


def _say_resuming(steps: tuple[RunStep, ...], state: prog.Progress, *, say: Say) -> None:
    if not state.steps:
        return
    for step in steps:
        if not state.finished(step.id):
            record = state.steps.get(step.id)
            why = ""
            if record is not None and record.status == prog.STARTED:
                resumed = step.entry.resumed if step.entry else RUNS_AGAIN
                why = f" (it was interrupted while running{resumed})"
            elif record is not None and record.status == prog.FAILED:
                why = f" (it failed: {record.note.splitlines()[0] if record.note else '?'})"
            done = sum(1 for s in steps if state.finished(s.id))
            say(f"Resuming release {state.release} to {state.environment!r} at step "
                f"{step.step.number} ({step.step.title}){why}; {done} step(s) already done "
                "are not repeated.")
            return


def _label(context: ChecklistContext) -> str:
    if context.environment.checkout_is_tag:
        return context.environment.checkout
    return release_label(context.release.tag, context.release.head)


def _host_path(checkouts: list[Checkout], label: str, env_name: str) -> str:
    first = checkouts[0] if checkouts else None
    if first is None or (not first.git_dir and first.inspect()):
        return ""
    return f"{first.git_dir}/stagecraft/runs/{prog.run_stem(label, env_name)}.md"

