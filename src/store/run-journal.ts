/**
 * Run journals: `.longrun/runs/<run-id>/run.json` (what the run is) and `events.jsonl` (every
 * normalized agent event of its sessions, each line written before longrun acts on it), with the
 * run's artifacts beside them. `longrun exec` opens a one-session run; `longrun run` many.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import type { AgentEvent } from "../core/agent-events.ts";
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
  writeFileSync(path.join(dir, "run.json"), `${JSON.stringify(full, null, 2)}\n`);
  const fd = openSync(path.join(dir, "events.jsonl"), "a");
  return {
    info: full,
    dir,
    artifactsDir,
    append(event, taskId) {
      const line: JournalLine = taskId ? { ...event, taskId } : event;
      writeSync(fd, `${JSON.stringify(line)}\n`);
    },
    close: () => closeSync(fd),
  };
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
