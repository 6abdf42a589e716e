"""The docs tests' shared release (tests.support.release), built once per module."""

from __future__ import annotations

import pytest

from tests.support.git import Sandbox
from tests.support.release import build_release


@pytest.fixture(scope="module")
def shared_release(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    """One sandbox release for a module's read-only tests (building it takes seconds)."""
    return build_release(tmp_path_factory.mktemp("release"))
