"""The runbook as data: steps, their order, who does each, and the values they carry."""

from __future__ import annotations

from datetime import date

from release.alters.findings import Finding
from release.config import BackupsConfig, DatabaseConfig, EnvironmentConfig
from release.docs.checklist import build_checklist
from release.docs.context import (
    AltersBlock,
    ReleaseContext,
    backup_names,
    build_release,
    environment_facts,
)
from tests.support.team_steps import sample_steps

BLOCK = AltersBlock(id="b1", file="alters.sql", line=3, author="bob", date="", description="",
                    ticket="", online="", statements=(),
                    findings=(Finding("alters.sql", 4, 1, "AL011", "DROP COLUMN"),))


def _release(blocks: tuple[AltersBlock, ...] = ()) -> ReleaseContext:
    return build_release(
        project="app", head="a" * 40, head_ref="staging", tag=None, base="master",
        remote="origin", previous="release-1", commits=[], alters_files=["alters.sql"],
        blocks=blocks, file_findings=[], pending_basis="basis", push_instructions="p.txt",
        entries=[], today=date(2026, 11, 26))


def _steps(env: EnvironmentConfig, blocks: tuple[AltersBlock, ...] = ()) -> list[tuple[str, str]]:
    """The steps of the sample application's checklist (with its team's QA checks)."""
    facts = environment_facts(env, checkout="staging")
    context = build_checklist(_release(blocks), facts,
                              backup_names(BackupsConfig(), env, "staging-aaaa"), sample_steps())
    return [(s.id, s.mode) for section in context.sections for s in section.steps]


QA = EnvironmentConfig(name="qa", path="/srv/qa", reload="reload-it",
                       database=DatabaseConfig(name="qatest"))


def test_steps_are_numbered_in_runbook_order_each_automated_or_manual() -> None:
    facts = environment_facts(QA, checkout="staging")
    context = build_checklist(_release(), facts, backup_names(BackupsConfig(), QA, "s-1"))
    steps = [s for section in context.sections for s in section.steps]
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))
    assert dict(_steps(QA))["backup-before"] == "automated"
    assert dict(_steps(QA))["provider-ivr"] == "manual"
    ids = [i for i, _ in _steps(QA)]
    assert ids.index("backup-before") < ids.index("local-changes") < ids.index("checkout") \
        < ids.index("push-instructions") < ids.index("alters") < ids.index("backup-after") \
        < ids.index("reload") < ids.index("provider-registration") < ids.index("recover-database")


def test_empty_steps_say_so_and_lint_errors_are_in_the_warnings() -> None:
    facts = environment_facts(QA, checkout="staging")
    plain = build_checklist(_release(), facts, None)
    alters = next(s for sec in plain.sections for s in sec.steps if s.id == "alters")
    assert alters.empty == "No pending blocks in alters.sql."
    warned = build_checklist(_release((BLOCK,)), facts, None)
    warnings = warned.sections[0].steps[0].notes
    assert any("1 lint error(s)" in note for note in warnings)


def test_without_a_database_or_reload_command_those_steps_become_manual() -> None:
    bare = EnvironmentConfig(name="qa")
    steps = dict(_steps(bare))
    assert steps["backup-before"] == "manual" and steps["backup-after"] == "manual"
    assert steps["reload"] == "manual"
    assert "smoke" not in steps


def test_backup_names_are_per_environment_database_and_release() -> None:
    names = backup_names(BackupsConfig(dir="/var/backups/"), QA, "release 1/2")
    assert names is not None
    assert names.before == "/var/backups/qa-qatest-release-1-2-before-alters.sql.zst.age"
    assert names.after.endswith("-after-alters.sql.zst.age")
    assert backup_names(BackupsConfig(), EnvironmentConfig(name="qa"), "x") is None


def test_production_has_no_clone_or_test_numbers_and_smoke_check_when_configured() -> None:
    prod = EnvironmentConfig(name="production", smoke_url="https://example.invalid/",
                             database=DatabaseConfig(name="mhlogin"))
    steps = dict(_steps(prod))
    assert "clone" not in steps and "test-numbers" not in steps
    assert steps["smoke"] == "automated"


def test_an_environment_that_checks_out_a_tag_is_told_to_tag_first_until_tagged() -> None:
    facts = environment_facts(QA, checkout="release-2", checkout_is_tag=True)
    untagged = build_checklist(_release(), facts, None)
    ids = [s.id for section in untagged.sections for s in section.steps]
    assert "tag" in ids
    checkout = next(s for sec in untagged.sections for s in sec.steps if s.id == "checkout")
    assert checkout.commands == ("git fetch origin", "git checkout release-2")
    branch = build_checklist(_release(), environment_facts(QA, checkout="staging"), None)
    assert "tag" not in [s.id for section in branch.sections for s in section.steps]
