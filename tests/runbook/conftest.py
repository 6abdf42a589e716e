"""The deployable site fixtures (tests.support.site), shared with tests/runbook."""

from tests.support.site import db_site, in_app, site

__all__ = ["db_site", "in_app", "site"]
