"""The models part of `invoke demo`: with [django] in release.toml the preflight asks the
application's own Django what its models expect. A developer adds a field to a model and
forgets its alters block: the deploy is refused before any host changes, naming the column;
the block is added and the release goes out; `alters.drift` then finds nothing that breaks.

Django is the sample application's dependency, not Stagecraft's: the demo keeps a virtualenv
with it in the user's cache folder (built on first use, from the package index)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from release.console import say
from release.demo.sample.application import REQUIREMENTS, SETTINGS
from release.demo.tools import GIT_IDENTITY, step

FIELD = "    preferred_name = models.CharField(max_length=60, null=True)\n"
BLOCK = ("\n-- alter: 2026-03-preferred-name\n-- author: rgomez\n"
         "ALTER TABLE `patients_patient` ADD COLUMN `preferred_name` varchar(60) NULL, "
         "ALGORITHM=INSTANT;\n")


def django_interpreter() -> Path | None:
    """An interpreter with the sample application's requirements, or None (said why)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "stagecraft" / "demo-django"
    python = folder / "bin" / "python"
    if (folder / "ready").is_file() and python.is_file():
        return python
    say(f"(Building the sample application's virtualenv in {folder}: Django, PyMySQL.)")
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True,
                       capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", *REQUIREMENTS], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        say(f"(Skipping the models part: its virtualenv could not be built: {error}.)\n")
        return None
    (folder / "ready").touch()
    return python


def run_models_demo(operator: Path, dev: Path, env: dict[str, str]) -> None:
    python = django_interpreter()
    if python is None:
        return
    say("A developer adds a field to the Patient model and forgets its alters block. With "
        "[django] in release.toml, the preflight asks the application's own Django:")
    with (dev / "release.toml").open("a") as toml:
        toml.write(f'\n[django]\npython = "{python}"\nsettings = "{SETTINGS}"\n')
    models = dev / "pagewell" / "patients" / "models.py"
    models.write_text(models.read_text() + FIELD)
    _push(dev, "feat: patients' preferred name")
    say("The operator pulls (release.toml now has [django]) and merges it into staging:")
    _git(operator, "pull", "--quiet", "--ff-only", "origin", "master")
    step(operator, "staging.merge", env=env)
    step(operator, "deploy.preflight", "--env", "qa", env=env, expect=1)
    say("The developer adds the block; the release goes to QA, and QA's schema is what the "
        "models expect:")
    alters = dev / "alters.sql"
    alters.write_text(alters.read_text() + BLOCK)
    _push(dev, "feat(db): the preferred name's column")
    step(operator, "staging.merge", env=env)
    step(operator, "deploy.run", "--env", "qa", "--yes", env=env)
    step(operator, "alters.drift", "--env", "qa", env=env)


def _push(dev: Path, message: str) -> None:
    _git(dev, "add", "-A")
    _git(dev, "commit", "--quiet", "-m", message)
    _git(dev, "push", "--quiet", "origin", "HEAD:master")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_IDENTITY}, check=True,
                   capture_output=True)
