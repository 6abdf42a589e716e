"""deploy.history through invoke: newest first, from the hosts' logs and the database."""

from __future__ import annotations

import json

from tests.support.site import Site


def test_history_lists_deploys_and_refusals_newest_first(site: Site) -> None:
    site.configure(database=False, reload="exit 0")
    assert site.sandbox.invoke("deploy.run", "--env", "qa", "--yes").returncode == 0
    (site.servers[0] / "app.py").write_text("hand edit\n")
    refused = site.sandbox.invoke("deploy.run", "--env", "qa", "--yes")
    assert refused.returncode == 1 and "app.py" in refused.stderr
    assert "Traceback" not in refused.stderr
    shown = site.sandbox.invoke("deploy.history", "--env", "qa", "--json")
    records = json.loads(shown.stdout)
    assert [r["result"] for r in records] == ["refused", "deployed"]
    assert records[1]["to_sha"] == site.staging() and "@" in records[1]["who"]
    text = site.sandbox.invoke("deploy.history", "--env", "qa").stdout
    assert "refused at preflight" in text and "deployed" in text


def test_preflight_reports_every_problem_at_once_and_changes_nothing(site: Site) -> None:
    site.configure(database=False, extra='')
    (site.servers[0] / "app.py").write_text("hand edit\n")
    result = site.sandbox.invoke("deploy.preflight", "--env", "qa", "--ref", "no-such-branch")
    assert result.returncode == 1
    assert "M app.py" in result.stderr and "'no-such-branch' is not a branch" in result.stderr
    assert not (site.servers[0] / ".git" / "stagecraft" / "deploys.jsonl").exists()


def test_a_damaged_host_log_line_is_reported_by_its_path_and_line(site: Site) -> None:
    site.configure(database=False, reload="exit 0")
    assert site.sandbox.invoke("deploy.run", "--env", "qa", "--yes").returncode == 0
    log = site.servers[0] / ".git" / "stagecraft" / "deploys.jsonl"
    log.write_text('{"deploy_id": 3}\n' + log.read_text())
    shown = site.sandbox.invoke("deploy.history", "--env", "qa")
    assert shown.returncode == 1, shown.stdout + shown.stderr
    assert f"local:{log}:1: damaged: deploy_id: expected a string" in shown.stderr
    assert "Traceback" not in shown.stderr


def test_a_damaged_database_row_is_reported_by_its_id(db_site: Site) -> None:
    db_site.configure(reload="exit 0")
    assert db_site.sandbox.invoke("deploy.run", "--env", "qa", "--yes").returncode == 0
    assert db_site.mariadb is not None
    with db_site.mariadb.connect(db_site.database) as conn, conn.cursor() as cur:
        cur.execute("UPDATE release_deploys SET record = '{\"action\": \"deploy\"' ORDER BY id "
                    "LIMIT 1")
        cur.execute("SELECT MIN(id) FROM release_deploys")
        row = cur.fetchone()
        conn.commit()
    assert row is not None
    shown = db_site.sandbox.invoke("deploy.history", "--env", "qa")
    assert shown.returncode == 1, shown.stdout + shown.stderr
    assert f"the qa database's `release_deploys` row id {row[0]}: damaged: not valid JSON" in \
        shown.stderr
    assert "Traceback" not in shown.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_history_reads_the_hosts_logs_when_the_database_is_down_and_says_so(
        db_site: Site) -> None:
    db_site.configure(reload="exit 0")
    assert db_site.sandbox.invoke("deploy.run", "--env", "qa", "--yes").returncode == 0
    toml = db_site.sandbox.app / "release.toml"
    assert db_site.mariadb is not None
    toml.write_text(toml.read_text().replace(f"port = {db_site.mariadb.port}",
                                             f"port = {_free_port()}"))
    shown = db_site.sandbox.invoke("deploy.history", "--env", "qa", "--json")
    assert shown.returncode == 0 and "Traceback" not in shown.stderr
    assert [r["result"] for r in json.loads(shown.stdout)] == ["deployed"]
    assert "warning: the database of 'qa' cannot be reached" in shown.stderr
    assert f"from the hosts' own logs (local:{db_site.servers[0]})" in shown.stderr
    text = db_site.sandbox.invoke("deploy.history", "--env", "qa")
    assert text.returncode == 0 and "deployed" in text.stdout


def test_a_checklist_is_listed_only_when_its_file_is_on_the_host(site: Site) -> None:
    site.configure(database=False, reload="exit 0")
    assert site.sandbox.invoke("deploy.run", "--env", "qa", "--yes").returncode == 0
    git_dir = site.servers[0] / ".git"
    log = git_dir / "stagecraft" / "deploys.jsonl"
    (record,) = [json.loads(line) for line in log.read_text().splitlines()]
    runs = git_dir / "stagecraft" / "runs"
    runs.mkdir()
    (runs / "r1-qa.md").write_text("# done\n")
    written = dict(record, deploy_id="d-done", when="2099-01-02T00:00:00+00:00",
                   checklist=str(runs / "r1-qa.md"))
    failed = dict(record, deploy_id="d-failed", when="2099-01-03T00:00:00+00:00",
                  result="failed", step="reload", checklist=str(runs / "r2-qa.md"))
    with log.open("a") as handle:
        handle.write(json.dumps(written) + "\n" + json.dumps(failed) + "\n")
    records = json.loads(site.sandbox.invoke("deploy.history", "--env", "qa",
                                             "--json").stdout)
    assert [(r["result"], r["checklist"]) for r in records] == [
        ("failed", ""), ("deployed", str(runs / "r1-qa.md")), ("deployed", "")]
    text = site.sandbox.invoke("deploy.history", "--env", "qa").stdout
    assert text.count("completed checklist:") == 1 and "r2-qa.md" not in text
