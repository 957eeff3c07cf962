/**
 * The one place longrun starts child processes: `sh -c` in its own process group, stdin closed,
 * output to a file, an overall timeout that ends the whole group (SIGTERM, then SIGKILL).
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

export interface ShellResult {
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Set when the command could not be started at all. */
  spawnError?: string;
  durationMs: number;
}

export interface ShellOptions {
  cwd: string;
  /** stdout and stderr both go here (appended). */
  outFile: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
}

/** Run `command` with `sh -c`. Never throws; a failure to start is a result with `spawnError`. */
export function runShell(command: string, opts: ShellOptions): Promise<ShellResult> {
  const started = Date.now();
  mkdirSync(path.dirname(opts.outFile), { recursive: true });
  const fd = openSync(opts.outFile, "a");
  return new Promise((resolve) => {
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const done = (r: Omit<ShellResult, "command" | "durationMs" | "timedOut">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      closeSync(fd);
      resolve({ command, timedOut, durationMs: Date.now() - started, ...r });
    };
    const child = spawn("sh", ["-c", command], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["ignore", fd, fd],
      detached: true,
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup("SIGTERM");
      killTimer = setTimeout(() => killGroup("SIGKILL"), opts.graceMs ?? 3000);
    }, opts.timeoutMs);
    child.on("error", (err) => done({ exitCode: null, signal: null, spawnError: err.message }));
    child.on("exit", (exitCode, signal) => {
      // Reap what the command left behind in its group (background jobs), then report.
      killGroup("SIGKILL");
      done({ exitCode, signal });
    });
  });
}
