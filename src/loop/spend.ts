/**
 * What a run has spent so far, priced as `longrun cost` prices it (same sessions, same entries), and
 * kept up to date event by event, so a session in flight counts before its end.
 */
import { addUsage, emptyUsage, type Usage } from "../core/agent-events.ts";
import { UsageBook } from "../core/usage-book.ts";
import { type Session, sessionEntries } from "../cost/ledger.ts";
import type { Prices } from "../cost/price-table.ts";

interface Live extends Session {
  /** The latest session-scope usage (a running total), for a session that has not ended. */
  total: Usage | null;
}

export class SpendMeter {
  /** Sessions that have not ended: their requests are kept until then. */
  private readonly sessions = new Map<string, Live>();
  /** Ended sessions, priced once at their end (a long run's spend is not priced again per look). */
  private readonly ended = new Set<string>();
  private readonly endedBook: UsageBook;
  private endedTokens = 0;
  private readonly prices: Prices;
  /** The declared plan that covers this run's usage, if any (its part is not spend). */
  private readonly plan: string | null;

  constructor(prices: Prices, plan: string | null) {
    this.prices = prices;
    this.plan = plan;
    this.endedBook = new UsageBook(prices.index);
  }

  /** Take one journal line; lines that are not agent events, and a session's lines after its end, are ignored. */
  add(line: Record<string, unknown>): void {
    if (line.type === "loop" || typeof line.runId !== "string" || this.ended.has(line.runId)) return;
    let s = this.sessions.get(line.runId);
    if (!s) {
      s = { harness: null, model: null, taskId: null, requests: [], end: null, day: "", total: null };
      this.sessions.set(line.runId, s);
    }
    if (typeof line.ts === "string") s.day = line.ts.slice(0, 10);
    if (line.type === "run_start") {
      s.harness = (line.harness as string) ?? null;
      s.model = (line.model as string | null) ?? null;
    } else if (line.type === "usage" && line.scope === "request") s.requests.push(line.usage as Usage);
    else if (line.type === "usage") s.total = line.usage as Usage;
    else if (line.type === "run_end") {
      s.end = line.usage as Usage;
      if (s.end) this.settle(line.runId, s);
    }
  }

  /** Prices an ended session into the book of ended ones and lets go of its requests. */
  private settle(id: string, s: Live): void {
    const end = s.end!;
    this.endedTokens += end.input + end.cachedInput + end.cacheWrite + end.output;
    for (const e of sessionEntries(s)) this.endedBook.add("run", { ...e, coveredBy: this.plan });
    this.sessions.delete(id);
    this.ended.add(id);
  }

  /** Spend beyond declared plans (null when a model has no price) and all tokens, so far. */
  spent(): { costUSD: number | null; tokens: number } {
    const book = new UsageBook(this.prices.index);
    let tokens = this.endedTokens;
    for (const s of this.sessions.values()) {
      const live = { ...s, end: s.requests.length ? null : s.total };
      const used = live.end ?? live.requests.reduce(addUsage, emptyUsage());
      tokens += used.input + used.cachedInput + used.cacheWrite + used.output;
      for (const e of sessionEntries(live)) book.add("run", { ...e, coveredBy: this.plan });
    }
    const a = book.total;
    const b = this.endedBook.total;
    const cost = a.costUSD === null || b.costUSD === null ? null : a.costUSD + b.costUSD;
    const covered = a.coveredUSD + b.coveredUSD;
    return { costUSD: cost === null ? null : Math.max(0, cost - covered), tokens };
  }
}
