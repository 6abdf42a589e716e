"""What `alters.drift` and `alters.status` say about the application's models."""

from __future__ import annotations

import json
from collections.abc import Sequence

from release.alters.migrations import Migration
from release.console import Say
from release.django.check import Drift
from release.environment.resolved import Environment
from release.errors import UsageError
from release.hosts import open_host


def running_commit(env: Environment) -> str:
    """The commit the environment's first web host runs now."""
    entry = env.hosts[0]
    host = open_host(entry.host)
    try:
        found = host.run(["git", "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
                         cwd=entry.path)
    finally:
        host.close()
    if not found.ok or not found.stdout.strip():
        raise UsageError(f"cannot tell which commit {env.name!r} runs ({entry}: "
                         f"{found.output() or 'no commit checked out'}); pass --ref.")
    return found.stdout.strip()


def show_drift(drift: Drift, *, as_json: bool, say: Say) -> None:
    if as_json:
        say(json.dumps({"environment": drift.environment, "ref": drift.ref,
                        "django": drift.django,
                        "differences": [{"table": d.table, "column": d.column, "what": d.what,
                                         "verdict": d.verdict, "model": d.model}
                                        for d in drift.differences]}, indent=2))
        return
    say(f"environment {drift.environment!r} against the models at {drift.ref} "
        f"(Django {drift.django}):")
    if not drift.differences:
        say("  no difference: the schema is what the models expect.")
        return
    for verdict, group in (("breaks the code", drift.breaks),
                           ("harmless", tuple(d for d in drift.differences if not d.breaks))):
        if group:
            say(f"  {verdict} ({len(group)}):")
            say("\n".join(f"    {d.line()}" for d in group))
    if drift.breaks:
        say(f"{len(drift.breaks)} difference(s) break the code at {drift.ref} on "
            f"{drift.environment!r}: add the alters block that makes the schema match the "
            "models (or fix the models).")


def show_unaccounted(environment: str, migrations: Sequence[Migration], *, say: Say) -> None:
    if not migrations:
        return
    say(f"Django migrations in the code that {environment!r} has not recorded and no alters "
        "block carries (a model change without its alters block?):")
    say("\n".join(f"  {m}" for m in migrations))
    say("Add a block with `-- migration: APP.NAME` in its header for each, or baseline the "
        "blocks that already did the change.")
