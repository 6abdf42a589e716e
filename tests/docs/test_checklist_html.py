"""The HTML checklist and notes in a real browser: no console errors, boxes can be ticked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import chromium, chromium_path
from tests.support.git import Sandbox
from tests.support.release import make_release

TICKABLE_BOX_CENTRE = """(() => {
  const box = document.querySelectorAll('input[type=checkbox]')[%d];
  box.scrollIntoView({block: 'center'});
  const r = box.getBoundingClientRect();
  return [r.x + r.width / 2, r.y + r.height / 2];
})()"""


@pytest.fixture
def browser_path() -> str:
    path = chromium_path()
    assert path, "Chromium is missing: run scripts/setup --tests (installs Debian's chromium)"
    return path


def _write(sandbox: Sandbox, out: Path, *args: str) -> None:
    result = sandbox.invoke(*args, "--format", "html", "--output", str(out))
    assert result.returncode == 0, result.stderr


def test_html_checklist_renders_cleanly_ticks_and_prints(
        sandbox: Sandbox, tmp_path: Path, browser_path: str) -> None:
    make_release(sandbox)
    checklist, notes = tmp_path / "checklist.html", tmp_path / "notes.html"
    _write(sandbox, checklist, "release.checklist", "--env", "qa")
    _write(sandbox, notes, "release.notes")
    assert "<link" not in checklist.read_text() and "src=" not in checklist.read_text()

    with chromium(browser_path) as page:
        page.open(notes)
        assert page.evaluate("document.querySelectorAll('h2').length") >= 4
        page.open(checklist)
        boxes = page.evaluate("document.querySelectorAll('input[type=checkbox]').length")
        assert boxes == 30  # 26 steps, 2 push-instruction entries, 2 alters blocks
        assert page.evaluate("[...document.querySelectorAll('input[type=checkbox]')]"
                             ".some(b => b.checked)") is False
        for index in range(boxes):
            page.click(*page.evaluate(TICKABLE_BOX_CENTRE % index))
        assert page.evaluate("[...document.querySelectorAll('input[type=checkbox]')]"
                             ".every(b => b.checked)") is True
        page.screenshot(tmp_path / "checklist.png")
        pdf = page.command("Page.printToPDF", {"printBackground": False})["data"]
        assert page.errors == []
    assert (tmp_path / "checklist.png").stat().st_size > 10_000
    assert pdf.startswith("JVBERi0")  # base64 of "%PDF-"
