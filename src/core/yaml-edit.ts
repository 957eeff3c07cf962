/**
 * Surgical edits of a block mapping in YAML text through the `yaml` CST: changed values are rewritten,
 * every other byte (comments, quoting, blank lines, key order) stays as it was.
 */
import { load } from "js-yaml";
import { CST, Parser, stringify } from "yaml";

type BlockMap = CST.BlockMap;
type Item = CST.BlockMap["items"][number];
/** Finds the mapping to edit inside a parsed CST document. */
export type MapFinder = (doc: CST.Document) => BlockMap | undefined;

/** Set `changes` (key -> new value) on the mapping found by `find`. undefined when the shape is not a block mapping. */
export function editBlockMap(
  text: string,
  find: MapFinder,
  changes: Record<string, unknown>,
): string | undefined {
  let out = text;
  const missing: [string, unknown][] = [];
  const replace: [string, unknown][] = [];
  {
    const tokens = [...new Parser().parse(out)];
    const map = findMap(tokens, find);
    if (!map) return undefined;
    for (const [key, value] of Object.entries(changes)) {
      const item = itemOf(map, key);
      if (!item) missing.push([key, value]);
      else if (isScalarToken(item.value) && (value === null || typeof value !== "object"))
        setScalar(item.value, value);
      else replace.push([key, value]);
    }
    out = tokens.map((t) => CST.stringify(t)).join("");
  }
  // Whole-pair rewrites (collections, empty values) and new keys need fresh offsets: one pass each.
  for (const [key, value] of replace) {
    const map = findMap([...new Parser().parse(out)], find)!;
    const item = itemOf(map, key)!;
    const keyStart = (item.key as CST.FlowScalar).offset;
    const end = itemRange(item)[1];
    let text = pairText(key, value, map.indent).slice(map.indent);
    if (!out.slice(keyStart, end).endsWith("\n")) text = text.replace(/\n$/, "");
    out = out.slice(0, keyStart) + text + out.slice(end);
  }
  for (const [key, value] of missing) {
    const map = findMap([...new Parser().parse(out)], find)!;
    // After the last pair; comments that end the mapping form an item of their own and stay below.
    const last = map.items.findLast((it) => it.key || it.sep || it.value);
    const at = last ? itemRange(last)[1] : out.length;
    const lead = at > 0 && out[at - 1] !== "\n" ? "\n" : "";
    out = out.slice(0, at) + lead + pairText(key, value, map.indent) + out.slice(at);
  }
  return out;
}

/** `key: value` lines at `indent`, ending in a newline, as `yaml` writes them (no line folding). */
export function pairText(key: string, value: unknown, indent: number): string {
  return indentLines(stringify({ [key]: value }, { lineWidth: 0, minContentWidth: 0 }), indent);
}

/** One sequence item (`- ...` lines) at `indent`, ending in a newline. */
export function seqItemText(value: unknown, indent: number): string {
  return indentLines(stringify([value], { lineWidth: 0, minContentWidth: 0 }), indent);
}

/** Every non-empty line of `s` shifted right by `indent` spaces. */
export function indentLines(s: string, indent: number): string {
  const pad = " ".repeat(indent);
  return s
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}

function findMap(tokens: CST.Token[], find: MapFinder): BlockMap | undefined {
  const doc = tokens.find((t): t is CST.Document => t.type === "document");
  return doc ? find(doc) : undefined;
}

function itemOf(map: BlockMap, key: string): Item | undefined {
  return map.items.find(
    (it) => it.key && isScalarToken(it.key) && CST.resolveAsScalar(it.key)?.value === key,
  );
}

function isScalarToken(t: CST.Token | undefined): t is CST.FlowScalar | CST.BlockScalar {
  return (
    !!t &&
    (t.type === "scalar" ||
      t.type === "single-quoted-scalar" ||
      t.type === "double-quoted-scalar" ||
      t.type === "block-scalar")
  );
}

/** [start, end) of a mapping item's text: from its first token to the end of its last line. */
function itemRange(item: Item): [number, number] {
  const first = item.start[0] ?? item.key ?? item.sep?.[0];
  const start = first && "offset" in first ? first.offset : 0;
  if (!item.value) {
    // `key:` with no value: the item ends with its own line; comments below belong to what follows.
    const nl = item.sep?.find((t) => t.type === "newline");
    if (nl && "offset" in nl) return [start, nl.offset + 1];
  }
  const text = CST.stringify(item);
  const trailing = /\n[ \t]*$/.exec(text);
  return [start, start + (trailing ? trailing.index + 1 : text.length)];
}

function setScalar(token: CST.FlowScalar | CST.BlockScalar, value: unknown): void {
  if (value === null || value === undefined) {
    CST.setScalarValue(token, "null", { afterKey: true, type: "PLAIN" });
    return;
  }
  if (typeof value !== "string") {
    CST.setScalarValue(token, String(value), { afterKey: true, type: "PLAIN" });
    return;
  }
  if (value.includes("\n")) {
    CST.setScalarValue(token, value, { afterKey: true, type: "BLOCK_LITERAL" });
    return;
  }
  const quoted =
    token.type === "single-quoted-scalar"
      ? "QUOTE_SINGLE"
      : token.type === "double-quoted-scalar"
        ? "QUOTE_DOUBLE"
        : undefined;
  const type = quoted ?? (readsAsString(value) ? "PLAIN" : "QUOTE_DOUBLE");
  CST.setScalarValue(token, value, { afterKey: true, type });
}

/** Whether `value` written plain reads back as the same string (not a number, bool, null, or other syntax). */
function readsAsString(value: string): boolean {
  if (value === "" || value !== value.trim()) return false;
  try {
    const back = load(`k: ${value}`) as { k?: unknown } | null;
    return back?.k === value;
  } catch {
    return false;
  }
}

/** Finder for the single item of a chunk holding one task: `- task_id: ...`. */
export const firstSeqItemMap: MapFinder = (doc) => {
  const seq = doc.value;
  if (seq?.type !== "block-seq") return undefined;
  // Trailing comments form an item without a `-`; only real items count.
  const items = seq.items.filter((it) => it.start.some((t) => t.type === "seq-item-ind"));
  if (items.length !== 1) return undefined;
  const v = items[0]?.value;
  return v?.type === "block-map" ? v : undefined;
};

/** Finder for the mapping under a top-level key, in a chunk that starts with `key:`. */
export function topKeyMap(key: string): MapFinder {
  return (doc) => {
    const root = doc.value;
    if (root?.type !== "block-map") return undefined;
    const item = itemOf(root, key);
    return item?.value?.type === "block-map" ? item.value : undefined;
  };
}

/** Finder for the root mapping itself. */
export const rootMap: MapFinder = (doc) => (doc.value?.type === "block-map" ? doc.value : undefined);
