"""Deploying a release to an environment: preflight, the plan, the roll over its hosts,
rollback, and the audit trail."""
