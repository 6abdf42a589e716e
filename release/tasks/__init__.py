"""The invoke collection an application's tasks.py exposes:

    from release.tasks import ns  # noqa: F401
"""

from __future__ import annotations

import atexit
import contextlib
import signal

from invoke.collection import Collection

from release.tasks import alters, db, demo, deploy, release, staging
from release.tasks._usage import bad_usage_exits_2

ns = Collection()
ns.add_collection(staging.ns)
ns.add_collection(release.ns)
ns.add_collection(alters.ns)
ns.add_collection(db.ns)
ns.add_collection(deploy.ns)
ns.add_task(demo.demo)

bad_usage_exits_2()


def _quiet_shutdown() -> None:
    """Once the task has ended and said so, a Ctrl-C could only interrupt the interpreter's
    own shutdown (logging's, for one) and print its traceback."""
    with contextlib.suppress(ValueError):  # not the main thread: nothing to guard
        signal.signal(signal.SIGINT, signal.SIG_IGN)


# Registered after invoke imported logging, so it runs before logging's own exit handler.
atexit.register(_quiet_shutdown)
