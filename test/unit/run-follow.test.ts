// RunFollow on a journal larger than the tail it shows at once: the lines before that tail are folded with
// their long strings cut; what the dash shows must be what folding every line whole gives.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { pricesFor } from "../../src/cost/price-table.ts";
import { RunFollow } from "../../src/dash/run-follow.ts";

const prices = pricesFor(undefined);
const RUN = "20261126T090000000Z-fold";
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "longrun-run-follow-"));
  mkdirSync(path.join(dir, ".longrun", "runs", RUN), { recursive: true });
  file = path.join(dir, ".longrun", "runs", RUN, "events.jsonl");
  writeFileSync(
    path.join(dir, ".longrun", "runs", RUN, "run.json"),
    JSON.stringify({ id: RUN, kind: "run", harness: "command", model: null, ownLogin: false }),
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** ~1.5 MB of a run: iterations with sessions (long tool output, usage), failed and passed verifications. */
function journal(): string {
  const out: string[] = [];
  let seq = 0;
  let clock = Date.UTC(2026, 10, 20, 9);
  const ts = () => {
    clock += 7_000;
    return new Date(clock).toISOString();
  };
  const loop = (step: string, fields: Record<string, unknown>) =>
    out.push(JSON.stringify({ v: 1, type: "loop", runId: RUN, seq: seq++, ts: ts(), step, ...fields }));
  const text = (n: number, i: number) =>
    `line ${i} ✓ 結果 😀 \u2028 "quoted" \\ ${"x".repeat(40)}\n`.repeat(n);
  loop("open", {
    pid: 7,
    resumed: false,
    options: { budgets: { maxCostUSD: 50 }, plan: null },
    head: "a".repeat(40),
  });
  for (let n = 1; n <= 24; n++) {
    const taskId = `T00${1 + ((n - 1) >> 1)}`;
    loop("iteration", { n, taskId, kind: n % 2 ? "work" : "retry", attempts: (n + 1) % 2 });
    const sid = `s${n}`;
    const agent = (body: Record<string, unknown>) =>
      out.push(JSON.stringify({ ...body, v: 1, runId: sid, seq: seq++, ts: ts(), taskId }));
    agent({
      type: "run_start",
      harness: "command",
      model: "claude-sonnet-4-6",
      cwd: dir,
      version: null,
      sessionId: null,
    });
    for (let k = 0; k < 6; k++) {
      agent({ type: "message", text: text(3 + k, k) });
      agent({
        type: "tool_start",
        id: `t${k}`,
        name: "Bash",
        input: { command: `npm test -- ${"--flag ".repeat(k * 40)}` },
      });
      agent({ type: "tool_end", id: `t${k}`, name: "Bash", ok: k !== 3, output: text(20 + 30 * k, n) });
      const usage = {
        input: 100 * k,
        cachedInput: 20_000,
        cacheWrite: 50,
        output: 300 + n,
        reasoning: 0,
        model: "claude-sonnet-4-6",
      };
      agent({ type: "usage", scope: "request", usage });
    }
    const failed = n % 2 === 1;
    const failure = failed
      ? { summary: `check of ${taskId} exited 1`, tail: text(40, n), output: `o/${n}.log` }
      : null;
    const results = [
      {
        kind: "check",
        label: `${taskId} works`,
        command: "test -f x",
        exitCode: failed ? 1 : 0,
        signal: null,
        timedOut: false,
        durationMs: 5,
        flaky: false,
        output: `o/${n}.log`,
      },
    ];
    loop("verify", { n, passed: !failed, results, failure, unverifiable: false });
    if (!failed) loop("complete", { n, taskId, sha: "b".repeat(40), note: `done ${text(30, n)}`, log: [] });
    loop("iteration_end", { n, outcome: failed ? "failed" : "passed" });
  }
  return `${out.join("\n")}\n`;
}

/** What the dash shows of a follow (the feed without line numbers: the tail's rows carry none). */
function view(f: RunFollow) {
  const s = f.state;
  return {
    lines: f.lines,
    badLines: f.badLines,
    offset: f.offset,
    spent: f.spent(),
    chart: f.spend()?.chart(),
    tasks: f.spend()?.tasks(),
    state: [
      s.iterations,
      s.activeMs,
      s.open?.taskId,
      s.paused,
      s.startedAt,
      s.lastTs,
      s.outcomes,
      [...s.failedTasks],
    ],
    evidence: [...f.evidence].map(([id, e]) => [
      id,
      e.iterations,
      e.sha,
      e.verify?.passed,
      e.verify?.results,
      e.verify?.failure?.summary,
    ]),
    feed: f.recentFeed().map(({ n: _, ...row }) => row),
  };
}

describe("RunFollow", () => {
  test("a large journal folded from its end shows what folding it whole shows", async () => {
    const text = journal();
    expect(Buffer.byteLength(text)).toBeGreaterThan(1 << 20);
    writeFileSync(file, text);
    const cut = new RunFollow(dir, RUN, prices, Buffer.byteLength(text));
    await cut.catchUp();

    writeFileSync(file, "");
    const whole = new RunFollow(dir, RUN, prices, 0);
    await whole.catchUp();
    appendFileSync(file, text);
    expect(whole.poll().shrunk).toBe(false);

    expect(cut.ready && whole.ready).toBe(true);
    const a = view(cut);
    const b = view(whole);
    expect(a.feed.length).toBeGreaterThan(50);
    expect(b.feed.slice(-a.feed.length)).toEqual(a.feed);
    expect({ ...a, feed: null }).toEqual({ ...b, feed: null });
  });

  test("the first read calls `collect` every so many bytes", async () => {
    const text = journal();
    writeFileSync(file, text);
    const size = Buffer.byteLength(text);
    let calls = 0;
    const f = new RunFollow(dir, RUN, prices, size);
    await f.catchUp(undefined, { every: 100_000, run: () => calls++ });
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(Math.floor(size / 100_000));
    let none = 0;
    await new RunFollow(dir, RUN, prices, size).catchUp(undefined, { every: 2 * size, run: () => none++ });
    expect(none).toBe(0);
  });
});
