/** What `longrun status` shows: computed from the checklist and the log, no I/O. */
import type { Checklist, Task } from "./checklist-schema.ts";
import type { LogEvent } from "./run-log.ts";
import { blockedTasks, indexById, readyTasks, statusOf } from "./task-graph.ts";
import { STATUSES, type TaskStatus } from "./task-status.ts";

export interface TaskBrief {
  task_id: string;
  title: string;
  status: string;
  attempts: number;
  note: string;
}

export interface StatusView {
  summary: {
    status: string | null;
    last_updated: string | null;
    active_task_id: string | null;
    blockers: string[];
    next_actions: string[];
  };
  active: TaskBrief | null;
  /** Other tasks in progress besides the active one. */
  inProgress: TaskBrief[];
  next: TaskBrief[];
  nextCount: number;
  blocked: (TaskBrief & { waitingOn: { id: string; status: string }[] })[];
  blockedCount: number;
  failed: TaskBrief[];
  failedCount: number;
  counts: Record<TaskStatus, number> & { total: number };
  recentEvents: LogEvent[];
}

export function statusView(c: Checklist, events: readonly LogEvent[], limit = 4): StatusView {
  const tasks = c.tasks ?? [];
  const byId = indexById(tasks);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const t of tasks) counts[statusOf(t)]++;
  const s = c.summary ?? {};
  const activeId = typeof s.active_task_id === "string" && s.active_task_id !== "" ? s.active_task_id : null;
  const activeTask = activeId ? byId.get(activeId) : tasks.find((t) => statusOf(t) === "in_progress");
  const ready = readyTasks(tasks, byId);
  const blocked = blockedTasks(tasks, byId);
  const failed = tasks.filter((t) => statusOf(t) === "failed");
  return {
    summary: {
      status: s.status ?? null,
      last_updated: s.last_updated ?? null,
      active_task_id: activeId,
      blockers: lines(s.blockers),
      next_actions: lines(s.next_actions),
    },
    active: activeTask ? brief(activeTask) : null,
    inProgress: tasks
      .filter((t) => statusOf(t) === "in_progress" && t !== activeTask)
      .slice(0, 3)
      .map(brief),
    next: ready.slice(0, limit).map(brief),
    nextCount: ready.length,
    blocked: blocked.slice(0, limit).map((b) => ({ ...brief(b.task), waitingOn: b.waitingOn })),
    blockedCount: blocked.length,
    failed: failed.slice(0, limit).map(brief),
    failedCount: failed.length,
    counts: { ...counts, total: tasks.length },
    recentEvents: events.slice(Math.max(0, events.length - limit)),
  };
}

function brief(t: Task): TaskBrief {
  return {
    task_id: t.task_id,
    title: t.title,
    status: t.status,
    attempts: t.attempts ?? 0,
    note: t.note ?? "",
  };
}

function lines(v: string | string[] | null | undefined): string[] {
  if (Array.isArray(v)) return v.filter((x) => x.trim() !== "");
  if (typeof v === "string" && v.trim() !== "") return v.trim().split("\n");
  return [];
}
