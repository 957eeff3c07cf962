/** What every log reader of `longrun cost scan` produces and counts. */

/** One model request as a CLI logged it, in longrun's terms (input without cache reads, output with reasoning). */
export interface ScanEntry {
  /** When (epoch ms). */
  ms: number;
  model: string | null;
  session: string;
  project: string;
  input: number;
  cachedInput: number;
  cacheWrite: number;
  /** The 1-hour part of cacheWrite. */
  cacheWrite1h: number;
  output: number;
  reasoning: number;
}

export interface ScanStats {
  files: number;
  /** Usage entries read (before de-duplication). */
  entries: number;
  /** Copies of an entry already counted (the same request logged again). */
  duplicates: number;
  /** Lines or records that could not be read (bad JSON, truncated, bad numbers or time), skipped. */
  badLines: number;
  bytes: number;
  /** Files that could not be read (no permission, gone meanwhile): skipped. */
  unreadable: string[];
}

export const emptyStats = (): ScanStats => ({
  files: 0,
  entries: 0,
  duplicates: 0,
  badLines: 0,
  bytes: 0,
  unreadable: [],
});

export interface LogSource {
  name: string;
  /** The folders to read: --path, else the CLI's own variables, else its default place. */
  roots(pathArg: string | undefined, env: NodeJS.ProcessEnv): string[];
  /** Read every log under the roots; `emit` gets each counted entry once (after de-duplication). */
  scan(roots: string[], emit: (e: ScanEntry) => void, stats: ScanStats): Promise<void>;
}

/** A whole non-negative number, or undefined. */
export const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
