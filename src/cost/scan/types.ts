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

/** One log file to read, with what its path says. */
export interface FileJob {
  file: string;
  session: string;
  project: string;
}

/**
 * A CLI's logs. Either per file (`jobs`, then `read` for each file, possibly in worker threads, each
 * result handed in file order to a `combiner`: the rules across files, e.g. de-duplication), or
 * whole (`scan`, for a single database).
 */
export interface LogSource {
  name: string;
  /** The folders to read: --path, else the CLI's own variables, else its default place. */
  roots(pathArg: string | undefined, env: NodeJS.ProcessEnv): string[];
  jobs?(roots: string[]): Promise<FileJob[]>;
  /** What one file holds (structured-cloneable: it may cross from a worker). */
  read?(job: FileJob, stats: ScanStats): Promise<unknown>;
  /** The rules across files: `add` gets each file's result in file order, `emit` each counted entry once. */
  combiner?(emit: (e: ScanEntry) => void, stats: ScanStats): Combiner;
  scan?(roots: string[], emit: (e: ScanEntry) => void, stats: ScanStats): Promise<void>;
}

export interface Combiner {
  add(job: FileJob, value: unknown): void;
  end(): void;
}

/** `b` added into `a`. */
export function addStats(a: ScanStats, b: ScanStats): void {
  a.files += b.files;
  a.entries += b.entries;
  a.duplicates += b.duplicates;
  a.badLines += b.badLines;
  a.bytes += b.bytes;
  a.unreadable.push(...b.unreadable);
}

/** A whole non-negative number, or undefined. */
export const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
