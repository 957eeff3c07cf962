/**
 * Run an agent CLI as a child: its own process group, stdin closed (or one payload then EOF, or kept
 * open for `write` until `closeStdin` where the CLI takes messages during the session), stdout
 * framed into lines and kept raw in a file, stderr to a file, an overall and an idle timeout (no stdout
 * for that long), and a stop that ends the whole group (a signal, then SIGKILL after a grace period).
 * Tool processes that a CLI starts in sessions of their own escape the group; they inherit the marker
 * variable LONGRUN_RUN_ID, and every process still carrying it is killed when the run ends.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { LineFramer } from "../core/jsonl.ts";

export interface AgentProcessOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, then stdin is closed (unless `keepStdinOpen`). Without either, stdin is never opened. */
  stdin?: string;
  /** Keep stdin open after `stdin` for `write`, until `closeStdin` or the exit. */
  keepStdinOpen?: boolean;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Raw stdout and stderr of the CLI, kept as artifacts. */
  stdoutFile: string;
  stderrFile: string;
  /** Value of LONGRUN_RUN_ID for the child and everything it starts. */
  marker: string;
  /** First signal of a stop (default SIGTERM); SIGKILL follows after `graceMs` (default 3 s). */
  stopSignal?: NodeJS.Signals;
  graceMs?: number;
}

export interface AgentExit {
  exitCode: number | null;
  signal: string | null;
  /** Why longrun ended it, if it did. */
  endedBy: "timeout" | "idle" | "stop" | null;
  spawnError: string | null;
  durationMs: number;
  /** Processes carrying the marker that were still alive after the CLI exited, and were killed. */
  strays: number;
}

export interface AgentProcess {
  pid: number | undefined;
  /** stdout, one line at a time (ends when the process has exited and its output is drained). */
  lines: AsyncIterable<string>;
  exit: Promise<AgentExit>;
  stop(): void;
  /** Write to an open stdin (`keepStdinOpen`); rejects once stdin is closed or the process is gone. */
  write(text: string): Promise<void>;
  /** End stdin (EOF); a no-op when it is already closed. */
  closeStdin(): void;
}

export function startAgentProcess(o: AgentProcessOptions): AgentProcess {
  const started = Date.now();
  mkdirSync(path.dirname(o.stdoutFile), { recursive: true });
  mkdirSync(path.dirname(o.stderrFile), { recursive: true });
  const outFd = openSync(o.stdoutFile, "a");
  const errFd = openSync(o.stderrFile, "a");
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let drained = false;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const framer = new LineFramer();
  let endedBy: AgentExit["endedBy"] = null;
  let finished = false;
  let resolveExit!: (e: AgentExit) => void;
  const exit = new Promise<AgentExit>((r) => {
    resolveExit = r;
  });

  const child = spawn(o.command, o.args, {
    cwd: o.cwd,
    env: { ...o.env, LONGRUN_RUN_ID: o.marker },
    stdio: [o.stdin === undefined && !o.keepStdinOpen ? "ignore" : "pipe", "pipe", errFd],
    detached: true,
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  const stopWith = (why: NonNullable<AgentExit["endedBy"]>) => {
    if (endedBy || finished) return;
    endedBy = why;
    killGroup(o.stopSignal ?? "SIGTERM");
    killTimer = setTimeout(() => killGroup("SIGKILL"), o.graceMs ?? 3000);
  };
  const overall = setTimeout(() => stopWith("timeout"), o.timeoutMs);
  let idle = setTimeout(() => stopWith("idle"), o.idleTimeoutMs);

  let stdinOpen = false;
  if (child.stdin) {
    child.stdin.on("error", () => undefined); // a CLI that exits without reading must not crash us
    if (o.keepStdinOpen) {
      stdinOpen = true;
      if (o.stdin) child.stdin.write(o.stdin);
    } else child.stdin.end(o.stdin);
  }
  const closeStdin = () => {
    if (!stdinOpen) return;
    stdinOpen = false;
    child.stdin?.end();
  };
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const stdin = child.stdin;
      if (!stdinOpen || !stdin) return reject(new Error("stdin is closed"));
      stdin.write(text, (err) =>
        err ? reject(new Error(`could not write to stdin: ${err.message}`)) : resolve(),
      );
    });
  child.stdout?.on("data", (chunk: Buffer) => {
    writeSync(outFd, chunk);
    clearTimeout(idle);
    idle = setTimeout(() => stopWith("idle"), o.idleTimeoutMs);
    const lines = framer.push(chunk);
    if (lines.length) {
      queue.push(...lines);
      notify();
    }
  });

  let strays = 0;
  let exitInfo: { code: number | null; signal: string | null; error: string | null } | undefined;
  const finish = () => {
    if (finished || !exitInfo) return;
    finished = true;
    clearTimeout(overall);
    clearTimeout(idle);
    if (killTimer) clearTimeout(killTimer);
    queue.push(...framer.end());
    drained = true;
    notify();
    closeSync(outFd);
    closeSync(errFd);
    resolveExit({
      exitCode: exitInfo.code,
      signal: exitInfo.signal,
      endedBy,
      spawnError: exitInfo.error,
      durationMs: Date.now() - started,
      strays,
    });
  };
  child.on("error", (err) => {
    exitInfo ??= { code: null, signal: null, error: err.message };
    stdinOpen = false;
    strays = killMarked(o.marker);
    finish();
  });
  child.on("exit", (code, signal) => {
    exitInfo ??= { code, signal, error: null };
    stdinOpen = false;
    child.stdin?.destroy(); // kept open for messages: nothing more can be read from it
    killGroup("SIGKILL"); // tool children still in the group
    // Escaped tool processes (own sessions) may hold stdout open: end them now, so stdout closes at once.
    strays = killMarked(o.marker);
    // stdout may be held open by an escaped grandchild: stop waiting for it after a moment.
    const t = setTimeout(() => {
      child.stdout?.destroy();
      finish();
    }, 500);
    child.stdout?.once("close", () => {
      clearTimeout(t);
      finish();
    });
    if (!child.stdout || child.stdout.closed) {
      clearTimeout(t);
      finish();
    }
  });

  const lines: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<string>> => {
        for (;;) {
          const line = queue.shift();
          if (line !== undefined) return { value: line, done: false };
          if (drained) return { value: undefined, done: true };
          await new Promise<void>((r) => {
            wake = r;
          });
        }
      },
    }),
  };
  return { pid: child.pid, lines, exit, stop: () => stopWith("stop"), write, closeStdin };
}

/** Pids of the processes (not this one) whose environment carries `name=marker` (Linux /proc; none without it). */
export function findMarked(marker: string, name = "LONGRUN_RUN_ID"): number[] {
  const needle = `\0${name}=${marker}\0`;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return []; // no /proc: nothing more we can do
  }
  const out: number[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${e}/environ`, "latin1")}\0`.includes(needle)) out.push(Number(e));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/**
 * Kill every process whose environment carries `name=marker` (default LONGRUN_RUN_ID; Linux /proc);
 * how many there were.
 */
export function killMarked(marker: string, name = "LONGRUN_RUN_ID"): number {
  let killed = 0;
  for (const pid of findMarked(marker, name)) {
    try {
      process.kill(pid, "SIGKILL");
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
