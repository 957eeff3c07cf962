import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { estimate } from "../../src/core/cost-estimate.ts";
import { priceTableSchema } from "../../src/core/price-schema.ts";
import { costOf, indexPrices, modelKey, type PriceRow } from "../../src/core/prices.ts";
import { UsageBook, unpricedWarnings } from "../../src/core/usage-book.ts";

const table = priceTableSchema.parse(
  JSON.parse(readFileSync(path.join(import.meta.dirname, "../../prices/prices.json"), "utf8")),
);
const index = indexPrices(table.models);

describe("the price table (prices/prices.json)", () => {
  test("is valid, and every row says where its price comes from and when it was read", () => {
    for (const r of table.models) {
      expect(r.source, r.model).toBeTruthy();
      expect(r.checked, r.model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const p of table.plans) expect(p.source, p.plan).toBeTruthy();
  });

  test.each([
    // the rows: input / cached input / output
    ["gpt-5.2", 1.75, 0.175, 14],
    ["claude-opus-4-6", 5, 0.5, 25],
    ["kimi-k2.5", 0.6, 0.1, 3],
    ["glm-4.7", 0.6, 0.11, 2.2],
    ["glm-5", 1, 0.2, 3.2],
  ])("%s is %d / %d / %d", (model, input, cached, output) => {
    expect(index.find(model)).toMatchObject({ input, cachedInput: cached, output });
  });

  test("covers the models the four CLIs default to (codex: gpt-6.1-sol, claude: claude-opus-4-8)", () => {
    expect(index.find("gpt-6.1-sol")).toBeDefined();
    expect(index.find("claude-opus-4-8[1m]")).toBeDefined();
  });

  test("flat plans are their own kind", () => {
    expect(table.plans.find((p) => p.plan === "chatgpt-pro")).toMatchObject({
      usdPerMonth: 200,
      covers: ["codex"],
    });
  });
});

describe("modelKey: the names the CLIs really write", () => {
  test.each([
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
    ["claude-opus-4-8[1m]", "claude-opus-4-8"],
    ["anthropic/claude-opus-4-6", "claude-opus-4-6"],
    ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"],
    ["claude-sonnet-4.5", "claude-sonnet-4-5"],
    ["openai/gpt-5.2", "gpt-5-2"],
    ["GPT-5.2-Codex", "gpt-5-2-codex"],
    ["gpt-5.2-2025-12-11", "gpt-5-2"],
    ["claude-3-5-haiku-latest", "claude-3-5-haiku"],
    ["moonshotai/kimi-k2.5", "kimi-k2-5"],
    ["longrun/mock-model", "mock-model"],
  ])("%s -> %s", (name, key) => expect(modelKey(name)).toBe(key));

  test("a dated name finds its row; an unknown one does not", () => {
    expect(index.find("claude-haiku-4-5-20251001")?.model).toBe("claude-haiku-4-5");
    expect(index.find("mock-model")).toBeUndefined();
  });
});

describe("dated rows", () => {
  test("Sonnet 5.5 cache reads cost 0.20 before 2026-10-07 and 0.10 from that day", () => {
    expect(index.find("claude-sonnet-5-5", "2026-10-06")?.cachedInput).toBe(0.2);
    expect(index.find("claude-sonnet-5-5", "2026-10-07")?.cachedInput).toBe(0.1);
    expect(index.find("claude-sonnet-5-5")?.cachedInput).toBe(0.1);
  });

  test("a config row of the same model and date replaces the built-in one; a new model is added", () => {
    const own: PriceRow[] = [
      { model: "gpt-5.2", input: 1, cachedInput: 0.1, output: 8 },
      { model: "my-model", input: 0.5, cachedInput: 0.05, output: 2 },
    ];
    const i = indexPrices([...table.models, ...own]);
    expect(i.find("gpt-5.2")?.input).toBe(1);
    expect(i.find("my-model")?.output).toBe(2);
  });
});

describe("costOf", () => {
  const sonnet45 = index.find("claude-sonnet-4-5")!;
  test("each kind at its rate; 1-hour cache writes at their own rate", () => {
    // 1M input $3, 1M read $0.30, 1M writes of which 400k 1-hour: 600k x 3.75 + 400k x 6, 1M output $15
    expect(
      costOf({ input: 1e6, cachedInput: 1e6, cacheWrite: 1e6, cacheWrite1h: 4e5, output: 1e6 }, sonnet45),
    ).toBeCloseTo(3 + 0.3 + 2.25 + 2.4 + 15, 10);
  });

  test("a row without a cache-write price charges writes at its input price", () => {
    expect(costOf({ input: 0, cachedInput: 0, cacheWrite: 1e6, output: 0 }, index.find("gpt-5.2")!)).toBe(
      1.75,
    );
  });

  test("per request, a prompt above the long-prompt threshold pays the tier on every token", () => {
    const t = { input: 150_000, cachedInput: 50_000, cacheWrite: 1, output: 1000 };
    expect(costOf(t, sonnet45, true)).toBeCloseTo((150_000 * 6 + 50_000 * 0.6 + 7.5 + 1000 * 22.5) / 1e6, 12);
    expect(costOf(t, sonnet45, false)).toBeCloseTo((150_000 * 3 + 50_000 * 0.3 + 3.75 + 1000 * 15) / 1e6, 12);
    const at = { input: 150_000, cachedInput: 50_000, cacheWrite: 0, output: 1000 }; // exactly 200k: base
    expect(costOf(at, sonnet45, true)).toBeCloseTo((150_000 * 3 + 50_000 * 0.3 + 1000 * 15) / 1e6, 12);
  });
});

describe("estimate: the playbook's month (46,053,693 uncached, 2,164,821,248 cached, 6,092,433 output)", () => {
  const month = { input: 46_053_693, cachedInput: 2_164_821_248, cacheWrite: 0, output: 6_092_433 };
  const { rows } = estimate(month, index, table.plans, { day: "2026-11-26" });
  const usd = (name: string) =>
    Math.round((rows.find((r) => r.name === name)?.costUSD ?? Number.NaN) * 100) / 100;

  test.each([
    ["gpt-5.2", 544.73],
    ["claude-opus-4-6", 1464.99],
    ["kimi-k2.5", 262.39],
    ["glm-4.7", 279.17],
    ["glm-5", 498.51],
    ["chatgpt-pro", 200],
  ])("%s: $%d", (name, want) => expect(usd(name)).toBe(want));

  test("sorted by cost, cached input dominating; parts add up", () => {
    expect(rows.map((r) => r.costUSD)).toEqual([...rows.map((r) => r.costUSD)].sort((a, b) => a - b));
    const g = rows.find((r) => r.name === "gpt-5.2")!;
    expect(g.parts!.cachedInput).toBeGreaterThan(g.parts!.input + g.parts!.output);
    expect(g.parts!.input + g.parts!.cachedInput + g.parts!.cacheWrite + g.parts!.output).toBeCloseTo(
      g.costUSD,
      9,
    );
  });

  test("--models limits the rows (aliases and dated names accepted) and names unknown models", () => {
    const r = estimate(month, index, table.plans, {
      day: "2026-11-26",
      models: ["GPT-5.2", "claude-opus-4-6-20260101", "nope"],
    });
    expect(r.rows.map((x) => x.name)).toEqual(["gpt-5.2", "claude-opus-4-6"]);
    expect(r.unknown).toEqual(["nope"]);
  });
});

describe("UsageBook", () => {
  const tokens = (input: number, output: number) => ({ input, cachedInput: 0, cacheWrite: 0, output });
  test("groups and totals; an unpriced model makes cost null, never 0, and is named", () => {
    const b = new UsageBook(index);
    b.add("T1", {
      model: "gpt-5.2",
      day: "2026-11-01",
      tokens: tokens(1e6, 0),
      reasoning: 0,
      perRequest: true,
    });
    b.add("T1", {
      model: "mock-model",
      day: "2026-11-01",
      tokens: tokens(10, 5),
      reasoning: 2,
      perRequest: true,
    });
    b.add("T2", {
      model: "gpt-5.2",
      day: "2026-11-01",
      tokens: tokens(0, 1e6),
      reasoning: 0,
      perRequest: true,
    });
    b.add("T2", { model: null, day: "2026-11-01", tokens: tokens(0, 0), reasoning: 0, perRequest: true });
    const rows = b.rows();
    expect(rows.map((r) => [r.key, r.costUSD, r.entries])).toEqual([
      ["T1", null, 2],
      ["T2", 14, 2],
    ]);
    expect(rows[0]?.models).toEqual(["gpt-5.2", "mock-model"]);
    expect(b.total).toMatchObject({ input: 1e6 + 10, output: 1e6 + 5, reasoning: 2, costUSD: null });
    expect(unpricedWarnings(b)).toEqual([
      "no price for model `mock-model` (15 tokens): its cost is unknown; add a row under cost.prices in .longrun/config.yaml",
    ]);
  });

  test("usage a declared plan covers is priced and counted as covered", () => {
    const b = new UsageBook(index);
    b.add("d", {
      model: "gpt-5.2",
      day: "2026-11-01",
      tokens: tokens(1e6, 0),
      reasoning: 0,
      perRequest: true,
      coveredBy: "chatgpt-pro",
    });
    b.add("d", {
      model: "gpt-5.2",
      day: "2026-11-01",
      tokens: tokens(1e6, 0),
      reasoning: 0,
      perRequest: true,
    });
    expect(b.total).toMatchObject({ costUSD: 3.5, coveredUSD: 1.75 });
    expect([...b.plans]).toEqual(["chatgpt-pro"]);
  });
});
