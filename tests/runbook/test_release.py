"""A whole release without prompts: release.run --env qa --yes --clone (production cloned into
QA, scrubbed, verified, given its test numbers), release.tag, release.run --env production
--yes; then the final state of both databases, the hosts, the audit trail and the checklists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from release.config import load
from release.docs.documents import TagMessage
from release.environment.resolved import resolve_environment
from release.git.tagging import tag
from release.runbook.walk import Options, checklist_with_run, release_run
from tests.support.git import git
from tests.support.mariadb import MariaDB, fresh_database
from tests.support.site import Site
from tests.support.toml import Backups, Database, Environment, release_toml

REAL = ("+14152980001", "+16179820002")


def toml(site: Site, production_db: str) -> str:
    assert site.mariadb is not None
    reload = f'echo "$(git rev-parse HEAD) $(pwd)" >> {site.reloads}'
    return release_toml(
        [Environment(name, path=server, ref=ref, reload=reload,
                     database=Database.on(site.mariadb, db))
         for name, server, ref, db in (("qa", site.servers[0], "staging", site.database),
                                       ("production", site.servers[1], "tag", production_db))],
        backups=Backups(site.tmp / "backups"),
        extra=('[[scrub.rules]]\ntable = "provider"\ncolumn = "name"\nkind = "name"\n'
               '[[scrub.rules]]\ntable = "provider"\ncolumn = "mdcom_phone"\nkind = "phone"\n'
               '[[qa.values]]\ntable = "provider"\ncolumn = "mdcom_phone"\nwhere = "id = 1"\n'
               "value = \"'+15005550006'\"\n"))


def rows(mariadb: MariaDB, database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def test_a_whole_release_through_qa_and_production_without_prompts(
        tmp_path: Path, db_site: Site) -> None:
    mariadb = db_site.mariadb
    assert mariadb is not None
    git(tmp_path, "clone", "--quiet", str(db_site.sandbox.origin), str(tmp_path / "server2"))
    db_site.servers.append(tmp_path / "server2")
    (db_site.sandbox.app / ".git" / "info" / "exclude").write_text("release.toml\n")
    with fresh_database(mariadb, "stagecraft_prod") as production:
        with mariadb.connect(production) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE provider (id int PRIMARY KEY, name varchar(80), "
                        "mdcom_phone varchar(20)) ENGINE=InnoDB")
            cur.execute("INSERT INTO provider VALUES (1, 'Ann Real', %s), (2, 'Bob Real', %s)",
                        REAL)
        (db_site.sandbox.app / "release.toml").write_text(
            toml(db_site, production))
        config = load(db_site.sandbox.app)
        said: list[str] = []
        qa = release_run(db_site.repo, config, resolve_environment(config, "qa"),
                         Options(yes=True,
                                 clone_from=resolve_environment(config, "production")),
                         say=said.append)
        tag(db_site.repo, config.git, version=None, sign=False, push=True, dry_run=False,
            today=date.today(), say=said.append,
            message=TagMessage(db_site.repo, config, date.today()))
        prod = release_run(db_site.repo, config, resolve_environment(config, "production"),
                           Options(yes=True),
                           say=said.append)

        for database in (db_site.database, production):
            assert rows(mariadb, database, "SELECT block_id, status FROM release_alters") == \
                [("2026-greeting", "applied")]
            assert rows(mariadb, database, "SHOW TABLES LIKE 'greeting'")
        phones = {r[0] for r in rows(mariadb, db_site.database,
                                     "SELECT mdcom_phone FROM provider")}
        assert "+15005550006" in phones and not phones & set(REAL)
        assert not {r[0] for r in rows(mariadb, db_site.database, "SELECT name FROM provider")
                    } & {"Ann Real", "Bob Real"}
        assert rows(mariadb, production, "SELECT mdcom_phone FROM provider ORDER BY id") == \
            [(REAL[0],), (REAL[1],)]
    tagged = git(db_site.sandbox.app, "rev-parse", f"{prod.release}^{{commit}}")
    assert db_site.head(1) == tagged and db_site.head(0) == db_site.staging()
    assert qa.steps["clone"].status == "done" and qa.steps["qa-values"].status == "done"
    assert "qa-values" not in prod.steps and "clone" not in prod.steps
    for state, server in ((qa, db_site.servers[0]), (prod, db_site.servers[1])):
        log = (server / ".git" / "stagecraft" / "deploys.jsonl").read_text()
        assert '"result": "deployed"' in log
        assert all(Path(p.split(":", 1)[-1]).is_file() for p in state.checklist)
        assert any(p.endswith(".html") for p in state.checklist)
    # No plaintext copy of production anywhere: only encrypted dumps.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(real.encode() in data for real in REAL), path
    # One backup pair per environment and release, named as the checklist named them:
    # release.run's own before and after dumps; the alters step took none of its own.
    for state, env in ((qa, "qa"), (prod, "production")):
        written = sorted(p.name for p in (tmp_path / "backups").rglob(f"{env}-*-alters*.age"))
        label = state.release
        stems = [f"{env}-{db}-{label}-{moment}-alters.sql.zst.age"
                 for db, moment in (((db_site.database if env == "qa" else production),
                                     m) for m in ("after", "before"))]
        assert written == stems, written
        taken = state.produced("backup-before", "backup-after").backups
        assert [Path(p).name for p in taken] == stems[::-1]
        completed = Path(state.checklist[0].split(":", 1)[-1]).read_text()
        assert all(name in completed for name in stems)
    # After the run, production's checklist names the dumps it took, not the next free names.
    names = checklist_with_run(db_site.repo, config, config.environment("production"),
                               date.today()).backups
    assert names is not None
    assert (Path(names.before).name, Path(names.after).name) == (
        f"production-{production}-{prod.release}-before-alters.sql.zst.age",
        f"production-{production}-{prod.release}-after-alters.sql.zst.age")
