"""Production data for the database tests, loaded once per session and copied per test.

Each corpus (the sample application, and the client's dump when its files are here) is loaded
into a template database the first time a test asks for it; a test gets a copy made inside
the server (CREATE TABLE ... LIKE, INSERT ... SELECT, then the triggers and views), which is
several times faster than feeding the SQL again. Under pytest-xdist each worker has its own
server and its own session, so each has its own templates.
"""

from __future__ import annotations

from pathlib import Path

from release.demo import sample
from tests.support.mariadb import MariaDB, load_sql


class Templates:
    """Template databases by corpus name ("sample", or the client's dump by its path)."""

    def __init__(self, mariadb: MariaDB) -> None:
        self.mariadb = mariadb
        self.loaded: dict[str, str] = {}

    def template(self, corpus: str, source: Path | None = None) -> str:
        if corpus not in self.loaded:
            name = f"template_{corpus}"
            with self.mariadb.connect() as conn, conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE `{name}`")
            load_sql(self.mariadb, name, source if source else sample.database_sql())
            self.loaded[corpus] = name
        return self.loaded[corpus]

    def copy(self, corpus: str, target: str, source: Path | None = None) -> None:
        """Fill the empty database `target` with the corpus' tables, rows, triggers, views."""
        copy_database(self.mariadb, self.template(corpus, source), target)


def copy_database(mariadb: MariaDB, source: str, target: str) -> None:
    with mariadb.connect(target) as conn, conn.cursor() as cur:
        cur.execute("SET FOREIGN_KEY_CHECKS = 0")
        cur.execute(f"SHOW FULL TABLES FROM `{source}`")
        tables = [(str(name), str(kind)) for name, kind in cur.fetchall()]
        for name, kind in tables:
            if kind == "BASE TABLE":
                # The template's own definition, foreign keys included (LIKE drops them).
                cur.execute(f"SHOW CREATE TABLE `{source}`.`{name}`")
                cur.execute(str(cur.fetchone()[1]))  # type: ignore[index]
                cur.execute(f"INSERT INTO `{name}` SELECT * FROM `{source}`.`{name}`")
        for name, kind in tables:
            if kind == "VIEW":
                cur.execute(f"SHOW CREATE VIEW `{source}`.`{name}`")
                definition = str(cur.fetchone()[1])  # type: ignore[index]
                cur.execute(definition.replace(f"`{source}`.", ""))
        cur.execute(f"SHOW TRIGGERS FROM `{source}`")
        for trigger in [str(row[0]) for row in cur.fetchall()]:
            cur.execute(f"SHOW CREATE TRIGGER `{source}`.`{trigger}`")
            cur.execute(str(cur.fetchone()[2]))  # type: ignore[index]
