"""release.run's step registry over plain values: which checklist steps the run carries out,
asks a person, or skips, for a test environment and production, with and without --clone;
and the plan lines `--dry-run` prints."""

from __future__ import annotations

from datetime import date

from release.config import BackupsConfig, DatabaseConfig, EnvironmentConfig
from release.docs.checklist import ChecklistContext, build_checklist
from release.docs.context import backup_names, build_release, environment_facts
from release.runbook.steps import (
    ASK,
    AUTOMATED,
    BY_ID,
    NOT_ASKED,
    REGISTRY,
    RunStep,
    lines,
    run_steps,
)
from tests.support.team_steps import sample_steps

QA = EnvironmentConfig(name="qa", path="/srv/qa", reload="reload-it",
                       smoke_url="http://qa.example/", database=DatabaseConfig(name="qatest"))
PRODUCTION = EnvironmentConfig(name="production", path="/srv/app", ref="tag",
                               database=DatabaseConfig(name="app"))
BARE = EnvironmentConfig(name="demo", path="/srv/demo")   # no database, no reload


def checklist(env: EnvironmentConfig) -> ChecklistContext:
    release = build_release(
        project="app", head="a" * 40, head_ref="staging", tag=None, base="master",
        remote="origin", previous="release-1", commits=[], alters_files=["alters.sql"],
        blocks=(), file_findings=[], pending_basis="basis", push_instructions="p.txt",
        entries=[], today=date(2026, 11, 26))
    backups = backup_names(BackupsConfig(), env, "s-1") if env.database else None
    return build_checklist(release, environment_facts(env, checkout="staging"), backups,
                           sample_steps())


def kinds(env: EnvironmentConfig, *, clone: bool) -> dict[str, str]:
    return {s.id: s.kind for s in run_steps(checklist(env), clone=clone)}


def automated(env: EnvironmentConfig, *, clone: bool) -> list[str]:
    return [s.id for s in run_steps(checklist(env), clone=clone) if s.kind == AUTOMATED]


def test_the_registry_has_one_entry_per_step_id_each_with_a_description() -> None:
    ids = [entry.id for entry in REGISTRY]
    assert len(ids) == len(set(ids)) == len(BY_ID)
    assert all(entry.description for entry in REGISTRY)


def test_qa_without_clone_runs_its_database_steps_and_skips_the_clone() -> None:
    assert automated(QA, clone=False) == [
        "staging-pushed", "verify-scrub", "backup-before", "local-changes", "checkout",
        "alters", "backup-after", "reload", "smoke"]
    assert kinds(QA, clone=False)["clone"] == NOT_ASKED


def test_qa_with_clone_runs_the_clone_before_the_scrub_verification() -> None:
    found = automated(QA, clone=True)
    assert found.index("clone") < found.index("verify-scrub") < found.index("backup-before")


def test_production_has_no_clone_and_no_qa_steps_and_asks_for_the_manual_ones() -> None:
    found = kinds(PRODUCTION, clone=False)
    assert "clone" not in found and "verify-scrub" not in found
    assert found["read-warnings"] == ASK and found["push-instructions"] == ASK
    assert found["provider-registration"] == ASK
    assert automated(PRODUCTION, clone=False) == [
        "staging-pushed", "backup-before", "local-changes", "checkout", "alters",
        "backup-after", "reload"]


def test_the_recovery_section_is_never_walked() -> None:
    assert not any(s.section == "recovery" for s in run_steps(checklist(QA), clone=True))


def test_a_reload_without_a_command_still_rolls_then_asks_a_person() -> None:
    steps = {s.id: s for s in run_steps(checklist(PRODUCTION), clone=False)}
    assert steps["reload"].kind == AUTOMATED
    assert steps["reload"].then_ask == "reload by hand now"
    with_command = {s.id: s for s in run_steps(checklist(QA), clone=False)}
    assert with_command["reload"].kind == AUTOMATED and not with_command["reload"].then_ask


def test_without_a_database_the_backups_are_asked_and_the_alters_still_run() -> None:
    found = kinds(BARE, clone=False)
    assert found["backup-before"] == ASK and found["backup-after"] == ASK
    assert found["alters"] == AUTOMATED


def test_the_plan_lines_say_what_runs_what_is_asked_and_what_was_done_already() -> None:
    steps = run_steps(checklist(QA), clone=False)
    printed = lines(steps, {"read-warnings": "done", "staging-pushed": "skipped"})
    assert printed[:4] == [
        "   1. Read the warnings: ask  [done already]",
        "   2. staging is at aaaaaaaaaa on origin: run check the release on the remote and a "
        "clean work tree  [skipped already]",
        "   3. Review the push instructions and alters for developer notes: ask",
        "   4. Clone production into qa (optional): skip (no --clone: the database is used as "
        "it is)",
    ]
    assert "  10. Apply the pending alters to qatest: run alters.apply through the ledger " \
        "(resumes from it)" in printed
    assert len(printed) == len(steps)


def test_a_step_describes_itself_from_its_kind() -> None:
    step = next(s for s in run_steps(checklist(QA), clone=True) if s.id == "clone")
    assert step.describe() == (" 4. Clone production into qa (optional): run db.clone "
                               "production into this environment, scrub, verify")
    skipped = RunStep(step.step, step.section, NOT_ASKED, reason="why not")
    assert skipped.describe().endswith(": skip (why not)")
