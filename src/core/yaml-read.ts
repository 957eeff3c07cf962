/** YAML text -> plain data plus the event stream that locates every node, with bounded work. */
import { constructFromEvents, EVENT_ID, type Event, getScalarValue, parseEvents } from "js-yaml";

export type YamlPath = readonly (string | number)[];

export type YamlRead =
  | { ok: true; data: unknown; events: Event[] }
  | { ok: false; code: string; message: string; hint: string; offset: number };

/** Nodes an alias-expanded document may hold before it is refused as an alias bomb. */
export const MAX_EXPANDED_NODES = 2_000_000;

/**
 * Parse one YAML document (YAML 1.2 core schema: dates stay strings). Never throws: syntax errors,
 * several documents, excessive nesting and alias bombs come back as `{ ok: false }` with an offset.
 */
export function readYaml(text: string): YamlRead {
  let events: Event[];
  let docs: unknown[];
  try {
    events = parseEvents(text, { maxDepth: 64 });
    docs = constructFromEvents(events, { source: text, maxAliases: 10_000 });
  } catch (err) {
    const e = err as { reason?: string; message?: string; mark?: { position?: number } };
    const reason = e.reason ?? e.message ?? String(err);
    const tooDeep = /depth/i.test(reason);
    const aliases = /maxAliases/.test(reason);
    return {
      ok: false,
      code: tooDeep ? "yaml-too-deep" : aliases ? "yaml-alias-bomb" : "yaml-syntax",
      message: reason,
      hint: tooDeep
        ? "flatten the structure"
        : aliases
          ? "write the values out instead of nesting aliases"
          : "fix the YAML syntax at this position",
      offset: e.mark?.position ?? 0,
    };
  }
  if (docs.length > 1) {
    // Point at the second document's first node.
    let second = text.length;
    let seen = 0;
    for (const ev of events) {
      if (ev.type === EVENT_ID.DOCUMENT) seen++;
      else if (seen === 2) {
        const at = startOf(ev) ?? -1;
        if (at >= 0) second = at;
        break;
      }
    }
    return {
      ok: false,
      code: "yaml-multiple-documents",
      message: "the file holds more than one YAML document",
      hint: "remove the `---` separator and keep one document",
      offset: second,
    };
  }
  const data = docs[0] ?? null;
  const hasAlias = events.some((ev) => ev.type === EVENT_ID.ALIAS);
  if (hasAlias && expandedSize(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
    const alias = events.find((ev) => ev.type === EVENT_ID.ALIAS);
    return {
      ok: false,
      code: "yaml-alias-bomb",
      message: `aliases expand to more than ${MAX_EXPANDED_NODES} nodes`,
      hint: "write the values out instead of nesting aliases",
      offset: alias ? (startOf(alias) ?? 0) : 0,
    };
  }
  return { ok: true, data, events };
}

/** Nodes of `value` with shared (aliased) objects counted at every use; stops counting past `limit`. */
export function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== "object") return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, limit + 1); // a cycle counts as too large
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += size(child);
      if (n > limit) break;
    }
    memo.set(v, n);
    return n;
  };
  return size(value);
}

function startOf(ev: Event): number | undefined {
  switch (ev.type) {
    case EVENT_ID.SCALAR:
      return ev.valueStart;
    case EVENT_ID.SEQUENCE:
    case EVENT_ID.MAPPING:
      return ev.start;
    case EVENT_ID.ALIAS:
      return ev.anchorStart;
    default:
      return undefined;
  }
}

export interface NodePlace {
  /** Offset of the node's value. */
  value: number;
  /** Offset of its key, when it is a mapping value. */
  key?: number;
}

type Frame =
  | { kind: "seq"; path: (string | number)[]; index: number; skip: boolean }
  | {
      kind: "map";
      path: (string | number)[];
      expectKey: boolean;
      key: string | undefined;
      keyAt: number;
      skip: boolean;
    };

/** Where each of `paths` (and, for paths that do not exist, their deepest existing ancestor) starts. */
export function locate(
  events: readonly Event[],
  text: string,
  paths: readonly YamlPath[],
): Map<string, NodePlace> {
  const wanted = new Set<string>();
  for (const p of paths) for (let i = 0; i <= p.length; i++) wanted.add(pathKey(p.slice(0, i)));
  const found = new Map<string, NodePlace>();
  const stack: Frame[] = [];
  let docs = 0;
  for (const ev of events) {
    if (ev.type === EVENT_ID.DOCUMENT) {
      docs++;
      continue;
    }
    if (docs > 1) break;
    if (ev.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    const start = startOf(ev) ?? 0;
    const top = stack[stack.length - 1];
    let path: (string | number)[] = [];
    let skip = false;
    let keyAt: number | undefined;
    if (top?.kind === "map" && top.expectKey) {
      // This node is a key. Plain keys name the next value; complex keys are not addressable.
      top.expectKey = false;
      top.key = ev.type === EVENT_ID.SCALAR ? getScalarValue(text, ev) : undefined;
      top.keyAt = start;
      if (ev.type === EVENT_ID.SEQUENCE || ev.type === EVENT_ID.MAPPING)
        stack.push({ kind: "seq", path: [], index: 0, skip: true });
      continue;
    }
    if (top) {
      skip = top.skip || (top.kind === "map" && top.key === undefined);
      if (top.kind === "seq") path = [...top.path, ++top.index];
      else {
        path = [...top.path, top.key ?? ""];
        keyAt = top.keyAt;
        top.expectKey = true;
      }
    }
    // An empty value (`title:` and nothing after it) has no offset of its own: it is placed at its key,
    // and an empty list item at the list.
    const value = start >= 0 ? start : keyAt;
    if (!skip && value !== undefined) {
      const k = pathKey(path);
      if (wanted.has(k)) found.set(k, keyAt === undefined ? { value } : { value, key: keyAt });
    }
    if (ev.type === EVENT_ID.SEQUENCE) stack.push({ kind: "seq", path, index: -1, skip });
    else if (ev.type === EVENT_ID.MAPPING)
      stack.push({ kind: "map", path, expectKey: true, key: undefined, keyAt: 0, skip });
  }
  return found;
}

/** The place of `path` itself, or of its deepest ancestor found by `locate`. */
export function placeOf(found: Map<string, NodePlace>, path: YamlPath): { place: NodePlace; exact: boolean } {
  for (let i = path.length; i >= 0; i--) {
    const place = found.get(pathKey(path.slice(0, i)));
    if (place) return { place, exact: i === path.length };
  }
  return { place: { value: 0 }, exact: false };
}

export function pathKey(path: YamlPath): string {
  return path.join("\u0000");
}

/** `tasks[3].title` — how a path is shown to people. */
export function showPath(path: YamlPath): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? p : `.${p}`;
  return s || "(document)";
}
