/**
 * checklist.yaml text -> data, index and validation, reusing what an earlier parse of the same file
 * learned: task items whose text is unchanged are neither parsed nor schema-checked again. Each item
 * is a self-contained YAML text (see checklist-split.ts), so a one-task edit of a 10k-task file parses
 * one item and the frame. Any surprise falls back to parsing the whole file. Pure.
 */
import { hash } from "node:crypto";
import { type ChecklistIndex, indexChecklist } from "./checklist-index.ts";
import { splitTasks } from "./checklist-split.ts";
import { type ChecklistValidation, type TaskMemo, validateChecklist } from "./checklist-validate.ts";
import type { PathDiagnostic } from "./diagnostic.ts";
import { readYaml } from "./yaml-read.ts";

/** What a parse leaves for the next one: per task item, its text hash, value and own diagnostics. */
export interface ItemMemo {
  hashes: string[];
  tasks: unknown[];
  /** null where the diagnostics mention the task's position (no task_id), so they cannot be reused. */
  diagnostics: (PathDiagnostic[] | null)[];
}

export type ParsedChecklist =
  | {
      ok: true;
      data: unknown;
      index: ChecklistIndex;
      validation: ChecklistValidation;
      taskMemo: TaskMemo;
      items: ItemMemo | undefined;
      /** How many task items were parsed (not reused); the whole count on a full parse. */
      parsedItems: number;
    }
  | { ok: false; code: string; message: string; hint: string; offset: number };

export function hashText(text: string): string {
  return hash("sha1", text);
}

export function parseChecklist(text: string, prev?: ItemMemo): ParsedChecklist {
  const split = splitTasks(text);
  const taskMemo: TaskMemo = new Map();
  const incremental = split && prev ? parseItems(text, split, prev, taskMemo) : undefined;
  if (incremental) {
    const validation = validateChecklist(incremental.data, taskMemo);
    const items = memoOf(text, incremental.hashes, incremental.data, taskMemo);
    return {
      ok: true,
      data: incremental.data,
      index: incremental.index,
      validation,
      taskMemo,
      items,
      parsedItems: incremental.parsed,
    };
  }
  const read = readYaml(text);
  if (!read.ok) return read;
  const validation = validateChecklist(read.data, taskMemo);
  const tasks = (read.data as { tasks?: unknown } | null)?.tasks;
  const hashes =
    split && Array.isArray(tasks) && tasks.length === split.items.length
      ? split.items.map(([a, b]) => hashText(text.slice(a, b)))
      : undefined;
  return {
    ok: true,
    data: read.data,
    index: indexChecklist(text, read.events),
    validation,
    taskMemo,
    items: hashes ? memoOf(text, hashes, read.data, taskMemo) : undefined,
    parsedItems: Array.isArray(tasks) ? tasks.length : 0,
  };
}

/** The item memo of `data` (whose tasks line up with `hashes`), for the next parse. */
export function memoOf(
  text: string,
  hashes: string[],
  data: unknown,
  taskMemo: TaskMemo,
): ItemMemo | undefined {
  const tasks = (data as { tasks?: unknown[] }).tasks ?? [];
  // A value JSON cannot carry (.inf, .nan) would come back different from a cache: keep no memo then.
  if (hashes.length !== tasks.length || /\.(inf|nan)\b/i.test(text)) return undefined;
  const diagnostics = tasks.map((t) =>
    t && typeof t === "object" && typeof (t as { task_id?: unknown }).task_id === "string"
      ? (taskMemo.get(t) ?? null)
      : null,
  );
  return { hashes, tasks, diagnostics };
}

function parseItems(
  text: string,
  split: NonNullable<ReturnType<typeof splitTasks>>,
  prev: ItemMemo,
  taskMemo: TaskMemo,
) {
  const frame = readYaml(split.frame);
  if (!frame.ok || !frame.data || typeof frame.data !== "object" || Array.isArray(frame.data))
    return undefined;
  const data = frame.data as Record<string, unknown>;
  if (!("tasks" in data) || data.tasks !== null) return undefined;
  const known = new Map<string, number>();
  for (const [i, h] of prev.hashes.entries()) known.set(h, i);
  const tasks: unknown[] = [];
  const hashes: string[] = [];
  let parsed = 0;
  for (const [a, b] of split.items) {
    const chunk = text.slice(a, b);
    const h = hashText(chunk);
    const k = known.get(h);
    if (k !== undefined) {
      const task = prev.tasks[k];
      const ds = prev.diagnostics[k];
      if (ds && task && typeof task === "object") taskMemo.set(task, ds);
      tasks.push(task);
    } else {
      const r = readYaml(chunk);
      if (!r.ok || !Array.isArray(r.data) || r.data.length !== 1) return undefined;
      tasks.push(r.data[0]);
      // When most items changed, one whole-file parse is cheaper than many small ones.
      if (++parsed > 64 && parsed > split.items.length / 4) return undefined;
    }
    hashes.push(h);
  }
  data.tasks = tasks;
  const shift = split.end - split.start;
  const at = (o: number) => (o < split.start ? o : o + shift);
  const frameIndex = indexChecklist(split.frame, frame.events);
  const index: ChecklistIndex = {
    top: frameIndex.top.map((k) => ({ key: k.key, start: at(k.start), end: at(k.end) })),
    tasks: { style: "block", items: split.items.map(([a]) => a + split.dash + 1) },
  };
  return { data, index, hashes, parsed };
}
