"""What no single key can check by itself (pure, on the file's tables as read, beside the typed
validation, so that every problem is still reported in one run): where each environment runs,
and how the team's checklist steps fit the rest of the file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# The checklist's built-in steps, by id: where a team's own step may go (`after = "reload"`).
# release.docs.checklist makes them; a test keeps the two lists the same.
BUILT_IN_STEPS = (
    "read-warnings", "staging-pushed", "tag", "review", "clone", "verify-scrub", "qa-values",
    "backup-before", "local-changes", "checkout", "push-instructions", "alters", "backup-after",
    "reload", "smoke", "recover-alters", "recover-code", "recover-database")
QA_CHECKS = "QA checks"  # the section a team's step goes in when it names none
STEP_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_WORDS = re.compile(r"[a-z0-9]+")


def step_id(title: str, given: str = "") -> str:
    """How release.run records a team's step: its `id`, else one made from its title."""
    return given or "check-" + ("-".join(_WORDS.findall(title.lower())) or "step")


def bad_step_id(value: str) -> str:
    if value in BUILT_IN_STEPS:
        return f"{value!r} is a built-in step's id; pick another"
    return f"{value!r}: use lower-case letters, digits and dashes"


def good_step_id(value: str) -> bool:
    return not value or (STEP_ID.fullmatch(value) is not None and value not in BUILT_IN_STEPS)


def known_step(value: str) -> bool:
    return not value or value in BUILT_IN_STEPS


def unknown_step(value: str) -> str:
    return (f"{value!r} is no built-in step; use one of {', '.join(BUILT_IN_STEPS)} (or "
            "section = \"...\")")


def checklist_problems(data: dict[str, Any]) -> list[str]:
    """The team's steps against each other and the environments: no step both `after` and
    `section`, every environment named configured, no id used twice."""
    checklist = data.get("checklist")
    steps = checklist.get("steps") if isinstance(checklist, dict) else None
    if not isinstance(steps, list):
        return []
    environments = data.get("environments")
    known = sorted(environments) if isinstance(environments, dict) else []
    problems: list[str] = []
    seen: set[str] = set()
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        key = f"checklist.steps[{index}]"
        if step.get("section") and step.get("after"):
            problems.append(f"{key}.after: set section or after, not both")
        named = step.get("environments")
        unknown = [e for e in named if e not in known] if isinstance(named, list) else []
        if unknown and known:
            problems.append(f"{key}.environments: {', '.join(map(repr, unknown))} not in "
                            f"[environments] (configured: {', '.join(known)})")
        title, given = step.get("title"), step.get("id", "")
        if isinstance(title, str) and title.strip() and isinstance(given, str):
            found = step_id(title, given)
            if found in seen:
                problems.append(f"{key}.id: {found!r} is another step's too; give one of "
                                "them its own id (or title)")
            seen.add(found)
    return problems


def where_problems(name: str, table: dict[str, Any], root: Path) -> list[str]:
    """No silent default for where a deploy runs: every host has a path, and a local one is
    never this repository's own work tree (a deploy would check out the release in it)."""
    key = f"environments.{name}"
    path, host, hosts = table.get("path", ""), table.get("host", "local"), table.get("hosts")
    if not isinstance(path, str) or not isinstance(host, str) or \
            not isinstance(hosts or [], list):
        return []  # wrong types: the typed validation names them
    entries = [(h, "") if isinstance(h, str) else (h.get("host"), h.get("path", ""))
               for h in hosts or [] if isinstance(h, str | dict)]
    problems = []
    if not path and not (entries and all(own for _, own in entries)):
        problems.append(
            f"{key}.path: required: the application's checkout on the host (for example "
            "\"/var/django_projects/mdcom\"); there is no default, so that nothing runs in a "
            "folder nobody chose" + (" (or give every entry of hosts its own path)"
                                     if entries else ""))
    places = [(f"{key}.path", host, path)] if not entries else [
        (f"{key}.hosts[{i}]" + (".path" if own else ""), on, own or path)
        for i, (on, own) in enumerate(entries)]
    return problems + [f"{where}: {folder!r} is this repository's own work tree "
                       f"({root.resolve()}), the checkout you work in: a deploy would check "
                       "the release out here. Name the application's checkout on the server "
                       "(a clone of its own)." for where, on, folder in places
                       if on == "local" and _inside(root, folder)]


def _inside(root: Path, folder: object) -> bool:
    if not isinstance(folder, str) or not folder:
        return False
    work_tree = root.resolve()
    resolved = (root / Path(folder).expanduser()).resolve()
    return resolved == work_tree or work_tree in resolved.parents
