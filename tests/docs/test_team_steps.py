"""A team's own steps (`[[checklist.steps]]`) among the built-in ones, on a repository that is
not the sample application: after a built-in step, in a section of their own or a built-in
one, only in the environments named; a new repository's checklist has no product checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from release.config import BUILT_IN_STEPS, BackupsConfig, ChecklistStep, DatabaseConfig
from release.config import EnvironmentConfig as Env
from release.docs.checklist import ChecklistContext, build_checklist
from release.docs.context import backup_names, build_release, environment_facts

QA = Env(name="qa", path="/srv/qa", reload="r", smoke_url="http://qa.example/",
         database=DatabaseConfig(name="shop_qa"))
PRODUCTION = Env(name="production", path="/srv/shop", ref="tag",
                 database=DatabaseConfig(name="shop"))
TEAM = (
    ChecklistStep("Place a test order", text="Buy the test product with the test card.",
                  commands=("open https://qa.example/shop",)),
    ChecklistStep("Warm the cache", after="reload", environments=("production",)),
    ChecklistStep("Check the invoice PDF", section="Billing"),
    ChecklistStep("Tell support the release is out", section="recovery", id="tell-support"),
    ChecklistStep("Check the refund flow", section="Billing", environments=("qa",)),
)


def checklist(env: Env, team: tuple[ChecklistStep, ...] = TEAM,
              **release: object) -> ChecklistContext:
    facts = environment_facts(env, checkout="staging", checkout_is_tag=env.ref == "tag")
    context = build_release(
        project="shop", head="b" * 40, head_ref="staging", tag=None, base="main",
        remote="origin", previous=None, commits=[], alters_files=["alters.sql"], blocks=(),
        file_findings=[], pending_basis="basis", push_instructions="p.txt", entries=[],
        today=date(2026, 12, 5))
    return build_checklist(context, facts, backup_names(BackupsConfig(), env, "x"), team)


def sections(context: ChecklistContext) -> list[tuple[str, list[str]]]:
    return [(s.title, [step.title for step in s.steps]) for s in context.sections]


def test_team_steps_go_where_they_say_and_only_in_their_environments() -> None:
    qa = dict(sections(checklist(QA)))
    assert qa["QA checks"] == ["Place a test order"]
    assert qa["Billing"] == ["Check the invoice PDF", "Check the refund flow"]
    assert qa["When things go wrong (recovery)"][-1] == "Tell support the release is out"
    assert "Warm the cache" not in str(qa)
    prod = sections(checklist(PRODUCTION))
    reload = dict(prod)["Reload"]
    assert reload == ["Reload the application", "Warm the cache"]
    titles = [title for title, _ in prod]
    assert titles[titles.index("Reload") + 1:] == [
        "QA checks", "Billing", "When things go wrong (recovery)"]
    assert dict(prod)["Billing"] == ["Check the invoice PDF"]


def test_team_steps_are_manual_numbered_with_their_text_and_commands() -> None:
    context = checklist(QA)
    steps = [s for section in context.sections for s in section.steps]
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))
    order = next(s for s in steps if s.title == "Place a test order")
    assert (order.id, order.mode, order.text, order.commands) == (
        "check-place-a-test-order", "manual", "Buy the test product with the test card.",
        ("open https://qa.example/shop",))
    assert next(s for s in steps if s.title.startswith("Tell support")).id == "tell-support"
    intro = next(s for s in context.sections if s.title == "QA checks").intro
    assert "Treat qa with care" in intro


def test_a_new_repository_has_only_the_runbooks_generic_steps() -> None:
    for env in (QA, PRODUCTION):
        text = str(sections(checklist(env, team=())))
        for product in ("paging", "IVR", "DoctorCom", "Twilio", "telephony", "provider",
                        "QA checks"):
            assert product not in text, (env.name, product)


def test_the_built_in_step_ids_a_team_may_name_are_the_checklists_own() -> None:
    release = checklist(QA).release
    variants = [environment_facts(env, checkout="staging") for env in
                (QA, PRODUCTION, Env(name="demo", path="/srv/demo"))]
    variants += [environment_facts(QA, checkout="release-1", checkout_is_tag=True),
                 replace(environment_facts(QA, checkout="staging"),
                         qa_values=("t.c = 1 WHERE id = 1",))]
    every = {s.id for facts in variants
             for section in build_checklist(release, facts, None).sections
             for s in section.steps}
    assert every == set(BUILT_IN_STEPS)
