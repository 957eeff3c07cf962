// `longrun cost` (the ledger of run journals) and `longrun cost estimate`, from the command line.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, freshRepo, longrunAsync, snapshot } from "./cli.ts";

afterAll(cleanup);

const usageLine = (input: number, cachedInput: number, output: number, model: string) =>
  JSON.stringify({
    type: "usage",
    scope: "request",
    usage: { input, cachedInput, output, reasoning: 0, model },
  });

/** One `longrun exec` session of the command harness that reports `lines` of usage. */
async function session(dir: string, task: string, lines: string[], model = "gpt-5.2") {
  const cmd = lines.map((l) => `echo '${l}'`).join("; ");
  const r = await longrunAsync([
    "exec",
    "--dir",
    dir,
    "--harness",
    "command",
    "--command",
    cmd,
    "--model",
    model,
    "--task",
    task,
    "--json",
    "go",
  ]);
  expect(r.code, r.stderr).toBe(0);
}

interface Ledger {
  by: string;
  runs: number;
  sessions: number;
  totals: { input: number; cachedInput: number; output: number; costUSD: number | null; coveredUSD: number };
  rows: {
    key: string;
    input: number;
    output: number;
    costUSD: number | null;
    entries: number;
    models: string[];
  }[];
  warnings: string[];
}

async function ledger(dir: string, ...args: string[]): Promise<Ledger> {
  const r = await longrunAsync(["cost", "--dir", dir, "--json", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Ledger;
}

describe("longrun cost: the ledger of the run journals", () => {
  test("per task (failed attempts included), model, day and run; priced per request", async () => {
    const dir = freshRepo();
    await session(dir, "T1", [usageLine(1_000_000, 0, 0, "gpt-5.2")]);
    await session(dir, "T1", [usageLine(0, 1_000_000, 0, "gpt-5.2")]); // a second attempt at T1
    await session(dir, "T2", [
      usageLine(0, 0, 1_000_000, "gpt-5.2"),
      usageLine(0, 0, 1_000_000, "claude-opus-4-6"),
    ]);
    const byTask = await ledger(dir);
    expect(byTask).toMatchObject({ by: "task", runs: 3, sessions: 3, warnings: [] });
    expect(byTask.rows.map((r) => [r.key, r.costUSD, r.entries])).toEqual([
      ["T1", 1.75 + 0.175, 2],
      ["T2", 14 + 25, 2],
    ]);
    expect(byTask.totals).toMatchObject({ input: 1e6, cachedInput: 1e6, output: 2e6, coveredUSD: 0 });
    expect(byTask.totals.costUSD).toBeCloseTo(1.75 + 0.175 + 39, 10);
    const byModel = await ledger(dir, "--by", "model");
    expect(byModel.rows.map((r) => [r.key, r.costUSD])).toEqual([
      ["claude-opus-4-6", 25],
      ["gpt-5.2", 1.75 + 0.175 + 14],
    ]);
    const day = new Date().toISOString().slice(0, 10);
    expect((await ledger(dir, "--by", "day")).rows.map((r) => r.key)).toEqual([day]);
    const byRun = await ledger(dir, "--by", "run");
    expect(byRun.rows).toHaveLength(3);
    const one = await ledger(dir, "--run", byRun.rows[2]!.key);
    expect(one).toMatchObject({ runs: 1, totals: { output: 2e6 } });
  });

  test("a model with no price: cost null, never 0, and a warning that names it", async () => {
    const dir = freshRepo();
    await session(dir, "T1", [usageLine(100, 0, 10, "mock-model")], "mock-model");
    const l = await ledger(dir);
    expect(l.totals.costUSD).toBeNull();
    expect(l.warnings).toEqual([
      "no price for model `mock-model` (110 tokens): its cost is unknown; add a row under cost.prices in .longrun/config.yaml",
    ]);
    const human = await longrunAsync(["cost", "--dir", dir]);
    expect(human.stdout).toMatch(/T1 .* n\/a/);
    expect(human.stderr).toContain("warning: no price for model `mock-model`");
  });

  test("a config price row prices it; a declared plan covers own-login sessions of its harness", async () => {
    const dir = freshRepo();
    writeFileSync(
      path.join(dir, ".longrun", "config.yaml"),
      "cost:\n  plans: [chatgpt-pro]\n  prices:\n    - { model: mock-model, input: 1, cachedInput: 0.1, output: 2 }\n",
    );
    await session(dir, "T1", [usageLine(1_000_000, 0, 1_000_000, "mock-model")], "mock-model");
    // a codex session on the user's own login, as `longrun run` journals it
    const run = path.join(dir, ".longrun", "runs", "20261126T000000Z-beef");
    mkdirSync(run, { recursive: true });
    writeFileSync(
      path.join(run, "run.json"),
      JSON.stringify({
        id: "20261126T000000Z-beef",
        kind: "run",
        harness: "codex",
        model: null,
        ownLogin: true,
      }),
    );
    const ev = (seq: number, body: object) =>
      JSON.stringify({ v: 1, runId: "s1", seq, ts: "2026-11-26T01:00:00.000Z", taskId: "T9", ...body });
    const u = { input: 1_000_000, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, model: "gpt-5.2" };
    writeFileSync(
      path.join(run, "events.jsonl"),
      [
        ev(0, { type: "run_start", harness: "codex", model: null, cwd: dir, version: null, sessionId: null }),
        ev(1, { type: "usage", scope: "session", usage: u }),
        "garbage line",
        ev(2, {
          type: "run_end",
          status: "ok",
          reason: "",
          exitCode: 0,
          signal: null,
          durationMs: 1,
          sessionId: "x",
          usage: u,
        }),
      ].join("\n"),
    );
    const l = await ledger(dir);
    expect(l.rows.map((r) => [r.key, r.costUSD])).toEqual([
      ["T1", 3],
      ["T9", 1.75],
    ]);
    expect(l.totals).toMatchObject({ costUSD: 4.75, coveredUSD: 1.75 });
    expect(l.warnings).toEqual(["1 journal lines were not events and were skipped"]);
    const human = await longrunAsync(["cost", "--dir", dir]);
    expect(human.stdout).toContain(
      "$1.75 of it is covered by ChatGPT Pro ($200/month): API prices, not spend; spend beyond the plan: $3.00",
    );
  });

  test("status shows the spend so far against the budget", async () => {
    const dir = freshRepo();
    writeFileSync(path.join(dir, ".longrun", "config.yaml"), "budgets:\n  max_cost_usd: 40\n");
    const before = await longrunAsync(["status", "--dir", dir, "--json"]);
    expect(JSON.parse(before.stdout).spend).toBeNull();
    await session(dir, "T1", [usageLine(1_000_000, 2_000_000, 100_000, "gpt-5.2")]);
    const r = await longrunAsync(["status", "--dir", dir, "--json"]);
    expect(JSON.parse(r.stdout).spend).toMatchObject({
      runs: 1,
      input: 1e6,
      cachedInput: 2e6,
      output: 1e5,
      budgetUSD: 40,
    });
    expect(JSON.parse(r.stdout).spend.costUSD).toBeCloseTo(1.75 + 0.35 + 1.4, 10);
    const human = await longrunAsync(["status", "--dir", dir]);
    expect(human.stdout).toContain("spent: $3.50 of the $40 budget, 3,100,000 tokens in 1 run");
  });

  test("no runs yet", async () => {
    const r = await longrunAsync(["cost", "--dir", freshRepo()]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("no runs yet (`longrun exec` and `longrun run` record them)");
  });
});

describe("longrun cost estimate", () => {
  test("the playbook's month on every model and plan, cheapest first, to the cent", async () => {
    const dir = freshRepo();
    const r = await longrunAsync([
      "cost",
      "estimate",
      "--dir",
      dir,
      "--input",
      "46,053,693",
      "--cached",
      "2164821248",
      "--output",
      "6_092_433",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: { name: string; kind: string; costUSD: number }[] };
    const cents = (n: string) => Math.round(j.rows.find((x) => x.name === n)!.costUSD * 100) / 100;
    expect([
      cents("gpt-5.2"),
      cents("claude-opus-4-6"),
      cents("kimi-k2.5"),
      cents("glm-4.7"),
      cents("glm-5"),
    ]).toEqual([544.73, 1464.99, 262.39, 279.17, 498.51]);
    expect(j.rows.find((x) => x.name === "chatgpt-pro")).toMatchObject({ kind: "plan", costUSD: 200 });
    const human = await longrunAsync([
      "cost",
      "estimate",
      "--dir",
      dir,
      "--input",
      "46053693",
      "--cached",
      "2164821248",
      "--output",
      "6092433",
      "--models",
      "gpt-5.2,glm-5",
    ]);
    expect(human.stdout.trim().split("\n")).toEqual([
      "46,053,693 input, 2,164,821,248 cached, 0 cache write, 6,092,433 output (prices of " +
        new Date().toISOString().slice(0, 10) +
        ")",
      "glm-5         $498.51  input $46.05, cached $432.96, writes $0.00, output $19.50",
      "gpt-5.2       $544.73  input $80.59, cached $378.84, writes $0.00, output $85.29",
    ]);
  });
});

describe.concurrent("cost: bad input -> exit 2, one line, no file changed", () => {
  test.each([
    [["cost", "--by", "week"], /cost: --by `week` is not one of task, model, day, run/],
    [["cost", "--run", "nope"], /cost: no run `nope` in \.longrun\/runs\//],
    [["cost", "estimate"], /cost estimate: give the workload/],
    [["cost", "estimate", "--input", "12k"], /--input must be a whole number, not `12k`/],
    [["cost", "estimate", "--input", "1", "--models", "nope"], /no price for `nope`/],
    [["cost", "estimate", "--input", "1", "--date", "2026-13-45"], /--date `2026-13-45` is not a date/],
    [["cost", "estimate", "--output", "1", "--reasoning", "5"], /--reasoning 5 is more than --output 1/],
  ])("%j", async (args, message) => {
    const dir = freshRepo();
    const before = snapshot(dir);
    const r = await longrunAsync([...args, "--dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });

  test("an unknown plan in the config names the file and the known plans", async () => {
    const dir = freshRepo();
    writeFileSync(path.join(dir, ".longrun", "config.yaml"), "cost:\n  plans: [chatgpt-prp]\n");
    const r = await longrunAsync(["cost", "estimate", "--dir", dir, "--input", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.yaml: cost\.plans names `chatgpt-prp`.*did you mean `chatgpt-pro`/);
    expect(readdirSync(path.join(dir, ".longrun"))).not.toContain("runs");
  });
});
