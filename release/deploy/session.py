"""What every deploy command starts with: the environment's hosts connected, its database
reachable (through its SSH tunnel if it has one), the deploy lock, the preflight checks.

The lock is a `flock` on `.git/stagecraft/deploy.lock` in the first host's checkout, held by
this process (local) or by a `flock` that lives only as long as our SSH session (remote): a
deploy that is killed, even with SIGKILL, lets go of it, and the next one never finds a stale
lock. It works for environments without a database too; the holder is named in a file beside
it."""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import dataclass

from release.config import Config
from release.db.target import Database
from release.deploy.checkouts import Checkout
from release.deploy.preflight import Preflight, gather
from release.deploy.records import now, who
from release.environment.database import open_database
from release.environment.resolved import Environment
from release.git.repo import Repository
from release.hosts import LockBusy, open_host


@dataclass(frozen=True)
class Session:
    env: Environment
    checkouts: list[Checkout]
    db: Database | None
    preflight: Preflight


def open_session(stack: ExitStack, repo: Repository, config: Config, env: Environment, *,
                 ref: str | None, lock: bool, from_primary: bool = False) -> Session:
    """`lock`: hold the deploy lock until `stack` closes (deploy.run, deploy.rollback); else
    only check that nobody holds it (deploy.preflight). `from_primary`: backups and clones
    read the primary although a replica is configured."""
    checkouts = open_checkouts(stack, env)
    db = stack.enter_context(open_database(env, from_primary=from_primary)) \
        if env.config.database else None
    problem = take_lock(stack, checkouts[0], env.name, hold=lock)
    pre = gather(repo, config, env, checkouts=checkouts, db=db, ref=ref, lock_problem=problem)
    return Session(env=env, checkouts=checkouts, db=db, preflight=pre)


def open_checkouts(stack: ExitStack, env: Environment) -> list[Checkout]:
    checkouts: list[Checkout] = []
    for entry in env.hosts:
        host = open_host(entry.host)
        stack.callback(host.close)
        checkouts.append(Checkout(entry, host))
    return checkouts


def take_lock(stack: ExitStack, checkout: Checkout, env_name: str, *, hold: bool) -> str | None:
    """None when the lock is ours (or free), else who holds it."""
    if checkout.inspect():
        return None  # no checkout to lock: the preflight reports that instead
    holder = f"{who()} (pid {os.getpid()}), deploying {env_name!r} since {now()}"
    held = checkout.host.lock(checkout.lock_path(), holder)
    try:
        if hold:
            stack.enter_context(held)
        else:
            with held:
                pass
    except LockBusy as error:
        return error.message
    return None
