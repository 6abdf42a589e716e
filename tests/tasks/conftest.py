"""The deployable site fixtures (tests.support.site) for the deploy tasks' tests."""

from tests.support.site import site

__all__ = ["site"]
