"""The invoke collection an application's tasks.py exposes:

    from release.tasks import ns  # noqa: F401
"""

from __future__ import annotations

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
