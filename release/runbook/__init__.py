"""release.run: the guided runbook. The step registry (what the run does for each checklist
step), the walk over it, the progress record that lets a stopped run resume, and the completed
checklist written at the end."""
