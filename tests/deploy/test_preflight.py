"""The preflight's report over plain values: checks found by id (never by their text), every
problem listed under its check, and the refusal that says what to fix."""

from __future__ import annotations

from release.deploy.preflight import DATABASE, LOCK, REF, Check, Preflight


def report(*checks: Check) -> Preflight:
    return Preflight("qa", checks, None, ())


def test_a_check_is_found_by_its_id() -> None:
    found = report(Check(DATABASE, "the database is reachable", ("refused",)),
                   Check(LOCK, "no other deploy of this environment is running"))
    assert found.failed(DATABASE) and not found.failed(LOCK)
    assert not found.failed(REF) and found.check(REF) is None
    assert found.check(LOCK) == Check(LOCK, "no other deploy of this environment is running")


def test_the_lines_show_each_check_its_note_when_ok_and_its_problems() -> None:
    found = report(Check(REF, "the ref exists on the remote", note="staging = abc"),
                   Check(DATABASE, "the database is reachable", ("refused", "again"), "qatest"))
    assert found.lines() == ["  ok     the ref exists on the remote: staging = abc",
                             "  FAILED the database is reachable",
                             "         refused", "         again"]
    assert not found.ok


def test_the_refusal_names_the_environment_and_says_nothing_was_changed() -> None:
    refusal = report(Check(LOCK, "no other deploy of this environment is running",
                           ("held by ann",))).refusal()
    assert refusal.startswith("deploy to 'qa' refused by its preflight checks:\n")
    assert "held by ann" in refusal and refusal.endswith("nothing was changed.")
