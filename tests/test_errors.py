"""release.errors: one exception family, each kind with its documented exit code."""

from __future__ import annotations

import pytest

from release.errors import (
    OK,
    REFUSED,
    UNCERTAIN,
    USAGE,
    ConfigError,
    Failed,
    Refused,
    ReleaseError,
    Uncertain,
    UsageError,
)


def test_the_exit_codes_are_the_documented_ones() -> None:
    assert (OK, REFUSED, USAGE, UNCERTAIN) == (0, 1, 2, 3)


@pytest.mark.parametrize(("kind", "code"), [
    (ReleaseError, 1), (Refused, 1), (Failed, 1), (UsageError, 2), (ConfigError, 2),
    (Uncertain, 3)])
def test_each_kind_carries_its_exit_code_and_its_message_for_a_person(
        kind: type[ReleaseError], code: int) -> None:
    error = kind("what happened. What to do next.")
    assert error.exit_code == code
    assert error.message == str(error) == "what happened. What to do next."
    assert isinstance(error, ReleaseError)


def test_a_configuration_error_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        raise ConfigError("release.toml: git.base: expected a string")
