/**
 * A cache of parsed checklists in `.longrun/cache/`, keyed by the sha1 of the file's bytes, so that
 * read-only commands on a 10k-task checklist skip the YAML parse. A stale or broken cache is ignored.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChecklistIndex } from "../core/checklist-index.ts";
import type { PathDiagnostic } from "../core/diagnostic.ts";
import { version } from "./package-info.ts";
import { STATE_DIR } from "./paths.ts";

/** Bumped with the cache layout; longrun's own version is part of the key too (validation rules change). */
const VERSION = `2:${version}`;

export interface CachedParse {
  /** Whether the data validated without errors; `data` is then the validated checklist. */
  valid: boolean;
  data: unknown;
  index: ChecklistIndex;
  /** The validation's diagnostics (path-addressed; placed on demand). */
  diagnostics: PathDiagnostic[];
}

function cacheFile(dir: string, name: string): string {
  return path.join(dir, STATE_DIR, "cache", `${name}.json`);
}

export function readCache(dir: string, name: string, hash: string): CachedParse | undefined {
  if (process.env.LONGRUN_NO_CACHE) return undefined;
  try {
    const raw = readFileSync(cacheFile(dir, name), "utf8");
    // The header line is checked before the (large) body is parsed.
    const nl = raw.indexOf("\n");
    const head = JSON.parse(raw.slice(0, nl)) as { v: string; hash: string };
    if (head.v !== VERSION || head.hash !== hash) return undefined;
    return JSON.parse(raw.slice(nl + 1)) as CachedParse;
  } catch {
    return undefined;
  }
}

/** Best effort: only where `.longrun/` exists, and never an error. */
export function writeCache(dir: string, name: string, hash: string, value: CachedParse): void {
  if (process.env.LONGRUN_NO_CACHE || !existsSync(path.join(dir, STATE_DIR))) return;
  const file = cacheFile(dir, name);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ v: VERSION, hash })}\n${JSON.stringify(value)}`);
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
