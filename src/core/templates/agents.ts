/** AGENTS.md as `longrun init` writes it when the repo has none: how any agent CLI uses the memory files. */
export function agentsTemplate(): string {
  return `# AGENTS.md

This repository is worked on in long runs supervised by longrun. Three files at the root are the
memory of the run; they survive context compaction and restarts, and people read them as the dashboard.

## After a compaction, a restart, or when unsure what to do next
Reread, in this order, before doing anything else:
1. \`plan.md\`: the goal, the constraints and the plan of work.
2. \`checklist.yaml\`: the tasks, their status, acceptance criteria and notes.
3. \`run-log.md\`: what has happened so far (the last events matter most).

## How to update them
- \`checklist.yaml\`: set the task you work on to \`in_progress\`. Do not mark it \`complete\` yourself:
  longrun runs its checks and marks it. Put what you learned in the task's \`note\`. Never delete a
  task or change its acceptance criteria; add new tasks at the end when you find more work.
- \`run-log.md\`: append one line per event under "Events (append-only)", never edit earlier lines:
  \`- YYYY-MM-DD HH:MM tag: text\` (UTC) with tag \`decision\`, \`evidence\`, \`failure\`, \`fix\` or \`note\`.
- \`plan.md\`: change it only when the plan really changes, and log a \`decision\` when you do.

## Rules
- Work on one task at a time; keep each change small enough to verify.
- Run the fast verification loop (\`summary.verification_loop.fast\` in checklist.yaml) before you stop.
- Write long outputs to files and mention the path, instead of pasting them.
`;
}
