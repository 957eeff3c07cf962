/**
 * A checklist as text + data + index, and the edits longrun makes to it. Each edit rewrites only the
 * task (or summary) it touches, verifies the result parses back to exactly the intended data, and
 * falls back to a whole-document edit for shapes the fast path does not handle (flow style, odd layout).
 */
import { isDeepStrictEqual } from "node:util";
import { isSeq, parseDocument } from "yaml";
import {
  type ChecklistIndex,
  indexChecklist,
  itemLineStart,
  shiftIndex,
  taskRange,
} from "./checklist-index.ts";
import type { Checklist, Task } from "./checklist-schema.ts";
import {
  editBlockMap,
  firstSeqItemMap,
  indentLines,
  type MapFinder,
  seqItemText,
  topKeyMap,
} from "./yaml-edit.ts";
import { readYaml } from "./yaml-read.ts";

export interface ChecklistDoc {
  text: string;
  data: Checklist;
  index: ChecklistIndex;
}

export type Changes = Record<string, unknown>;

/** Set fields of task `taskId`. */
export function updateTask(doc: ChecklistDoc, taskId: string, wanted: Changes): ChecklistDoc {
  const tasks = doc.data.tasks ?? [];
  const i = tasks.findIndex((t) => t.task_id === taskId);
  if (i === -1) throw new Error(`no task ${taskId}`);
  const changes = realChanges(tasks[i]!, wanted);
  if (!changes) return doc;
  const task = { ...tasks[i]!, ...changes } as Task;
  const data = { ...doc.data, tasks: tasks.map((t, k) => (k === i ? task : t)) };
  if (doc.index.tasks.style === "block" && doc.index.tasks.items.length === tasks.length) {
    const [start, end] = taskRange(doc.text, doc.index, i);
    const done =
      spliceEdit(
        doc,
        data,
        start,
        end,
        firstSeqItemMap,
        changes,
        (v) => Array.isArray(v) && v.length === 1 && isDeepStrictEqual(v[0], tasks[i]),
        (v) => Array.isArray(v) && v.length === 1 && isDeepStrictEqual(v[0], task),
      ) ?? itemDocumentEdit(doc, data, start, end, changes);
    if (done) return done;
  }
  return wholeDocumentEdit(doc, data, (d) => {
    for (const [k, v] of Object.entries(changes)) d.setIn(["tasks", i, k], v);
  });
}

/** Set fields of `summary` (which must be a mapping, or absent). */
export function updateSummary(doc: ChecklistDoc, wanted: Changes): ChecklistDoc {
  const changes = realChanges(doc.data.summary ?? {}, wanted);
  if (!changes) return doc;
  const summary = { ...(doc.data.summary ?? {}), ...changes };
  const data = { ...doc.data, summary };
  const key = doc.index.top.find((k) => k.key === "summary");
  if (key && doc.data.summary) {
    const done = spliceEdit(
      doc,
      data,
      key.start,
      key.end,
      topKeyMap("summary"),
      changes,
      (v) => isDeepStrictEqual(v, { summary: doc.data.summary }),
      (v) => isDeepStrictEqual(v, { summary }),
    );
    if (done) return done;
  }
  return wholeDocumentEdit(doc, data, (d) => {
    for (const [k, v] of Object.entries(changes)) d.setIn(["summary", k], v);
  });
}

/** Append a task at the end of `tasks`, in the indentation the existing items use. */
export function appendTask(doc: ChecklistDoc, task: Task): ChecklistDoc {
  const tasks = doc.data.tasks ?? [];
  const data = { ...doc.data, tasks: [...tasks, task] };
  const key = doc.index.top.find((k) => k.key === "tasks");
  const items = doc.index.tasks.items;
  if (key && doc.index.tasks.style === "block" && items.length === tasks.length && items.length > 0) {
    const firstLine = itemLineStart(doc.text, items[0]!);
    const dashIndent = doc.text.indexOf("-", firstLine) - firstLine;
    // Insert after the last item, before the blank and comment lines that end the key's range.
    const lastLine = itemLineStart(doc.text, items[items.length - 1]!);
    const at = key.end - trailingLines(doc.text.slice(lastLine, key.end), dashIndent).length;
    const spaced = lastLine >= 2 && doc.text.slice(lastLine - 2, lastLine) === "\n\n";
    const lead = (at > 0 && doc.text[at - 1] !== "\n" ? "\n" : "") + (spaced ? "\n" : "");
    const insert = lead + seqItemText(task, dashIndent);
    const text = doc.text.slice(0, at) + insert + doc.text.slice(at);
    // Check the whole file: the text around the insertion point (a block scalar's kept blank lines) counts too.
    const back = readYaml(text);
    if (back.ok && isDeepStrictEqual(back.data, data))
      return { text, data, index: indexChecklist(text, back.events) };
  }
  return wholeDocumentEdit(doc, data, (d) => {
    if (Array.isArray(doc.data.tasks) && doc.data.tasks.length > 0) d.addIn(["tasks"], task);
    else d.set("tasks", [task]);
  });
}

function spliceEdit(
  doc: ChecklistDoc,
  data: Checklist,
  start: number,
  end: number,
  find: MapFinder,
  changes: Changes,
  wasOk: (v: unknown) => boolean,
  isOk: (v: unknown) => boolean,
): ChecklistDoc | undefined {
  const chunk = doc.text.slice(start, end);
  const before = readYaml(chunk);
  if (!before.ok || !wasOk(before.data)) return undefined; // the chunk does not stand alone: use the slow path
  const edited = editBlockMap(chunk, find, changes);
  if (edited === undefined) return undefined;
  const after = readYaml(edited);
  if (!after.ok || !isOk(after.data)) return undefined;
  const text = doc.text.slice(0, start) + edited + doc.text.slice(end);
  return { text, data, index: shiftIndex(doc.index, end, edited.length - chunk.length) };
}

/**
 * The slow path for one item of a block list (a flow-style task, odd layout): edit its lines alone as a
 * `yaml` Document and put them back at their indentation, so every other line stays byte for byte.
 */
function itemDocumentEdit(
  doc: ChecklistDoc,
  data: Checklist,
  start: number,
  end: number,
  changes: Changes,
): ChecklistDoc | undefined {
  const chunk = doc.text.slice(start, end);
  const indent = chunk.search(/\S/);
  const tail = trailingLines(chunk, indent); // kept as they are: they belong to what follows
  const d = parseDocument(chunk.slice(0, chunk.length - tail.length), { keepSourceTokens: false });
  if (d.errors.length > 0 || !isSeq(d.contents) || d.contents.items.length !== 1) return undefined;
  for (const [k, v] of Object.entries(changes)) d.setIn([0, k], v);
  const body = d.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n+$/, "\n");
  const text = doc.text.slice(0, start) + indentLines(body, indent) + tail + doc.text.slice(end);
  const back = readYaml(text);
  if (!back.ok || !isDeepStrictEqual(back.data, data)) return undefined;
  return { text, data, index: indexChecklist(text, back.events) };
}

/**
 * The blank lines and the comments no deeper than `indent` (a list's `-`) that end `text`, after its first
 * line. A deeper comment belongs to the item above it, or is a line of its block scalar.
 */
function trailingLines(text: string, indent: number): string {
  return new RegExp(`\\n((?:[ \\t]*\\n| {0,${indent}}#[^\\n]*\\n)*)$`).exec(text)?.[1] ?? "";
}

/** The slow, always-correct path: edit the `yaml` Document (comments kept), then re-read everything. */
function wholeDocumentEdit(
  doc: ChecklistDoc,
  data: Checklist,
  edit: (d: ReturnType<typeof parseDocument>) => void,
): ChecklistDoc {
  const d = parseDocument(doc.text, { keepSourceTokens: false });
  edit(d);
  const text = d.toString({ lineWidth: 0, minContentWidth: 0 });
  const back = readYaml(text);
  if (!back.ok || !isDeepStrictEqual(back.data, data))
    throw new Error("checklist edit did not round-trip; the file was left unchanged");
  return { text, data, index: indexChecklist(text, back.events) };
}

/** The entries of `wanted` that differ from `current`, or undefined: setting a value to itself writes nothing. */
function realChanges(current: object, wanted: Changes): Changes | undefined {
  const out: Changes = {};
  for (const [k, v] of Object.entries(wanted))
    if (!(k in current) || !isDeepStrictEqual((current as Record<string, unknown>)[k], v)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}
