"""release.run's steps: the checklist's steps for the environment (one definition, from
release.docs.checklist), each with what the run does about it (pure). `--dry-run` prints this
list and the run carries it out, in this order.

The checklist keeps the runbook's order. Where deploy.run does one thing in a safer order,
the step says so: "checkout" fetches the release on every host, and the hosts check it out at
"reload", host by host with the smoke check (a host never runs the release on the old schema,
and a failing host is put back).
"""

from __future__ import annotations

from dataclasses import dataclass

from release.docs.checklist import ChecklistContext
from release.docs.step import Step

ASK, NOT_ASKED = "ask", "not asked"
ACTIONS = {  # automated checklist step -> what release.run runs for it
    "staging-pushed": "check the release on the remote and a clean work tree",
    "clone": "db.clone production into this environment, scrub, verify",
    "verify-scrub": "db.verify-scrub",
    "qa-values": "set [[qa.values]] and check each is a test number",
    "backup-before": "encrypted dump before the alters",
    "local-changes": "deploy.preflight",
    "checkout": "git fetch on every host (checked out at the reload)",
    "alters": "alters.apply through the ledger (resumes from it)",
    "backup-after": "encrypted dump after the alters",
    "reload": "check out, reload and smoke-check host by host; audit record",
    "smoke": "smoke check (run with the reload, host by host)",
}
NOT_RUN_SECTIONS = ("recovery",)  # only when something failed: shown, never walked


@dataclass(frozen=True)
class RunStep:
    step: Step
    section: str
    action: str     # an ACTIONS key, ASK (a person answers) or NOT_ASKED (skipped by itself)
    reason: str = ""  # why NOT_ASKED

    @property
    def id(self) -> str:
        return self.step.id

    @property
    def automated(self) -> bool:
        return self.action not in (ASK, NOT_ASKED)

    def describe(self) -> str:
        what = {ASK: "ask", NOT_ASKED: f"skip ({self.reason})"}.get(
            self.action, f"run {ACTIONS.get(self.action, self.action)}")
        return f"{self.step.number:>2}. {self.step.title}: {what}"


def run_steps(checklist: ChecklistContext, *, clone: bool) -> tuple[RunStep, ...]:
    steps: list[RunStep] = []
    for section in checklist.sections:
        if section.id in NOT_RUN_SECTIONS:
            continue
        for step in section.steps:
            steps.append(_one(step, section.id, clone=clone))
    return tuple(steps)


def _one(step: Step, section: str, *, clone: bool) -> RunStep:
    if step.id == "clone":
        if clone:
            return RunStep(step, section, "clone")
        return RunStep(step, section, NOT_ASKED, "no --clone: the database is used as it is")
    if step.automated and step.id in ACTIONS:
        return RunStep(step, section, step.id)
    if step.id == "reload":
        # No reload command: the hosts still check out (and smoke-check) the release here,
        # then a person reloads.
        return RunStep(step, section, "reload")
    return RunStep(step, section, ASK)


def lines(steps: tuple[RunStep, ...], finished: dict[str, str]) -> list[str]:
    """The plan as printed: each step, and what an earlier run already did about it."""
    out = []
    for step in steps:
        done = finished.get(step.id)
        out.append(f"  {step.describe()}" + (f"  [{done} already]" if done else ""))
    return out
