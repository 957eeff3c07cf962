/** Load checklist.yaml (through the parse cache) and change it under its lock, atomically. */
import { createHash } from "node:crypto";
import type { Event } from "js-yaml";
import type { ChecklistDoc } from "../core/checklist-doc.ts";
import { indexChecklist } from "../core/checklist-index.ts";
import type { Checklist } from "../core/checklist-schema.ts";
import { validateChecklist } from "../core/checklist-validate.ts";
import { type Diagnostic, formatDiagnostic, type PathDiagnostic } from "../core/diagnostic.ts";
import { placeDiagnostics } from "../core/place-diagnostics.ts";
import { encodeLike } from "../core/text-decode.ts";
import { LineIndex } from "../core/text-position.ts";
import { UserError } from "../core/user-error.ts";
import { readYaml } from "../core/yaml-read.ts";
import { writeAtomic } from "./atomic-write.ts";
import { withFileLock } from "./lock.ts";
import { readCache, writeCache } from "./parse-cache.ts";
import { display, FILES, filePath } from "./paths.ts";
import { readTextFile, type TextFile } from "./read-input.ts";

export interface LoadedChecklist {
  file: TextFile;
  /** Present when the file parsed and has no errors. */
  doc: ChecklistDoc | undefined;
  /** Every problem, placed at file:line:col (computed on first use). */
  diagnostics(): Diagnostic[];
  errorCount: number;
  warningCount: number;
}

/** Read and validate checklist.yaml. Throws UserError only when the file cannot be read as text. */
export function loadChecklist(dir: string): LoadedChecklist {
  const path = filePath(dir, FILES.checklist);
  const file = readTextFile(path)!;
  const shown = display(path);
  const cached = readCache(dir, "checklist", file.hash);
  let events: Event[] | undefined;
  let data: unknown;
  let index = cached?.index;
  if (cached) data = cached.data;
  else {
    const read = readYaml(file.text);
    if (!read.ok) {
      const { line, col } = new LineIndex(file.text).position(read.offset);
      const d: Diagnostic = {
        file: shown,
        line,
        col,
        severity: "error",
        code: read.code,
        message: read.message,
        hint: read.hint,
      };
      return { file, doc: undefined, diagnostics: () => [d], errorCount: 1, warningCount: 0 };
    }
    events = read.events;
    data = read.data;
  }
  const { value, diagnostics: raw } = validateChecklist(data);
  if (value && !cached && events) {
    index = indexChecklist(file.text, events);
    writeCache(dir, "checklist", file.hash, { data, index });
  }
  let placed: Diagnostic[] | undefined;
  const diagnostics = () => {
    if (!placed) {
      const ev = events ?? (readYaml(file.text) as { events: Event[] }).events ?? [];
      placed = placeDiagnostics(shown, file.text, ev, raw as PathDiagnostic[]);
    }
    return placed;
  };
  const errorCount = raw.filter((d) => d.severity === "error").length;
  const doc = value && index ? { text: file.text, data: value, index } : undefined;
  return { file, doc, diagnostics, errorCount, warningCount: raw.length - errorCount };
}

/** The checklist, or a UserError (exit 2) naming its first error and how many there are. */
export function requireChecklist(dir: string): { doc: ChecklistDoc; file: TextFile } {
  const loaded = loadChecklist(dir);
  if (!loaded.doc) throw invalid(loaded.diagnostics());
  return { doc: loaded.doc, file: loaded.file };
}

export function invalid(ds: Diagnostic[]): UserError {
  const errors = ds.filter((d) => d.severity === "error");
  const first = errors[0] ?? ds[0];
  const more = errors.length > 1 ? `; ${errors.length - 1} more: run \`longrun check\`` : "";
  return new UserError(
    first ? `${formatDiagnostic(first)}${more}` : "checklist.yaml is invalid: run `longrun check`",
  );
}

/**
 * Change checklist.yaml under its lock: read it fresh, apply `edit`, re-validate, write atomically
 * (BOM and CRLF kept), refresh the parse cache. The file is untouched when anything fails.
 */
export async function mutateChecklist<T>(
  dir: string,
  edit: (doc: ChecklistDoc) => { doc: ChecklistDoc; result: T },
): Promise<T> {
  const path = filePath(dir, FILES.checklist);
  return withFileLock(dir, path, async () => {
    const { doc, file } = requireChecklist(dir);
    const { doc: next, result } = edit(doc);
    if (next.text === doc.text) return result;
    const check = validateChecklist(next.data as Checklist);
    if (!check.value) {
      const read = readYaml(next.text);
      throw invalid(
        placeDiagnostics(display(path), next.text, read.ok ? read.events : [], check.diagnostics),
      );
    }
    const bytes = encodeLike(next.text, file);
    await writeAtomic(path, bytes);
    const hash = createHash("sha1").update(bytes, "utf8").digest("hex");
    writeCache(dir, "checklist", hash, { data: next.data, index: next.index });
    return result;
  });
}
