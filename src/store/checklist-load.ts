/**
 * Load and validate checklist.yaml. A parse-cache hit (same bytes, same longrun) skips the YAML parse
 * and the validation entirely; the parser and the schema are only imported on a miss, so read-only
 * commands stay fast on a 10k-task checklist.
 */
import type { ChecklistDoc } from "../core/checklist-doc.ts";
import type { ItemMemo } from "../core/checklist-parse.ts";
import type { Checklist } from "../core/checklist-schema.ts";
import { type Diagnostic, formatDiagnostic, type PathDiagnostic } from "../core/diagnostic.ts";
import { UserError } from "../core/user-error.ts";
import { cachedItems, cacheEntry, readCache, writeCache } from "./parse-cache.ts";
import { display, FILES, filePath } from "./paths.ts";
import { readTextFile, type TextFile } from "./read-input.ts";

export interface LoadedChecklist {
  file: TextFile;
  /** Present when the file parsed and has no errors (warnings allowed). */
  doc: ChecklistDoc | undefined;
  /** What the parse learned per task item, for the next parse after an edit. */
  items: ItemMemo | undefined;
  errorCount: number;
  warningCount: number;
  /** Every problem, placed at file:line:col (parses the file on first use when it came from the cache). */
  diagnostics(): Promise<Diagnostic[]>;
}

/** Read and validate checklist.yaml. Throws UserError only when the file cannot be read as text. */
export async function loadChecklist(dir: string): Promise<LoadedChecklist> {
  const path = filePath(dir, FILES.checklist);
  const file = readTextFile(path)!;
  const shown = display(path);
  const cached = readCache(dir, "checklist");
  if (cached?.hash === file.hash) {
    const c = cached.value;
    return fromParts(
      file,
      shown,
      c.valid ? (c.data as Checklist) : undefined,
      c.index,
      c.diagnostics,
      cachedItems(c),
    );
  }
  const [{ parseChecklist }, { LineIndex }] = await Promise.all([
    import("../core/checklist-parse.ts"),
    import("../core/text-position.ts"),
  ]);
  const parsed = parseChecklist(file.text, cached ? cachedItems(cached.value) : undefined);
  if (!parsed.ok) {
    const { line, col } = new LineIndex(file.text).position(parsed.offset);
    const d: Diagnostic = {
      file: shown,
      line,
      col,
      severity: "error",
      code: parsed.code,
      message: parsed.message,
      hint: parsed.hint,
    };
    return {
      file,
      doc: undefined,
      items: undefined,
      errorCount: 1,
      warningCount: 0,
      diagnostics: async () => [d],
    };
  }
  const { value, diagnostics } = parsed.validation;
  writeCache(
    dir,
    "checklist",
    file.hash,
    cacheEntry(!!value, parsed.data, parsed.index, diagnostics, parsed.items),
  );
  return fromParts(file, shown, value, parsed.index, diagnostics, parsed.items);
}

function fromParts(
  file: TextFile,
  shown: string,
  value: Checklist | undefined,
  index: ChecklistDoc["index"],
  raw: PathDiagnostic[],
  items: ItemMemo | undefined,
): LoadedChecklist {
  let placed: Diagnostic[] | undefined;
  const errorCount = raw.filter((d) => d.severity === "error").length;
  return {
    file,
    doc: value ? { text: file.text, data: value, index } : undefined,
    items,
    errorCount,
    warningCount: raw.length - errorCount,
    diagnostics: async () => {
      if (!placed) placed = await placeAll(file.text, shown, raw);
      return placed;
    },
  };
}

/** Place path diagnostics at file:line:col (needs the YAML event stream, so it parses). */
export async function placeAll(text: string, shown: string, raw: PathDiagnostic[]): Promise<Diagnostic[]> {
  if (raw.length === 0) return [];
  const [{ readYaml }, { placeDiagnostics }] = await Promise.all([
    import("../core/yaml-read.ts"),
    import("../core/place-diagnostics.ts"),
  ]);
  const read = readYaml(text);
  return placeDiagnostics(shown, text, read.ok ? read.events : [], raw);
}

/** The checklist, or a UserError (exit 2) naming its first error and how many there are. */
export async function requireChecklist(
  dir: string,
): Promise<{ doc: ChecklistDoc; file: TextFile; items: ItemMemo | undefined; warningCount: number }> {
  const loaded = await loadChecklist(dir);
  if (!loaded.doc) throw invalid(await loaded.diagnostics());
  return { doc: loaded.doc, file: loaded.file, items: loaded.items, warningCount: loaded.warningCount };
}

export function invalid(ds: Diagnostic[]): UserError {
  const errors = ds.filter((d) => d.severity === "error");
  const first = errors[0] ?? ds[0];
  const more = errors.length > 1 ? `; ${errors.length - 1} more: run \`longrun check\`` : "";
  return new UserError(
    first ? `${formatDiagnostic(first)}${more}` : "checklist.yaml is invalid: run `longrun check`",
  );
}
