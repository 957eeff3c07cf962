/**
 * Finding the processes a test started by a variable in their environment (Linux /proc/<pid>/environ):
 * how the tests check that an agent session, a loop run or a fake agent left nothing running. Written
 * apart from src/exec's own search, so a test does not check the exec module against itself.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Pids of the processes whose environment holds `entry` ("NAME=value") as one whole variable. */
export function pidsWithEnv(entry: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/environ`, "latin1").split("\0").includes(entry)) out.push(Number(p));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Pids of the processes still carrying an agent session's marker (`LONGRUN_RUN_ID`); [] when none. */
export const processesOf = (runId: string): number[] => pidsWithEnv(`LONGRUN_RUN_ID=${runId}`);

/** Pids of the processes still carrying a `longrun run`'s marker (`LONGRUN_LOOP_RUN`); [] when none. */
export const processesOfLoop = (runId: string): number[] => pidsWithEnv(`LONGRUN_LOOP_RUN=${runId}`);
