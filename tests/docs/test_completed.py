"""release.docs.completed: the completed checklist release.run writes, from the checklist and
the answers it recorded; rendered through the shipped templates."""

from __future__ import annotations

from datetime import date

from release.config import DatabaseConfig, EnvironmentConfig
from release.docs.checklist import ChecklistContext, build_checklist
from release.docs.completed import NOT_RUN, Answer, completed, render_completed
from release.docs.context import build_release, environment_facts

QA = EnvironmentConfig(name="qa", path="/srv/qa", reload="reload-it",
                       database=DatabaseConfig(name="qatest"))
DONE = Answer("done", "ann", "2026-11-26 10:02", "confirmed at the terminal")
SKIPPED = Answer("skipped", "ann", "2026-11-26 10:03", "skipped", note="nothing to clone")


def _checklist() -> ChecklistContext:
    release = build_release(
        project="app", head="a" * 40, head_ref="staging", tag="release-1", base="master",
        remote="origin", previous=None, commits=[], alters_files=["alters.sql"], blocks=[],
        file_findings=[], pending_basis="basis", push_instructions="p.txt", entries=[],
        today=date(2026, 11, 26))
    return build_checklist(release, environment_facts(QA, checkout="staging"), None)


def test_every_step_carries_its_answer_and_unanswered_ones_say_not_run() -> None:
    checklist = _checklist()
    found = completed(checklist, {"reload": DONE, "clone": SKIPPED},
                      release="release-1", sha="a" * 40, started="10:00", finished="10:05")
    steps = {s.title: s for section in found.sections for s in section.steps}
    every = [s for section in checklist.sections for s in section.steps]
    assert len(steps) == len(every)
    assert steps["Reload the application"].answer == DONE
    assert steps["Clone production into qa (optional)"].answer == SKIPPED
    unanswered = [s for s in steps.values() if s.answer not in (DONE, SKIPPED)]
    assert unanswered and all(s.answer == NOT_RUN for s in unanswered)
    assert NOT_RUN.status == "not run"
    assert (found.environment, found.release, found.started, found.completed) == \
        ("qa", "release-1", "10:00", "10:05")
    assert found.title.endswith(": completed")


def test_the_completed_checklist_renders_as_markdown_and_html() -> None:
    found = completed(_checklist(), {"reload": DONE}, release="release-1",
                      sha="a" * 40, started="10:00", finished="10:05")
    text = render_completed(found, "md", app_root=None)
    assert "- Environment: **qa**" in text and "(`aaaaaaaaaaaa`)" in text
    assert "Reload the application** (automated): done by ann at 2026-11-26 10:02" in text
    assert "confirmed at the terminal" in text and ": not run" in text
    html = render_completed(found, "html", app_root=None)
    assert html.startswith("<!DOCTYPE html>") and "Reload the application" in html
