"""The databases part of `invoke demo`: a private MariaDB plays production (loaded with the
client's real mhlogin_dump.sql) and QA; production is dumped encrypted, cloned into QA, scrubbed
with the rules in demo_scrub.toml, and the scrub is verified, then shown failing when a rule is
missing. It runs in a folder of its own (an operations checkout with just tasks.py and
release.toml), so its configuration never mixes with the application's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from release.console import say

FIXTURE = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "mdcom" \
    / "mhlogin_dump.sql"
RULES = Path(__file__).resolve().with_name("demo_scrub.toml")
PASSWORD_ENV = "STAGECRAFT_DEMO_DB_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_DEMO_AGE_IDENTITY"
DROPPED_RULE = '[[scrub.rules]]\ntable = "MHLUsers_mhluser"\ncolumn = "mobile_phone"\n' \
    'kind = "phone"\n'
SHOWN = (("auth_user", "id", "email"), ("MHLUsers_mhluser", "user_ptr_id", "mobile_phone"),
         ("MHLUsers_provider", "user_id", "mdcom_phone_sid"))   # (table, key, column)


def run_databases_demo(sandbox: Path) -> None:
    from pyrage import x25519

    from release.db import private_server

    if not private_server.available() or not FIXTURE.is_file():
        say(f"(Skipping the databases demo: it needs mariadb-server and {FIXTURE}.)\n")
        return
    folder = sandbox / "databases"
    folder.mkdir(parents=True, exist_ok=True)
    identity = x25519.Identity.generate()
    identity_file = folder / "age-identity.txt"
    fd = os.open(identity_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{identity}\n")
    say("Databases: a private MariaDB plays production (the client's mhlogin_dump.sql) and QA; "
        f"the tasks run in {folder}, whose release.toml has the client's scrub rules.")
    with private_server.private_server(sandbox / "mariadb-databases") as server:
        toml = _configuration(server.host, server.port, server.user,
                              str(identity.to_public()))
        (folder / "release.toml").write_text(toml)
        (folder / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE mhlogin")
            cur.execute("CREATE DATABASE qatest")
        _load(server.host, server.port, server.user, server.password)
        env = {PASSWORD_ENV: server.password, IDENTITY_ENV: str(identity_file)}
        _step(folder, env, "db.dump", "--env", "production", "--label", "demo")
        _step(folder, env, "db.backups")
        (dumped,) = (folder / "backups").glob("*.sql.zst.age")
        _step(folder, env, "db.restore", "--env", "qa", "--dump", f"backups/{dumped.name}",
              "--dry-run")
        _step(folder, env, "db.clone", "--from", "production", "--to", "qa", "--yes")
        with server.connect() as conn, conn.cursor() as cur:
            for table, key, column in SHOWN:
                cur.execute(f"SELECT p.`{column}`, q.`{column}` FROM mhlogin.`{table}` p "
                            f"JOIN qatest.`{table}` q USING (`{key}`) "
                            f"WHERE p.`{column}` <> '' LIMIT 1")
                row = cur.fetchone()
                if row:
                    say(f"  {table}.{column}: production {row[0]!r} -> QA {row[1]!r}")
        say("\nWithout the rule for MHLUsers_mhluser.mobile_phone, verification names it:")
        (folder / "release.toml").write_text(toml.replace(DROPPED_RULE, ""))
        _step(folder, env, "db.verify-scrub", "--env", "qa", expect=1)
        (folder / "release.toml").write_text(toml)
        _step(folder, env, "db.verify-scrub", "--env", "qa")


def _configuration(host: str, port: int, user: str, recipient: str) -> str:
    envs = "".join(
        f'[environments.{env}.database]\nname = "{name}"\nhost = "{host}"\nport = {port}\n'
        f'user = "{user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        for env, name in (("production", "mhlogin"), ("qa", "qatest")))
    return (f'{envs}[backups]\ndir = "backups"\nrecipients = ["{recipient}"]\n'
            f'identity_env = "{IDENTITY_ENV}"\n\n{RULES.read_text()}')


def _load(host: str, port: int, user: str, password: str) -> None:
    from release.db.credentials import Credentials, client_option_file

    creds = Credentials("production", "mhlogin", host, port, "", user, password)
    with client_option_file(creds) as options, FIXTURE.open("rb") as source:
        subprocess.run(["mariadb", f"--defaults-extra-file={options}", "mhlogin"],
                       stdin=source, check=True, capture_output=True)


def _step(folder: Path, env: dict[str, str], *args: str, expect: int = 0) -> None:
    say(f"$ invoke {' '.join(args)}")
    result = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=folder,
                            env={**os.environ, **env}, text=True, capture_output=True,
                            check=False, stdin=subprocess.DEVNULL)
    for line in (result.stdout + result.stderr).splitlines():
        say(f"    {line}")
    if result.returncode != expect:
        raise SystemExit(f"demo step `invoke {' '.join(args)}` exited {result.returncode}, "
                         f"expected {expect}")
    say(f"    (exit {result.returncode})\n" if expect else "")
