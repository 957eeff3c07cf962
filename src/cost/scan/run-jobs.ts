/**
 * Runs a log source's per-file reads: in this thread, or with LONGRUN_SCAN_WORKERS=N in N worker
 * threads, each taking the next file as it finishes one. Results come back in file order, so the
 * source's cross-file rules (first copy wins a tie) do not depend on timing. One thread is the
 * default: since reads went native (simd.ts) a worker's start, its second copy of the modules and
 * the copying of results cost more than the second core saved, at 100 MB as at 2 GB.
 */

import { addStats, type FileJob, type LogSource, type ScanStats } from "./types.ts";

export interface JobMessage {
  id: number;
  source: string;
  job: FileJob;
}
export interface JobReply {
  id: number;
  value?: unknown;
  stats: ScanStats;
  error?: string;
}

const WORKER = new URL(import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js", import.meta.url);

/** Reads every job and hands each result to `take` in file order, as soon as it and those before it are in. */
export async function runJobs(
  source: LogSource,
  jobs: FileJob[],
  stats: ScanStats,
  take: (job: FileJob, value: unknown) => void,
): Promise<void> {
  const workers = Math.min(Number(process.env.LONGRUN_SCAN_WORKERS) || 0, jobs.length);
  if (workers < 1) {
    for (const job of jobs) take(job, await source.read!(job, stats));
    return;
  }
  const { Worker } = await import("node:worker_threads");
  // results that arrived before an earlier file's: held until it is in
  const early = new Map<number, unknown>();
  let nextOut = 0;
  await inWorkers(Worker, source.name, jobs, workers, stats, (id, value) => {
    early.set(id, value);
    while (early.has(nextOut)) {
      const v = early.get(nextOut);
      early.delete(nextOut);
      take(jobs[nextOut]!, v);
      nextOut++;
    }
  });
}

function inWorkers(
  Worker: typeof import("node:worker_threads").Worker,
  source: string,
  jobs: FileJob[],
  count: number,
  stats: ScanStats,
  got: (id: number, value: unknown) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const pool: InstanceType<typeof Worker>[] = [];
    const finish = (err?: Error) => {
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const feed = (w: InstanceType<typeof Worker>) => {
      if (next < jobs.length) {
        const id = next++;
        w.postMessage({ id, source, job: jobs[id]! } satisfies JobMessage);
      }
    };
    for (let i = 0; i < count; i++) {
      const w = new Worker(WORKER);
      pool.push(w);
      w.on("message", (r: JobReply) => {
        if (failed) return;
        if (r.error) {
          failed = true;
          return finish(new Error(r.error));
        }
        addStats(stats, r.stats);
        got(r.id, r.value);
        if (++done === jobs.length) finish();
        else feed(w);
      });
      w.on("error", (err) => {
        if (!failed) {
          failed = true;
          finish(err);
        }
      });
      feed(w);
    }
  });
}
