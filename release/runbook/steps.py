"""release.run's steps: the checklist's steps for the environment (one definition, from
release.docs.checklist), each with what the run does about it. `--dry-run` prints this list
and the run carries it out, in this order.

REGISTRY is the one list of what the run can do for a step: its id (the checklist step's),
what it does (as the plan prints it), when it runs, and its action. A checklist step with no
entry is asked of a person.

The checklist keeps the runbook's order. Where deploy.run does one thing in a safer order,
the step says so: "checkout" fetches the release on every host, and the hosts check it out at
"reload", host by host with the smoke check (a host never runs the release on the old schema,
and a failing host is put back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from release.docs.checklist import ChecklistContext
from release.docs.step import Step
from release.runbook import actions
from release.runbook.progress import Produced

# What the run does about a step (its kind).
AUTOMATED, ASK, NOT_ASKED = "automated", "ask", "not asked"
# When a registered step runs.
AS_MARKED = "as marked"        # when the checklist marks it automated; else a person is asked
WITH_CLONE = "with --clone"    # only with --clone; else skipped by itself
ALWAYS = "always"              # always; a person is asked afterwards when it is marked manual
NOT_RUN_SECTIONS = ("recovery",)  # only when something failed: shown, never walked
NO_CLONE = "no --clone: the database is used as it is"
REVIEW = "review"  # the checklist's step that asks for the entries and blocks to be read
RUNS_AGAIN = "; it runs again"


@dataclass(frozen=True)
class Entry:
    id: str
    description: str                      # what the run does for it
    action: Callable[[actions.Run], Produced]
    runs: str = AS_MARKED
    then_ask: str = ""          # ALWAYS: what a person does afterwards when it is marked manual
    resumed: str = RUNS_AGAIN   # what a run interrupted during it does next (after "running")


REGISTRY: tuple[Entry, ...] = (
    Entry("staging-pushed", "check the release on the remote and a clean work tree",
          actions.staging),
    Entry("clone", "db.clone production into this environment, scrub, verify", actions.clone,
          runs=WITH_CLONE),
    Entry("verify-scrub", "db.verify-scrub", actions.verify),
    Entry("qa-values", "set [[qa.values]] and check each is a test number", actions.qa_values),
    Entry("backup-before", "encrypted dump before the alters", actions.backup_before),
    Entry("local-changes", "deploy.preflight", actions.preflight),
    Entry("checkout", "git fetch on every host (checked out at the reload)", actions.fetch),
    Entry("alters", "alters.apply through the ledger (resumes from it)", actions.alters,
          resumed=": the ledger says which statements are applied; only the rest run"),
    Entry("backup-after", "encrypted dump after the alters", actions.backup_after),
    # Without a reload command the hosts still check out (and smoke-check) the release here,
    # host by host; then a person reloads.
    Entry("reload", "check out, reload and smoke-check host by host; audit record",
          actions.roll, runs=ALWAYS, then_ask="reload by hand now"),
    Entry("smoke", "smoke check (run with the reload, host by host)", actions.smoke),
)
BY_ID = {entry.id: entry for entry in REGISTRY}


@dataclass(frozen=True)
class RunStep:
    step: Step
    section: str
    kind: str                   # AUTOMATED, ASK or NOT_ASKED
    entry: Entry | None = None  # what runs, when AUTOMATED
    reason: str = ""            # why NOT_ASKED

    @property
    def id(self) -> str:
        return self.step.id

    @property
    def automated(self) -> bool:
        return self.kind == AUTOMATED

    @property
    def then_ask(self) -> str:
        """What a person is asked to do after the run did its part ("": nothing)."""
        if self.automated and not self.step.automated and self.entry is not None:
            return self.entry.then_ask
        return ""

    def describe(self) -> str:
        if self.kind == AUTOMATED and self.entry is not None:
            what = f"run {self.entry.description}"
        else:
            what = "ask" if self.kind == ASK else f"skip ({self.reason})"
        return f"{self.step.number:>2}. {self.step.title}: {what}"


def run_steps(checklist: ChecklistContext, *, clone: bool) -> tuple[RunStep, ...]:
    return tuple(kind_of(_with_what_it_reviews(step, checklist), section.id, clone=clone)
                 for section in checklist.sections if section.id not in NOT_RUN_SECTIONS
                 for step in section.steps)


def _with_what_it_reviews(step: Step, checklist: ChecklistContext) -> Step:
    """The review step asks a person to read the new push-instruction entries and the pending
    blocks before anything changes: at a terminal they are shown with it (the checklist lists
    them in their own sections further down)."""
    if step.id != REVIEW:
        return step
    release = checklist.release
    return replace(step, entries=release.entries, blocks=release.blocks)


def kind_of(step: Step, section: str, *, clone: bool) -> RunStep:
    entry = BY_ID.get(step.id)
    if entry is None:
        return RunStep(step, section, ASK)
    if entry.runs == WITH_CLONE:
        return RunStep(step, section, AUTOMATED, entry) if clone else \
            RunStep(step, section, NOT_ASKED, reason=NO_CLONE)
    if entry.runs == ALWAYS or step.automated:
        return RunStep(step, section, AUTOMATED, entry)
    return RunStep(step, section, ASK)


def lines(steps: tuple[RunStep, ...], finished: Mapping[str, str]) -> list[str]:
    """The plan as printed: each step, and what an earlier run already did about it."""
    out = []
    for step in steps:
        done = finished.get(step.id)
        out.append(f"  {step.describe()}" + (f"  [{done} already]" if done else ""))
    return out
