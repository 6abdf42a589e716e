"""The sample application's own QA checks (`[[checklist.steps]]` of its release.toml), as
values: the tests of the checklist's and release.run's steps build with them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from release.config import ChecklistStep, parse
from release.demo import sample


def sample_steps() -> tuple[ChecklistStep, ...]:
    return parse(tomllib.loads(sample.checklist_toml()), root=Path("."),
                 source="release.toml").checklist_steps
