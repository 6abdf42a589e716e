"""Asking the application's own Django: its interpreter from [django], its migrations at a
checkout, and what a person reads when it cannot answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from release.alters.migrations import Migration
from release.config import Config, parse
from release.django.ask import interpreter, migrations_at
from release.errors import ConfigError, Failed
from tests.support.django_env import write_clinic


def config(root: Path, python: str, settings: str = "clinic.settings") -> Config:
    return parse({"django": {"python": python, "settings": settings}}, root=root,
                 source="release.toml")


def test_a_missing_interpreter_names_the_key_and_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        interpreter(config(tmp_path, ".venv/bin/python"))
    assert error.value.message == (
        f"release.toml: django.python = '.venv/bin/python': no interpreter at "
        f"{tmp_path}/.venv/bin/python. Point it at the application's virtualenv's python.")


def test_the_migrations_in_a_checkout_are_listed_without_a_database(
        tmp_path: Path, django_python: Path) -> None:
    write_clinic(tmp_path)
    migrations = tmp_path / "patients" / "migrations"
    (migrations / "0001_initial.py").write_text(
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        "    initial = True\n    operations = []\n")
    found = migrations_at(config(tmp_path, str(django_python)), tmp_path, "the checkout")
    assert found == [Migration("patients", "0001_initial")]


def test_django_failing_to_start_is_a_message_naming_the_commit_and_settings(
        tmp_path: Path, django_python: Path) -> None:
    write_clinic(tmp_path)
    with pytest.raises(Failed) as error:
        migrations_at(config(tmp_path, str(django_python), "nowhere.settings"), tmp_path,
                      "staging (1a2b3c4d5e6f)")
    message = error.value.message
    assert message.startswith("the application's Django at staging (1a2b3c4d5e6f) could not "
                              "list its migrations (settings 'nowhere.settings'):")
    assert "ModuleNotFoundError: No module named 'nowhere'" in message
    assert message.endswith("nothing was changed.")
