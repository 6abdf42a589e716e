"""The demo's guided release: `release.run` through QA (with a fresh scrubbed clone of
production), the release tag, `release.run` through production, and the audit trail, each
as its own `invoke` process the way a person would type it.

It runs from an operator's clone of origin, after a developer committed the release
configuration for a QA and a production "server" (folders in the sandbox) whose databases are
on a private MariaDB: production holds the sample application's data, QA starts empty.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from release.console import say
from release.demo import sample
from release.demo.models import run_models_demo
from release.demo.tools import GIT_IDENTITY, MISSING_MARIADB, load_sql, new_age_identity, step
from release.git.repo import Repository
from release.runbook.progress import runs_dir

PASSWORD_ENV = "STAGECRAFT_DEMO_RELEASE_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_DEMO_RELEASE_IDENTITY"
# The team's decision on the old NOT NULL column, on record where the linter reads it.
LEGACY_NOT_NULL = "`insurance_id` varchar(30) COLLATE utf8mb4_unicode_ci NOT NULL;"


def run_guided_demo(sandbox: Path, origin: Path, dev: Path) -> list[Path]:
    from release.db import throwaway as private_server
    if not private_server.available():
        say(MISSING_MARIADB)
        return []
    folder = sandbox / "release"
    servers = {env: folder / "servers" / env for env in ("qa", "production")}
    with private_server.private_server(sandbox / "mariadb-release") as server:
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {sample.PRODUCTION}")
            cur.execute("CREATE DATABASE qatest")
        load_sql(server.host, server.port, server.user, server.password, sample.PRODUCTION,
                 sample.database_sql())
        recipient, identity = new_age_identity(folder / "keys")
        for path in servers.values():
            _git(sandbox, "clone", "--quiet", str(origin), str(path))
        say("The guided release: a developer commits the configuration of QA and production "
            f"(servers in {folder / 'servers'}, databases on a private MariaDB) and records "
            "that the old NOT NULL column is meant (`-- noqa: AL020`).")
        (dev / "release.toml").write_text(
            _configuration(server.host, server.port, server.user, recipient, servers, folder))
        alters = dev / "alters.sql"
        alters.write_text(alters.read_text().replace(
            LEGACY_NOT_NULL, f"{LEGACY_NOT_NULL}  -- noqa: AL020"))
        _git(dev, "add", "release.toml", "alters.sql")
        _git(dev, "commit", "--quiet", "-m", "chore: QA and production for release.run")
        _git(dev, "push", "--quiet", "origin", "HEAD:master")
        operator = folder / "operator"
        _git(sandbox, "clone", "--quiet", str(origin), str(operator))
        env = {PASSWORD_ENV: server.password, IDENTITY_ENV: str(identity)}
        step(operator, "staging.merge", env=env)
        written = run_guided_release(operator, env=env)
        step(operator, "release.notes", env=env)
        step(operator, "release.checklist", "--env", "production", env=env)
        run_models_demo(operator, dev, env)
    say("The completed checklists: " + ", ".join(str(p) for p in written))
    return written


def run_guided_release(app: Path, *, env: dict[str, str] | None = None,
                       clone: bool = True) -> list[Path]:
    """Run the release in the application checkout `app` (its release.toml configures qa and
    production, production with ref = "tag"); `env` adds variables such as the databases'
    password variables. Returns the completed checklists it wrote."""
    step(app, "release.run", "--env", "qa", "--yes", *(("--clone",) if clone else ()),
         env=env)
    step(app, "release.tag", env=env)
    step(app, "release.run", "--env", "production", "--yes", env=env)
    step(app, "release.run", "--env", "production", env=env)  # a second run changes nothing
    step(app, "deploy.history", "--env", "production", env=env)
    runs = runs_dir(Repository(app).common_dir())
    return sorted(runs.glob("*.md")) + sorted(runs.glob("*.html"))


def _configuration(host: str, port: int, user: str, recipient: str,
                   servers: dict[str, Path], folder: Path) -> str:
    names = {"production": sample.PRODUCTION, "qa": "qatest"}
    refs = {"production": "tag", "qa": "staging"}
    envs = "".join(
        f'[environments.{env}]\npath = "{path}"\nref = "{refs[env]}"\n'
        f"reload = 'echo \"reloaded $(git rev-parse --short HEAD)\" >> {path}.reloads'\n"
        f'[environments.{env}.database]\nname = "{names[env]}"\nhost = "{host}"\n'
        f'port = {port}\nuser = "{user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        for env, path in servers.items())
    return (f'{envs}[backups]\ndir = "{folder / "backups"}"\nrecipients = ["{recipient}"]\n'
            f'identity_env = "{IDENTITY_ENV}"\n\n{sample.scrub_toml()}\n'
            f'{sample.checklist_toml()}')


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_IDENTITY}, check=True,
                   capture_output=True)
