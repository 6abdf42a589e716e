"""The deployable site fixtures (tests.support.site) and the suite's sshd, shared with
tests/runbook."""

from tests.sshd import sshd, sshd_server
from tests.support.site import db_site, in_app, site

__all__ = ["db_site", "in_app", "site", "sshd", "sshd_server"]
