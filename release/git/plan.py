"""A writing git task as one value: the fetch, then the steps; printed by `--dry-run` and
carried out by the real run from the same value, so the two cannot drift apart.

A plan is made from read-only facts (local refs and `git ls-remote`). Its first step, the
fetch, can show that those facts were out of date (the remote moved, or commits not fetched
yet decide the plan), so the real run plans again after fetching and stops if the plan
changed, rather than silently running a different one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from release.console import Say, confirm, plan_heading, plan_step
from release.errors import Failed, Refused
from release.git.repo import GitStep, Repository


@dataclass(frozen=True)
class Plan:
    title: str
    fetch: GitStep | None = None
    steps: tuple[GitStep, ...] = ()
    notes: tuple[str, ...] = ()       # what the plan assumed before fetching
    question: str | None = None      # asked after the fetch, before the first other step


class MergeConflict(Refused):
    """A merge step stopped on a conflict and was undone by its on_conflict steps."""

    def __init__(self, step: GitStep, paths: list[str]) -> None:
        listing = "\n".join(f"  {path}" for path in paths)
        super().__init__(f"`{step}` conflicts in:\n{listing}")
        self.paths = paths


def step(*args: str, on_conflict: tuple[GitStep, ...] = ()) -> GitStep:
    return GitStep(tuple(args), on_conflict)


def render(plan: Plan, *, dry_run: bool) -> list[str]:
    """The plan as the person reads it; every git command on a line of its own."""
    lines = [plan_heading(plan.title, dry_run=dry_run)]
    lines += [f"  note: {note}" for note in plan.notes]
    if plan.fetch:
        lines.append(plan_step(str(plan.fetch), dry_run=dry_run))
    if plan.question and dry_run:
        lines.append(f"  would ask: {plan.question}")
    for each in plan.steps:
        lines.append(plan_step(str(each), dry_run=dry_run))
        lines += [plan_step(str(undo), dry_run=dry_run, indent="    if it conflicts, ")
                  for undo in each.on_conflict]
    return lines


def carry_out(repo: Repository, plan: Plan, *, replan: Callable[[], Plan],
              assume_yes: bool) -> None:
    """Fetch, check the plan still holds (`replan` makes it again from fetched refs), ask
    if it says to, then run its steps."""
    if plan.fetch:
        repo.execute(plan.fetch)
        fetched = replan()
        if fetched.steps != plan.steps:
            raise Refused(_drift(plan, fetched))
        plan = fetched  # the same steps; its question counts commits fetched just now
    if plan.question:
        confirm(plan.question, assume_yes=assume_yes)
    for done, each in enumerate(plan.steps):
        try:
            repo.execute(each)
        except Failed as error:
            if each.on_conflict and (paths := repo.conflicted_paths()):
                for undo in each.on_conflict:
                    repo.execute(undo)
                raise MergeConflict(each, paths) from None
            raise _half_done(plan, done, error) from None


def _drift(planned: Plan, fetched: Plan) -> str:
    def listing(steps: tuple[GitStep, ...]) -> str:
        return "\n".join(f"  {each}" for each in steps) or "  (nothing)"

    return (
        f"the fetch showed the remote is not what this plan was made from (it moved, or "
        f"held commits not fetched before), so it stopped after `{planned.fetch}`. "
        f"Planned:\n{listing(planned.steps)}\nWith what was fetched it would be:\n"
        f"{listing(fetched.steps)}\nNothing else was changed. Run the task again (with "
        "--dry-run first to see the new plan)."
    )


def _half_done(plan: Plan, failed: int, error: Failed) -> Failed:
    ran = ([plan.fetch] if plan.fetch else []) + list(plan.steps[:failed])
    if not ran:
        return error
    finished = "\n".join(f"  done: {each}" for each in ran)
    remaining = "".join(f"\n  not run: {each}" for each in plan.steps[failed + 1:])
    return Failed(
        f"{error.message}\nThis left {plan.title} half done:\n{finished}\n"
        f"  failed: {plan.steps[failed]}{remaining}\nFix the cause and run the remaining "
        "commands by hand, or re-run the task."
    )


def run(repo: Repository, make: Callable[[bool], Plan], *, dry_run: bool, say: Say,
        assume_yes: bool = False) -> Plan:
    """Make the plan from what is known before fetching (`make(False)`), print it, and unless
    this is a dry run carry it out, re-made from fetched refs (`make(True)`) after the fetch."""
    plan = make(False)
    for line in render(plan, dry_run=dry_run):
        say(line)
    if not dry_run:
        carry_out(repo, plan, replan=lambda: make(True), assume_yes=assume_yes)
    return plan
