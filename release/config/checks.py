"""What no single key can check by itself (pure, on the file's tables as read, beside the typed
validation, so that every problem is still reported in one run): how the team's checklist steps
fit the rest of the file."""

from __future__ import annotations

import re
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
