/**
 * The cost ledger of a repo: every session of every run journal (.longrun/runs/<id>/events.jsonl),
 * priced. A session counts its exact totals from `run_end` (what the CLI itself reported); where its
 * request usages add up to exactly that, the requests are priced one by one (each with its own model
 * and long-prompt tier). A session cut off before its `run_end` (a crash) counts its requests.
 */
import { createReadStream } from "node:fs";
import path from "node:path";
import { addUsage, emptyUsage, type Usage } from "../core/agent-events.ts";
import { LineFramer, parseJsonObject } from "../core/jsonl.ts";
import { type Entry, UsageBook } from "../core/usage-book.ts";
import type { JournalLine, RunInfo } from "../store/run-journal.ts";
import { coveringPlan, type Prices } from "./price-table.ts";

export const LEDGER_GROUPS = ["task", "model", "day", "run"] as const;
export type LedgerGroup = (typeof LEDGER_GROUPS)[number];

export interface Session {
  harness: string | null;
  model: string | null;
  taskId: string | null;
  requests: Usage[];
  end: Usage | null;
  day: string;
}

/** The sessions of one run journal, in order; bad lines are counted, not fatal. */
export async function readSessions(file: string): Promise<{ sessions: Session[]; badLines: number }> {
  const byId = new Map<string, Session>();
  let badLines = 0;
  const framer = new LineFramer();
  const take = (line: string) => {
    if (line.trim() === "") return;
    const o = parseJsonObject(line) as JournalLine | undefined;
    if (!o || typeof o.type !== "string" || typeof o.runId !== "string") {
      badLines++;
      return;
    }
    if ((o as { type: string }).type === "loop") return; // the supervisor's own steps: no usage
    let s = byId.get(o.runId);
    if (!s) {
      s = { harness: null, model: null, taskId: null, requests: [], end: null, day: "" };
      byId.set(o.runId, s);
    }
    if (typeof o.ts === "string") s.day = o.ts.slice(0, 10);
    if (o.taskId) s.taskId = o.taskId;
    if (o.type === "run_start") {
      s.harness = o.harness;
      s.model = o.model;
    } else if (o.type === "usage" && o.scope === "request") s.requests.push(o.usage);
    else if (o.type === "run_end") s.end = o.usage;
  };
  try {
    for await (const chunk of createReadStream(file)) for (const l of framer.push(chunk as Buffer)) take(l);
    for (const l of framer.end()) take(l);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return { sessions: [...byId.values()], badLines };
}

const same = (a: Usage, b: Usage) =>
  a.input === b.input &&
  a.cachedInput === b.cachedInput &&
  a.cacheWrite === b.cacheWrite &&
  a.output === b.output &&
  a.reasoning === b.reasoning;

/** Entries to price for one session (see the file comment). */
export function sessionEntries(s: Session): Entry[] {
  const summed = s.requests.reduce(addUsage, emptyUsage());
  const entry = (u: Usage, perRequest: boolean): Entry => ({
    model: u.model ?? s.model,
    day: s.day,
    tokens: { input: u.input, cachedInput: u.cachedInput, cacheWrite: u.cacheWrite, output: u.output },
    reasoning: u.reasoning,
    perRequest,
  });
  if (!s.end || same(summed, s.end)) return s.requests.map((u) => entry(u, true));
  return [entry(s.end, false)];
}

export interface Ledger {
  book: UsageBook;
  runs: number;
  sessions: number;
  badLines: number;
}

/** Price every session of `runs` (ids under .longrun/runs), grouped by `by`. */
export async function buildLedger(
  repo: string,
  runs: { id: string; info: RunInfo | null }[],
  by: LedgerGroup,
  prices: Prices,
): Promise<Ledger> {
  const book = new UsageBook(prices.index);
  let sessions = 0;
  let badLines = 0;
  for (const run of runs) {
    const read = await readSessions(path.join(repo, ".longrun", "runs", run.id, "events.jsonl"));
    badLines += read.badLines;
    for (const s of read.sessions) {
      sessions++;
      const plan = run.info?.ownLogin ? coveringPlan(prices, s.harness ?? run.info.harness) : undefined;
      for (const e of sessionEntries(s)) {
        const key =
          by === "task"
            ? (s.taskId ?? "(no task)")
            : by === "model"
              ? (e.model ?? "(unknown model)")
              : by === "day"
                ? e.day
                : run.id;
        book.add(key, { ...e, coveredBy: plan?.plan ?? null });
      }
    }
  }
  return { book, runs: runs.length, sessions, badLines };
}
