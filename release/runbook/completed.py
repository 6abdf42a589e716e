"""The end of release.run: the completed checklist (Markdown and HTML) written in the
operator's `.git/stagecraft/runs/` and beside the audit trail in each host's checkout
(`.git/stagecraft/runs/`), whose audit record names it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from release.deploy.records import now
from release.docs.checklist import ChecklistContext
from release.docs.completed import Answer, completed, render_completed
from release.runbook import progress as prog
from release.state import write_atomically

if TYPE_CHECKING:
    from release.runbook.actions import Run


def write_completed(run: Run, context: ChecklistContext, state: prog.Progress,
                    progress_path: Path) -> prog.Progress:
    finished = now()
    answers = {k: Answer(r.status, r.who, r.when, r.how, r.note) for k, r in state.steps.items()}
    document = completed(context, answers, release=state.release, sha=state.sha,
                         started=state.started, finished=finished)
    texts = {fmt: render_completed(document, fmt, app_root=run.config.root)
             for fmt in ("md", "html")}
    stem = progress_path.with_suffix("")
    written = []
    for fmt, text in texts.items():
        local = Path(f"{stem}.{fmt}")
        write_atomically(local, text)
        written.append(str(local))
    for checkout in run.session.checkouts:
        if not checkout.git_dir:
            continue
        for fmt, text in texts.items():
            where = f"{checkout.git_dir}/stagecraft/runs/{stem.name}.{fmt}"
            done = checkout.host.run(["sh", "-c", 'mkdir -p "$(dirname "$1")" && cat > "$1"',
                                      "sh", where], stdin=text)
            if done.ok:
                written.append(f"{checkout.entry.host}:{where}")
            else:
                run.say(f"warning: could not write the completed checklist on "
                        f"{checkout.label}: {done.output()}")
    return state.model_copy(update={"completed": finished, "checklist": tuple(written)})
