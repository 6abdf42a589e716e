"""Grouping commits by kind for release notes."""

from __future__ import annotations

from release.docs.changelog import classify, group_commits
from release.git.repo import Commit


def _commit(n: int, subject: str, parents: int = 1) -> Commit:
    return Commit(sha=f"{n:040x}", author="Dev", subject=subject, parents=parents)


def test_conventional_prefixes_scopes_and_breaking_marks() -> None:
    kind, item = classify(_commit(1, "fix(sms)!: stop double sends"))
    assert (kind, item.scope, item.summary, item.breaking) == ("fix", "sms", "stop double sends",
                                                               True)
    assert classify(_commit(2, "FEAT: upper case works"))[0] == "feat"


def test_merges_by_parents_or_subject_and_the_rest_is_other() -> None:
    assert classify(_commit(1, "Merge branch 'x' into staging"))[0] == "merge"
    assert classify(_commit(2, "integrate the pager", parents=2))[0] == "merge"
    assert classify(_commit(3, "fixes: not a known prefix"))[0] == "other"
    assert classify(_commit(4, "feat: "))[0] == "other"  # a prefix with nothing after it


def test_groups_in_fixed_order_oldest_first_and_empty_ones_left_out() -> None:
    newest_first = [_commit(4, "misc"), _commit(3, "fix: b"), _commit(2, "feat: a2"),
                    _commit(1, "feat: a1")]
    groups = group_commits(newest_first)
    assert [g.kind for g in groups] == ["feat", "fix", "other"]
    assert [i.summary for i in groups[0].items] == ["a1", "a2"]
