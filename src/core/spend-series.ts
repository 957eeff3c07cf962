/**
 * Spend of a run as it happened: tokens and USD by minute and model, and by task, folded from the
 * journal one line at a time (the dashboard's chart and cost-per-task table). A session's request
 * usages count when they arrive; a session that reports only running totals counts each growth of its
 * total; its `run_end` adds whatever the requests had not counted yet. The sum is what `longrun cost`
 * prices (it may differ by long-prompt tiers when a session's requests and its end disagree). Pure.
 */
import { emptyUsage, type Usage, usageFrom } from "./agent-events.ts";
import type { PriceIndex } from "./prices.ts";
import { type Row, type Totals, UsageBook } from "./usage-book.ts";

interface SessionCount {
  model: string | null;
  taskId: string | null;
  counted: Usage;
  requests: boolean;
}

export interface SeriesPoint {
  /** Start of the bucket (ISO). */
  t: string;
  model: string;
  /** Cumulative USD of this model up to the end of the bucket (null: the model has no price). */
  costUSD: number | null;
  /** Cumulative tokens (input + cached input + cache write + output). */
  tokens: number;
}

export interface SpendChart {
  bucketMinutes: number;
  models: string[];
  points: SeriesPoint[];
}

const MINUTE = 60_000;

/** Spend of one model in one minute. */
interface MinuteSpend {
  costUSD: number | null;
  tokens: number;
}

export class SpendSeries {
  /** The run's totals, grouped by model (few groups). */
  private readonly byModel: UsageBook;
  private readonly byTask: UsageBook;
  /**
   * By model, then minute (since the epoch): two numbers a minute, where a book group keyed by minute
   * held ~450 bytes (a month-long run: 45k minutes, 20 MB).
   */
  private readonly minutes = new Map<string, Map<number, MinuteSpend>>();
  private readonly sessions = new Map<string, SessionCount>();
  private readonly plan: string | null;

  constructor(index: PriceIndex, plan: string | null) {
    this.byModel = new UsageBook(index);
    this.byTask = new UsageBook(index);
    this.plan = plan;
  }

  /** Take one journal line; lines without usage are ignored. */
  add(line: Record<string, unknown>): void {
    if (line.type === "loop" || typeof line.runId !== "string") return;
    let s = this.sessions.get(line.runId);
    if (!s) {
      s = { model: null, taskId: null, counted: emptyUsage(), requests: false };
      this.sessions.set(line.runId, s);
    }
    if (typeof line.taskId === "string") s.taskId = line.taskId;
    if (line.type === "run_start") {
      s.model = typeof line.model === "string" ? line.model : null;
      return;
    }
    const ts = typeof line.ts === "string" ? line.ts : null;
    if (!ts) return;
    if (line.type === "usage") {
      const u = usageFrom(line.usage);
      if (!u) return;
      if (line.scope === "request") {
        s.requests = true;
        this.count(s, u, ts, true);
      } else if (!s.requests) this.count(s, minus(u, s.counted), ts, false);
    } else if (line.type === "run_end") {
      const u = usageFrom(line.usage);
      if (u) this.count(s, minus(u, s.counted), ts, false);
    }
  }

  private count(s: SessionCount, u: Usage, ts: string, perRequest: boolean): void {
    const size = u.input + u.cachedInput + u.cacheWrite + u.output;
    if (size === 0) return;
    const model = u.model ?? s.model;
    const name = model ?? "(unknown model)";
    const tokens = { input: u.input, cachedInput: u.cachedInput, cacheWrite: u.cacheWrite, output: u.output };
    const day = ts.slice(0, 10);
    const cost = this.byModel.addTokens(name, model, day, tokens, u.reasoning, perRequest, this.plan);
    const minute = Math.floor(Date.parse(ts) / MINUTE);
    if (Number.isFinite(minute)) {
      let byMinute = this.minutes.get(name);
      if (!byMinute) {
        byMinute = new Map();
        this.minutes.set(name, byMinute);
      }
      const m = byMinute.get(minute);
      if (!m) byMinute.set(minute, { costUSD: cost, tokens: size });
      else {
        m.costUSD = m.costUSD === null || cost === null ? null : m.costUSD + cost;
        m.tokens += size;
      }
    }
    this.byTask.addTokens(s.taskId ?? "(no task)", model, day, tokens, u.reasoning, perRequest, this.plan);
    s.counted = {
      input: s.counted.input + u.input,
      cachedInput: s.counted.cachedInput + u.cachedInput,
      cacheWrite: s.counted.cacheWrite + u.cacheWrite,
      output: s.counted.output + u.output,
      reasoning: s.counted.reasoning + u.reasoning,
      model: model ?? s.counted.model,
    };
  }

  get total(): Totals {
    return this.byModel.total;
  }

  /** Share of input tokens read from the cache (0 when there was no input). */
  cacheReadShare(): number {
    const t = this.total;
    const all = t.input + t.cachedInput;
    return all ? t.cachedInput / all : 0;
  }

  /** Cost and tokens per task, most expensive first. */
  tasks(): Row[] {
    return this.byTask.rows().sort((a, b) => (b.costUSD ?? Infinity) - (a.costUSD ?? Infinity));
  }

  /** Cumulative spend by model over time, in at most `maxPoints` buckets per model. */
  chart(maxPoints = 120): SpendChart {
    const models = [...this.minutes.keys()].sort();
    if (!models.length) return { bucketMinutes: 1, models: [], points: [] };
    // Each model's minutes in order, merged by (minute, model): no row object per minute.
    const lists = models.map((model) => {
      const byMinute = this.minutes.get(model)!;
      return { model, byMinute, minutes: Float64Array.from(byMinute.keys()).sort(), i: 0 };
    });
    const first = Math.min(...lists.map((l) => l.minutes[0]!)) * MINUTE;
    const last = Math.max(...lists.map((l) => l.minutes.at(-1)!)) * MINUTE;
    const bucketMinutes = Math.max(1, Math.ceil((last - first) / MINUTE / maxPoints));
    const width = bucketMinutes * MINUTE;
    const running = new Map(models.map((m) => [m, { costUSD: 0 as number | null, tokens: 0 }]));
    const points: SeriesPoint[] = [];
    for (let b = first; b <= last; b += width) {
      const touched = new Set<string>();
      for (;;) {
        let next: (typeof lists)[number] | null = null;
        for (const l of lists)
          if (l.i < l.minutes.length && (!next || l.minutes[l.i]! < next.minutes[next.i]!)) next = l;
        if (!next || next.minutes[next.i]! * MINUTE >= b + width) break;
        const r = next.byMinute.get(next.minutes[next.i++]!)!;
        const m = running.get(next.model)!;
        m.costUSD = m.costUSD === null || r.costUSD === null ? null : m.costUSD + r.costUSD;
        m.tokens += r.tokens;
        touched.add(next.model);
      }
      if (!touched.size && b !== first && b + width <= last) continue;
      const t = new Date(b).toISOString();
      for (const model of models) {
        const m = running.get(model)!;
        points.push({ t, model, costUSD: m.costUSD, tokens: m.tokens });
      }
    }
    return { bucketMinutes, models, points };
  }
}

/** `a - b` per count, never below zero (a running total that went down counts nothing). */
function minus(a: Usage, b: Usage): Usage {
  return {
    input: Math.max(0, a.input - b.input),
    cachedInput: Math.max(0, a.cachedInput - b.cachedInput),
    cacheWrite: Math.max(0, a.cacheWrite - b.cacheWrite),
    output: Math.max(0, a.output - b.output),
    reasoning: Math.max(0, a.reasoning - b.reasoning),
    model: a.model,
  };
}
