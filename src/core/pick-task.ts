/** Which task the supervisor works on next. Pure. */
import type { Checklist, Task } from "./checklist-schema.ts";
import { type Blocked, blockedTasks, indexById, readyTasks, statusOf } from "./task-graph.ts";

export type Pick =
  /** `start`: the task is not in progress yet (longrun sets it so first). */
  | { kind: "task"; task: Task; start: boolean }
  /** Nothing left to do: every task complete or archived. */
  | { kind: "done" }
  /** Nothing can be worked on, yet work is left: failed tasks, or tasks waiting on them. */
  | { kind: "stuck"; failed: Task[]; blocked: Blocked[] };

/**
 * The active task (summary.active_task_id, in progress), else the first task in progress, else the
 * first `not_started` task whose dependencies are complete. With `only`, that task alone: it is
 * started even when `failed` (a person asked for it), and is done once complete or archived.
 */
export function pickTask(c: Checklist, only?: string | null): Pick {
  const tasks = c.tasks ?? [];
  const byId = indexById(tasks);
  if (only) {
    const t = byId.get(only);
    if (!t) return { kind: "stuck", failed: [], blocked: [] };
    const s = statusOf(t);
    if (s === "complete" || s === "archived") return { kind: "done" };
    if (s === "in_progress") return { kind: "task", task: t, start: false };
    if (s === "failed") return { kind: "task", task: t, start: true };
    const ready = readyTasks([t], byId);
    return ready.length
      ? { kind: "task", task: t, start: true }
      : { kind: "stuck", failed: [], blocked: blockedTasks([t], byId) };
  }
  const activeId = c.summary?.active_task_id;
  const active = activeId ? byId.get(activeId) : undefined;
  if (active && statusOf(active) === "in_progress") return { kind: "task", task: active, start: false };
  const inProgress = tasks.find((t) => statusOf(t) === "in_progress");
  if (inProgress) return { kind: "task", task: inProgress, start: false };
  const ready = readyTasks(tasks, byId)[0];
  if (ready) return { kind: "task", task: ready, start: true };
  const failed = tasks.filter((t) => statusOf(t) === "failed");
  const blocked = blockedTasks(tasks, byId);
  if (failed.length || blocked.length) return { kind: "stuck", failed, blocked };
  return { kind: "done" };
}

/** Whether every task is complete or archived (the run succeeded). */
export function allDone(c: Checklist): boolean {
  return (c.tasks ?? []).every((t) => ["complete", "archived"].includes(statusOf(t)));
}
