/** The commands that decide whether a task is complete. */
import type { Task } from "./checklist-schema.ts";
import { criterionCheck, criterionText } from "./criterion.ts";

export interface TaskCheck {
  kind: "check" | "verify";
  label: string;
  command: string;
}

/** The commands `task complete` runs for `t`: each criterion's check, then each verify command. */
export function checksOf(t: Task): TaskCheck[] {
  const out: TaskCheck[] = [];
  for (const c of t.acceptance_criteria ?? []) {
    const cmd = criterionCheck(c);
    if (cmd) out.push({ kind: "check", label: criterionText(c), command: cmd });
  }
  for (const v of t.verify ?? []) out.push({ kind: "verify", label: v, command: v });
  return out;
}

/** Criteria that no command checks: a person (or `--evidence`) attests them. */
export function attestedCriteria(t: Task): string[] {
  return (t.acceptance_criteria ?? []).filter((c) => !criterionCheck(c)).map(criterionText);
}
