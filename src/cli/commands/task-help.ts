/** Help of each `longrun task` verb: kept apart so that `task --help` loads no verb. */
export const listHelp = `task list [--status S[,S]] [--json]
  One line per task: id, status, title, and what it waits on. --status filters (repeatable or comma-separated).`;
export const showHelp = `task show <id> [--json]
  Every field of one task, whether it is ready, and the checks \`task complete\` will run.`;
export const addHelp = `task add --title T [--id ID] [--description D] [--criterion TEXT]... [--check "TEXT :: COMMAND"]...
         [--depends-on ID[,ID]] [--verify COMMAND]... [--milestone] [--notes TEXT]
  Append a not_started task. --criterion is attested by a person; --check is run by \`task complete\`
  (text, " :: ", then the shell command; a bare command is its own text). The id defaults to the next number.`;
export const startHelp = `task start <id> [--force]
  Mark the task in_progress and active. Refuses while a dependency is not complete (--force overrides).`;
export const completeHelp = `task complete <id> [--evidence TEXT] [--timeout DURATION]
  Run the task's \`check\` criteria and \`verify\` commands in the repo. When all pass, mark it complete
  (evidence in its note and in run-log.md). When any fails, refuse (exit 1) and name the output file.
  Criteria without a check need --evidence saying what shows they hold.`;
export const failHelp = `task fail <id> --reason TEXT
  Mark an in_progress task failed; the reason goes to its note and to run-log.md as a failure.`;
export const archiveHelp = `task archive <id> [--reason TEXT]
  Archive a task that will not be done (tasks are never deleted).`;
export const noteHelp = `task note <id> <text> [--replace]
  Add a line to the task's note (or replace the note with --replace).`;
