"""The audit record: one per host a deploy or rollback touched (pure: values in, text out).

Kept as JSON lines in `<checkout>/.git/stagecraft/deploys.jsonl` on each host (inside .git, so
no checkout ever touches it) and as rows of `release_deploys` in the environment's database.
A record is checked when read: keys it does not know (a newer Stagecraft's) are skipped, one
that lacks a key or has the wrong type is reported with where it was read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from release.console import who as who  # re-exported: every deploy record names its runner so
from release.errors import Damaged
from release.state import damaged
from release.validation import Invalid, from_json

DEPLOYED = "deployed"
ROLLED_BACK = "rolled back"
REFUSED = "refused"
FAILED = "failed"
NOT_DEPLOYED = "not deployed"   # a later host of a roll that stopped before it
REMEDY = ("Each record stands alone: move the damaged one aside (keep a copy for the audit) "
          "and retry.")


@dataclass(frozen=True)
class Record:
    deploy_id: str
    action: str          # deploy | rollback
    environment: str
    who: str             # OS user@host of whoever ran it
    when: str            # ISO 8601, UTC
    host: str
    path: str
    from_sha: str
    to_ref: str
    to_sha: str
    result: str
    step: str = ""       # where it failed or was refused
    reason: str = ""
    backups: tuple[str, ...] = ()
    alters: tuple[str, ...] = ()
    checklist: str = ""  # release.run's completed checklist (Markdown), on this host

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["backups"], data["alters"] = list(self.backups), list(self.alters)
        return data

    @classmethod
    def from_json(cls, text: str, *, where: str) -> Record:
        """A record as `line` wrote it, read from `where` (Damaged when it does not fit)."""
        try:
            return from_json(cls, text)
        except Invalid as invalid:
            raise damaged(where, invalid.problems, REMEDY) from None

    def line(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_lines(text: str, *, where: str) -> list[Record]:
    """Records from the log read from `where`. A last line without its newline is an append
    that was killed, and is skipped; any other line that is not a record is reported (with
    its line number)."""
    found: list[Record] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            found.append(Record.from_json(line, where=f"{where}:{number}"))
        except Damaged:
            if number < len(lines):  # a complete line: damaged, not torn
                raise
    return found


def newest_first(records: Iterable[Record]) -> list[Record]:
    unique = {(r.deploy_id, r.host, r.path, r.action): r for r in records}
    # Times have whole seconds: within one second, the record written later (later in the
    # log) is the newer one.
    ordered = sorted(enumerate(unique.values()), key=lambda pair: (pair[1].when, pair[0]),
                     reverse=True)
    return [record for _, record in ordered]


def previous_sha(records: Sequence[Record], host: str, path: str, head: str) -> str | None:
    """What ran before the deploy that brought `head` to this checkout (the audit trail's
    word, never a file's time); None when no recorded deploy brought it there."""
    for r in newest_first(records):
        if (r.host, r.path) == (host, path) and r.action == "deploy" and r.result == DEPLOYED \
                and r.to_sha == head and r.from_sha:
            return r.from_sha
    return None


def history_lines(records: Sequence[Record]) -> list[str]:
    lines: list[str] = []
    for r in records:
        outcome = r.result + (f" at {r.step}" if r.step else "") + \
            (f": {r.reason}" if r.reason else "")
        lines.append(f"{r.when}  {r.action:<8} {r.host}:{r.path}  by {r.who}")
        lines.append(f"    {_short(r.from_sha)} -> {_short(r.to_sha)} ({r.to_ref})  {outcome}")
        if r.alters:
            lines.append(f"    alters applied: {', '.join(r.alters)}")
        if r.backups:
            lines.append(f"    backups: {', '.join(r.backups)}")
        if r.checklist:
            lines.append(f"    completed checklist: {r.checklist} (and .html)")
    return lines or ["No deploys recorded."]


def _short(sha: str) -> str:
    return sha[:12] if sha else "(none)"
