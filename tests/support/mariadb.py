"""The suite's MariaDB as a value: the server the suite starts (pytest-mysql's process fixture
with Debian's mariadbd, on a free port), reached over TCP by a password user as a deploy user
would be; fresh databases on it, and the small SQL helpers the tests share."""

from __future__ import annotations

import secrets
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymysql


@dataclass(frozen=True)
class MariaDB:
    """The suite's server, reached over TCP by a password user (as a deploy user would be)."""

    host: str
    port: int
    user: str
    password: str
    socket: str

    def connect(self, database: str | None = None) -> pymysql.connections.Connection[
            pymysql.cursors.Cursor]:
        return pymysql.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, database=database, autocommit=True)

    @classmethod
    def with_test_user(cls, *, socket: str, port: int) -> MariaDB:
        """The server at `socket`/`port`, given a password user `stagecraft` for the tests."""
        password = secrets.token_urlsafe(16)
        # root@localhost authenticates by unix socket only, and the anonymous users would
        # shadow a '%' user from localhost; make a password user for the tests, sending the
        # statement on stdin so the password is never on a command line.
        subprocess.run(
            ["mariadb", f"--socket={socket}", "--user=root"],
            input=("DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;\n"
                   + "".join(f"CREATE USER 'stagecraft'@'{host}' IDENTIFIED BY '{password}';\n"
                             f"GRANT ALL PRIVILEGES ON *.* TO 'stagecraft'@'{host}' "
                             "WITH GRANT OPTION;\n"
                             for host in ("%", "localhost"))),
            text=True, check=True, capture_output=True,
        )
        return cls(host="127.0.0.1", port=port, user="stagecraft", password=password,
                   socket=socket)


@contextmanager
def fresh_database(mariadb: MariaDB, prefix: str = "stagecraft") -> Iterator[str]:
    """A new, empty database (never MariaDB's own `test`), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}`")
    try:
        yield name
    finally:
        with mariadb.connect() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


def query(mariadb: MariaDB, database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def load_sql(mariadb: MariaDB, database: str, sql: Path | str) -> None:
    """Feed SQL to the mariadb client as a person would (root, over the socket)."""
    text = sql.read_text() if isinstance(sql, Path) else sql
    subprocess.run(["mariadb", f"--socket={mariadb.socket}", "--user=root", database],
                   input=text, text=True, check=True, capture_output=True)


def load_client_dump(mariadb: MariaDB, database: str, folder: Path) -> None:
    """The client's mhlogin_dump.sql, loaded with the mariadb client as a person would."""
    with (folder / "mhlogin_dump.sql").open("rb") as dump:
        subprocess.run(
            ["mariadb", f"--socket={mariadb.socket}", "--user=root", database],
            stdin=dump, check=True, capture_output=True,
        )


def checksums(mariadb: MariaDB, database: str) -> dict[str, int]:
    """CHECKSUM TABLE of every base table but Stagecraft's own (release_*), by table name."""
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
