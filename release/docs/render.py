"""The only Jinja user: one environment that renders checklists and release notes.

Templates come first from the application's own `templates/release/` folder (so a team can
override any of them) and then from the ones shipped in the package (`release.templates`).
Undefined variables are errors (StrictUndefined): a checklist with a silently empty step is
worse than no checklist.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from release.errors import ConfigError

OVERRIDE_DIR = Path("templates") / "release"


def package_templates() -> Path:
    """The folder of the shipped templates, for normal and editable installs alike."""
    return Path(str(resources.files("release.templates")))


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith(".html.j2")


def environment(app_root: Path | None) -> jinja2.Environment:
    search = [str(app_root / OVERRIDE_DIR)] if app_root is not None else []
    search.append(str(package_templates()))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, context: object, *, app_root: Path | None) -> str:
    """Render template `name` with the fields of a dataclass (or a mapping) as its variables."""
    env = environment(app_root)
    variables = _variables(context)
    try:
        template = env.get_template(name)
        return template.render(variables)
    except jinja2.TemplateNotFound as error:
        raise ConfigError(
            f"template {error.name} not found in {OVERRIDE_DIR}/ of the application or in "
            f"the package's templates ({package_templates()}). Reinstall stagecraft or add "
            "the file."
        ) from None
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name or name}:{error.lineno}"
        raise ConfigError(f"template {where}: {error.message}. Fix the template.") from None
    except jinja2.UndefinedError as error:
        where = _template_location(error.__traceback__) or name
        raise ConfigError(
            f"template {where} uses {_variable(str(error))}, which is not defined "
            f"for {name}. Variables it can use: {', '.join(sorted(variables))}. "
            "Fix the name in the template."
        ) from None


def _variables(context: object) -> dict[str, Any]:
    if is_dataclass(context) and not isinstance(context, type):
        return {f.name: getattr(context, f.name) for f in fields(context)}
    if isinstance(context, Mapping):
        return dict(context)
    raise TypeError(f"cannot render with a {type(context).__name__}")


def _template_location(tb: TracebackType | None) -> str | None:
    """file:line of the innermost template frame (Jinja rewrites tracebacks to point there)."""
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _variable(message: str) -> str:
    """Jinja says "'x' is undefined" or "'Obj object' has no attribute 'y'"."""
    attribute = re.match(r"^'(.+?)' has no attribute '(.+)'$", message)
    if attribute:
        return f"attribute {attribute.group(2)!r} (of {attribute.group(1)})"
    plain = re.match(r"^'(.+)' is undefined$", message)
    if plain:
        return f"variable {plain.group(1)!r}"
    return message
