/**
 * A cache of the last parsed checklist in `.longrun/cache/`, tagged with the sha1 of the file's bytes:
 * when the file is unchanged, read-only commands skip the YAML parse and validation; when it changed,
 * the per-item memo lets the next parse reuse every task whose text is the same. A broken cache is ignored.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChecklistIndex } from "../core/checklist-index.ts";
import type { ItemMemo } from "../core/checklist-parse.ts";
import type { PathDiagnostic } from "../core/diagnostic.ts";
import { version } from "./package-info.ts";
import { STATE_DIR } from "./paths.ts";

/** Bumped with the cache layout; longrun's own version is part of the key too (validation rules change). */
const VERSION = `3:${version}`;

export interface CachedParse {
  /** Whether the data validated without errors; `data` is then the validated checklist. */
  valid: boolean;
  data: unknown;
  index: ChecklistIndex;
  /** The validation's diagnostics (path-addressed; placed on demand). */
  diagnostics: PathDiagnostic[];
  /** Per task item: text hash and own diagnostics, aligned with data.tasks (absent when the layout is not split). */
  items?: Omit<ItemMemo, "tasks">;
}

function cacheFile(dir: string, name: string): string {
  return path.join(dir, STATE_DIR, "cache", `${name}.json`);
}

/** The cached parse and the hash of the bytes it was made from (any hash: the caller compares). */
export function readCache<T = CachedParse>(
  dir: string,
  name: string,
): { hash: string; value: T } | undefined {
  if (process.env.LONGRUN_NO_CACHE) return undefined;
  try {
    const raw = readFileSync(cacheFile(dir, name), "utf8");
    // The header line is checked before the (large) body is parsed.
    const nl = raw.indexOf("\n");
    const head = JSON.parse(raw.slice(0, nl)) as { v: string; hash: string };
    if (head.v !== VERSION) return undefined;
    return { hash: head.hash, value: JSON.parse(raw.slice(nl + 1)) as T };
  } catch {
    return undefined;
  }
}

/** Best effort: only where `.longrun/` exists, and never an error. */
export function writeCache<T = CachedParse>(dir: string, name: string, hash: string, value: T): void {
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

/** The item memo of a cached parse, its tasks taken from the cached data (stored once). */
export function cachedItems(c: CachedParse): ItemMemo | undefined {
  const tasks = (c.data as { tasks?: unknown } | null)?.tasks;
  return c.items && Array.isArray(tasks) ? { ...c.items, tasks } : undefined;
}

/** A cache entry for `data`, keeping the item memo without a second copy of the tasks. */
export function cacheEntry(
  valid: boolean,
  data: unknown,
  index: ChecklistIndex,
  diagnostics: PathDiagnostic[],
  items: ItemMemo | undefined,
): CachedParse {
  return {
    valid,
    data,
    index,
    diagnostics,
    ...(items ? { items: { hashes: items.hashes, diagnostics: items.diagnostics } } : {}),
  };
}
