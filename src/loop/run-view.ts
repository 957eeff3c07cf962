/** What `status` shows of the newest supervised run: its state, iteration, spend, violations and waiting steering. */
import type { Violation } from "../core/loop-events.ts";
import { emptyState, foldJournal, foldLine } from "../core/run-state.ts";
import type { Prices } from "../cost/price-table.ts";
import { isPaused, queuedSteering, type SteerMessage } from "../store/control.ts";
import { listRuns, readJournal, readRunInfo } from "../store/run-journal.ts";
import { runHolder } from "../store/run-lock.ts";
import { SpendMeter } from "./spend.ts";

export interface RunView {
  id: string;
  /** `interrupted`: a crash cut it; the next `longrun run` resumes it. */
  state: "running" | "paused" | "ended" | "interrupted";
  pid: number | null;
  harness: string;
  iteration: number;
  taskId: string | null;
  /** The last step of the iteration in flight (brief, session, verify, …). */
  step: string | null;
  activeMs: number;
  spend: { costUSD: number | null; tokens: number };
  budgets: Record<string, unknown> | null;
  end: { reason: string; detail: string; exitCode: number } | null;
  violations: Violation[];
}

/** Steering messages queued and not yet delivered (they go into the next brief), oldest first. */
export function waitingSteering(dir: string): SteerMessage[] {
  const queued = queuedSteering(dir);
  if (!queued.length) return [];
  const id = newestRun(dir);
  const delivered = id ? foldJournal(readJournal(dir, id)).delivered : new Set<string>();
  return queued.filter((m) => !delivered.has(m.id));
}

function newestRun(dir: string): string | undefined {
  return listRuns(dir)
    .reverse()
    .find((r) => readRunInfo(dir, r)?.kind === "run");
}

/** The newest `longrun run` of the repo, or null when there is none. */
export function runView(dir: string, prices: Prices): RunView | null {
  const id = newestRun(dir);
  if (!id) return null;
  const info = readRunInfo(dir, id)!;
  // One pass, however large the journal: the plan that covers the run is known from its first (`open`) line.
  const s = emptyState();
  let meter: SpendMeter | null = null;
  for (const l of readJournal(dir, id)) {
    foldLine(s, l);
    if (l.type === "loop") continue;
    meter ??= new SpendMeter(prices, (s.options?.plan as string | null | undefined) ?? null);
    meter.add(l);
  }
  const holder = runHolder(dir);
  const live = holder?.runId === id;
  const open = s.open;
  const last = open
    ? (
        [
          "giveUp",
          "attemptFailed",
          "complete",
          "committed",
          "commit",
          "secrets",
          "verify",
          "guard",
          "sessionEnd",
          "session",
          "brief",
        ] as const
      ).find((k) => open[k])
    : undefined;
  return {
    id,
    state: live ? (s.paused || isPaused(dir) ? "paused" : "running") : s.ended ? "ended" : "interrupted",
    pid: live ? holder.pid : null,
    harness: info.harness,
    iteration: s.iterations,
    taskId: open?.taskId ?? null,
    step: last ? last.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : open ? "start" : null,
    activeMs: s.activeMs,
    spend: meter?.spent() ?? { costUSD: 0, tokens: 0 },
    budgets: (s.options?.budgets as Record<string, unknown> | undefined) ?? null,
    end: s.ended ? { reason: s.ended.reason, detail: s.ended.detail, exitCode: s.ended.exitCode } : null,
    violations: s.violations,
  };
}
