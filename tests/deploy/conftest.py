"""The deployable site fixtures (tests.support.site), shared with tests/runbook; the suite's
sshd is in tests/conftest.py."""

from tests.support.site import db_site, in_app, site

__all__ = ["db_site", "in_app", "site"]
