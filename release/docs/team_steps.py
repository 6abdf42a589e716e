"""The team's own steps (`[[checklist.steps]]`) placed among the runbook's built-in ones
(pure): after the built-in step a step names, or in the section it names (a built-in one by
its id or title, or a new one), or else in "QA checks". New sections come after the reload,
before recovery, in the order the file first names them. A step for other environments is
left out. Each is a manual step: the checklist shows it, release.run asks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from release.config import QA_CHECKS, ChecklistStep
from release.docs.step import Section, Step

RECOVERY = "recovery"  # the built-in section new ones go before


def with_team_steps(sections: Sequence[Section], team: Sequence[ChecklistStep],
                    environment: str, intro: str) -> list[Section]:
    """`sections` with the team's steps for `environment` in place; `intro` heads a new
    section."""
    placed = list(sections)
    ours: set[str] = set()
    for wanted in (t for t in team if t.applies_to(environment)):
        step = Step(wanted.step_id, wanted.title, False, wanted.text,
                    commands=wanted.commands)
        ours.add(step.id)
        if wanted.after and _insert_after(placed, wanted.after, step, ours):
            continue
        name = wanted.section or QA_CHECKS
        index = _section_index(placed, name)
        if index is None:
            before = _section_index(placed, RECOVERY)
            index = len(placed) if before is None else before
            placed.insert(index, Section(_section_id(name), name, intro, ()))
        placed[index] = replace(placed[index], steps=(*placed[index].steps, step))
    return placed


def _insert_after(sections: list[Section], step_id: str, step: Step, ours: set[str]) -> bool:
    for i, section in enumerate(sections):
        ids = [s.id for s in section.steps]
        if step_id in ids:
            at = ids.index(step_id) + 1
            # after the step and the team's steps already placed after it, in file order
            while at < len(ids) and ids[at] in ours:
                at += 1
            sections[i] = replace(section, steps=(*section.steps[:at], step,
                                                  *section.steps[at:]))
            return True
    return False  # not in this environment's checklist (a test-only step in production)


def _section_index(sections: Sequence[Section], name: str) -> int | None:
    key = name.strip().lower()
    return next((i for i, s in enumerate(sections)
                 if key in (s.id.lower(), s.title.lower())), None)


def _section_id(title: str) -> str:
    return "team-" + ("-".join("".join(c if c.isalnum() else " " for c in title.lower())
                               .split()) or "steps")
