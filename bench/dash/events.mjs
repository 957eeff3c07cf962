/**
 * The journal of a supervised run as `longrun run` writes it (`.longrun/runs/<id>/events.jsonl`): loop steps
 * (open, start_task, iteration, brief, session, …, complete, iteration_end) around each agent session's
 * normalized events (run_start, reasoning, message, tool_start / tool_end with output of 200 B to 50 KB,
 * usage per request, run_end). Line shapes and key order are those of a real run (src/core/loop-events.ts,
 * src/core/agent-events.ts). Seeded: same seed, same lines. Each line comes with `dt`, the milliseconds
 * of the run's clock before it; its `ts` is left null for the caller to stamp (the live writer stamps the
 * write time, the file generator a clock advanced by `dt`).
 */
import { rng } from "../cost-scan/rng.mjs";
import { ANSWERS, COMMANDS, THOUGHTS, textPools } from "../cost-scan/text.mjs";

export const RUN_ID = "20261126T090000000Z-b3a7";
const MODELS = [
  ["claude-sonnet-4-6", 8],
  ["claude-haiku-4-5", 2],
];

/** A slice of `text` of `n` UTF-16 units at a random place, never cutting a surrogate pair. */
function sliceText(r, text, n) {
  let from = r.int(0, Math.max(0, text.length - n));
  let to = Math.min(text.length, from + n);
  if (/[\udc00-\udfff]/.test(text[from] ?? "")) from++;
  if (/[\ud800-\udbff]/.test(text[to - 1] ?? "")) to--;
  return text.slice(from, to);
}

/** The run's checklist tasks as YAML (the first `count` task ids the journal works on). */
export function checklistYaml(count) {
  const tasks = Array.from({ length: count }, (_, i) => {
    const id = taskId(i + 1);
    return `  - task_id: ${id}
    title: Task ${i + 1} of the bench run
    description: Change module ${i + 1} and keep its tests green.
    acceptance_criteria:
      - text: the tests of module ${i + 1} pass
        check: test -f m${i + 1}
    status: not_started
`;
  }).join("");
  return `summary:\n  active_task_id: null\n  status: not_started\nguidelines:\n  - Keep every change small.\ntasks:\n${tasks}`;
}

export const taskId = (i) => `T${String(i).padStart(3, "0")}`;

/** run.json of the run. */
export const runInfo = (startedAt) => ({
  id: RUN_ID,
  startedAt,
  kind: "run",
  harness: "command",
  model: null,
  ownLogin: false,
});

/**
 * Journal lines, endless: `{ line, dt }`. `rounds`: median tool rounds of a session (a round: maybe
 * reasoning, maybe a message, a tool call and its end, a usage line); tool output is log-normal from 200 B
 * to 50 KB (median 1.5 KB).
 */
export function* runLines(seed, { rounds = 30 } = {}) {
  const r = rng(seed);
  const pools = textPools(r);
  const output = pools.outputs.join("\n");
  const code = pools.files.map((f) => f.content).join("\n");
  const sentences = [...ANSWERS, ...THOUGHTS];
  let loopSeq = 0;
  const loop = (step, fields, dt) => {
    return { dt, line: { v: 1, type: "loop", runId: RUN_ID, seq: loopSeq++, ts: null, step, ...fields } };
  };
  const stamp = "2026-11-26 09:00";
  const head = r.hex(40);
  yield loop(
    "open",
    {
      pid: 4242,
      resumed: false,
      options: {
        dir: "/home/dev/src/billing",
        harness: "command",
        model: null,
        command: "claude -p",
        taskId: null,
        maxAttempts: 3,
        budgets: { maxCostUSD: null, maxTokens: null, maxTimeMs: null, maxIterations: null },
        session: "fresh",
        plan: null,
      },
      head,
    },
    0,
  );
  let n = 0;
  for (let t = 1; ; t++) {
    const task = taskId(t);
    yield loop(
      "start_task",
      { taskId: task, log: [{ tag: "decision", text: `${task} started by longrun run ${RUN_ID}`, stamp }] },
      20,
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      n++;
      const iter = `.longrun/runs/${RUN_ID}/artifacts/iter-${String(n).padStart(3, "0")}`;
      yield loop("iteration", { n, taskId: task, kind: attempt ? "retry" : "work", attempts: attempt }, 100);
      const bytes = r.int(3000, 9000);
      yield loop(
        "brief",
        { n, prefixHash: r.hex(64), prefixBytes: 3412, bytes, steer: [], file: `${iter}/brief.md` },
        10,
      );
      yield loop("session", { n, resume: null }, 5);
      // The agent session.
      const sid = r.hex(8);
      let seq = 0;
      const model = r.weighted(MODELS);
      const agent = (body, dt) => {
        return { dt, line: { ...body, v: 1, runId: sid, seq: seq++, ts: null, taskId: task } };
      };
      yield agent(
        {
          type: "run_start",
          harness: "command",
          model,
          cwd: "/home/dev/src/billing",
          version: null,
          sessionId: null,
        },
        15,
      );
      const total = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, model };
      const k = r.lognormal(rounds, 0.7, 2, rounds * 8);
      for (let i = 0; i < k; i++) {
        if (r.chance(0.35))
          yield agent(
            { type: "reasoning", text: sliceText(r, pools.prose(4), r.int(80, 900)) },
            r.int(200, 3000),
          );
        if (r.chance(0.5))
          yield agent(
            { type: "message", text: Array.from({ length: r.int(1, 6) }, () => r.pick(sentences)).join(" ") },
            r.int(100, 2000),
          );
        const id = `toolu_${r.base62(24)}`;
        const shell = r.chance(0.6);
        const name = shell ? "Bash" : r.pick(["Read", "Edit", "Grep"]);
        const input = shell
          ? { command: r.pick(COMMANDS), description: "Run the tests" }
          : { file_path: r.pick(pools.files).path };
        yield agent({ type: "tool_start", id, name, input }, r.int(100, 1500));
        const out = sliceText(r, shell ? output : code, r.lognormal(1500, 1.2, 200, 50_000));
        yield agent({ type: "tool_end", id, name, ok: !r.chance(0.08), output: out }, r.int(50, 20_000));
        const u = {
          input: r.int(5, 4000),
          cachedInput: r.int(20_000, 120_000),
          cacheWrite: r.int(0, 6000),
          output: r.int(40, 3000),
          reasoning: 0,
          model,
        };
        u.reasoning = r.chance(0.3) ? Math.floor(u.output / 3) : 0;
        for (const key of ["input", "cachedInput", "cacheWrite", "output", "reasoning"]) total[key] += u[key];
        yield agent({ type: "usage", scope: "request", usage: u }, 1);
      }
      yield agent({ type: "message", text: r.pick(ANSWERS) }, r.int(200, 3000));
      yield agent(
        {
          type: "run_end",
          status: "ok",
          reason: "the session ended normally",
          exitCode: 0,
          signal: null,
          durationMs: r.int(30_000, 900_000),
          sessionId: null,
          usage: total,
        },
        20,
      );
      yield loop(
        "session_end",
        {
          n,
          status: "ok",
          reason: "the session ended normally",
          sessionId: null,
          cut: null,
          delivered: [],
          log: [],
        },
        150,
      );
      yield loop("guard", { n, violations: [], log: [] }, 15);
      const passed = attempt === 2 || !r.chance(0.25);
      const result = {
        kind: "check",
        label: `the tests of module ${t} pass`,
        command: `test -f m${t}`,
        exitCode: passed ? 0 : 1,
        signal: null,
        timedOut: false,
        durationMs: r.int(20, 90_000),
        flaky: false,
        output: `${iter}/verify-1-check.log`,
      };
      const failure = passed
        ? null
        : {
            summary: `check "the tests of module ${t} pass" exited 1`,
            tail: sliceText(r, output, 1500),
            output: result.output,
          };
      yield loop("verify", { n, passed, results: [result], failure, unverifiable: false }, result.durationMs);
      if (!passed) {
        yield loop(
          "attempt_failed",
          { n, taskId: task, attempts: attempt + 1, log: [{ tag: "failure", text: failure.summary, stamp }] },
          10,
        );
        yield loop("iteration_end", { n, outcome: "failed" }, 5);
        continue;
      }
      yield loop("secrets", { n, findings: [], log: [] }, 200);
      const sha = r.hex(40);
      yield loop(
        "commit",
        {
          n,
          taskId: task,
          parent: head,
          message: `longrun: ${task}\n\nLongrun-Run: ${RUN_ID}\nLongrun-Iteration: ${n}\n`,
        },
        1,
      );
      yield loop("committed", { n, sha }, 120);
      yield loop(
        "complete",
        {
          n,
          taskId: task,
          sha,
          note: `complete: 1 verification command passed (${iter}); checkpoint ${sha.slice(0, 7)}`,
          log: [{ tag: "evidence", text: `${task} complete`, stamp }],
        },
        1,
      );
      yield loop("iteration_end", { n, outcome: "passed" }, 40);
      break;
    }
  }
}
