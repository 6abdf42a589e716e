"""The invoke collection an application's tasks.py exposes:

    from release.tasks import ns  # noqa: F401
"""

from __future__ import annotations

from invoke.collection import Collection

from release.tasks import alters, demo, release, staging

ns = Collection()
ns.add_collection(staging.ns)
ns.add_collection(release.ns)
ns.add_collection(alters.ns)
ns.add_task(demo.demo)
