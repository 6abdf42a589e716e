"""What `release.run` has done for one release and environment, kept in the operator's
repository (`<git common dir>/stagecraft/runs/<release>-<env>.json`) so an interrupted run
(Ctrl-C, SIGKILL, a lost SSH session, a failure) resumes at the step where it stopped.

Each step's record is written before its work starts (`started`) and after it ends, by
writing a temporary file and renaming it over the old one: a kill at any moment leaves the
previous complete file, never a torn one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from release.db.backups.names import safe
from release.errors import Failed

DONE, SKIPPED, STARTED, FAILED = "done", "skipped", "started", "failed"
FINISHED = (DONE, SKIPPED)
AUTOMATED = "automated"


@dataclass(frozen=True)
class StepRecord:
    status: str       # done | skipped | started | failed
    who: str          # user@host, or "--yes" (confirmed by automation)
    when: str         # ISO 8601, UTC
    how: str          # "automated", "answered at the terminal", "confirmed by --yes (...)"
    note: str = ""    # the outcome, the skip's reason, or the failure


@dataclass(frozen=True)
class Progress:
    release: str
    environment: str
    sha: str
    started: str
    completed: str = ""
    checklist: tuple[str, ...] = ()   # where the completed checklist was written
    steps: dict[str, StepRecord] = field(default_factory=dict)

    def finished(self, step_id: str) -> bool:
        record = self.steps.get(step_id)
        return record is not None and record.status in FINISHED

    def with_step(self, step_id: str, record: StepRecord) -> Progress:
        return replace(self, steps={**self.steps, step_id: record})

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["checklist"] = list(self.checklist)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Progress:
        steps = {k: StepRecord(**v) for k, v in data.get("steps", {}).items()}
        return cls(release=data["release"], environment=data["environment"],
                   sha=data.get("sha", ""), started=data["started"],
                   completed=data.get("completed", ""),
                   checklist=tuple(data.get("checklist", ())), steps=steps)


def runs_dir(common_dir: Path) -> Path:
    return common_dir / "stagecraft" / "runs"


def run_stem(release: str, environment: str) -> str:
    return f"{safe(release)}-{safe(environment)}"


def path_for(common_dir: Path, release: str, environment: str) -> Path:
    return runs_dir(common_dir) / f"{run_stem(release, environment)}.json"


def load(path: Path) -> Progress | None:
    try:
        return Progress.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise Failed(f"the progress record {path} cannot be read ({error}). Look at it; move "
                     "it away to start this release's run from its first step.") from None


def save(path: Path, progress: Progress) -> None:
    write_atomically(path, json.dumps(progress.to_json(), indent=2, sort_keys=True) + "\n")


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
