"""The sample application is a real Django project: its models are the sample database's 21
tables once its alters history is applied, and before that they need exactly what the history
adds. Checked with real Django on the suite's MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.config import parse
from release.db.target import resolve
from release.demo import sample
from release.demo.sample.application import APPS, SETTINGS, application_files, write_application
from release.django.check import drift
from release.git.repo import Repository
from tests.support.git import git
from tests.support.mariadb import MariaDB
from tests.support.templates import Templates, load_sql

PASSWORD_ENV = "STAGECRAFT_TEST_SAMPLE_PASSWORD"


def test_the_project_has_settings_manage_py_and_a_models_module_per_app() -> None:
    files = application_files()
    assert {"manage.py", "pagewell/settings.py", "requirements.txt"} <= set(files)
    assert all(f"pagewell/{app}/models.py" in files for app in APPS)
    assert "pymysql.install_as_MySQLdb()" in files["pagewell/settings.py"]
    assert "read_default_file" in files["pagewell/settings.py"]  # no password in the code
    assert "django>=5.2,<6" in files["requirements.txt"]


def test_the_models_match_the_sample_database_once_its_history_is_applied(
        tmp_path: Path, django_python: Path, mariadb: MariaDB, database: str,
        templates: Templates, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, mariadb.password)
    root = tmp_path / "pagewell"
    git(tmp_path, "init", "--quiet", str(root))
    write_application(root)
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "the application")
    templates.copy("sample", database)
    config = parse({"environments": {"qa": {"path": str(tmp_path / "qa"), "database": {
        "name": database, "host": mariadb.host, "port": mariadb.port, "user": mariadb.user,
        "password_env": PASSWORD_ENV}}},
        "django": {"python": str(django_python), "settings": SETTINGS}},
        root=root, source="release.toml")
    before = drift(config, Repository(root), resolve(config, "qa"), "HEAD")
    assert {(d.table, d.column) for d in before.breaks} == {
        ("patients_patient", "language"), ("patients_patient", "insurance_id"),
        ("clinics_practice", "website"), ("clinics_practice", "intake_note"),
        ("clinics_practice", "fax"), ("accounts_profile", "title"),
        ("accounts_provider", "languages"), ("messaging_optout", "source")}
    history = sample.alters_sql().replace("BEGIN;", "", 1).rsplit("COMMIT;", 1)[0]
    load_sql(mariadb, database, history)
    after = drift(config, Repository(root), resolve(config, "qa"), "HEAD")
    assert after.differences == ()
