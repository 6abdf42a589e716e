"""The checklist's steps for a test environment's database: the optional clone of
production, its scrub verification, and the test values ([[qa.values]]) set afterwards (pure).
Setting test numbers by hand is a team's own step (`[[checklist.steps]]`), not a built-in."""

from __future__ import annotations

from release.docs.context import EnvironmentFacts
from release.docs.step import Step


def qa_database_steps(env: EnvironmentFacts) -> tuple[Step, ...]:
    if env.production:
        return ()
    db = env.database or f"(no [environments.{env.name}.database] configured)"
    steps = [
        Step("clone", f"Clone production into {env.name} (optional)", False,
             f"Replace the {db} database with a scrubbed copy of production, to try the alters "
             "on real data (release.run does it with --clone). The scrub is verified; until it "
             "passes, the deploy refuses.",
             commands=(f"invoke db.clone --from production --to {env.name}",)),
        Step("verify-scrub", f"Verify that {env.name} can reach nobody", True,
             f"release.run checks that every column of {db} that looks like contact data is "
             "covered by a scrub rule and holds none of production's values (nothing to check "
             "when it holds no clone).",
             commands=(f"invoke db.verify-scrub --env {env.name}",)),
    ]
    if env.qa_values:
        steps.append(Step(
            "qa-values", "Set the test telephony numbers ([[qa.values]])", True,
            f"release.run sets these test values in {db} after the scrub, so testers can call "
            "and page QA without touching production's numbers, and checks that each is a "
            "fictional or test number (or explicitly allowed).",
            notes=env.qa_values))
    return tuple(steps)
