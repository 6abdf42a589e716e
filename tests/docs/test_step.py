"""release.docs.step: one checklist step as a value."""

from __future__ import annotations

from release.docs.step import Step


def test_a_step_is_automated_or_manual_and_starts_empty_and_unnumbered() -> None:
    automated = Step("reload", "Reload the application", True, "release.run reloads it.")
    manual = Step("provider-ivr", "Call the IVR", False, "Call it.", commands=("dial",))
    assert (automated.mode, manual.mode) == ("automated", "manual")
    assert (automated.number, automated.empty, automated.notes, automated.entries,
            automated.blocks) == (0, "", (), (), ())
    assert manual.commands == ("dial",)
