"""deploy.run on local hosts (folders): the runbook's deploy in order, and its refusals."""

from __future__ import annotations

from itertools import dropwhile, takewhile
from pathlib import Path

import pytest

from release.db.clones import state as clone_state
from release.db.connection import connect
from release.db.target import resolve
from release.deploy.run import Options, deploy
from release.environment.resolved import resolve_environment
from release.errors import Failed, Refused, Uncertain
from tests.support.git import git
from tests.support.site import Site, host_log, ledger_count, make_site
from tests.support.toml import Host

YES = Options(yes=True)


def run(site: Site, options: Options = YES, **configure: object) -> list[str]:
    said: list[str] = []
    config = site.configure(**configure)  # type: ignore[arg-type]
    deploy(site.repo, config, resolve_environment(config, "qa"), options, say=said.append)
    return said


def test_deploy_checks_out_applies_alters_once_reloads_once_and_records(db_site: Site) -> None:
    old = db_site.head()
    run(db_site)
    assert db_site.head() == db_site.staging()
    assert "greeting" in db_site.tables()
    assert ledger_count(db_site) == 1
    assert db_site.reload_lines() == [f"{db_site.staging()} {db_site.servers[0]}"]
    [record] = host_log(db_site)
    assert record["result"] == "deployed"
    assert (record["from_sha"], record["to_sha"]) == (old, db_site.staging())
    assert record["alters"] == ["2026-greeting#1"]
    assert len(record["backups"]) == 2  # type: ignore[arg-type]
    with db_site.mariadb.connect(db_site.database) as conn, conn.cursor() as cur:  # type: ignore[union-attr]
        cur.execute("SELECT COUNT(*) FROM release_deploys")
        assert cur.fetchone() == (1,)
    run(db_site)
    assert ledger_count(db_site) == 1  # applied once, even when deployed twice


def test_modified_tracked_file_stops_before_any_change_naming_it(db_site: Site) -> None:
    old = db_site.head()
    (db_site.servers[0] / "app.py").write_text("print('hand edit')\n")
    (db_site.servers[0] / "notes.txt").write_text("untracked files do not count\n")
    with pytest.raises(Refused) as refused:
        run(db_site)
    assert "M app.py" in refused.value.message
    assert "notes.txt" not in refused.value.message
    assert db_site.head() == old
    assert (db_site.servers[0] / "app.py").read_text() == "print('hand edit')\n"
    assert "release_alters" not in db_site.tables() and "greeting" not in db_site.tables()
    assert db_site.reload_lines() == []
    assert [r["result"] for r in host_log(db_site)] == ["refused"]


def test_staged_and_deleted_files_are_each_listed(site: Site) -> None:
    (site.servers[0] / "tasks.py").unlink()
    (site.servers[0] / "app.py").write_text("print('staged')\n")
    git(site.servers[0], "add", "app.py")
    with pytest.raises(Refused) as refused:
        run(site, database=False)
    assert "M  app.py" in refused.value.message and " D tasks.py" in refused.value.message


def test_failing_reload_puts_the_code_back(site: Site) -> None:
    old = site.head()
    with pytest.raises(Failed) as failed:
        run(site, database=False, reload=f'test "$(git rev-parse HEAD)" != {site.staging()}')
    assert site.head() == old
    assert "rolled back at reload" in failed.value.message
    [record] = host_log(site)
    assert (record["result"], record["step"]) == ("rolled back", "reload")


def test_a_reload_that_fails_silently_twice_says_why_on_screen_and_in_the_record(
        site: Site) -> None:
    with pytest.raises(Uncertain) as stopped:
        run(site, database=False, reload="exit 7")
    assert stopped.value.exit_code == 3
    why = "`exit 7` exit 7, printing nothing"
    assert f"(failed at reload: {why}; putting it back failed too: {why})" \
        in stopped.value.message
    [record] = host_log(site)
    assert record["reason"] == f"{why}; putting it back failed too: {why}"


def test_failing_smoke_check_puts_the_code_back(site: Site) -> None:
    from release.hosts.ssh import free_port

    old = site.head()
    with pytest.raises(Failed, match="smoke check"):
        run(site, database=False, smoke_url=f"http://127.0.0.1:{free_port()}/")
    assert site.head() == old
    # The release was reloaded, then the previous commit was reloaded again.
    assert [line.split()[0] for line in site.reload_lines()] == [site.staging(), old]


def test_dry_run_changes_nothing_and_prints_the_plan_the_run_carries_out(db_site: Site) -> None:
    old = db_site.head()
    planned = run(db_site, Options(dry_run=True, yes=True))
    assert db_site.head() == old and db_site.reload_lines() == []
    assert "release_alters" not in db_site.tables()
    assert not (db_site.servers[0] / ".git" / "stagecraft" / "deploys.jsonl").exists()
    ran = run(db_site)
    steps = [line.split("would run: ", 1)[1] for line in planned if "would run: " in line]
    # The deploy's plan is the first block of `run:` lines; alters.apply, inside the deploy,
    # prints its own plan through the same say further down.
    shown = dropwhile(lambda line: not line.startswith("  run: "), ran)
    assert steps and steps == [line.split("run: ", 1)[1]
                               for line in takewhile(lambda line: line.startswith("  run: "),
                                                     shown)]
    assert any("2026-greeting#1" in step for step in steps)


def test_qa_refuses_while_its_database_holds_an_unverified_copy_of_production(
        db_site: Site) -> None:
    config = db_site.configure()
    with connect(resolve(config, "qa").credentials) as conn:
        clone_state.record(conn, source="production", state="restored", detail="not scrubbed")
    old = db_site.head()
    with pytest.raises(Refused, match="verify-scrub --env qa"):
        deploy(db_site.repo, config, resolve_environment(config, "qa"), YES, say=lambda _: None)
    assert db_site.head() == old


def test_new_push_instructions_without_terminal_or_yes_refuse_before_any_change(
        site: Site) -> None:
    old = site.head()
    with pytest.raises(Refused, match="no terminal"):
        run(site, Options(), database=False)
    assert site.head() == old
    assert git(site.servers[0], "for-each-ref", "refs/remotes/origin/staging") == ""


def test_several_hosts_stop_at_the_first_failing_one(tmp_path: Path) -> None:
    site = make_site(tmp_path, servers=3)
    old = site.head(0)
    fails_on_second = (f'case "$(pwd)" in {site.servers[1]}) '
                       f'test "$(git rev-parse HEAD)" != {site.staging()} || exit 1;; esac; '
                       f'echo "$(git rev-parse HEAD) $(pwd)" >> {site.reloads}')
    with pytest.raises(Failed) as failed:
        run(site, database=False, reload=fails_on_second,
            hosts=[Host("local", p) for p in site.servers])
    assert site.head(0) == site.staging()
    assert site.head(1) == old and site.head(2) == old
    message = failed.value.message
    assert f"local:{site.servers[0]}: runs {site.staging()[:12]} (deployed)" in message
    assert f"local:{site.servers[1]}: runs {old[:12]} (rolled back at reload" in message
    assert f"local:{site.servers[2]}: runs {old[:12]} (not deployed" in message


def test_a_release_whose_second_statement_has_a_typo_is_refused_before_any_change(
        db_site: Site) -> None:
    from tests.support.git import commit

    typo = ("-- alter: 2026-greeting\n-- author: ann\n"
            "CREATE TABLE greeting (id int PRIMARY KEY, text varchar(40) NULL);\n"
            "ALTER TABLE greeting ADD COLUMN lang char(2) NULL DEFALT 'en';\n")
    commit(db_site.sandbox.dev, "alters.sql", typo, "feat(db): greeting language")
    git(db_site.sandbox.dev, "push", "--quiet", "origin", "HEAD:master", "HEAD:staging")
    git(db_site.sandbox.app, "pull", "--quiet")
    with pytest.raises(Refused) as refused:
        run(db_site)
    assert "alters.sql:4: AL001 the server does not parse it" in refused.value.message
    assert "error 1064" in refused.value.message
    assert {"greeting", "release_alters"}.isdisjoint(db_site.tables())  # not even the first
    assert db_site.reload_lines() == []
