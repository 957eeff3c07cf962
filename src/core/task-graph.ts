/** Dependencies between tasks: readiness, what blocks what, and cycles. Pure. */
import type { Task } from "./checklist-schema.ts";
import { canonicalStatus, type TaskStatus } from "./task-status.ts";

export interface Blocked {
  task: Task;
  /** Dependencies that are not complete, with their status (`missing` when no such task exists). */
  waitingOn: { id: string; status: TaskStatus | "missing" }[];
}

export function statusOf(task: Task): TaskStatus {
  return canonicalStatus(task.status) ?? "not_started";
}

export function indexById(tasks: readonly Task[]): Map<string, Task> {
  const byId = new Map<string, Task>();
  for (const t of tasks) if (!byId.has(t.task_id)) byId.set(t.task_id, t);
  return byId;
}

/** Dependencies of `task` that are not complete yet. */
export function unmetDependencies(task: Task, byId: Map<string, Task>): Blocked["waitingOn"] {
  const out: Blocked["waitingOn"] = [];
  for (const id of task.depends_on ?? []) {
    const dep = byId.get(id);
    const status = dep ? statusOf(dep) : "missing";
    if (status !== "complete") out.push({ id, status });
  }
  return out;
}

/** `not_started` tasks whose dependencies are all complete, in file order. */
export function readyTasks(tasks: readonly Task[], byId = indexById(tasks)): Task[] {
  return tasks.filter((t) => statusOf(t) === "not_started" && unmetDependencies(t, byId).length === 0);
}

/** `not_started` tasks that wait on at least one dependency, with what they wait on. */
export function blockedTasks(tasks: readonly Task[], byId = indexById(tasks)): Blocked[] {
  const out: Blocked[] = [];
  for (const task of tasks) {
    if (statusOf(task) !== "not_started") continue;
    const waitingOn = unmetDependencies(task, byId);
    if (waitingOn.length > 0) out.push({ task, waitingOn });
  }
  return out;
}

/** Every dependency cycle, each as the ids along it (first id repeated at the end). */
export function findCycles(tasks: readonly Task[]): string[][] {
  const byId = indexById(tasks);
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const cycles: string[][] = [];
  for (const root of tasks) {
    if (state.has(root.task_id)) continue;
    // Iterative DFS so that a 10k-long chain cannot overflow the stack.
    const path: string[] = [];
    const iters: number[] = [];
    const push = (id: string) => {
      state.set(id, 1);
      path.push(id);
      iters.push(0);
    };
    push(root.task_id);
    while (path.length > 0) {
      const id = path[path.length - 1]!;
      const deps = byId.get(id)?.depends_on ?? [];
      const i = iters[iters.length - 1]!;
      if (i < deps.length) {
        iters[iters.length - 1] = i + 1;
        const next = deps[i]!;
        if (!byId.has(next)) continue;
        const s = state.get(next);
        if (s === 1) cycles.push([...path.slice(path.indexOf(next)), next]);
        else if (s === undefined) push(next);
      } else {
        state.set(id, 2);
        path.pop();
        iters.pop();
      }
    }
  }
  return cycles;
}
