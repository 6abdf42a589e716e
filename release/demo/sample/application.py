"""The sample application's code: a Django project ("pagewell") whose managed models match
its tables (schema.py) once its alters history (alters.sql) is applied. Its files are kept as
templates (`*.py-tpl`: Stagecraft itself never imports Django) and written into a repository
by `write_application`. Django and PyMySQL are the application's dependencies, not
Stagecraft's (REQUIREMENTS)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

APPS = ("core", "accounts", "clinics", "patients", "messaging", "paging", "callcenter",
        "invites", "billing", "schedules")
REQUIREMENTS = ("django>=5.2,<6", "PyMySQL>=1.1")
SETTINGS = "pagewell.settings"


def _template(name: str) -> str:
    return files(__package__).joinpath("pagewell", f"{name}.py-tpl").read_text(encoding="utf-8")


def application_files() -> dict[str, str]:
    """Path in the repository -> text."""
    found = {"manage.py": _template("manage"), "pagewell/__init__.py": "",
             "pagewell/settings.py": _template("settings"),
             "pagewell/fields.py": _template("fields"),
             "requirements.txt": "".join(f"{r}\n" for r in REQUIREMENTS)}
    for app in APPS:
        found[f"pagewell/{app}/__init__.py"] = ""
        found[f"pagewell/{app}/models.py"] = _template(app)
    return found


def write_application(root: Path) -> list[str]:
    """Write the application's files under `root`; the paths written, for `git add`."""
    written = []
    for path, text in application_files().items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(path)
    return written
