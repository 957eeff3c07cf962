// The dashboard's pure parts: who may ask (token, Host, origin), the spend series, the task board, feed rows.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Checklist } from "../../src/core/checklist-schema.ts";
import type { CheckResult } from "../../src/core/loop-events.ts";
import { indexPrices, type PriceTable } from "../../src/core/prices.ts";
import { SpendSeries } from "../../src/core/spend-series.ts";
import { type TaskRunEvidence, taskBoard } from "../../src/core/task-board.ts";
import { checkRequest, sameToken } from "../../src/dash/access.ts";
import { feedItem } from "../../src/dash/feed.ts";
import { SpendMeter } from "../../src/loop/spend.ts";

const table = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "../../prices/prices.json"), "utf8"),
) as PriceTable;
const prices = { index: indexPrices(table.models), plans: table.plans, declared: [] };

describe("checkRequest", () => {
  const base = {
    method: "GET",
    host: "127.0.0.1:4000",
    origin: undefined,
    fetchSite: undefined,
    token: "tok",
  };
  test("the token, on 127.0.0.1 or localhost at this port, may read", () => {
    expect(checkRequest(base, "tok", 4000, false).ok).toBe(true);
    expect(checkRequest({ ...base, host: "localhost:4000" }, "tok", 4000, false).ok).toBe(true);
    expect(checkRequest({ ...base, host: "LOCALHOST:4000" }, "tok", 4000, false).ok).toBe(true);
  });
  test("no token or a wrong one is 401", () => {
    expect(checkRequest({ ...base, token: null }, "tok", 4000, false)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkRequest({ ...base, token: "tok2" }, "tok", 4000, false).status).toBe(401);
    expect(checkRequest({ ...base, token: "" }, "tok", 4000, false).status).toBe(401);
  });
  test("a foreign Host (DNS rebinding), another port or none is 403, before the token is looked at", () => {
    for (const host of ["evil.example:4000", "127.0.0.1:4001", "127.0.0.1", "0.0.0.0:4000", undefined]) {
      const v = checkRequest({ ...base, host }, "tok", 4000, false);
      expect(v, String(host)).toMatchObject({ ok: false, status: 403 });
      expect(v.message).toMatch(/Host .* refused/);
    }
  });
  test("changes need POST from the page's own origin", () => {
    const post = { ...base, method: "POST" };
    expect(checkRequest(post, "tok", 4000, true).ok).toBe(true);
    expect(
      checkRequest({ ...post, origin: "http://127.0.0.1:4000", fetchSite: "same-origin" }, "tok", 4000, true)
        .ok,
    ).toBe(true);
    expect(checkRequest({ ...base }, "tok", 4000, true).status).toBe(405);
    expect(checkRequest({ ...post, origin: "http://evil.example" }, "tok", 4000, true).status).toBe(403);
    expect(checkRequest({ ...post, origin: "http://127.0.0.1:8080" }, "tok", 4000, true).status).toBe(403);
    expect(checkRequest({ ...post, origin: "null" }, "tok", 4000, true).status).toBe(403);
    expect(checkRequest({ ...post, fetchSite: "cross-site" }, "tok", 4000, true).status).toBe(403);
    expect(checkRequest({ ...post, fetchSite: "same-site" }, "tok", 4000, true).status).toBe(403);
    expect(checkRequest({ ...post, token: null }, "tok", 4000, true).status).toBe(401);
  });
  test("sameToken compares whole tokens", () => {
    expect(sameToken("abc", "abc")).toBe(true);
    expect(sameToken("ab", "abc")).toBe(false);
    expect(sameToken(null, "abc")).toBe(false);
  });
});

const at = (min: number, s = 0) => new Date(Date.UTC(2026, 10, 26, 10, min, s)).toISOString();
const usage = (input: number, cachedInput: number, output: number, model: string | null = null) => ({
  input,
  cachedInput,
  cacheWrite: 0,
  output,
  reasoning: 0,
  model,
});

describe("SpendSeries", () => {
  const lines = [
    { type: "run_start", runId: "s1", ts: at(0), harness: "codex", model: "gpt-5.2", taskId: "T1" },
    {
      type: "usage",
      scope: "request",
      runId: "s1",
      ts: at(0, 30),
      usage: usage(1000, 9000, 200),
      taskId: "T1",
    },
    { type: "usage", scope: "request", runId: "s1", ts: at(3), usage: usage(500, 20000, 100), taskId: "T1" },
    { type: "run_end", runId: "s1", ts: at(3, 5), usage: usage(1500, 29000, 300), taskId: "T1" },
    // A session that reports running totals only, and an end larger than its last total.
    { type: "run_start", runId: "s2", ts: at(4), harness: "claude", model: "claude-opus-4-6", taskId: "T2" },
    { type: "usage", scope: "session", runId: "s2", ts: at(5), usage: usage(100, 1000, 50), taskId: "T2" },
    { type: "usage", scope: "session", runId: "s2", ts: at(6), usage: usage(300, 5000, 80), taskId: "T2" },
    { type: "run_end", runId: "s2", ts: at(7), usage: usage(400, 6000, 90), taskId: "T2" },
    { type: "loop", runId: "R", ts: at(7), step: "end" },
  ];

  test("adds up to what the spend meter (status, budgets) counts", () => {
    const series = new SpendSeries(prices.index, null);
    const meter = new SpendMeter(prices, null);
    for (const l of lines) {
      series.add(l);
      meter.add(l);
    }
    const t = series.total;
    expect([t.input, t.cachedInput, t.output]).toEqual([1900, 35000, 390]);
    const spent = meter.spent();
    expect(t.input + t.cachedInput + t.cacheWrite + t.output).toBe(spent.tokens);
    expect(t.costUSD).toBeCloseTo(spent.costUSD!, 10);
    expect(series.cacheReadShare()).toBeCloseTo(35000 / 36900, 10);
  });

  test("by task, and cumulative by model over time", () => {
    const series = new SpendSeries(prices.index, null);
    for (const l of lines) series.add(l);
    expect(
      series
        .tasks()
        .map((r) => r.key)
        .sort(),
    ).toEqual(["T1", "T2"]);
    const chart = series.chart();
    expect(chart.models).toEqual(["claude-opus-4-6", "gpt-5.2"]);
    const last = (m: string) => chart.points.filter((p) => p.model === m).at(-1)!;
    expect(last("gpt-5.2").tokens).toBe(1500 + 29000 + 300);
    expect(last("claude-opus-4-6").tokens).toBe(400 + 6000 + 90);
    const gpt = chart.points.filter((p) => p.model === "gpt-5.2").map((p) => p.tokens);
    expect(gpt).toEqual([...gpt].sort((a, b) => a - b)); // never goes down
    expect(chart.points[0]!.t).toBe(at(0));
  });

  test("a long run is cut into at most maxPoints buckets per model", () => {
    const series = new SpendSeries(prices.index, null);
    series.add({ type: "run_start", runId: "s", ts: at(0), model: "gpt-5.2" });
    for (let m = 0; m < 600; m += 3)
      series.add({
        type: "usage",
        scope: "request",
        runId: "s",
        ts: new Date(Date.UTC(2026, 10, 26, 0, m)).toISOString(),
        usage: usage(10, 0, 1),
      });
    const chart = series.chart(50);
    expect(chart.bucketMinutes).toBe(12);
    expect(chart.points.length).toBeLessThanOrEqual(51);
    expect(chart.points.at(-1)!.tokens).toBe(200 * 11);
  });

  test("an unpriced model has null cost, not 0", () => {
    const series = new SpendSeries(prices.index, null);
    series.add({ type: "run_start", runId: "s", ts: at(0), model: "no-such-model-9" });
    series.add({ type: "usage", scope: "request", runId: "s", ts: at(1), usage: usage(10, 0, 1) });
    expect(series.total.costUSD).toBeNull();
    expect(series.chart().points.at(-1)!.costUSD).toBeNull();
  });
});

describe("taskBoard", () => {
  const result = (label: string, exitCode: number, kind: CheckResult["kind"] = "check"): CheckResult => ({
    kind,
    label,
    command: label,
    exitCode,
    signal: null,
    timedOut: false,
    durationMs: 1,
    flaky: false,
    output: `.longrun/runs/r/artifacts/iter-001/${label}.log`,
  });
  const c = {
    summary: { active_task_id: null },
    tasks: [
      {
        task_id: "T1",
        title: "one",
        status: "complete",
        acceptance_criteria: [{ text: "builds", check: "make" }, "reads well"],
      },
      {
        task_id: "T2",
        title: "two",
        status: "in_progress",
        depends_on: ["T1"],
        acceptance_criteria: [{ text: "tests", check: "npm test" }],
      },
      { task_id: "T3", title: "three", status: "not_started", depends_on: ["T2", "T9"] },
      { task_id: "T4", title: "four", status: "failed", note: "gave up after 3 attempts" },
    ],
  } as unknown as Checklist;
  const evidence = new Map<string, TaskRunEvidence>([
    [
      "T1",
      {
        iterations: 1,
        verify: { passed: true, results: [result("builds", 0), result("npm run lint", 0, "fast")] },
        sha: "abc1234",
      } as TaskRunEvidence,
    ],
    [
      "T2",
      {
        iterations: 2,
        verify: {
          passed: false,
          results: [result("tests", 1)],
          failure: { summary: "npm test exited 1", tail: "", output: "x.log" },
        },
        sha: null,
      },
    ],
  ]);

  test("criteria with their check results, evidence, and the active task", () => {
    const b = taskBoard(c, evidence, "T2");
    const [t1, t2, t3, t4] = b;
    expect(t1!.criteria).toEqual([
      {
        text: "builds",
        check: "make",
        passed: true,
        output: ".longrun/runs/r/artifacts/iter-001/builds.log",
      },
      { text: "reads well", check: null, passed: null, output: null },
    ]);
    expect(t1!.checks).toEqual([
      { kind: "fast", label: "npm run lint", passed: true, output: expect.any(String) },
    ]);
    expect(t1!.commit).toBe("abc1234");
    expect(t2!.active).toBe(true);
    expect(t2!.criteria[0]!.passed).toBe(false);
    expect(t2!.failure?.summary).toBe("npm test exited 1");
    expect(t3!.ready).toBe(false);
    expect(t3!.why).toBe("waiting on T2 (in progress), T9 (missing)");
    expect(t4!.why).toBe("gave up after 3 attempts");
    expect(b.filter((t) => t.active).map((t) => t.id)).toEqual(["T2"]);
  });
});

describe("feedItem", () => {
  test("one line per event; usage and unknown output have no row", () => {
    expect(feedItem({ type: "message", text: "hello", ts: at(0), taskId: "T1" }, 3)).toMatchObject({
      n: 3,
      kind: "message",
      text: "hello",
      taskId: "T1",
    });
    expect(
      feedItem({ type: "tool_start", name: "shell", input: { command: ["ls", "-la"] } }, 0),
    ).toMatchObject({ kind: "tool", name: "shell", text: "ls -la" });
    expect(feedItem({ type: "tool_end", name: "shell", ok: false, output: "boom" }, 0)).toMatchObject({
      kind: "tool_end",
      ok: false,
    });
    expect(feedItem({ type: "usage", scope: "request", usage: {} }, 0)).toBeNull();
    expect(feedItem({ type: "unknown", raw: "x" }, 0)).toBeNull();
    expect(
      feedItem(
        { type: "loop", step: "verify", passed: false, results: [], failure: { summary: "make exited 2" } },
        0,
      ),
    ).toMatchObject({ kind: "loop", name: "verify", ok: false, text: "verify failed: make exited 2" });
    expect(
      feedItem({ type: "loop", step: "iteration", n: 2, taskId: "T5", kind: "retry", attempts: 1 }, 0),
    ).toMatchObject({ taskId: "T5", text: "iteration 2 on T5 (retry, 1 failed before)" });
  });
  test("long text is clipped", () => {
    const r = feedItem({ type: "message", text: "x".repeat(10_000) }, 0)!;
    expect(r.text.length).toBeLessThan(2100);
    expect(r.text).toMatch(/10000 chars/);
  });
});
