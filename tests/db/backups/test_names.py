"""The names of alters.apply's backups: fixed in advance from environment, database, release
and moment, safe as file names."""

from __future__ import annotations

import pytest

from release.db.backups.names import (
    alters_backup_path,
    alters_backup_stem,
    release_label,
    safe,
)


def test_a_release_is_labelled_by_its_tag_else_its_short_sha() -> None:
    assert release_label("release-2026.11.26.1", "0123456789abcdef") == "release-2026.11.26.1"
    assert release_label(None, "0123456789abcdef") == "0123456789"
    assert release_label("", "0123456789abcdef") == "0123456789"


def test_the_path_names_environment_database_release_and_moment() -> None:
    path = alters_backup_path("backups/", "qa", "app_qa", "release-2026.11.26.1", "before")
    assert path == "backups/qa-app_qa-release-2026.11.26.1-before-alters.sql.zst.age"


def test_a_moment_other_than_before_or_after_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="moment must be one of"):
        alters_backup_stem("qa", "app", "r", "during")


def test_unsafe_characters_become_dashes_and_nothing_left_becomes_x() -> None:
    assert safe("feature/new tag") == "feature-new-tag"
    assert safe("../../etc") == "..-..-etc"
    assert safe("///") == "x"
    assert alters_backup_stem("my env", "db/1", "v 1", "after") == "my-env-db-1-v-1-after-alters"
