/**
 * The dashboard's state: one JSON object the page renders whole (header, tasks, spend, log, steering).
 * Built from what the server already holds (the repo's files, the followed run), no I/O of its own.
 */
import path from "node:path";
import type { SpendChart } from "../core/spend-series.ts";
import { type BoardTask, taskBoard } from "../core/task-board.ts";
import type { RepoFiles } from "./repo-files.ts";
import type { RunFollow } from "./run-follow.ts";

export type RunStateName = "running" | "paused" | "stopping" | "stopped" | "finished" | "crashed";

export interface Budget {
  name: "cost" | "tokens" | "time" | "iterations";
  used: number | null;
  limit: number;
}

export interface Snapshot {
  repo: { dir: string; name: string; branch: string | null };
  now: string;
  run: {
    id: string;
    kind: string;
    harness: string;
    model: string | null;
    state: RunStateName;
    /** Why it ended (an `end` step's reason and detail). */
    end: { reason: string; detail: string } | null;
    pid: number | null;
    startedAt: string | null;
    /** Time it has been running, paused time and time between a crash and its resume left out. */
    activeMs: number;
    iteration: number;
    taskId: string | null;
    /** Bytes of the journal read, its size when the page started following it, whether all is read. */
    journal: { read: number; size: number; ready: boolean; lines: number; badLines: number };
  } | null;
  budgets: Budget[];
  spend: {
    costUSD: number | null;
    tokens: number;
    input: number;
    cachedInput: number;
    cacheWrite: number;
    output: number;
    reasoning: number;
    cacheReadShare: number;
    chart: SpendChart;
    tasks: { taskId: string; costUSD: number | null; tokens: number }[];
  };
  tasks: BoardTask[];
  counts: Record<string, number>;
  checklistError: string | null;
  log: { events: { stamp: string; tag: string; text: string }[]; error: string | null };
  control: {
    paused: boolean;
    stop: { now: boolean; ts: string } | null;
    steering: { id: string; text: string; ts: string }[];
  };
}

function stateOf(f: RunFollow, files: RepoFiles): RunStateName {
  const s = f.state;
  const live = files.control.holder?.runId === f.id;
  if (live) {
    if (files.control.stop) return "stopping";
    return s.paused || files.control.paused ? "paused" : "running";
  }
  if (s.ended) return s.ended.reason === "stopped" ? "stopped" : "finished";
  // An exec run has no supervisor: it is over when its session ended.
  if (f.info?.kind === "exec") return "finished";
  return "crashed";
}

function budgetsOf(
  options: Record<string, unknown> | null,
  spent: { costUSD: number | null; tokens: number },
  activeMs: number,
  iterations: number,
): Budget[] {
  const b = (options?.budgets ?? {}) as Record<string, number | null | undefined>;
  const out: Budget[] = [];
  if (typeof b.maxCostUSD === "number") out.push({ name: "cost", used: spent.costUSD, limit: b.maxCostUSD });
  if (typeof b.maxTokens === "number") out.push({ name: "tokens", used: spent.tokens, limit: b.maxTokens });
  if (typeof b.maxTimeMs === "number") out.push({ name: "time", used: activeMs, limit: b.maxTimeMs });
  if (typeof b.maxIterations === "number")
    out.push({ name: "iterations", used: iterations, limit: b.maxIterations });
  return out;
}

export function snapshot(files: RepoFiles, f: RunFollow | null, now = new Date()): Snapshot {
  const s = f?.state;
  const spent = f?.spent() ?? { costUSD: 0, tokens: 0 };
  const series = f?.spend() ?? null;
  const t = series?.total;
  const tasks = files.checklist
    ? taskBoard(files.checklist, f?.evidence ?? new Map(), s?.open?.taskId ?? null)
    : [];
  const counts: Record<string, number> = { total: tasks.length };
  for (const x of tasks) counts[x.status] = (counts[x.status] ?? 0) + 1;
  return {
    repo: { dir: files.dir, name: path.basename(files.dir), branch: files.branch },
    now: now.toISOString(),
    run:
      f && s
        ? {
            id: f.id,
            kind: f.info?.kind ?? "run",
            harness: f.info?.harness ?? "?",
            model: f.info?.model ?? null,
            state: stateOf(f, files),
            end: s.ended ? { reason: s.ended.reason, detail: s.ended.detail } : null,
            pid: files.control.holder?.runId === f.id ? files.control.holder.pid : null,
            startedAt: s.startedAt ?? f.info?.startedAt ?? null,
            activeMs: s.activeMs,
            iteration: s.iterations,
            taskId: s.open?.taskId ?? null,
            journal: {
              read: f.offset,
              size: Math.max(f.startSize, f.offset),
              ready: f.ready,
              lines: f.lines,
              badLines: f.badLines,
            },
          }
        : null,
    budgets: s ? budgetsOf(s.options, spent, s.activeMs, s.iterations) : [],
    spend: {
      costUSD: spent.costUSD,
      tokens: spent.tokens,
      input: t?.input ?? 0,
      cachedInput: t?.cachedInput ?? 0,
      cacheWrite: t?.cacheWrite ?? 0,
      output: t?.output ?? 0,
      reasoning: t?.reasoning ?? 0,
      cacheReadShare: series?.cacheReadShare() ?? 0,
      chart: series?.chart() ?? { bucketMinutes: 1, models: [], points: [] },
      tasks: (series?.tasks() ?? []).map((r) => ({
        taskId: r.key,
        costUSD: r.costUSD,
        tokens: r.input + r.cachedInput + r.cacheWrite + r.output,
      })),
    },
    tasks,
    counts,
    checklistError: files.checklistError,
    log: {
      events: files.logEvents.map((e) => ({ stamp: e.stamp, tag: e.tag, text: e.text })),
      error: files.logError,
    },
    control: {
      paused: files.control.paused,
      stop: files.control.stop,
      steering: files.control.steering,
    },
  };
}
