/** A worker thread of `cost scan`: reads the files it is sent with the named source's `read`. */
import { parentPort } from "node:worker_threads";
import type { JobMessage, JobReply } from "./run-jobs.ts";
import { SOURCES } from "./sources.ts";
import { emptyStats } from "./types.ts";

parentPort?.on("message", async (m: JobMessage) => {
  const stats = emptyStats();
  try {
    const value = await (await SOURCES[m.source]!()).read!(m.job, stats);
    parentPort!.postMessage({ id: m.id, value, stats } satisfies JobReply);
  } catch (err) {
    parentPort!.postMessage({ id: m.id, stats, error: (err as Error).message } satisfies JobReply);
  }
});
