/** The task edits every command (and later the supervisor) makes, as pure functions over a ChecklistDoc. */
import { appendTask, type Changes, type ChecklistDoc, updateSummary, updateTask } from "./checklist-doc.ts";
import type { Task } from "./checklist-schema.ts";
import { statusOf } from "./task-graph.ts";
import { findTask } from "./task-lookup.ts";
import { checkTransition, type TaskStatus } from "./task-status.ts";
import { UserError } from "./user-error.ts";

/** `existing` with `text` added on a new line (notes accumulate; nothing is lost). */
export function appendNote(existing: string | null | undefined, text: string): string {
  const add = text.trim();
  return existing && existing.trim() !== "" ? `${existing.replace(/\s+$/, "")}\n${add}` : add;
}

/** Move task `id` to `to` (legal transitions only), keeping summary.active_task_id and last_updated in step. */
export function setStatus(
  doc: ChecklistDoc,
  id: string,
  to: TaskStatus,
  stamp: string,
  extra: Changes = {},
): { doc: ChecklistDoc; from: TaskStatus } {
  const task = findTask(doc, id);
  const from = statusOf(task);
  const t = checkTransition(from, to);
  if (!t.ok)
    throw new UserError(
      `${id} is ${task.status}; it cannot become ${to} (from ${from} it may become: ${t.allowed.join(", ")})`,
    );
  let next = updateTask(doc, id, { status: to, ...extra });
  const active = next.data.summary?.active_task_id;
  const summary: Changes = {};
  if (to === "in_progress" && active !== id) summary.active_task_id = id;
  if (to !== "in_progress" && active === id) summary.active_task_id = null;
  if (to === "in_progress" && next.data.summary?.status === "not_started") summary.status = "in_progress";
  // The last open task done: the summary says so (a status a person wrote, e.g. `blocked`, is left alone).
  const was = next.data.summary?.status;
  if ((was === "in_progress" || was === "not_started") && allDone(next.data.tasks ?? []))
    summary.status = "complete";
  if (next.data.summary && "last_updated" in next.data.summary) summary.last_updated = stamp;
  if (next.data.summary && Object.keys(summary).length) next = updateSummary(next, summary);
  return { doc: next, from };
}

/** Every task complete or archived (and there is at least one). */
function allDone(tasks: readonly Task[]): boolean {
  return tasks.length > 0 && tasks.every((t) => ["complete", "archived"].includes(statusOf(t)));
}

/** Touch summary.last_updated after an edit that is not a status change. */
export function touch(doc: ChecklistDoc, stamp: string): ChecklistDoc {
  return doc.data.summary && "last_updated" in doc.data.summary
    ? updateSummary(doc, { last_updated: stamp })
    : doc;
}

/** The id after the highest numbered one, in the same style (`T009` -> `T010`); `T001` for the first. */
export function nextTaskId(tasks: readonly Task[]): string {
  let best: { prefix: string; n: number; width: number } | undefined;
  for (const t of tasks) {
    const m = /^(.*?)(\d+)$/.exec(t.task_id);
    if (!m) continue;
    const n = Number(m[2]);
    if (!best || n > best.n) best = { prefix: m[1]!, n, width: m[2]!.length };
  }
  if (!best) return "T001";
  const ids = new Set(tasks.map((t) => t.task_id));
  let n = best.n + 1;
  let id = `${best.prefix}${String(n).padStart(best.width, "0")}`;
  while (ids.has(id)) id = `${best.prefix}${String(++n).padStart(best.width, "0")}`;
  return id;
}

/** Add a new `not_started` task, refusing a duplicate id or unknown dependencies. */
export function addTask(doc: ChecklistDoc, task: Task, stamp: string): ChecklistDoc {
  const tasks = doc.data.tasks ?? [];
  if (tasks.some((t) => t.task_id === task.task_id))
    throw new UserError(`task \`${task.task_id}\` already exists (choose another --id, or omit it)`);
  for (const dep of task.depends_on ?? [])
    if (!tasks.some((t) => t.task_id === dep))
      throw new UserError(`--depends-on \`${dep}\` is not a task (see \`longrun task list\`)`);
  return touch(appendTask(doc, task), stamp);
}
