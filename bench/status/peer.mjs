/**
 * The peer of bench/status: Task Master (npm `task-master-ai`), installed on demand into bench/.peers/ at a
 * pinned version, and run offline: no API keys, no update check, no telemetry.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const TASK_MASTER_VERSION = "0.43.1";

export function peersDir(repo) {
  return path.join(repo, "bench", ".peers");
}

export function taskMasterBin(repo) {
  return path.join(peersDir(repo), "node_modules", "task-master-ai", "dist", "task-master.js");
}

export function installedVersion(repo) {
  try {
    const pkg = path.join(peersDir(repo), "node_modules", "task-master-ai", "package.json");
    return JSON.parse(readFileSync(pkg, "utf8")).version;
  } catch {
    return undefined;
  }
}

/**
 * Install the pinned Task Master when it is missing or at another version. Install scripts are skipped:
 * `task-master list` needs none of them (they build terminal and agent-SDK extras). Returns whether it
 * installed.
 */
export function ensureTaskMaster(repo, env, log) {
  if (installedVersion(repo) === TASK_MASTER_VERSION && existsSync(taskMasterBin(repo))) return false;
  process.stderr.write(
    `installing task-master-ai@${TASK_MASTER_VERSION} into bench/.peers/ (a few minutes)\n`,
  );
  const r = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      peersDir(repo),
      `task-master-ai@${TASK_MASTER_VERSION}`,
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
  );
  if (log)
    appendFileSync(
      log,
      `\n### npm install task-master-ai@${TASK_MASTER_VERSION}\n${r.stdout}\n${r.stderr}\n`,
    );
  if (r.status !== 0 || installedVersion(repo) !== TASK_MASTER_VERSION)
    throw new Error(
      `npm install of task-master-ai@${TASK_MASTER_VERSION} failed (exit ${r.status}): ${(r.stderr ?? "").slice(-500)}`,
    );
  return true;
}

/** Environment for Task Master: offline and quiet about updates, whatever the caller's environment says. */
export function taskMasterEnv(base) {
  return { ...base, TASKMASTER_SKIP_AUTO_UPDATE: "1" };
}

/**
 * Counts from the dashboard of `task-master list` (text output), to check that both tools saw the same
 * tasks: `Done: 5421  Cancelled: 455 ...`.
 */
export function taskMasterCounts(stdout) {
  const n = (label) => {
    const m = new RegExp(`${label}: (\\d+)`).exec(stdout);
    return m ? Number(m[1]) : undefined;
  };
  return {
    done: n("Done"),
    cancelled: n("Cancelled"),
    inProgress: n("In Progress"),
    pending: n("Pending"),
    blocked: n("Blocked"),
  };
}
