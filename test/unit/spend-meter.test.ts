import { describe, expect, test } from "vitest";
import { addUsage, emptyUsage, type Usage } from "../../src/core/agent-events.ts";
import { UsageBook } from "../../src/core/usage-book.ts";
import { sessionEntries } from "../../src/cost/ledger.ts";
import { pricesFor } from "../../src/cost/price-table.ts";
import { SpendMeter } from "../../src/loop/spend.ts";

const prices = pricesFor(undefined);

/** What the meter must answer: every session priced from all its lines, as `longrun cost` does. */
function reference(lines: Record<string, unknown>[], plan: string | null) {
  const sessions = new Map<
    string,
    { model: string | null; requests: Usage[]; end: Usage | null; total: Usage | null; day: string }
  >();
  for (const l of lines) {
    if (l.type === "loop" || typeof l.runId !== "string") continue;
    let s = sessions.get(l.runId);
    if (!s) {
      s = { model: null, requests: [], end: null, total: null, day: "" };
      sessions.set(l.runId, s);
    }
    if (typeof l.ts === "string") s.day = l.ts.slice(0, 10);
    if (l.type === "run_start") s.model = l.model as string | null;
    else if (l.type === "usage" && l.scope === "request") s.requests.push(l.usage as Usage);
    else if (l.type === "usage") s.total = l.usage as Usage;
    else if (l.type === "run_end") s.end = l.usage as Usage;
  }
  const book = new UsageBook(prices.index);
  let tokens = 0;
  for (const s of sessions.values()) {
    const live = { harness: null, taskId: null, ...s, end: s.end ?? (s.requests.length ? null : s.total) };
    const used = live.end ?? live.requests.reduce(addUsage, emptyUsage());
    tokens += used.input + used.cachedInput + used.cacheWrite + used.output;
    for (const e of sessionEntries(live)) book.add("run", { ...e, coveredBy: plan });
  }
  const t = book.total;
  return { costUSD: t.costUSD === null ? null : Math.max(0, t.costUSD - t.coveredUSD), tokens };
}

/** Sessions interleaved: priced and unpriced models, requests summing to the end or not, totals only, open ones. */
function journal(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let x = 7;
  const rand = (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
  const usage = (model: string | null): Usage => ({
    input: rand(5000),
    cachedInput: rand(90_000),
    cacheWrite: rand(4000),
    output: rand(3000),
    reasoning: 0,
    model,
  });
  const open = new Map<string, { model: string | null; sum: Usage; kind: number }>();
  for (let i = 0; i < 3000; i++) {
    const ts = new Date(Date.UTC(2026, 10, 20) + i * 90_000).toISOString();
    if (open.size < 3 && rand(4) === 0) {
      const id = `s${i}`;
      const model = ["claude-sonnet-4-6", "claude-haiku-4-5", "no-such-model", null][rand(4)]!;
      open.set(id, { model, sum: emptyUsage(model), kind: rand(4) });
      out.push({ type: "run_start", harness: "command", model, v: 1, runId: id, seq: 0, ts });
      continue;
    }
    const ids = [...open.keys()];
    if (!ids.length) continue;
    const id = ids[rand(ids.length)]!;
    const s = open.get(id)!;
    if (rand(12) === 0) {
      // kind 0: the end repeats the requests' sum; 1: the end differs; 2: totals only; 3: never ends
      if (s.kind === 3) continue;
      const end = s.kind === 1 ? addUsage(s.sum, usage(s.model)) : s.sum;
      out.push({ type: "run_end", status: "ok", usage: end, v: 1, runId: id, seq: 9, ts });
      // A line after its session's end (not counted): `late` keeps it from the reference.
      out.push({
        type: "usage",
        scope: "request",
        usage: usage(s.model),
        v: 1,
        runId: id,
        seq: 10,
        ts,
        late: true,
      });
      open.delete(id);
      continue;
    }
    const u = usage(s.model);
    s.sum = addUsage(s.sum, u);
    if (s.kind === 2)
      out.push({ type: "usage", scope: "session", usage: s.sum, v: 1, runId: id, seq: 1, ts });
    else out.push({ type: "usage", scope: "request", usage: u, v: 1, runId: id, seq: 1, ts });
    out.push({ v: 1, type: "loop", runId: "r", seq: i, ts, step: "note", log: [] });
  }
  return out;
}

describe("SpendMeter", () => {
  test.each([null, "max-20x"])(
    "answers as pricing every session from all its lines would (plan %s)",
    (plan) => {
      const lines = journal();
      const meter = new SpendMeter(prices, plan);
      for (let i = 0; i < lines.length; i++) {
        meter.add(lines[i]!);
        if (i % 97 === 0 || i === lines.length - 1) {
          const want = reference(
            lines.slice(0, i + 1).filter((l) => !l.late),
            plan,
          );
          const got = meter.spent();
          expect(got.tokens).toBe(want.tokens);
          if (want.costUSD === null) expect(got.costUSD).toBeNull();
          else expect(got.costUSD).toBeCloseTo(want.costUSD, 9);
        }
      }
      expect(lines.filter((l) => l.type === "run_end").length).toBeGreaterThan(50);
    },
  );
});
