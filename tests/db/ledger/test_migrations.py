"""django_migrations kept true: alters.apply and alters.baseline record the migrations the
blocks they carry out name (`-- migration: app.name`), in the same run, once."""

from __future__ import annotations

import pytest

from tests.support.git import Sandbox
from tests.support.ledger import configure
from tests.support.mariadb import MariaDB, query

BLOCKS = """\
-- alter: dob
-- migration: patients.0002_patient_date_of_birth
ALTER TABLE patients_patient ADD COLUMN date_of_birth date NULL;

-- alter: npi
-- migration: patients.0003_patient_npi, patients.0004_patient_npi_default
ALTER TABLE patients_patient ADD COLUMN npi varchar(10) NOT NULL DEFAULT '';
ALTER TABLE {table} ADD COLUMN pager varchar(20) NULL;
"""


@pytest.fixture
def patients(mariadb: MariaDB, database: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE patients_patient (id bigint AUTO_INCREMENT PRIMARY KEY, "
                    "name varchar(60) NOT NULL)")


def recorded(mariadb: MariaDB, database: str) -> list[str]:
    return [f"{a}.{n}" for a, n in
            query(mariadb, database, "SELECT app, name FROM django_migrations ORDER BY id")]


def test_apply_records_the_carried_migrations_of_each_block_it_completes(
        sandbox: Sandbox, mariadb: MariaDB, database: str, patients: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE django_migrations (id bigint AUTO_INCREMENT PRIMARY KEY, "
                    "app varchar(255) NOT NULL, name varchar(255) NOT NULL, "
                    "applied datetime(6) NOT NULL)")
        cur.execute("INSERT INTO django_migrations (app, name, applied) "
                    "VALUES ('patients', '0001_initial', NOW())")
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": BLOCKS.format(table="no_such_table")})
    failed = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert failed.returncode == 1
    # dob is done: its migration is on record; npi stopped half way: not yet
    assert recorded(mariadb, database) == ["patients.0001_initial",
                                          "patients.0002_patient_date_of_birth"]
    assert "recorded in django_migrations: patients.0002_patient_date_of_birth" in \
        failed.stdout
    (sandbox.app / "alters.sql").write_text(BLOCKS.format(table="patients_patient"))
    fixed = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert fixed.returncode == 0, fixed.stderr
    again = sandbox.invoke("alters.apply", "--env", "qa", "--yes")
    assert again.returncode == 0
    assert recorded(mariadb, database) == [
        "patients.0001_initial", "patients.0002_patient_date_of_birth",
        "patients.0003_patient_npi", "patients.0004_patient_npi_default"]


def test_baseline_records_the_carried_migrations_creating_the_table_if_need_be(
        sandbox: Sandbox, mariadb: MariaDB, database: str, patients: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    configure(sandbox, mariadb, database, monkeypatch,
              {"alters.sql": BLOCKS.format(table="patients_patient")})
    result = sandbox.invoke("alters.baseline", "--env", "qa", "--through", "dob", "--yes")
    assert result.returncode == 0, result.stderr
    assert recorded(mariadb, database) == ["patients.0002_patient_date_of_birth"]
    assert query(mariadb, database, "SHOW COLUMNS FROM patients_patient LIKE 'date_of_birth'") \
        == []  # recorded, never run
