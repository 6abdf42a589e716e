"""Real Django for the tests: an interpreter with Django and PyMySQL (the application's
dependencies, never Stagecraft's), and a small Django project ("clinic") written into a
repository, migrated into a database as its team would.

The interpreter is `.venv-django/bin/python` beside the checkout when scripts/setup made it;
otherwise the suite builds one virtualenv once per run, under the run's base temporary folder
(shared by the xdist workers, which take turns through a lock), and reruns build it again.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from release.demo.sample.application import REQUIREMENTS
from tests.support.mariadb import MariaDB

PREBUILT = Path(__file__).resolve().parents[2] / ".venv-django" / "bin" / "python"
SETTINGS = """import os

import pymysql

pymysql.install_as_MySQLdb()
SECRET_KEY = "tests only"
USE_TZ = True
INSTALLED_APPS = ["patients"]
DATABASES = {"default": {"ENGINE": "django.db.backends.mysql",
                         "NAME": os.environ.get("CLINIC_DB", "clinic"),
                         "OPTIONS": {"read_default_file": os.environ.get("CLINIC_DB_CNF", "")}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""
MANAGE = """import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""
PATIENT_V1 = """from django.db import models


class Patient(models.Model):
    name = models.CharField(max_length=60)
    email = models.CharField(max_length=120, null=True)
"""


def _works(python: Path) -> bool:
    return python.is_file() and subprocess.run(
        [str(python), "-c", "import django, pymysql"], capture_output=True,
        check=False).returncode == 0


def django_python(factory: pytest.TempPathFactory) -> Path:
    if _works(PREBUILT):
        return PREBUILT
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / "django-venv"
    with (root / "django-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        python = folder / "bin" / "python"
        if not (folder / "ready").is_file():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True,
                           capture_output=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", *REQUIREMENTS], check=True,
                           capture_output=True)
            (folder / "ready").touch()
    return python


def write_clinic(root: Path, models: str = PATIENT_V1) -> list[str]:
    """The clinic project (one app, patients) under `root`; the paths written."""
    files = {"manage.py": MANAGE, "clinic/__init__.py": "", "clinic/settings.py": SETTINGS,
             "patients/__init__.py": "", "patients/migrations/__init__.py": "",
             "patients/models.py": models}
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return list(files)


def manage(python: Path, root: Path, mariadb: MariaDB, database: str,
           *args: str) -> subprocess.CompletedProcess[str]:
    """`manage.py ARGS` against `database`, the login in an option file (0600)."""
    option_file = root.parent / f"{root.name}-client.cnf"
    option_file.write_text(f"[client]\nuser={mariadb.user}\npassword={mariadb.password}\n"
                           f"host={mariadb.host}\nport={mariadb.port}\n")
    option_file.chmod(0o600)
    env = {**os.environ, "CLINIC_DB": database, "CLINIC_DB_CNF": str(option_file)}
    result = subprocess.run([str(python), "manage.py", *args], cwd=root, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result


def django_toml(python: Path) -> str:
    return f'[django]\npython = "{python}"\nsettings = "clinic.settings"\n'


PASSWORD_ENV = "STAGECRAFT_TEST_DJANGO_PASSWORD"


def clinic_checkout(tmp: Path, python: Path, mariadb: MariaDB, database: str,
                    models: str = PATIENT_V1, *, migrate: bool = True) -> Path:
    """A repository holding the clinic project and its first migration, committed; with
    `migrate`, `database` is migrated to it (`manage.py migrate`, as its team would)."""
    from tests.support.git import git

    root = tmp / "clinic"
    git(tmp, "init", "--quiet", "--initial-branch=master", str(root))
    write_clinic(root, models)
    manage(python, root, mariadb, database, "makemigrations", "patients")
    if migrate:
        manage(python, root, mariadb, database, "migrate")
    (root / ".gitignore").write_text("__pycache__/\n")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "the clinic")
    return root


def clinic_toml(root: Path, python: Path, mariadb: MariaDB, database: str) -> str:
    """QA's checkout is a clone of the repository (never the work tree itself), at its head."""
    from tests.support.git import git

    server = root.parent / "qa-server"
    if not server.exists():
        git(root.parent, "clone", "--quiet", str(root), str(server))
    return (f'[environments.qa]\npath = "{server}"\n[environments.qa.database]\n'
            f'name = "{database}"\nhost = "{mariadb.host}"\nport = {mariadb.port}\n'
            f'user = "{mariadb.user}"\npassword_env = "{PASSWORD_ENV}"\n'
            + django_toml(python))
