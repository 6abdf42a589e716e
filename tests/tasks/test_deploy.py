"""release.tasks.deploy: deploy.preflight, run, rollback and history as a user runs them
(`invoke ...` in the operator's clone) on a site of local servers. What a deploy does is
tested in tests/deploy."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.site import Site


def invoke(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=site.sandbox.app,
                          capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)


def test_preflight_reports_every_check_and_refuses_a_hand_edited_server(site: Site) -> None:
    site.configure(database=False)
    passed = invoke(site, "deploy.preflight", "--env", "qa")
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.startswith("preflight for 'qa':\n")
    (site.servers[0] / "app.py").write_text("print('hot fix')\n")
    refused = invoke(site, "deploy.preflight", "--env", "qa")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ") and "app.py" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_dry_run_changes_nothing_then_the_run_is_in_the_history(site: Site) -> None:
    site.configure(database=False)
    before = site.head()
    dry = invoke(site, "deploy.run", "--env", "qa", "--dry-run", "--yes")
    assert dry.returncode == 0, dry.stderr
    assert site.head() == before and site.reload_lines() == []
    assert invoke(site, "deploy.history", "--env", "qa").stdout.strip() == "No deploys recorded."
    done = invoke(site, "deploy.run", "--env", "qa", "--yes")
    assert done.returncode == 0, done.stderr
    assert site.head() == site.staging() and len(site.reload_lines()) == 1
    (record,) = json.loads(invoke(site, "deploy.history", "--env", "qa", "--json").stdout)
    assert (record["result"], record["from_sha"], record["to_sha"]) == \
        ("deployed", before, site.staging())
    lines = invoke(site, "deploy.history", "--env", "qa").stdout.splitlines()
    assert lines[1].strip().startswith(f"{before[:12]} -> {site.staging()[:12]} (staging)")


def test_a_dry_run_rollback_names_where_it_would_go_and_stays(site: Site) -> None:
    site.configure(database=False)
    before = site.head()
    assert invoke(site, "deploy.run", "--env", "qa", "--yes").returncode == 0
    dry = invoke(site, "deploy.rollback", "--env", "qa", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert before[:12] in dry.stdout
    assert site.head() == site.staging()


def test_an_unknown_environment_is_a_usage_error(site: Site) -> None:
    site.configure(database=False)
    for task in ("deploy.preflight", "deploy.run", "deploy.rollback", "deploy.history"):
        result = invoke(site, task, "--env", "nowhere")
        assert result.returncode == 2, task
        assert "nowhere" in result.stderr and "qa" in result.stderr
