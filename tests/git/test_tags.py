from __future__ import annotations

import fnmatch
from datetime import date

import pytest

from release.errors import UsageError
from release.git.tags import next_tag_name, tag_glob

FORMAT = "release-{date:%Y.%m.%d}.{n}"
DAY = date(2026, 11, 26)


def test_glob_matches_every_name_the_format_makes() -> None:
    glob = tag_glob(FORMAT)
    assert glob == "release-*.*"
    assert fnmatch.fnmatchcase(next_tag_name(FORMAT, today=DAY, existing=[]), glob)


def test_first_release_of_the_day_is_number_one() -> None:
    assert next_tag_name(FORMAT, today=DAY, existing=["release-2026.11.25.3"]) == (
        "release-2026.11.26.1")


def test_counter_goes_above_the_highest_release_that_day() -> None:
    existing = ["release-2026.11.26.1", "release-2026.11.26.2", "release-2026.11.25.9"]
    assert next_tag_name(FORMAT, today=DAY, existing=existing) == "release-2026.11.26.3"


def test_version_fills_a_version_field() -> None:
    name = next_tag_name("v{version}-{n}", today=DAY, existing=[], version="1.69.0")
    assert name == "v1.69.0-1"


def test_version_that_would_not_be_found_again_is_refused() -> None:
    with pytest.raises(UsageError, match="does not match"):
        next_tag_name(FORMAT, today=DAY, existing=[], version="staging_1.69.00")


def test_version_matching_the_pattern_is_used_as_is() -> None:
    assert next_tag_name(FORMAT, today=DAY, existing=[], version="release-hotfix.1") == (
        "release-hotfix.1")
