"""release.docs.qa_steps: a test environment's database steps (clone, scrub verification, test
numbers), from an environment's facts alone."""

from __future__ import annotations

from dataclasses import replace

from release.config import ChecklistStep, DatabaseConfig, EnvironmentConfig, QaValue
from release.docs.context import EnvironmentFacts, environment_facts
from release.docs.qa_steps import qa_database_steps
from tests.support.team_steps import sample_steps

VALUE = QaValue("provider", "mdcom_phone", "id = 1", "'+15005550006'")


def test_numbers() -> ChecklistStep:
    return next(s for s in sample_steps() if s.step_id == "test-numbers")


def facts(name: str, *, database: bool = True, qa_values: bool = False) -> EnvironmentFacts:
    env = EnvironmentConfig(name=name, database=DatabaseConfig(name="qatest") if database
                            else None)
    found = environment_facts(env, checkout="staging")
    return replace(found, qa_values=(VALUE.describe(),)) if qa_values else found


def test_production_has_no_clone_scrub_check_or_test_numbers() -> None:
    production = facts("production", qa_values=True)
    assert qa_database_steps(production) == ()
    # setting test numbers by hand is the sample application's own step, for qa only
    assert not test_numbers().applies_to("production")


def test_a_test_environment_may_be_cloned_and_is_always_checked_to_reach_nobody() -> None:
    clone, verify = qa_database_steps(facts("qa"))
    assert (clone.id, clone.automated) == ("clone", False)
    assert clone.title == "Clone production into qa (optional)"
    assert clone.commands == ("invoke db.clone --from production --to qa",)
    assert "Replace the qatest database" in clone.text
    assert (verify.id, verify.automated) == ("verify-scrub", True)
    assert verify.commands == ("invoke db.verify-scrub --env qa",)


def test_without_a_database_the_steps_say_where_to_configure_one() -> None:
    clone, _ = qa_database_steps(facts("qa", database=False))
    assert "Replace the (no [environments.qa.database] configured) database" in clone.text


def test_qa_values_make_an_automated_step_and_otherwise_a_person_sets_the_numbers() -> None:
    with_values = facts("qa", qa_values=True)
    steps = qa_database_steps(with_values)
    assert [s.id for s in steps] == ["clone", "verify-scrub", "qa-values"]
    assert steps[-1].automated and steps[-1].notes == (
        "provider.mdcom_phone = '+15005550006' WHERE id = 1",)
    # without them a person sets the numbers: the sample application's own step
    by_hand = test_numbers()
    assert (by_hand.step_id, by_hand.after, by_hand.applies_to("qa")) == (
        "test-numbers", "reload", True)
    assert "[[qa.values]]" in by_hand.text
