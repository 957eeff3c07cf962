import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { SpendSeries } from "../../src/core/spend-series.ts";
import { pricesFor } from "../../src/cost/price-table.ts";

const prices = pricesFor(undefined);
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);

/**
 * Sessions over `minutes` minutes: two priced models, one without a price (from the middle on), a session
 * that reports running totals only, ends that add what the requests did not count, usage without a model.
 */
function journal(minutes: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let x = 11;
  const rand = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % n;
  };
  const ts = (m: number) => new Date(T0 + m * 60_000 + rand(59_000)).toISOString();
  for (let m = 0, s = 0; m < minutes; s++) {
    const runId = `s${s}`;
    const model =
      m > minutes / 2 && s % 3 === 0 ? "no-price-model" : ["claude-sonnet-4-6", "claude-haiku-4-5"][s % 2]!;
    const taskId = `T00${1 + (s % 4)}`;
    const totalsOnly = s % 5 === 4;
    out.push({ type: "run_start", model, v: 1, runId, seq: 0, ts: ts(m), taskId });
    const sum = {
      input: 0,
      cachedInput: 0,
      cacheWrite: 0,
      output: 0,
      reasoning: 0,
      model: null as string | null,
    };
    for (let r = 0; r < 1 + rand(6); r++) {
      m += rand(4);
      const u = {
        input: rand(3000),
        cachedInput: rand(80_000),
        cacheWrite: rand(2000),
        output: rand(2500),
        reasoning: 0,
        model: r === 2 ? null : model,
      };
      for (const k of ["input", "cachedInput", "cacheWrite", "output"] as const) sum[k] += u[k];
      if (totalsOnly)
        out.push({
          type: "usage",
          scope: "session",
          usage: { ...sum, model },
          v: 1,
          runId,
          seq: 1,
          ts: ts(m),
          taskId,
        });
      else out.push({ type: "usage", scope: "request", usage: u, v: 1, runId, seq: 1, ts: ts(m), taskId });
    }
    const end = { ...sum, output: sum.output + (s % 2 ? 100 : 0), model };
    out.push({ type: "run_end", status: "ok", usage: end, v: 1, runId, seq: 9, ts: ts(m), taskId });
    out.push({ v: 1, type: "loop", runId: "r", seq: s, ts: ts(m), step: "iteration_end", n: s });
    m += 1 + rand(3);
  }
  return out;
}

function series(minutes: number): SpendSeries {
  const s = new SpendSeries(prices.index, null);
  for (const l of journal(minutes)) s.add(l);
  return s;
}

describe("SpendSeries", () => {
  test("chart, totals and tasks of a small run", () => {
    const s = series(40);
    expect(s.chart(6)).toMatchInlineSnapshot(`
      {
        "bucketMinutes": 7,
        "models": [
          "claude-haiku-4-5",
          "claude-sonnet-4-6",
          "no-price-model",
        ],
        "points": [
          {
            "costUSD": 0.019819049999999998,
            "model": "claude-haiku-4-5",
            "t": "2026-11-20T09:02:00.000Z",
            "tokens": 41932,
          },
          {
            "costUSD": 0.08057625,
            "model": "claude-sonnet-4-6",
            "t": "2026-11-20T09:02:00.000Z",
            "tokens": 68676,
          },
          {
            "costUSD": 0,
            "model": "no-price-model",
            "t": "2026-11-20T09:02:00.000Z",
            "tokens": 0,
          },
          {
            "costUSD": 0.019819049999999998,
            "model": "claude-haiku-4-5",
            "t": "2026-11-20T09:09:00.000Z",
            "tokens": 41932,
          },
          {
            "costUSD": 0.20252504999999998,
            "model": "claude-sonnet-4-6",
            "t": "2026-11-20T09:09:00.000Z",
            "tokens": 233050,
          },
          {
            "costUSD": 0,
            "model": "no-price-model",
            "t": "2026-11-20T09:09:00.000Z",
            "tokens": 0,
          },
          {
            "costUSD": 0.07545275,
            "model": "claude-haiku-4-5",
            "t": "2026-11-20T09:16:00.000Z",
            "tokens": 186964,
          },
          {
            "costUSD": 0.20252504999999998,
            "model": "claude-sonnet-4-6",
            "t": "2026-11-20T09:16:00.000Z",
            "tokens": 233050,
          },
          {
            "costUSD": 0,
            "model": "no-price-model",
            "t": "2026-11-20T09:16:00.000Z",
            "tokens": 0,
          },
          {
            "costUSD": 0.09597755000000001,
            "model": "claude-haiku-4-5",
            "t": "2026-11-20T09:23:00.000Z",
            "tokens": 214800,
          },
          {
            "costUSD": 0.31661355,
            "model": "claude-sonnet-4-6",
            "t": "2026-11-20T09:23:00.000Z",
            "tokens": 371104,
          },
          {
            "costUSD": 0,
            "model": "no-price-model",
            "t": "2026-11-20T09:23:00.000Z",
            "tokens": 0,
          },
          {
            "costUSD": 0.1271883,
            "model": "claude-haiku-4-5",
            "t": "2026-11-20T09:30:00.000Z",
            "tokens": 364746,
          },
          {
            "costUSD": 0.31661355,
            "model": "claude-sonnet-4-6",
            "t": "2026-11-20T09:30:00.000Z",
            "tokens": 371104,
          },
          {
            "costUSD": 0,
            "model": "no-price-model",
            "t": "2026-11-20T09:30:00.000Z",
            "tokens": 0,
          },
          {
            "costUSD": 0.1271883,
            "model": "claude-haiku-4-5",
            "t": "2026-11-20T09:37:00.000Z",
            "tokens": 364746,
          },
          {
            "costUSD": 0.31661355,
            "model": "claude-sonnet-4-6",
            "t": "2026-11-20T09:37:00.000Z",
            "tokens": 371104,
          },
          {
            "costUSD": null,
            "model": "no-price-model",
            "t": "2026-11-20T09:37:00.000Z",
            "tokens": 200608,
          },
        ],
      }
    `);
    expect(s.total).toMatchInlineSnapshot(`
      {
        "cacheWrite": 20404,
        "cachedInput": 850079,
        "costUSD": null,
        "coveredUSD": 0,
        "entries": 28,
        "input": 35494,
        "output": 30481,
        "reasoning": 0,
      }
    `);
    expect(s.tasks()).toMatchInlineSnapshot(`
      [
        {
          "cacheWrite": 8707,
          "cachedInput": 330426,
          "costUSD": null,
          "coveredUSD": 0,
          "entries": 9,
          "input": 16709,
          "key": "T003",
          "models": [
            "claude-sonnet-4-6",
            "no-price-model",
          ],
          "output": 9140,
          "reasoning": 0,
        },
        {
          "cacheWrite": 3905,
          "cachedInput": 189700,
          "costUSD": 0.19466475,
          "coveredUSD": 0,
          "entries": 5,
          "input": 6147,
          "key": "T001",
          "models": [
            "claude-sonnet-4-6",
          ],
          "output": 6978,
          "reasoning": 0,
        },
        {
          "cacheWrite": 3999,
          "cachedInput": 141178,
          "costUSD": 0.06585755,
          "coveredUSD": 0,
          "entries": 6,
          "input": 6041,
          "key": "T004",
          "models": [
            "claude-haiku-4-5",
          ],
          "output": 8140,
          "reasoning": 0,
        },
        {
          "cacheWrite": 3793,
          "cachedInput": 188775,
          "costUSD": 0.06133075000000001,
          "coveredUSD": 0,
          "entries": 8,
          "input": 6597,
          "key": "T002",
          "models": [
            "claude-haiku-4-5",
          ],
          "output": 6223,
          "reasoning": 0,
        },
      ]
    `);
    expect(s.cacheReadShare()).toMatchInlineSnapshot(`0.9599197355836278`);
  });

  test("a long run's chart is what it was (hash of 120 buckets over 3 days)", () => {
    const s = series(3 * 24 * 60);
    const chart = s.chart();
    expect(chart.bucketMinutes).toBe(36);
    expect(createHash("sha256").update(JSON.stringify(chart)).digest("hex")).toMatchInlineSnapshot(
      `"fc2eec507610288cce1b5ba8ff99af48ffc8de73e49365d2601af67304402cac"`,
    );
    expect(
      createHash("sha256")
        .update(JSON.stringify([s.total, s.tasks()]))
        .digest("hex"),
    ).toMatchInlineSnapshot(`"b58c2b5a6ecc85373b54297af301c25c5307a1488754ab190fd835a0939e46ce"`);
  });
});
