/** checklist.yaml data -> { value, diagnostics }: schema first, then the rules that need the whole file. */
import { z } from "zod";
import {
  type Checklist,
  checklistSchema,
  SUMMARY_KEYS,
  TASK_KEYS,
  type Task,
  TOP_KEYS,
  taskSchema,
} from "./checklist-schema.ts";
import type { PathDiagnostic } from "./diagnostic.ts";
import { didYouMean } from "./did-you-mean.ts";
import { issueToDiagnostic, kindOf, unknownKeyDiagnostic, valueAt } from "./schema-issues.ts";
import { findCycles, indexById, statusOf } from "./task-graph.ts";
import { showPath } from "./yaml-read.ts";

export interface ChecklistValidation {
  /** The checklist when it has no errors (warnings allowed). */
  value: Checklist | undefined;
  diagnostics: PathDiagnostic[];
}

/** Validate parsed checklist data. Reports every problem at once; never throws. */
export function validateChecklist(data: unknown, memo?: TaskMemo): ChecklistValidation {
  if (data === null || data === undefined)
    return only({
      path: [],
      severity: "error",
      code: "empty-file",
      message: "checklist.yaml is empty",
      hint: "run `longrun init` in an empty folder for a template, or add `summary:` and `tasks:`",
    });
  if (typeof data !== "object" || Array.isArray(data))
    return only({
      path: [],
      severity: "error",
      code: "not-a-mapping",
      message: `checklist.yaml must be a mapping with \`summary\` and \`tasks\`, not ${kindOf(data)}`,
      hint: "start the file with `summary:` and `tasks:` keys",
    });
  const diagnostics: PathDiagnostic[] = [];
  const describe = (path: readonly PropertyKey[]) => describePath(data, path);
  const frame = frameSchema.safeParse(data);
  if (!frame.success)
    for (const issue of frame.error.issues) diagnostics.push(issueToDiagnostic(issue, data, describe));
  const raw = data as Record<string, unknown>;
  unknownKeys(raw, [], TOP_KEYS, "the top level", diagnostics);
  if (raw.summary && typeof raw.summary === "object")
    unknownKeys(raw.summary, ["summary"], SUMMARY_KEYS, "summary", diagnostics);
  const tasks = Array.isArray(raw.tasks) ? (raw.tasks as unknown[]) : [];
  for (const [i, t] of tasks.entries()) {
    const cached = t && typeof t === "object" ? memo?.get(t) : undefined;
    const own = cached ?? taskDiagnostics(t, i, data);
    if (!cached && t && typeof t === "object") memo?.set(t, own);
    for (const d of own) diagnostics.push({ ...d, path: ["tasks", i, ...d.path] });
  }
  // The rules below read ids, statuses and dependencies; they run on whatever is well-formed enough.
  const usable = tasks.filter(
    (t): t is Task => !!t && typeof t === "object" && typeof (t as Task).task_id === "string",
  );
  rules(raw, tasks, usable, diagnostics);
  const hasErrors = diagnostics.some((d) => d.severity === "error");
  // The schema has no defaults or transforms, so valid input is its own parsed value.
  return { value: hasErrors ? undefined : (data as Checklist), diagnostics };
}

/** Per-task diagnostics, keyed by the task object, so a caller can reuse them for unchanged tasks. */
export type TaskMemo = Map<object, PathDiagnostic[]>;

const frameSchema = checklistSchema.extend({ tasks: z.array(z.unknown()).nullish() });

/**
 * Diagnostics of one task on its own (schema and unknown keys), with paths relative to the task.
 * They depend only on the task's content, so they may be cached by the task's text.
 */
export function taskDiagnostics(task: unknown, i: number, data: unknown): PathDiagnostic[] {
  const out: PathDiagnostic[] = [];
  const describe = (path: readonly PropertyKey[]) => describePath(data, ["tasks", i, ...path]);
  const parsed = taskSchema.safeParse(task);
  if (!parsed.success)
    for (const issue of parsed.error.issues) out.push(issueToDiagnostic(issue, task, describe));
  if (task && typeof task === "object" && !Array.isArray(task))
    unknownKeys(task, [], TASK_KEYS, describe([]), out);
  return out;
}

function rules(raw: Record<string, unknown>, tasks: unknown[], usable: Task[], out: PathDiagnostic[]): void {
  if (raw.summary === undefined)
    out.push({
      path: [],
      severity: "warning",
      code: "no-summary",
      message: "checklist.yaml has no `summary`",
      hint: "add a `summary:` mapping (see `longrun init`)",
    });
  if (tasks.length === 0)
    out.push({
      path: raw.tasks === undefined ? [] : ["tasks"],
      severity: "warning",
      code: "no-tasks",
      message: "checklist.yaml has no tasks",
      hint: "add one with `longrun task add`",
    });
  const indexOf = new Map<Task, number>();
  for (const [i, t] of tasks.entries()) indexOf.set(t as Task, i);
  const firstAt = new Map<string, number>();
  for (const t of usable) {
    const i = indexOf.get(t)!;
    const first = firstAt.get(t.task_id);
    if (first === undefined) firstAt.set(t.task_id, i);
    else
      out.push({
        path: ["tasks", i, "task_id"],
        severity: "error",
        code: "duplicate-task-id",
        message: `task_id \`${t.task_id}\` is used again (first at tasks[${first}])`,
        hint: "give each task its own id",
      });
  }
  const byId = indexById(usable);
  for (const t of usable) {
    const i = indexOf.get(t)!;
    const deps = Array.isArray(t.depends_on) ? t.depends_on : [];
    deps.forEach((dep, j) => {
      if (typeof dep !== "string") return;
      const target = byId.get(dep);
      if (!target) {
        const guess = didYouMean(dep, [...byId.keys()]);
        out.push({
          path: ["tasks", i, "depends_on", j],
          severity: "error",
          code: "unknown-dependency",
          message: `${t.task_id} depends on \`${dep}\`, which is not a task`,
          hint: guess ? `did you mean \`${guess}\`?` : "name an existing task_id or remove it",
        });
      } else if (statusOf(target) === "archived" && statusOf(t) === "not_started")
        out.push({
          path: ["tasks", i, "depends_on", j],
          severity: "warning",
          code: "archived-dependency",
          message: `${t.task_id} depends on \`${dep}\`, which is archived, so it can never start`,
          hint: "remove the dependency or unarchive the task",
        });
    });
    const status = statusOf(t);
    const criteria = t.acceptance_criteria;
    if (
      (status === "not_started" || status === "in_progress") &&
      (!Array.isArray(criteria) || criteria.length === 0)
    )
      out.push({
        path: ["tasks", i],
        severity: "warning",
        code: "no-criteria",
        message: `${t.task_id} has no acceptance criteria, so nothing can verify it`,
        hint: "add `acceptance_criteria:` with a `check` command where you can",
      });
  }
  for (const cycle of findCycles(usable)) {
    const i = indexOf.get(byId.get(cycle[0]!)!)!;
    out.push({
      path: ["tasks", i, "depends_on"],
      severity: "error",
      code: "dependency-cycle",
      message: `dependency cycle: ${cycle.join(" -> ")}`,
      hint: "remove one of these dependencies",
    });
  }
  const summary = raw.summary as Record<string, unknown> | null | undefined;
  const active = summary && typeof summary === "object" ? summary.active_task_id : undefined;
  if (typeof active === "string" && active !== "") {
    const task = byId.get(active);
    if (!task)
      out.push({
        path: ["summary", "active_task_id"],
        severity: "error",
        code: "unknown-active-task",
        message: `active_task_id \`${active}\` is not a task`,
        hint: "name an existing task_id, or leave it empty",
      });
    else if (statusOf(task) !== "in_progress")
      out.push({
        path: ["summary", "active_task_id"],
        severity: "warning",
        code: "active-not-in-progress",
        message: `active task ${active} is ${String(task.status)}, not in_progress`,
        hint: `run \`longrun task start ${active}\` or clear active_task_id`,
      });
  }
}

function unknownKeys(
  obj: object,
  path: (string | number)[],
  known: readonly string[],
  where: string,
  out: PathDiagnostic[],
): void {
  for (const key of Object.keys(obj))
    if (!known.includes(key)) out.push(unknownKeyDiagnostic(path, key, known, where));
}

/** `task T003 title` rather than `tasks[2].title` where the task has an id. */
export function describePath(data: unknown, path: readonly PropertyKey[]): string {
  const p = path.filter((x): x is string | number => typeof x !== "symbol");
  if (p[0] === "tasks" && typeof p[1] === "number") {
    const id = valueAt(data, ["tasks", p[1], "task_id"]);
    const rest = p.slice(2);
    const name = typeof id === "string" && id !== "" ? `task ${id}` : `tasks[${p[1]}]`;
    return rest.length ? `${name} \`${showPath(rest)}\`` : name;
  }
  return `\`${showPath(p)}\``;
}

function only(d: PathDiagnostic): ChecklistValidation {
  return { value: undefined, diagnostics: [d] };
}
