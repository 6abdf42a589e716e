"""The databases part of `invoke demo`: a private MariaDB plays production (loaded with the
sample application's generated database) and QA; production is dumped encrypted, cloned into
QA, scrubbed with the sample's rules (sample/scrub.toml), and the scrub is verified, then shown
failing when a rule is missing. It runs in a folder of its own (an operations checkout with
just tasks.py and release.toml), so its configuration never mixes with the application's."""

from __future__ import annotations

from pathlib import Path

from release.console import say
from release.demo import sample
from release.demo.tools import MISSING_MARIADB, load_sql, new_age_identity, step

PASSWORD_ENV = "STAGECRAFT_DEMO_DB_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_DEMO_AGE_IDENTITY"
DROPPED_RULE = '[[scrub.rules]]\ntable = "accounts_profile"\ncolumn = "mobile_phone"\n' \
    'kind = "phone"\n'
SHOWN = (("auth_user", "id", "email"), ("accounts_profile", "user_id", "mobile_phone"),
         ("accounts_provider", "id", "twilio_number_sid"),
         ("invites_invitation", "id", "recipient"))   # (table, key, column)


def run_databases_demo(sandbox: Path) -> None:
    from release.db import throwaway as private_server
    if not private_server.available():
        say(MISSING_MARIADB)
        return
    folder = sandbox / "databases"
    folder.mkdir(parents=True, exist_ok=True)
    recipient, identity_file = new_age_identity(folder)
    say("Databases: a private MariaDB plays production (the sample application's "
        f"database) and QA; the tasks run in {folder}, whose release.toml has its scrub rules.")
    with private_server.private_server(sandbox / "mariadb-databases") as server:
        toml = _configuration(server.host, server.port, server.user, recipient)
        (folder / "release.toml").write_text(toml)
        (folder / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
        with server.connect() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE {sample.PRODUCTION}")
            cur.execute("CREATE DATABASE qatest")
        load_sql(server.host, server.port, server.user, server.password, sample.PRODUCTION,
                 sample.database_sql())
        env = {PASSWORD_ENV: server.password, IDENTITY_ENV: str(identity_file)}
        step(folder, "db.dump", "--env", "production", "--label", "demo", env=env)
        step(folder, "db.backups", env=env)
        (dumped,) = (folder / "backups").glob("*.sql.zst.age")
        step(folder, "db.restore", "--env", "qa", "--dump", f"backups/{dumped.name}",
             "--dry-run", env=env)
        step(folder, "db.clone", "--from", "production", "--to", "qa", "--yes", env=env)
        with server.connect() as conn, conn.cursor() as cur:
            for table, key, column in SHOWN:
                cur.execute(f"SELECT p.`{column}`, q.`{column}` "
                            f"FROM {sample.PRODUCTION}.`{table}` p "
                            f"JOIN qatest.`{table}` q USING (`{key}`) "
                            f"WHERE p.`{column}` <> '' LIMIT 1")
                row = cur.fetchone()
                if row:
                    say(f"  {table}.{column}: production {row[0]!r} -> QA {row[1]!r}")
        say("\nWithout the rule for accounts_profile.mobile_phone, verification names it:")
        (folder / "release.toml").write_text(toml.replace(DROPPED_RULE, ""))
        step(folder, "db.verify-scrub", "--env", "qa", env=env, expect=1)
        (folder / "release.toml").write_text(toml)
        step(folder, "db.verify-scrub", "--env", "qa", env=env)


def _configuration(host: str, port: int, user: str, recipient: str) -> str:
    envs = "".join(
        f'[environments.{env}]\npath = "/srv/{env}/pagewell"\n'
        f'[environments.{env}.database]\nname = "{name}"\nhost = "{host}"\nport = {port}\n'
        f'user = "{user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        for env, name in (("production", sample.PRODUCTION), ("qa", "qatest")))
    return (f'{envs}[backups]\ndir = "backups"\nrecipients = ["{recipient}"]\n'
            f'identity_env = "{IDENTITY_ENV}"\n\n{sample.scrub_toml()}')
