/** The commands that verify one iteration: the fast loop, the task's checks, the full loop at milestones. Pure. */
import type { Checklist, Task } from "./checklist-schema.ts";
import { checksOf } from "./task-checks.ts";

export interface PlannedCheck {
  kind: "fast" | "check" | "verify" | "full";
  label: string;
  command: string;
}

export interface Loops {
  /** From the config (`verify.fast`/`verify.full`); empty means the checklist's verification loop. */
  fast: readonly string[];
  full: readonly string[];
}

/** The fast and full loops in force: the config's when it names any, else the checklist's. */
export function loopsOf(config: Loops, c: Checklist): Loops {
  const vl = c.summary?.verification_loop;
  return {
    fast: config.fast.length ? config.fast : (vl?.fast ?? []),
    full: config.full.length ? config.full : (vl?.full ?? []),
  };
}

/** What verifies `task`: the fast loop, its checks and verify commands, and the full loop if it is a milestone. */
export function verifyPlan(task: Task, loops: Loops): PlannedCheck[] {
  const out: PlannedCheck[] = loops.fast.map((c) => ({ kind: "fast", label: c, command: c }));
  for (const c of checksOf(task)) out.push({ kind: c.kind, label: c.label, command: c.command });
  if (task.milestone) for (const c of loops.full) out.push({ kind: "full", label: c, command: c });
  return out;
}
