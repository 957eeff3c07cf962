/**
 * The run lock of a repo: one `longrun run` at a time. `.longrun/locks/run.json` names the holder (pid,
 * its start time, run id); a holder whose process is gone (a crash, kill -9) loses it at once, so a
 * resumed run never waits. Taking and releasing go under a short file lock, so two starts cannot both win.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/user-error.ts";
import { writeAtomic } from "./atomic-write.ts";
import { withFileLock } from "./lock.ts";
import { ensureStateDir } from "./state-dir.ts";

export interface RunHolder {
  pid: number;
  /** The process's start time (/proc/<pid>/stat field 22), so a reused pid is not taken for the holder. */
  started: string | null;
  runId: string | null;
  since: string;
}

const lockFile = (dir: string) => path.join(ensureStateDir(dir), "locks", "run.json");

/** Start time of process `pid` in clock ticks since boot, or null when unknown. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function alive(h: RunHolder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = processStart(h.pid);
  return h.started === null || now === null || now === h.started;
}

function read(dir: string): RunHolder | null {
  try {
    return JSON.parse(readFileSync(lockFile(dir), "utf8")) as RunHolder;
  } catch {
    return null;
  }
}

/** The live holder of the run lock, or null. */
export function runHolder(dir: string): RunHolder | null {
  const h = read(dir);
  return h && alive(h) ? h : null;
}

export interface RunLock {
  /** Name the run the lock is held for (once it is opened). */
  name(runId: string): Promise<void>;
  release(): Promise<void>;
}

/** Take the run lock, or refuse naming the run that holds it. */
export async function takeRunLock(dir: string): Promise<RunLock> {
  const file = lockFile(dir);
  const me: RunHolder = {
    pid: process.pid,
    started: processStart(process.pid),
    runId: null,
    since: new Date().toISOString(),
  };
  await withFileLock(dir, file, async () => {
    const h = read(dir);
    if (h && h.pid !== process.pid && alive(h))
      throw new UserError(
        `another \`longrun run\` is running in this repo: ${h.runId ? `run ${h.runId}, ` : ""}pid ${h.pid}, since ${h.since} (wait for it, or end it with \`longrun stop\`)`,
      );
    await writeAtomic(file, `${JSON.stringify(me)}\n`);
  });
  return {
    name: (runId) =>
      withFileLock(dir, file, async () => {
        me.runId = runId;
        await writeAtomic(file, `${JSON.stringify(me)}\n`);
      }),
    release: () =>
      withFileLock(dir, file, async () => {
        if (read(dir)?.pid === process.pid) rmSync(file, { force: true });
      }),
  };
}
