"""release.run: the checklist of one release and environment, walked step by step.

Automated steps run (release.runbook.actions); manual ones are shown and answered (done,
skip with a reason, stop). Every answer and outcome is recorded (release.runbook.progress)
before the next step starts, so a run stopped in any way resumes where it stopped and never
repeats a finished automated step; the alters step resumes through the ledger. At the end the
completed checklist is written beside the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date

from release.config import Config
from release.db.backups.names import release_label
from release.deploy.checkouts import Checkout
from release.deploy.records import now, who
from release.deploy.session import open_session
from release.docs.checklist import ChecklistContext
from release.docs.documents import checklist_context
from release.errors import Refused, ReleaseError, UsageError
from release.git.repo import Repository
from release.runbook import progress as prog
from release.runbook.actions import Run, carry_out
from release.runbook.completed import write_completed
from release.runbook.steps import NOT_ASKED, RunStep, lines, run_steps

Say = Callable[[str], None]
Ask = Callable[[str], str]


@dataclass(frozen=True)
class Options:
    yes: bool = False
    clone: bool = False
    dry_run: bool = False


def release_run(repo: Repository, config: Config, env_name: str, options: Options, *,
                say: Say, ask: Ask | None = None) -> prog.Progress:
    """`ask`: reads an answer from a person; None when there is no terminal."""
    config.environment(env_name)  # a ConfigError naming the file before any work
    context = checklist_context(repo, config, env_name=env_name, today=date.today())
    if options.clone and context.environment.production:
        raise UsageError("--clone copies production into a test environment; it cannot be "
                         "used with --env production.")
    label = _label(context)
    path = prog.path_for(repo.common_dir(), label, env_name)
    state = prog.load(path) or prog.Progress(release=label, environment=env_name,
                                             sha=context.release.head, started=now())
    steps = run_steps(context, clone=options.clone)
    if state.completed:
        say(f"Release {label} to {env_name!r} was completed at {state.completed}; nothing to "
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
    with ExitStack() as stack:
        session = open_session(stack, repo, config, env_name, ref=None, lock=True)
        busy = [c for c in session.preflight.checks if c.name.startswith("no other deploy")]
        if busy and not busy[0].ok:
            raise Refused("; ".join(busy[0].problems) + " Wait for it to finish, then retry.")
        holder = {"state": state}
        run = Run(repo=repo, config=config, session=session, label=label,
                  checklist_path=_host_path(session.checkouts, label, env_name),
                  progress=lambda: holder["state"], say=say)

        def record(step_id: str, entry: prog.StepRecord) -> None:
            holder["state"] = holder["state"].with_step(step_id, entry)
            prog.save(path, holder["state"])

        for step in steps:
            if not holder["state"].finished(step.id):
                _walk(run, step, options, env_name, record, ask=ask)
        done = write_completed(run, context, holder["state"], path)
    prog.save(path, done)
    say(f"Release {label} to {env_name!r} completed. Completed checklist: "
        + ", ".join(done.checklist))
    return done


def _walk(run: Run, step: RunStep, options: Options, env_name: str,
          record: Callable[[str, prog.StepRecord], None], *, ask: Ask | None) -> None:
    title = f"step {step.step.number}: {step.step.title}"
    if step.action == NOT_ASKED:
        record(step.id, prog.StepRecord(prog.SKIPPED, who(), now(), prog.AUTOMATED, step.reason))
        run.say(f"-- {title}: skipped ({step.reason})")
        return
    if not step.automated:
        run.say(f"-- {title} (manual)")
        record(step.id, _answer(step, options, env_name, run.say, ask))
        return
    run.say(f"-- {title}")
    record(step.id, prog.StepRecord(prog.STARTED, who(), now(), prog.AUTOMATED))
    try:
        note = carry_out(run, step.action)
    except ReleaseError as error:
        record(step.id, prog.StepRecord(prog.FAILED, who(), now(), prog.AUTOMATED,
                                        error.message[:2000]))
        error.message += (f"\nrelease.run stopped at {title}. Fix the cause, then run `invoke "
                          f"release.run --env {env_name}` again: it resumes at this step.")
        raise
    record(step.id, prog.StepRecord(prog.DONE, who(), now(), prog.AUTOMATED, note))
    if step.id == "reload" and not step.step.automated:
        run.say(f"-- {title}: reload by hand now (manual)")
        record(step.id, _answer(step, options, env_name, run.say, ask))


def _answer(step: RunStep, options: Options, env_name: str, say: Say,
            ask: Ask | None) -> prog.StepRecord:
    for line in _shown(step):
        say(f"   {line}")
    if options.yes:
        return prog.StepRecord(prog.DONE, "--yes", now(),
                               f"confirmed by automation (--yes), run by {who()}")
    if ask is None:
        raise Refused(
            f"release.run stopped at step {step.step.number} ({step.step.title}): it is a "
            "manual step and there is no terminal to ask. Do it, then run `invoke release.run "
            f"--env {env_name}` at a terminal to answer it (and the next ones), or `invoke "
            f"release.run --env {env_name} --yes` to confirm every remaining manual step.")
    while True:
        reply = ask("[d]one, [s]kip (with a reason), s[t]op? ").strip().lower()
        if reply in ("d", "done"):
            return prog.StepRecord(prog.DONE, who(), now(), "answered at the terminal")
        if reply in ("s", "skip"):
            reason = ask("Why is it skipped? ").strip()
            if reason:
                return prog.StepRecord(prog.SKIPPED, who(), now(), "answered at the terminal",
                                       reason)
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
        out.append(f"block {b.id} ({b.file}:{b.line}) by {b.author}")
        out += [f"    line {st.line}: {st.server}" for st in b.statements if st.server]
    return out


def _say_resuming(steps: tuple[RunStep, ...], state: prog.Progress, *, say: Say) -> None:
    if not state.steps:
        return
    for step in steps:
        if not state.finished(step.id):
            record = state.steps.get(step.id)
            why = ""
            if record is not None and record.status == prog.STARTED:
                why = " (it was interrupted while running"
                why += ": the ledger says which statements are applied; only the rest run)" \
                    if step.id == "alters" else "; it runs again)"
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

