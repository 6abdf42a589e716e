"""release.demo.deploys: the deploy part of the demo, its configuration and its canary's guard
(the whole part runs in tests/demo/test_story.py)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from release.config import parse
from release.demo.deploys import _configuration


def test_qa_production_and_the_canary_deploy_to_their_servers(tmp_path: Path) -> None:
    qa, production, servers = tmp_path / "qa", tmp_path / "production", tmp_path
    config = parse(tomllib.loads(_configuration(qa, production, servers)),
                   root=tmp_path / "operator", source="release.toml")
    found = {name: (env.path, env.ref) for name, env in config.environments.items()}
    assert found == {"qa": (str(qa), "staging"), "production": (str(production), "tag"),
                     "canary": (str(qa), "master")}
    assert all(env.database is None for env in config.environments.values())


def test_each_reload_records_itself_and_the_canary_refuses_a_broken_release(
        tmp_path: Path) -> None:
    qa = tmp_path / "qa"
    subprocess.run(["git", "init", "--quiet", str(qa)], check=True)
    subprocess.run(["git", "-C", str(qa), "commit", "--quiet", "--allow-empty", "-m", "one"],
                   check=True)
    config = parse(tomllib.loads(_configuration(qa, tmp_path / "production", tmp_path)),
                   root=tmp_path / "operator", source="release.toml")

    def reload(env: str) -> int:
        return subprocess.run(["sh", "-c", config.environment(env).reload], cwd=qa,
                              check=False).returncode

    assert reload("qa") == 0 and reload("canary") == 0
    assert (tmp_path / "qa-reloads.log").read_text().startswith("reloaded ")
    (qa / "broken").write_text("this release cannot start\n")
    assert reload("canary") != 0 and reload("qa") == 0
    assert len((tmp_path / "canary-reloads.log").read_text().splitlines()) == 1
