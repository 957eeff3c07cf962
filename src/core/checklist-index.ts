/** Where the top-level keys and the task items of checklist.yaml are, from the YAML event stream. */
import { COLLECTION_STYLE, EVENT_ID, type Event, getScalarValue } from "js-yaml";
import { LineIndex } from "./text-position.ts";

export interface ChecklistIndex {
  /** Top-level keys in file order; `start` is the start of the key's line, `end` the next key's line start. */
  top: { key: string; start: number; end: number }[];
  /** The `tasks` value: its style and the offset where each item's node starts. */
  tasks: { style: "block" | "flow" | "none"; items: number[] };
}

export function indexChecklist(text: string, events: readonly Event[]): ChecklistIndex {
  const lines = new LineIndex(text);
  const keys: { key: string; at: number }[] = [];
  const items: number[] = [];
  let style: ChecklistIndex["tasks"]["style"] = "none";
  let depth = 0; // 1 = inside the root mapping
  let expectKey = false;
  let currentKey = "";
  let inTasks = false;
  for (const ev of events) {
    if (ev.type === EVENT_ID.DOCUMENT) continue;
    if (ev.type === EVENT_ID.POP) {
      depth--;
      if (depth === 1) inTasks = false;
      continue;
    }
    const start =
      ev.type === EVENT_ID.SCALAR ? ev.valueStart : ev.type === EVENT_ID.ALIAS ? ev.anchorStart : ev.start;
    if (depth === 1) {
      if (expectKey) {
        currentKey = ev.type === EVENT_ID.SCALAR ? getScalarValue(text, ev) : "";
        keys.push({ key: currentKey, at: start });
        expectKey = false;
      } else {
        expectKey = true;
        if (currentKey === "tasks" && ev.type === EVENT_ID.SEQUENCE) {
          style = ev.style === COLLECTION_STYLE.FLOW ? "flow" : "block";
          inTasks = true;
        }
      }
    } else if (depth === 2 && inTasks) items.push(start);
    if (ev.type === EVENT_ID.SEQUENCE || ev.type === EVENT_ID.MAPPING) {
      depth++;
      if (depth === 1) expectKey = true;
    }
  }
  const starts = keys.map((k) => lines.lineStart(k.at));
  const top = keys.map((k, i) => ({ key: k.key, start: starts[i]!, end: starts[i + 1] ?? text.length }));
  return { top, tasks: { style, items } };
}

/** The [start, end) text range of task item `i`: from its `-` line to the next item's (or the key's end). */
export function taskRange(text: string, index: ChecklistIndex, i: number): [number, number] {
  const at = index.tasks.items[i]!;
  const next = index.tasks.items[i + 1];
  const tasksKey = index.top.find((k) => k.key === "tasks");
  return [
    itemLineStart(text, at),
    next !== undefined ? itemLineStart(text, next) : (tasksKey?.end ?? text.length),
  ];
}

/**
 * Start of the line holding the `-` of the block sequence item whose node starts at `at`: the node's own
 * line, or a line above it when the `-` stands alone (only blank and comment lines may lie between).
 */
export function itemLineStart(text: string, at: number): number {
  const own = text.lastIndexOf("\n", at - 1) + 1;
  if (/^[ \t]*-/.test(text.slice(own, at))) return own;
  for (let end = own - 1; end > 0; ) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text
      .slice(start, end)
      .replace(/(^|\s)#.*$/, "")
      .trim();
    if (line === "-") return start;
    if (line !== "") break;
    end = start - 1;
  }
  return own;
}

/** Shift every offset at or after `from` by `delta` (after an edit that changed the text before them). */
export function shiftIndex(index: ChecklistIndex, from: number, delta: number): ChecklistIndex {
  const s = (n: number) => (n >= from ? n + delta : n);
  return {
    top: index.top.map((k) => ({
      key: k.key,
      start: s(k.start),
      end: k.end >= from ? k.end + delta : k.end,
    })),
    tasks: { style: index.tasks.style, items: index.tasks.items.map(s) },
  };
}
