"""The completed checklist release.run writes at the end: every step of the checklist with
who answered it, when and how (pure values; rendered by release.docs.render)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from release.docs.checklist import ChecklistContext
from release.docs.render import render


@dataclass(frozen=True)
class Answer:
    status: str   # done | skipped | not run
    who: str
    when: str
    how: str
    note: str = ""


@dataclass(frozen=True)
class CompletedStep:
    number: int
    title: str
    mode: str
    answer: Answer


@dataclass(frozen=True)
class CompletedSection:
    title: str
    steps: tuple[CompletedStep, ...]


@dataclass(frozen=True)
class CompletedChecklist:
    title: str
    environment: str
    release: str
    sha: str
    started: str
    completed: str
    sections: tuple[CompletedSection, ...]


NOT_RUN = Answer("not run", "", "", "only when something failed")


def completed(checklist: ChecklistContext, answers: dict[str, Answer], *, release: str,
              sha: str, started: str, finished: str) -> CompletedChecklist:
    sections = tuple(
        CompletedSection(section.title, tuple(
            CompletedStep(step.number, step.title, step.mode, answers.get(step.id, NOT_RUN))
            for step in section.steps))
        for section in checklist.sections)
    return CompletedChecklist(title=f"{checklist.title}: completed", release=release,
                              environment=checklist.environment.name, sha=sha,
                              started=started, completed=finished, sections=sections)


def render_completed(context: CompletedChecklist, fmt: str, *, app_root: Path | None) -> str:
    return render(f"run.{fmt}.j2", context, app_root=app_root)
