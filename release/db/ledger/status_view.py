"""What alters.status prints: each block's state as lines, or as JSON (pure)."""

from __future__ import annotations

from release.alters import ledger_plan as lp
from release.db.credentials import Credentials


def status_lines(plan: lp.LedgerPlan) -> list[str]:
    lines: list[str] = []
    for s in plan.blocks:
        where = f"{s.file}:{s.line}" if s.file else "(trimmed)"
        when = (f"  {s.applied_at:%Y-%m-%d %H:%M} by {s.applied_by}" if s.applied_at
                and s.state in ("applied", "baseline", "partial", "failed") else "")
        detail = f"  {s.detail}" if s.detail else ""
        lines.append(f"  {s.state:<9} {s.block_id:<28} {where:<20} "
                     f"{f'{s.done}/{s.total}':>7}{when}{detail}")
    counts = {state: sum(1 for s in plan.blocks if s.state == state)
              for state in ("applied", "baseline", "pending", "partial", "failed", "changed",
                            "uncertain")}
    lines.append(", ".join(f"{n} {state}" for state, n in counts.items() if n) or "no blocks")
    if plan.pending:
        lines.append(f"{len(plan.pending)} statement(s) pending.")
    return lines


def status_json(creds: Credentials, plan: lp.LedgerPlan) -> dict[str, object]:
    return {
        "environment": creds.environment,
        "database": creds.database,
        "blocks": [{
            "block": s.block_id, "file": s.file, "line": s.line, "state": s.state,
            "statements_done": s.done, "statements": s.total,
            "applied_at": s.applied_at.isoformat() if s.applied_at else None,
            "applied_by": s.applied_by or None, "detail": s.detail or None,
        } for s in plan.blocks],
        "pending_statements": [p.statement_id for p in plan.pending],
        "uncertain_statements": [r.statement_id for r in plan.uncertain],
    }
