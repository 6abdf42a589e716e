"""Rolling a commit over the hosts one at a time: check out, reload, smoke check. A host that
fails its reload or smoke check is put back on its previous commit and reloaded, and the roll
stops there (later hosts keep what they run)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from release.console import Say
from release.deploy.checkouts import Checkout
from release.deploy.plan import Move
from release.deploy.records import DEPLOYED, FAILED, NOT_DEPLOYED, ROLLED_BACK


@dataclass(frozen=True)
class Outcome:
    move: Move
    result: str
    step: str = ""
    reason: str = ""
    runs: str = ""        # the commit the host runs afterwards
    uncertain: bool = False

    def line(self) -> str:
        why = f" at {self.step}: {self.reason}" if self.step else ""
        return f"  {self.move.label}: runs {self.runs[:12] or '?'} ({self.result}{why})"


def roll(checkouts: Sequence[Checkout], moves: Sequence[Move], *, ref: str, reload: str,
         smoke_url: str, say: Say) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for checkout, move in zip(checkouts, moves, strict=True):
        if outcomes and outcomes[-1].result != DEPLOYED:
            outcomes.append(Outcome(move, NOT_DEPLOYED, reason="the roll stopped before it",
                                    runs=move.from_sha))
            continue
        say(f"{move.label}: check out {ref} ({move.to_sha[:12]})")
        outcomes.append(_one(checkout, move, reload=reload, smoke_url=smoke_url, say=say))
    return outcomes


def _one(checkout: Checkout, move: Move, *, reload: str, smoke_url: str, say: Say) -> Outcome:
    done = checkout.checkout(move.to_sha)
    if not done.ok:
        return _put_back(checkout, move, "checkout",
                         done.describe(f"git checkout --detach {move.to_sha[:12]}"), reload="",
                         say=say, result=FAILED)
    if reload:
        say(f"{move.label}: reload: {reload}")
        done = checkout.reload(reload)
        if not done.ok:
            return _put_back(checkout, move, "reload", done.describe(reload), reload=reload,
                             say=say)
    if smoke_url:
        passed, answer = checkout.smoke(smoke_url)
        say(f"{move.label}: smoke check: {answer}")
        if not passed:
            return _put_back(checkout, move, "smoke check", answer or "no answer",
                             reload=reload, say=say)
    return Outcome(move, DEPLOYED, runs=move.to_sha)


def _put_back(checkout: Checkout, move: Move, step: str, reason: str, *, reload: str,
              say: Say, result: str = ROLLED_BACK) -> Outcome:
    say(f"{move.label}: {step} failed ({reason}); putting it back on {move.from_sha[:12]}")
    back = checkout.checkout(move.from_sha)
    again = checkout.reload(reload) if back.ok and reload else None
    if back.ok and (again is None or again.ok):
        return Outcome(move, result, step, reason, runs=move.from_sha)
    detail = (back.describe(f"git checkout --detach {move.from_sha[:12]}") if not back.ok
              else again.describe(reload) if again is not None else "no reason given")
    return Outcome(move, FAILED, step, f"{reason}; putting it back failed too: {detail}",
                   runs=checkout.head(), uncertain=True)

