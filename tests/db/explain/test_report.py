"""alters.explain on the suite's MariaDB: the server's own answer, changing nothing."""

from __future__ import annotations

import json

import pytest

from tests.support.git import Sandbox
from tests.support.ledger import configure
from tests.support.mariadb import MariaDB, fresh_database, query
from tests.support.toml import PASSWORD_ENV

ALTERS = """\
-- alter: grow
ALTER TABLE orders ADD COLUMN note varchar(40) NULL;
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
ALTER TABLE orders ADD INDEX by_customer (customer_id);
ALTER TABLE orders MODIFY code BIGINT NULL;
CREATE INDEX by_code ON orders (code);

-- alter: keys
ALTER TABLE items DROP FOREIGN KEY items_order, ADD CONSTRAINT items_order2
    FOREIGN KEY (order_id) REFERENCES orders (id);
CREATE TABLE extra (id int PRIMARY KEY);
DROP TABLE old_stuff;  -- noqa: AL010
UPDATE orders SET status = 'x' WHERE id = 1;
"""


def make_tables(mariadb: MariaDB, database: str, rows: int) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, "
                    "code int NULL, status varchar(10) NOT NULL DEFAULT 'open')")
        cur.execute("CREATE TABLE items (id int PRIMARY KEY, order_id int NOT NULL, "
                    "CONSTRAINT items_order FOREIGN KEY (order_id) REFERENCES orders (id))")
        cur.execute("CREATE TABLE old_stuff (id int PRIMARY KEY)")
        cur.executemany("INSERT INTO orders VALUES (%s, %s, %s, 'open')",
                        [(i, i % 7, i) for i in range(1, rows + 1)])
        cur.execute("ANALYZE TABLE orders")


def schema(mariadb: MariaDB, database: str) -> tuple[object, ...]:
    tables = [str(r[0]) for r in query(mariadb, database, "SHOW TABLES")]
    return (tuple(query(mariadb, database, "SHOW DATABASES")), tuple(tables),
            tuple(query(mariadb, database, f"SHOW CREATE TABLE `{t}`")[0] for t in tables))


def blocks(stdout: str) -> dict[str, str]:
    """statement id -> the lines explaining it."""
    found: dict[str, str] = {}
    current = ""
    for line in stdout.splitlines():
        if line.startswith("  ") and not line.startswith("      "):
            current = line.split()[0]
            found[current] = line
        elif current:
            found[current] += "\n" + line
    return found


def test_explain_reports_the_servers_answer_with_rows_and_changes_nothing(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_tables(mariadb, database, 50)
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": ALTERS})
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute("CREATE DATABASE stagecraft_explain_20000101000000_deadbeef")
    before = schema(mariadb, database)
    assert "alters.sql:4:1: AL030" in sandbox.invoke("alters.lint", "--all").stdout

    result = sandbox.invoke("alters.explain", "--env", "qa")
    assert result.returncode == 0, result.stderr
    found = blocks(result.stdout)
    assert "orders: 50 rows" in found["grow#1"]
    assert "ALGORITHM=INSTANT" in found["grow#1"] and "=> instant" in found["grow#1"]
    assert "ALGORITHM=INSTANT" in found["grow#2"] and "=> instant" in found["grow#2"]
    assert "LOCK=NONE" in found["grow#3"] and "=> online (writes go on)" in found["grow#3"]
    assert any(f"ALGORITHM={a}" in found["grow#3"] for a in ("NOCOPY", "INPLACE"))
    assert "ALGORITHM=COPY" in found["grow#4"] and "=> blocks writes" in found["grow#4"]
    assert "=> online (writes go on)" in found["grow#5"]
    assert "LOCK=NONE" in found["keys#1"] or "ALGORITHM=COPY" in found["keys#1"]
    assert "=> creates a new table" in found["keys#2"]
    assert "=> drops a table" in found["keys#3"]
    assert "keys#4" not in found  # data changes are not DDL

    after = schema(mariadb, database)
    assert [d for d in after[0] if "stagecraft_explain_" in str(d)] == []
    assert after[1:] == before[1:]
    assert [d for d in before[0] if "explain" not in str(d)] == list(after[0])
    stored = json.loads((sandbox.app / ".git" / "stagecraft" / "explain.json").read_text()
                        )["statements"]
    assert {e["algorithm"] for e in stored.values()} >= {"INSTANT", "COPY"}
    assert {e["environment"] for e in stored.values()} == {"qa"}
    assert {e["rows"] for e in stored.values()} >= {50}
    # The lint now knows the server's answer: no guess about the online ADD INDEX, and the
    # type change that copies says the server said so.
    linted = sandbox.invoke("alters.lint", "--all").stdout
    assert "alters.sql:4:1: AL030" not in linted and "alters.sql:5:1: AL030" in linted


def test_a_rehearsal_in_another_environment_gives_the_time_scaled_by_rows(
        sandbox: Sandbox, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    alters = "-- alter: widen\nALTER TABLE orders MODIFY code BIGINT NULL;\n"
    make_tables(mariadb, database, 40)
    configure(sandbox, mariadb, database, monkeypatch, {"alters.sql": alters})
    assert sandbox.invoke("alters.apply", "--env", "qa", "--yes").returncode == 0
    query(mariadb, database, "UPDATE release_alters SET duration_ms = 2000")
    with fresh_database(mariadb) as production:
        make_tables(mariadb, production, 160)
        toml = sandbox.app / "release.toml"
        toml.write_text(toml.read_text() + (
            f'\n[environments.production]\npath = "/srv/production/app"\n'
            f'[environments.production.database]\nname = "{production}"\n'
            f'host = "{mariadb.host}"\nport = {mariadb.port}\nuser = "{mariadb.user}"\n'
            f'password_env = "{PASSWORD_ENV}"\n'))
        result = sandbox.invoke("alters.explain", "--env", "production")
    assert result.returncode == 0, result.stderr
    found = blocks(result.stdout)["widen#1"]
    assert "qa took 2.0 s on 40 rows" in found
    assert "=> blocks writes for about 8 s" in found
