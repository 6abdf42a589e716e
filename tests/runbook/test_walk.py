"""release.run on local hosts: the checklist walked, every answer recorded, a stopped run
resumed where it stopped, the completed checklist written beside the audit trail."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from release.environment.resolved import resolve_environment
from release.errors import Refused
from release.runbook.progress import Progress
from release.runbook.walk import Options, release_run
from tests.support.site import Site, host_log, ledger_count


def go(site: Site, options: Options, answers: list[str] | None = None) -> tuple[Progress,
                                                                                 list[str]]:
    said: list[str] = []
    replies = iter(answers) if answers is not None else None
    ask = (lambda _prompt: next(replies)) if replies is not None else None  # type: ignore[arg-type]
    config = site.configure()
    state = release_run(site.repo, config, resolve_environment(config, "qa"), options,
                        say=said.append, ask=ask)
    return state, said


def runs_dir(site: Site) -> Path:
    return site.sandbox.app / ".git" / "stagecraft" / "runs"


def test_yes_runs_the_whole_checklist_and_writes_the_completed_one(db_site: Site) -> None:
    state, said = go(db_site, Options(yes=True))
    assert db_site.head() == db_site.staging()
    assert ledger_count(db_site) == 1 and "greeting" in db_site.tables()
    assert state.steps["read-warnings"].who == "--yes"
    assert state.steps["alters"].note == "applied 2026-greeting#1"
    assert state.steps["clone"].status == "skipped"
    [record] = host_log(db_site)
    assert record["result"] == "deployed" and str(record["checklist"]).endswith(".md")
    assert Path(str(record["checklist"])).is_file()
    assert len(record["backups"]) == 2  # type: ignore[arg-type]
    markdown = next(runs_dir(db_site).glob("*-qa.md")).read_text()
    assert "confirmed by automation (--yes)" in markdown
    assert "[x] **1. Read the warnings**" in markdown
    assert next(runs_dir(db_site).glob("*-qa.html")).read_text().startswith("<!DOCTYPE html>")
    _, said = go(db_site, Options())
    assert any("nothing to do, nothing was changed" in line for line in said)
    assert ledger_count(db_site) == 1 and len(host_log(db_site)) == 1


def test_without_a_terminal_it_stops_at_the_first_manual_step_and_says_how_to_go_on(
        db_site: Site) -> None:
    old = db_site.head()
    with pytest.raises(Refused) as refused:
        go(db_site, Options())
    assert "step 1 (Read the warnings)" in refused.value.message
    assert "--yes" in refused.value.message and "at a terminal" in refused.value.message
    assert db_site.head() == old and "release_alters" not in db_site.tables()


def test_answers_are_recorded_and_stop_resumes_at_the_same_step(db_site: Site) -> None:
    # done the warnings, skip the review with a reason, then stop at the push instructions.
    with pytest.raises(Refused, match="as asked"):
        go(db_site, Options(), ["d", "s", "read them yesterday", "t"])
    [progress_file] = runs_dir(db_site).glob("*-qa.json")
    steps = json.loads(progress_file.read_text())["steps"]
    assert steps["review"]["status"] == "skipped"
    assert steps["review"]["note"] == "read them yesterday"
    assert steps["local-changes"]["status"] == "done"
    assert "push-instructions" not in steps
    assert "greeting" not in db_site.tables()
    state, said = go(db_site, Options(yes=True))
    assert any("Resuming release" in line and "Follow the new entries" in line
               for line in said)
    assert not any(line.startswith("-- step 3:") for line in said)  # not repeated
    assert state.steps["review"].who != "--yes"
    assert ledger_count(db_site) == 1


def test_dry_run_prints_the_steps_and_changes_nothing(db_site: Site) -> None:
    old = db_site.head()
    _, said = go(db_site, Options(dry_run=True))
    assert any("Apply the pending alters" in line and "alters.apply" in line for line in said)
    assert db_site.head() == old and "release_alters" not in db_site.tables()
    assert not runs_dir(db_site).exists()


def test_without_a_reload_command_the_hosts_check_out_then_a_person_reloads(
        db_site: Site) -> None:
    said: list[str] = []
    config = db_site.configure(reload="")
    state = release_run(db_site.repo, config, resolve_environment(config, "qa"),
                        Options(yes=True), say=said.append)
    assert db_site.head() == db_site.staging() and not db_site.reload_lines()
    assert any(line.endswith("Reload the application: reload by hand now (manual)")
               for line in said)
    assert state.steps["reload"].who == "--yes"
    [record] = host_log(db_site)
    assert record["result"] == "deployed" and len(record["backups"]) == 2  # type: ignore[arg-type]
    assert record["alters"] == ["2026-greeting#1"]


def test_a_damaged_progress_record_is_named_by_its_path_exit_1(site: Site) -> None:
    with pytest.raises(Refused, match="as asked"):
        go(site, Options(), ["d", "t"])
    [progress_file] = runs_dir(site).glob("*-qa.json")
    progress_file.write_text(progress_file.read_text().replace('"done"', '"half done"', 1))
    done = subprocess.run([sys.executable, "-m", "invoke", "release.run", "--env", "qa"],
                          cwd=site.sandbox.app, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 1, done.stderr
    assert f"the progress record {progress_file} cannot be read" in done.stderr
    assert "status" in done.stderr and "Traceback" not in done.stderr


def test_the_review_step_shows_each_new_entry_and_pending_block_before_asking(
        db_site: Site) -> None:
    with pytest.raises(Refused, match="as asked"):
        go(db_site, Options(), ["d", "t"])  # done the warnings, stop at the review
    said: list[str] = []
    config = db_site.configure()
    with pytest.raises(Refused, match="as asked"):
        release_run(db_site.repo, config, resolve_environment(config, "qa"), Options(),
                    say=said.append, ask=lambda _prompt: "t")
    review = said[said.index(next(line for line in said if "(manual)" in line)):]
    text = "\n".join(review)
    assert "1 new push-instruction entry and 1 pending alters block are listed below" in text
    assert "2026-01-05 ann:" in text and "clear the page cache after the deploy" in text
    assert "block 2026-greeting (alters.sql:1) by ann" in text
    assert "line 3: CREATE TABLE greeting (id int PRIMARY KEY, text varchar(40) NULL);" in text


def test_the_preflight_says_a_database_never_cloned_into_holds_no_clone(db_site: Site) -> None:
    db_site.configure()
    shown = db_site.sandbox.invoke("deploy.preflight", "--env", "qa")
    assert shown.returncode == 0, shown.stderr
    assert "ok     it was never cloned into: no copy of production to verify" in shown.stdout
    assert "its last clone is verified" not in shown.stdout


def test_the_teams_own_steps_are_in_the_checklist_and_asked_by_release_run(
        db_site: Site) -> None:
    team = ('[[checklist.steps]]\ntitle = "Place a test order"\ntext = "With the test card."\n'
            '[[checklist.steps]]\ntitle = "Warm the cache"\nafter = "reload"\n'
            'environments = ["qa"]\n')
    config = db_site.configure(extra=team)
    shown = db_site.sandbox.invoke("release.checklist", "--env", "qa").stdout
    assert "## QA checks" in shown and "Place a test order" in shown
    assert shown.index("Reload the application") < shown.index("Warm the cache") \
        < shown.index("Place a test order") < shown.index("An alter failed")
    assert "paging" not in shown and "telephony" not in shown
    said: list[str] = []
    state = release_run(db_site.repo, config, resolve_environment(config, "qa"),
                        Options(yes=True), say=said.append)
    assert state.steps["check-place-a-test-order"].who == "--yes"
    assert state.steps["check-warm-the-cache"].status == "done"
    assert any(line.endswith("Place a test order (manual)") for line in said)
    assert "   With the test card." in said
    markdown = next(runs_dir(db_site).glob("*-qa.md")).read_text()
    assert "Place a test order" in markdown
