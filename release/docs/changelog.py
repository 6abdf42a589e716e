"""Commits grouped by kind for release notes (pure: commits in, groups out).

The kind comes from a conventional-commit prefix (`fix(scope)!: ...`) or, for merges, from
the commit having several parents or a "Merge ..." subject; anything else is "other".
Sorting and grouping happen here so that the templates stay logic-light.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from release.git.repo import Commit

# (kind, heading) in the order the notes show them.
KINDS: tuple[tuple[str, str], ...] = (
    ("feat", "Features"),
    ("fix", "Fixes"),
    ("perf", "Performance"),
    ("refactor", "Refactoring"),
    ("docs", "Documentation"),
    ("test", "Tests"),
    ("build", "Build"),
    ("ci", "Continuous integration"),
    ("chore", "Chores"),
    ("merge", "Merges"),
    ("other", "Other changes"),
)
_PREFIXED = {kind for kind, _ in KINDS} - {"merge", "other"}
_CONVENTIONAL = re.compile(
    r"^(?P<kind>[A-Za-z]+)(?:\((?P<scope>[^)]*)\))?(?P<breaking>!)?:\s*(?P<summary>.*)$"
)


@dataclass(frozen=True)
class ChangeItem:
    sha: str
    short: str
    author: str
    subject: str
    summary: str
    scope: str
    breaking: bool


@dataclass(frozen=True)
class ChangeGroup:
    kind: str
    title: str
    items: tuple[ChangeItem, ...]


def classify(commit: Commit) -> tuple[str, ChangeItem]:
    item = ChangeItem(sha=commit.sha, short=commit.sha[:10], author=commit.author,
                      subject=commit.subject, summary=commit.subject, scope="", breaking=False)
    match = _CONVENTIONAL.match(commit.subject)
    if match and match.group("kind").lower() in _PREFIXED and match.group("summary"):
        return match.group("kind").lower(), ChangeItem(
            sha=commit.sha, short=commit.sha[:10], author=commit.author, subject=commit.subject,
            summary=match.group("summary"), scope=match.group("scope") or "",
            breaking=bool(match.group("breaking")),
        )
    if commit.parents > 1 or commit.subject.startswith("Merge "):
        return "merge", item
    return "other", item


def group_commits(commits: Sequence[Commit]) -> tuple[ChangeGroup, ...]:
    """Non-empty groups in KINDS order; oldest first within a group (git log: newest first)."""
    buckets: dict[str, list[ChangeItem]] = {kind: [] for kind, _ in KINDS}
    for commit in reversed(commits):
        kind, item = classify(commit)
        buckets[kind].append(item)
    return tuple(ChangeGroup(kind=kind, title=title, items=tuple(buckets[kind]))
                 for kind, title in KINDS if buckets[kind])
