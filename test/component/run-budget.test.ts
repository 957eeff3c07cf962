// Budgets end a run between sessions and during one, leave every file consistent, and say which budget did it.
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, longrunAsync } from "./cli.ts";
import { commits, logEvents, loopRepo, run, steps, task } from "./loop-kit.ts";

afterAll(cleanup);

const TASKS = `  - task_id: T001
    title: One
    acceptance_criteria:
      - text: one exists
        check: test -f one
    status: not_started
  - task_id: T002
    title: Two
    acceptance_criteria:
      - text: two exists
        check: test -f two
    status: not_started
  - task_id: T003
    title: Three
    acceptance_criteria:
      - text: three exists
        check: test -f three
    status: not_started
`;
/** 100,000 uncached input tokens of claude-opus-4-8: $0.50 a session. */
const USAGE = `echo '{"type":"usage","scope":"request","usage":{"input":100000,"cachedInput":0,"output":0,"model":"claude-opus-4-8"}}'`;

async function consistent(dir: string) {
  const c = await longrunAsync(["check", "--dir", dir]);
  expect(c.code, c.stdout + c.stderr).toBe(0);
}

describe.concurrent("budgets", () => {
  test("--max-iterations: stops between sessions, exit 1, says so; the task is left to the next run", async () => {
    const { dir } = loopRepo({ tasks: TASKS, agent: 'echo "not yet"' });
    const r = await run(dir, ["--max-iterations", "2"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /run stopped at its iteration limit: iteration limit reached: 2 of 2\. Tasks: 0 of 3 complete/,
    );
    expect((await task(dir, "T001")).status).toBe("in_progress");
    await consistent(dir);
  });

  test("--max-tokens: stops after the session that crosses it, when work is left", async () => {
    const { dir } = loopRepo({
      tasks: TASKS,
      agent: `${USAGE}; [ $LONGRUN_TASK_ID = T001 ] && touch one || touch two`,
    });
    const r = await run(dir, ["--max-tokens", "150000"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run stopped by its budget: token budget reached: 200,000 of 150,000/);
    expect(commits(dir)).toHaveLength(3); // both sessions were verified and committed before the stop
    expect((await task(dir, "T002")).status).toBe("complete");
    await consistent(dir);
  });

  test("--max-cost between sessions: priced like `longrun cost`", async () => {
    const { dir } = loopRepo({ tasks: TASKS, agent: `${USAGE}; touch one two` });
    const r = await run(dir, ["--max-cost", "0.40"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run stopped by its budget: cost budget reached: \$0\.50 of \$0\.40/);
    expect((await task(dir, "T001")).status).toBe("complete");
    expect((await task(dir, "T002")).status).toBe("not_started");
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^decision: run stopped by its budget: cost budget reached/),
      ]),
    );
    const cost = await longrunAsync(["cost", "--dir", dir, "--json"]);
    expect(JSON.parse(cost.stdout).totals.costUSD).toBeCloseTo(0.5, 5);
  });

  test("--max-cost during a session: the session is stopped as soon as its usage crosses it", async () => {
    const { dir } = loopRepo({ tasks: TASKS, agent: `${USAGE}; sleep 30; touch one` });
    const started = Date.now();
    const r = await run(dir, ["--max-cost", "0.25"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/agent: killed: cost budget reached: \$0\.50 of \$0\.25/);
    const end = steps(dir).find((s) => s.step === "session_end") as unknown as { cut: string };
    expect(end.cut).toBe("cost budget reached: $0.50 of $0.25");
    expect(steps(dir).some((s) => s.step === "verify")).toBe(false);
    expect(steps(dir).at(-1)).toMatchObject({ step: "end", reason: "budget", exitCode: 1 });
    expect((await task(dir, "T001")).status).toBe("in_progress");
    await consistent(dir);
  });

  test("--max-time during a session", async () => {
    const { dir } = loopRepo({ tasks: TASKS, agent: "sleep 30; touch one" });
    const started = Date.now();
    const r = await run(dir, ["--max-time", "2s"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/run stopped by its budget: time budget reached/);
    await consistent(dir);
  });

  test("a budget from .longrun/config.yaml, and a new run after the stop picks the task up again", async () => {
    const { dir } = loopRepo({
      tasks: TASKS,
      agent: "touch one two three",
      config: "loop:\n  max_iterations: 1\n",
    });
    const first = await run(dir);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/iteration limit reached: 1 of 1/);
    const second = await run(dir, ["--max-iterations", "5"]);
    expect(second.code, second.stdout).toBe(0);
    expect((await task(dir, "T003")).status).toBe("complete");
  });

  test("a budget crossed by the session that finished the last task does not fail the run", async () => {
    const { dir } = loopRepo({ tasks: TASKS, agent: `${USAGE}; touch one two three` });
    const r = await run(dir, ["--max-tokens", "250000"]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(
      /run ended: every task is complete or archived\. Tasks: 3 of 3 complete, 0 failed\. 3 iterations, \$1\.50, 300,000 tokens/,
    );
  });
});
