/**
 * Test kit of `longrun run`: real temp git repos whose checklist and config are written from strings, a
 * fake agent (a shell script outside the repo, run by the `command` harness), and readers of what a run
 * left behind (the journal, the log, the commits).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freshRepo, longrunAsync, type Run, type RunOptions, tempDir } from "./cli.ts";

export interface LoopRepo {
  dir: string;
  /** The fake agent's folder (outside the repo): scripts, counters, whatever a test keeps there. */
  home: string;
}

export interface LoopRepoOptions {
  /** YAML list items under `tasks:` (indented by two). */
  tasks: string;
  /** Body of the fake agent (sh). It runs in the repo with $LONGRUN_TASK_ID and $LONGRUN_BRIEF; $AGENT_HOME is its folder. */
  agent: string;
  /** Extra YAML for .longrun/config.yaml (top-level sections other than harness). */
  config?: string;
  /** Extra YAML under `harness:` (e.g. `  idle_timeout: 2s`). */
  harness?: string;
  /** Extra files to commit in the repo. */
  files?: Record<string, string>;
  /** summary.verification_loop lines (YAML under `verification_loop:`). */
  loops?: string;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync(
    "git",
    ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args],
    {
      cwd: dir,
      encoding: "utf8",
    },
  );
}

/** A committed repo with `longrun init`'s files, the given checklist, and a command-harness config. */
export function loopRepo(o: LoopRepoOptions): LoopRepo {
  const dir = freshRepo();
  const home = tempDir("agent-");
  writeFileSync(path.join(home, "agent.sh"), `#!/bin/sh\nAGENT_HOME='${home}'\n${o.agent}\n`);
  writeFileSync(
    path.join(dir, "checklist.yaml"),
    `summary:\n  active_task_id: null\n  status: not_started\n${o.loops ? `  verification_loop:\n${o.loops}` : ""}tasks:\n${o.tasks}`,
  );
  writeFileSync(
    path.join(dir, ".longrun", "config.yaml"),
    `harness:\n  name: command\n  command: sh ${path.join(home, "agent.sh")}\n${o.harness?.includes("idle_timeout") ? "" : "  idle_timeout: 20s\n"}${o.harness ?? ""}${o.config ?? ""}`,
  );
  for (const [f, text] of Object.entries(o.files ?? {})) writeFileSync(path.join(dir, f), text);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "start");
  return { dir, home };
}

/** `longrun run --dir DIR ...args`. */
export function run(dir: string, args: string[] = [], opts: RunOptions = {}): Promise<Run> {
  return longrunAsync(["run", "--dir", dir, ...args], { timeoutMs: 60_000, ...opts });
}

/** The run folders of a repo, oldest first. */
export function runIds(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, ".longrun", "runs")).sort();
  } catch {
    return [];
  }
}

export type Line = Record<string, unknown> & { type: string; seq: number; runId: string };

/** Every journal line of run `id` (the newest when omitted). */
export function journal(dir: string, id = runIds(dir).at(-1)!): Line[] {
  return readFileSync(path.join(dir, ".longrun", "runs", id, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

/** The supervisor's steps of run `id`. */
export function steps(dir: string, id?: string): (Line & { step: string })[] {
  return journal(dir, id).filter((l) => l.type === "loop") as (Line & { step: string })[];
}

/** The events of run-log.md as `tag: text`. */
export function logEvents(dir: string): string[] {
  return readFileSync(path.join(dir, "run-log.md"), "utf8")
    .split("\n")
    .filter((l) => /^- \d{4}-\d{2}-\d{2} \d{2}:\d{2} /.test(l))
    .map((l) => l.slice(19));
}

/** Subjects of the commits on HEAD, newest first. */
export function commits(dir: string): string[] {
  return git(dir, "log", "--format=%s").trim().split("\n");
}

/** One task of checklist.yaml as `longrun task show` reports it. */
export async function task(dir: string, id: string): Promise<Record<string, unknown>> {
  const r = await longrunAsync(["task", "show", id, "--json", "--dir", dir]);
  if (r.code !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { task: Record<string, unknown> }).task;
}

/** The brief of iteration `n` of the newest run. */
export function brief(dir: string, n: number, id = runIds(dir).at(-1)!): string {
  return readFileSync(
    path.join(dir, ".longrun", "runs", id, "artifacts", `iter-${String(n).padStart(3, "0")}`, "brief.md"),
    "utf8",
  );
}
