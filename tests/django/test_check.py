"""alters.drift's comparison on a real MariaDB with real Django: a freshly migrated database
shows no difference at all, and each kind of difference is found and classified."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from release.config import Config, parse
from release.db.target import resolve
from release.django.check import drift
from release.git.repo import Repository
from tests.support.django_env import PASSWORD_ENV, clinic_checkout, clinic_toml
from tests.support.mariadb import MariaDB

MODELS = """from django.db import models
from django.db.models.functions import Now


class Tag(models.Model):
    label = models.CharField(max_length=30, unique=True)


class Patient(models.Model):
    name = models.CharField(max_length=60)
    email = models.CharField(max_length=120, null=True)
    notes = models.TextField(blank=True, default="")
    visits = models.PositiveIntegerField(default=0)
    balance = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(db_default=Now())
    seen_on = models.DateField(null=True)
    counter = models.IntegerField(default=0)
    tags = models.ManyToManyField(Tag)

    class Meta:
        indexes = [models.Index(fields=["name", "seen_on"])]
        unique_together = [("name", "email")]


class Visit(models.Model):
    patient = models.ForeignKey(Patient, models.CASCADE)
    at = models.DateTimeField()
"""


def migrated(tmp_path: Path, django_python: Path, mariadb: MariaDB, database: str,
             monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Config]:
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    with mariadb.connect() as conn, conn.cursor() as cur:
        # an alias charset (utf8 is utf8mb3) on the environment's side
        cur.execute(f"ALTER DATABASE `{database}` CHARACTER SET utf8 COLLATE utf8_general_ci")
    root = clinic_checkout(tmp_path, django_python, mariadb, database, MODELS)
    config = parse(tomllib.loads(clinic_toml(root, django_python, mariadb, database)),
                   root=root, source="release.toml")
    return root, config


def run(mariadb: MariaDB, database: str, *statements: str) -> None:
    with mariadb.connect(database) as conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


def test_a_freshly_migrated_database_shows_no_difference(
        tmp_path: Path, django_python: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, config = migrated(tmp_path, django_python, mariadb, database, monkeypatch)
    run(mariadb, database,
        # AUTO_INCREMENT counters move, display widths and CURRENT_TIMESTAMP's spelling vary
        "INSERT INTO patients_patient (name, notes, visits, balance, active, counter) "
        "VALUES ('a', '', 0, 0, 1, 0), ('b', '', 0, 0, 1, 0)",
        "ALTER TABLE patients_patient MODIFY counter int(4) NOT NULL, "
        "MODIFY created datetime(6) NOT NULL DEFAULT now(6)")
    found = drift(config, Repository(root), resolve(config, "qa"), "HEAD")
    assert found.differences == ()
    assert found.django.startswith("5.2")
    with mariadb.connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA "
                    "WHERE SCHEMA_NAME LIKE 'stagecraft\\_explain\\_%'")
        assert cur.fetchone() == (0,)  # the scratch schema is dropped


def test_each_kind_of_difference_is_found_and_classified(
        tmp_path: Path, django_python: Path, mariadb: MariaDB, database: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root, config = migrated(tmp_path, django_python, mariadb, database, monkeypatch)
    run(mariadb, database,
        "ALTER TABLE patients_visit DROP COLUMN at",
        "DROP TABLE patients_patient_tags",
        "ALTER TABLE patients_patient ADD COLUMN npi varchar(10) NOT NULL, "
        "MODIFY email varchar(120) NOT NULL, MODIFY name varchar(30) NOT NULL, "
        "ADD COLUMN nickname varchar(20) NULL, ADD INDEX by_email (email)")
    found = drift(config, Repository(root), resolve(config, "qa"), "HEAD")
    shown = [(d.table, d.column, d.breaks, d.model) for d in found.differences]
    assert shown == [
        ("patients_patient", "email", True, "patients.Patient.email"),
        ("patients_patient", "name", True, "patients.Patient.name"),
        ("patients_patient", "npi", True, "patients.Patient"),
        ("patients_patient_tags", "", True, "patients.Patient.tags (many-to-many)"),
        ("patients_visit", "at", True, "patients.Visit.at"),
        ("patients_patient", "", False, "patients.Patient"),
        ("patients_patient", "nickname", False, "patients.Patient")]
    lines = [d.line() for d in found.differences]
    assert "NOT NULL where the model allows NULL" in lines[0]
    assert "varchar(30) where the model has varchar(60): a shorter type" in lines[1]
    assert "NOT NULL without a default, and the models do not write it" in lines[2]
    assert "the table is missing" in lines[3] and "the column is missing" in lines[4]
    assert "an index on (email) the models do not declare" in lines[5]
    assert "a column the models do not use" in lines[6]
