/**
 * Run journals: `.longrun/runs/<run-id>/run.json` (what the run is) and `events.jsonl` (every
 * normalized agent event of its sessions, each line written before longrun acts on it), with the
 * run's artifacts beside them. `longrun exec` opens a one-session run; `longrun run` many.
 */
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { AgentEvent } from "../core/agent-events.ts";
import { readLinesFrom } from "./file-tail.ts";
import { ensureStateDir } from "./state-dir.ts";

export interface RunInfo {
  id: string;
  kind: "exec" | "run";
  harness: string;
  model: string | null;
  /** Whether the CLI ran on the user's own login (no --base-url): what a flat plan may cover. */
  ownLogin: boolean;
  startedAt: string;
}

/** One journal line: an agent event, with the task it worked on. */
export type JournalLine = AgentEvent & { taskId?: string | null };

export interface OpenRun {
  info: RunInfo;
  dir: string;
  artifactsDir: string;
  append(event: AgentEvent, taskId?: string | null): void;
  /** Append one line of any shape (the supervisor's own events). */
  write(line: object): void;
  close(): void;
}

export function runsDir(repo: string): string {
  return path.join(ensureStateDir(repo), "runs");
}

/** A new run folder; ids sort by start time (20261126T130512345Z-3f9a: to the millisecond). */
export function openRun(repo: string, info: Omit<RunInfo, "id" | "startedAt">, now = new Date()): OpenRun {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  const id = `${stamp}-${Math.random().toString(16).slice(2, 6)}`;
  const dir = path.join(runsDir(repo), id);
  const artifactsDir = path.join(dir, "artifacts");
  mkdirSync(artifactsDir, { recursive: true });
  const full: RunInfo = { id, startedAt: now.toISOString(), ...info };
  // Written whole or not at all: a crash must not leave a run.json that cannot be read.
  writeFileSync(path.join(dir, "run.json.tmp"), `${JSON.stringify(full, null, 2)}\n`);
  renameSync(path.join(dir, "run.json.tmp"), path.join(dir, "run.json"));
  return journalOf(full, dir);
}

/**
 * Reopen the journal of run `id` to append to it (a run resumed after a crash). A last line cut short by
 * the crash is dropped first: it was being written when the process died, so its effect never began.
 */
export function reopenRun(repo: string, id: string): OpenRun {
  const dir = path.join(runsDir(repo), id);
  const info = readRunInfo(repo, id);
  if (!info) throw new Error(`run ${id} has no readable run.json`);
  mkdirSync(path.join(dir, "artifacts"), { recursive: true });
  dropPartialLine(path.join(dir, "events.jsonl"));
  return journalOf(info, dir);
}

function journalOf(info: RunInfo, dir: string): OpenRun {
  const fd = openSync(path.join(dir, "events.jsonl"), "a");
  const write = (line: object) => {
    writeSync(fd, `${JSON.stringify(line)}\n`);
  };
  return {
    info,
    dir,
    artifactsDir: path.join(dir, "artifacts"),
    append(event, taskId) {
      write(taskId ? { ...event, taskId } : event);
    },
    write,
    close: () => closeSync(fd),
  };
}

function dropPartialLine(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, "r+");
  } catch {
    return; // no journal yet
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    let end = size;
    // Find the last newline, reading backwards in blocks.
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const n = readSync(fd, buf, 0, end - start, start);
      const at = buf.subarray(0, n).lastIndexOf(10);
      if (at !== -1) {
        if (start + at + 1 < size) ftruncateSync(fd, start + at + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every line of run `id`'s journal that parses as a JSON object, in order (bad lines and a last line
 * still being written are skipped), read in bounded chunks: a journal of any size (a month-long run's is
 * gigabytes, more than one string can hold) is folded without being held. Strings over 64 KB inside a
 * line longer than a chunk (an agent's huge tool output) come cut; the supervisor's own steps are small.
 */
export function* readJournal(repo: string, id: string): Generator<Record<string, unknown>> {
  const file = path.join(repo, ".longrun", "runs", id, "events.jsonl");
  let offset = 0;
  for (;;) {
    const r = readLinesFrom(file, offset);
    for (const l of r.lines) {
      if (!l.startsWith("{")) continue;
      try {
        yield JSON.parse(l) as Record<string, unknown>;
      } catch {
        // a line cut by a crash
      }
    }
    offset = r.offset;
    if (!r.more || r.lines.length === 0) return;
  }
}

/** Ids of the runs in a repo, oldest first. */
export function listRuns(repo: string): string[] {
  try {
    return readdirSync(path.join(repo, ".longrun", "runs"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** A run's run.json, or null when it is missing or unreadable. */
export function readRunInfo(repo: string, id: string): RunInfo | null {
  try {
    return JSON.parse(readFileSync(path.join(repo, ".longrun", "runs", id, "run.json"), "utf8")) as RunInfo;
  } catch {
    return null;
  }
}
