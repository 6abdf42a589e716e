"""alters.drift and alters.status' migrations, run as a user runs them (`invoke` in the
application's checkout), with real Django on the suite's MariaDB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.django_env import PASSWORD_ENV, clinic_checkout, clinic_toml, manage
from tests.support.git import commit
from tests.support.mariadb import MariaDB

DOB = "    date_of_birth = models.DateField(null=True)\n"


def invoke(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=root,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ}, check=False)


@pytest.fixture
def clinic(tmp_path: Path, django_python: Path, mariadb: MariaDB, database: str,
           monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    root = clinic_checkout(tmp_path, django_python, mariadb, database)
    (root / "tasks.py").write_text("from release.tasks import ns  # noqa: F401\n")
    (root / "release.toml").write_text(clinic_toml(root, django_python, mariadb, database))
    (root / "alters.sql").write_text("")
    return root


def test_drift_says_no_difference_and_exits_0_on_a_migrated_database(clinic: Path) -> None:
    result = invoke(clinic, "alters.drift", "--env", "qa")
    assert result.returncode == 0, result.stderr
    assert "no difference: the schema is what the models expect." in result.stdout


def test_drift_names_what_breaks_the_code_and_exits_1(clinic: Path, django_python: Path,
                                                       mariadb: MariaDB, database: str) -> None:
    models = clinic / "patients" / "models.py"
    commit(clinic, "patients/models.py", models.read_text() + DOB, "feat: date of birth")
    result = invoke(clinic, "alters.drift", "--env", "qa", "--ref", "HEAD")
    assert result.returncode == 1, result.stderr
    assert "breaks the code (1):\n    patients_patient.date_of_birth: the column is missing " \
           "(model patients.Patient.date_of_birth)" in result.stdout
    assert "Traceback" not in result.stderr
    # the checkout's host runs the commit before: no drift there
    running = invoke(clinic, "alters.drift", "--env", "qa", "--ref", "HEAD~1", "--json")
    assert running.returncode == 0 and '"differences": []' in running.stdout


def test_drift_without_a_django_section_says_what_to_add_and_exits_2(clinic: Path) -> None:
    toml = clinic / "release.toml"
    toml.write_text(toml.read_text().split("[django]")[0])
    result = invoke(clinic, "alters.drift", "--env", "qa")
    assert result.returncode == 2
    assert "has no [django] section" in result.stderr and "Traceback" not in result.stderr


def test_status_lists_a_migration_no_block_carries(clinic: Path, django_python: Path,
                                                    mariadb: MariaDB, database: str) -> None:
    models = clinic / "patients" / "models.py"
    models.write_text(models.read_text() + DOB)
    manage(django_python, clinic, mariadb, database, "makemigrations", "patients")
    result = invoke(clinic, "alters.status", "--env", "qa")
    assert result.returncode == 0, result.stderr
    assert "no alters block carries" in result.stdout
    assert "  patients.0002_patient_date_of_birth" in result.stdout
    assert "0001_initial" not in result.stdout  # recorded by migrate
    (clinic / "alters.sql").write_text(
        "-- alter: dob\n-- migration: patients.0002_patient_date_of_birth\n"
        "ALTER TABLE patients_patient ADD COLUMN date_of_birth date NULL;\n")
    carried = invoke(clinic, "alters.status", "--env", "qa")
    assert carried.returncode == 0 and "no alters block carries" not in carried.stdout
