"""The deploy gate of [django], on a real MariaDB with real Django: the release's models must
find what they need on the schema its alters leave, and the models of the code the hosts run
now must too (between the alters and the reload) - refused before any host changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from release.deploy.preflight import MODELS, gather
from release.deploy.run import Options, deploy
from release.deploy.session import open_checkouts
from release.environment.database import open_database
from release.environment.resolved import resolve_environment
from release.errors import Refused
from tests.support.django_env import PATIENT_V1, django_toml, manage, write_clinic
from tests.support.git import git, make_sandbox
from tests.support.mariadb import MariaDB, fresh_database, query
from tests.support.site import Site
from tests.support.toml import IDENTITY_ENV, PASSWORD_ENV

DOB = PATIENT_V1 + "    date_of_birth = models.DateField(null=True)\n"
NPI = PATIENT_V1 + "    npi = models.CharField(max_length=10)\n"


@pytest.fixture
def clinic(tmp_path: Path, mariadb: MariaDB, django_python: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Origin's master holds the clinic project; QA's database is migrated to it and its
    server runs it."""
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    monkeypatch.setenv(IDENTITY_ENV, str(tmp_path / "age-identity.txt"))
    sandbox = make_sandbox(tmp_path)
    with fresh_database(mariadb, "stagecraft_clinic") as name:
        write_clinic(sandbox.dev)
        (sandbox.dev / ".gitignore").write_text("__pycache__/\n")
        manage(django_python, sandbox.dev, mariadb, name, "makemigrations", "patients")
        manage(django_python, sandbox.dev, mariadb, name, "migrate")
        git(sandbox.dev, "add", "-A")
        git(sandbox.dev, "commit", "--quiet", "-m", "feat: the clinic")
        git(sandbox.dev, "push", "--quiet", "origin", "HEAD:master", "HEAD:staging")
        server = tmp_path / "server1"
        git(tmp_path, "clone", "--quiet", str(sandbox.origin), str(server))
        git(sandbox.app, "pull", "--quiet")
        yield Site(tmp=tmp_path, sandbox=sandbox, servers=[server],
                   reloads=tmp_path / "reloads.log", database=name, mariadb=mariadb,
                   env_extra=django_toml(django_python))


def release(site: Site, python: Path | None, models: str, alters: str, message: str) -> str:
    """A model change (with its migration, when `python` makes it) and the alters file,
    pushed to staging."""
    assert site.mariadb is not None
    (site.sandbox.dev / "patients" / "models.py").write_text(models)
    if python is not None:
        manage(python, site.sandbox.dev, site.mariadb, site.database, "makemigrations",
               "patients")
    (site.sandbox.dev / "alters.sql").write_text(alters)
    git(site.sandbox.dev, "add", "-A")
    git(site.sandbox.dev, "commit", "--quiet", "-m", message)
    git(site.sandbox.dev, "push", "--quiet", "origin", "HEAD:staging")
    return git(site.sandbox.dev, "rev-parse", "HEAD")


def run(site: Site) -> list[str]:
    said: list[str] = []
    config = site.configure(extra=site.env_extra)
    deploy(site.repo, config, resolve_environment(config, "qa"), Options(yes=True),
           say=said.append)
    return said


def patient_columns(site: Site) -> list[str]:
    assert site.mariadb is not None
    return [str(r[0]) for r in query(site.mariadb, site.database,
                                     "SHOW COLUMNS FROM patients_patient")]


def test_a_model_change_without_its_alters_block_is_refused_then_deploys_with_it(
        clinic: Site, django_python: Path) -> None:
    running = clinic.head()
    release(clinic, django_python, DOB, "", "feat: date of birth (alters forgotten)")
    with pytest.raises(Refused) as refused:
        run(clinic)
    message = refused.value.message
    assert "FAILED the models of the release and of the running code" in message
    assert "the models at staging (" in message
    assert "patients_patient.date_of_birth: the column is missing (model " \
           "patients.Patient.date_of_birth)" in message
    assert clinic.head() == running and clinic.reload_lines() == []  # no host changed
    assert "date_of_birth" not in patient_columns(clinic)

    fixed = release(clinic, django_python, DOB,
                    "-- alter: dob\n-- migration: patients.0002_patient_date_of_birth\n"
                    "ALTER TABLE patients_patient ADD COLUMN date_of_birth date NULL;\n",
                    "feat: date of birth, with its alters block")
    said = run(clinic)
    assert clinic.head() == fixed and any("Deployed staging" in line for line in said)
    assert "date_of_birth" in patient_columns(clinic)
    assert clinic.mariadb is not None
    assert ("patients", "0002_patient_date_of_birth") in query(
        clinic.mariadb, clinic.database, "SELECT app, name FROM django_migrations")


def test_a_false_code_first_claim_is_refused_naming_the_running_code(
        clinic: Site, django_python: Path) -> None:
    running = clinic.head()
    release(clinic, None, NPI,
            "-- alter: npi\n-- code-first: yes\n"
            "ALTER TABLE patients_patient ADD COLUMN npi varchar(10) NOT NULL;\n",
            "feat: npi, claimed code-first")
    config = clinic.configure(extra=clinic.env_extra)
    env = resolve_environment(config, "qa")
    with ExitStack() as stack:
        checkouts = open_checkouts(stack, env)
        db = stack.enter_context(open_database(env))
        found = gather(clinic.repo, config, env, checkouts=checkouts, db=db, ref=None,
                       lock_problem=None)
    check = found.check(MODELS)
    assert check is not None and not check.ok
    (problem,) = check.problems
    assert f"the code local:{clinic.servers[0]} runs now ({running[:12]})" in problem
    assert "patients_patient.npi: varchar(10) NOT NULL without a default, and the models do " \
           "not write it" in problem
    assert "code-first: yes" in problem
    assert clinic.head() == running and "npi" not in patient_columns(clinic)
