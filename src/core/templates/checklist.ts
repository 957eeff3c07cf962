/** checklist.yaml as `longrun init` writes it: the task state machine, with one example task. */
export function checklistTemplate(stamp: string): string {
  return `# checklist.yaml: the task state machine of this long run. longrun and agents edit it in place;
# comments and layout are kept. Statuses: not_started -> in_progress -> complete | failed | archived.
# Validate with \`longrun check\`; the JSON Schema is in the longrun package (schema/checklist.schema.json).

summary:
  last_updated: "${stamp}"
  active_task_id: null        # the task in progress, if any
  status: not_started         # overall state, in a word or two
  blockers: []                # what stops progress and needs a human
  next_actions: []            # the next concrete steps
  verification_loop:
    fast: []                  # commands run after every change, e.g. ["npm test"]
    full: []                  # commands run at milestones and before the run ends

instructions: |
  Work one task at a time, in order; a task is ready when every task in its depends_on is complete.
  Set a task in_progress before working on it. It is complete only when every acceptance criterion
  holds: longrun runs each criterion's \`check\` and the task's \`verify\` commands to decide.
  After a compaction or a restart, reread plan.md, this file and run-log.md before doing anything.

guidelines:
  - Keep every change small enough to verify on its own.
  - Record decisions, evidence and failures in run-log.md as they happen.
  - Never delete a task that has started; archive it with a note instead.

tasks:
  - task_id: T001
    title: Fill in plan.md and this checklist
    description: >-
      Replace the template text of plan.md with the real plan, then list the work
      here as tasks with acceptance criteria.
    acceptance_criteria:
      - plan.md states the purpose, scope and acceptance criteria of the run
      - text: plan.md is not empty
        check: test -s plan.md
    implementation_notes: Add tasks with \`longrun task add\` or by editing this file.
    depends_on: []
    status: not_started
    note: ""
`;
}
