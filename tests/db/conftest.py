"""Databases for the db tests: the client's real dump loaded into the suite's MariaDB, a second
database for QA, age keys, and a configuration pointing at both."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyrage import x25519

from release.config import Config, parse
from tests.conftest import FIXTURES, MariaDB, fresh_database

PASSWORD_ENV = "STAGECRAFT_TEST_DB_PASSWORD"
IDENTITY_ENV = "STAGECRAFT_TEST_AGE_IDENTITY"
DEMO_RULES = Path(__file__).resolve().parents[2] / "release" / "demo" / "mdcom_scrub.toml"


@dataclass
class Setup:
    root: Path
    production: str
    qa: str
    identity_file: Path
    toml: str

    def config(self, extra: str = "") -> Config:
        import tomllib

        return parse(tomllib.loads(self.toml + extra), root=self.root, source="release.toml")


def load_sql(mariadb: MariaDB, database: str, sql: Path | str) -> None:
    text = sql.read_text() if isinstance(sql, Path) else sql
    subprocess.run(["mariadb", f"--socket={mariadb.socket}", "--user=root", database],
                   input=text, text=True, check=True, capture_output=True)


@pytest.fixture
def qa_database(mariadb: MariaDB) -> Iterator[str]:
    with fresh_database(mariadb, "stagecraft_qa") as name:
        yield name


@pytest.fixture
def setup(tmp_path: Path, mariadb: MariaDB, database: str, qa_database: str,
          monkeypatch: pytest.MonkeyPatch) -> Setup:
    """`production` holds the client's database; `qa` is empty; dumps go to tmp/backups."""
    load_sql(mariadb, database, FIXTURES / "mhlogin_dump.sql")
    identity = x25519.Identity.generate()
    identity_file = tmp_path / "age-identity.txt"
    identity_file.write_text(str(identity) + "\n")
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    monkeypatch.setenv(IDENTITY_ENV, str(identity_file))
    root = tmp_path / "app"
    root.mkdir()
    envs = "".join(
        f'[environments.{env}.database]\nname = "{db}"\nhost = "{mariadb.host}"\n'
        f'port = {mariadb.port}\nuser = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"\n\n'
        for env, db in (("production", database), ("qa", qa_database)))
    toml = (f'{envs}[backups]\ndir = "backups"\nrecipients = ["{identity.to_public()}"]\n'
            f'identity_env = "{IDENTITY_ENV}"\nkeep = 2\n\n' + DEMO_RULES.read_text())
    (root / "release.toml").write_text(toml)
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    return Setup(root=root, production=database, qa=qa_database, identity_file=identity_file,
                 toml=toml)


def checksums(mariadb: MariaDB, database: str) -> dict[str, int]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")
        names = [str(row[0]) for row in cur.fetchall()
                 if not str(row[0]).startswith("release_")]
        if not names:
            return {}
        cur.execute("CHECKSUM TABLE " + ", ".join(f"`{n}`" for n in names))
        return {str(name).split(".", 1)[1]: int(value) for name, value in cur.fetchall()}


def big_table(mariadb: MariaDB, database: str, rows: int) -> None:
    """A table large enough that a dump takes a noticeable while."""
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE bulk (id INT PRIMARY KEY, body VARCHAR(255)) ENGINE=InnoDB")
        cur.execute(f"INSERT INTO bulk SELECT seq, CONCAT('marker-plaintext-', seq, '-', "
                    f"SHA2(seq, 256), SHA2(seq + 1, 256)) FROM seq_1_to_{rows}")

