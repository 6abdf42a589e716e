from __future__ import annotations

import os
import threading

import pytest

from release.db.tools import BACKGROUND_NICE, in_background
from release.errors import Failed


def test_background_work_runs_at_lower_priority_and_returns_its_value() -> None:
    def work() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    assert in_background(work) >= BACKGROUND_NICE
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < BACKGROUND_NICE


def test_background_work_failures_reach_the_caller() -> None:
    def work() -> None:
        raise Failed("pipe broke")

    with pytest.raises(Failed, match="pipe broke"):
        in_background(work)
