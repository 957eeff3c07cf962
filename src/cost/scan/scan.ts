/** `longrun cost scan`: read one CLI's own usage logs, group the entries, price them. */

import { UsageBook } from "../../core/usage-book.ts";
import { coveringPlan, type Prices } from "../price-table.ts";
import { type DayOf, dayFunction } from "./days.ts";
import { runJobs } from "./run-jobs.ts";
import { SOURCES } from "./sources.ts";
import { emptyStats, type ScanEntry, type ScanStats } from "./types.ts";

export { SOURCES };
export const SCAN_GROUPS = ["day", "model", "session", "project"] as const;
export type ScanGroup = (typeof SCAN_GROUPS)[number];

export interface ScanOptions {
  from: string;
  path?: string;
  since?: string;
  until?: string;
  by: ScanGroup;
  timeZone?: string;
  env: NodeJS.ProcessEnv;
}

export interface ScanResult {
  roots: string[];
  book: UsageBook;
  stats: ScanStats;
  /** Entries outside --since/--until. */
  outside: number;
}

export async function scanLogs(o: ScanOptions, prices: Prices): Promise<ScanResult> {
  const source = await SOURCES[o.from]!();
  const dayOf: DayOf = dayFunction(o.timeZone);
  const roots = source.roots(o.path, o.env);
  const book = new UsageBook(prices.index);
  const stats = emptyStats();
  const plan = coveringPlan(prices, o.from)?.plan ?? null;
  let outside = 0;
  const emit = (e: ScanEntry) => {
    const day = dayOf(e.ms);
    if ((o.since && day < o.since) || (o.until && day > o.until)) {
      outside++;
      return;
    }
    const key =
      o.by === "day"
        ? day
        : o.by === "model"
          ? (e.model ?? "(unknown model)")
          : o.by === "session"
            ? e.session
            : e.project;
    // a ScanEntry has a Tokens' fields (input, cachedInput, cacheWrite, cacheWrite1h, output)
    book.addTokens(key, e.model, day, e, e.reasoning, true, plan);
  };
  if (source.scan) await source.scan(roots, emit, stats);
  else {
    const jobs = await source.jobs!(roots);
    const combiner = source.combiner!(emit, stats);
    await runJobs(source, jobs, stats, (job, value) => combiner.add(job, value));
    combiner.end();
  }
  return { roots, book, stats, outside };
}
