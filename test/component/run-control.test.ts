// Control of a running `longrun run` from another terminal: steer, pause, resume, stop [--now]; notifiers.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, longrunAsync, stderrLines, tempDir } from "./cli.ts";
import { brief, logEvents, loopRepo, run, runIds, steps, task } from "./loop-kit.ts";

afterAll(cleanup);

const tasks = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `  - task_id: T00${i + 1}
    title: Task ${i + 1}
    acceptance_criteria:
      - text: f${i + 1} exists
        check: test -f f${i + 1}
    status: not_started
`,
  ).join("");
/** The fake agent: waits `secs`, then does its task's work. */
const worker = (secs: number) => `sleep ${secs}; touch "f$(echo $LONGRUN_TASK_ID | sed 's/T00//')"`;

async function waitFor(what: string, pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const has = (dir: string, step: string, n = 1) => {
  try {
    return steps(dir).filter((s) => s.step === step).length >= n;
  } catch {
    return false;
  }
};
const cli = (dir: string, ...args: string[]) => longrunAsync([...args, "--dir", dir]);
const statusJson = async (dir: string) => JSON.parse((await cli(dir, "status", "--json")).stdout);

describe.concurrent("steering", () => {
  test("a message queued before the run is in the first brief, and in no later one; logged once", async () => {
    const { dir } = loopRepo({ tasks: tasks(2), agent: worker(0) });
    const q = await cli(dir, "steer", "keep the public API as it is");
    expect(q.code).toBe(0);
    expect(q.stdout).toMatch(
      /queued: no run is active; the next `longrun run` delivers it in its first brief/,
    );
    expect((await statusJson(dir)).steering).toEqual([
      expect.objectContaining({ text: "keep the public API as it is" }),
    ]);
    expect((await cli(dir, "status")).stdout).toMatch(
      /steering waiting for the next brief \(1\):\n {2}keep the public API as it is/,
    );
    const r = await run(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(brief(dir, 1)).toContain(
      "### Steering from the human (follow it)\n- keep the public API as it is",
    );
    expect(brief(dir, 2)).not.toContain("keep the public API");
    expect(logEvents(dir).filter((e) => e.includes("steering delivered"))).toEqual([
      "note: T001: steering delivered in the brief of iteration 1: keep the public API as it is",
    ]);
    expect((await statusJson(dir)).steering).toEqual([]);
  });

  test("a message sent during a session reaches the next brief exactly once", async () => {
    const { dir } = loopRepo({ tasks: tasks(3), agent: worker(1) });
    const r = run(dir);
    await waitFor("the first session", () => has(dir, "session"));
    const q = await cli(dir, "steer", "--json", "use the adapter pattern");
    expect(JSON.parse(q.stdout)).toMatchObject({
      message: { text: "use the adapter pattern" },
      run: runIds(dir)[0],
    });
    expect((await r).code).toBe(0);
    expect(brief(dir, 1)).not.toContain("adapter pattern");
    expect(brief(dir, 2)).toContain("- use the adapter pattern");
    expect(brief(dir, 3)).not.toContain("adapter pattern");
  });

  test("an empty message is refused", async () => {
    const { dir } = loopRepo({ tasks: tasks(1), agent: worker(0) });
    const r = await cli(dir, "steer", "  ");
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toEqual([
      "longrun: steer: the message is empty (say what the agent should do differently)",
    ]);
    expect(existsSync(path.join(dir, ".longrun", "control", "steer.jsonl"))).toBe(false);
  });
});

describe.concurrent("pause, resume, stop", () => {
  test("pause waits after the current iteration; status says paused; resume continues", async () => {
    const { dir } = loopRepo({ tasks: tasks(2), agent: worker(1) });
    const r = run(dir);
    await waitFor("the first session", () => has(dir, "session"));
    expect((await cli(dir, "pause")).stdout).toMatch(/pauses after its current iteration/);
    await waitFor("the pause", () => has(dir, "pause"));
    const s = await statusJson(dir);
    expect(s.run).toMatchObject({ state: "paused", iteration: 1 });
    expect((await cli(dir, "status")).stdout).toMatch(/run: \S+ paused \(pid \d+\), 1 iteration;/);
    await new Promise((res) => setTimeout(res, 600));
    expect(has(dir, "iteration", 2)).toBe(false);
    expect((await cli(dir, "resume")).stdout).toMatch(/continues/);
    const done = await r;
    expect(done.code, done.stdout).toBe(0);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        "note: run paused (`longrun pause`); `longrun resume` continues it",
        "note: run resumed (`longrun resume`)",
      ]),
    );
  });

  test("stop ends the run after its current iteration, which is verified and committed; exit 1", async () => {
    const { dir } = loopRepo({ tasks: tasks(2), agent: worker(1) });
    const r = run(dir);
    await waitFor("the first session", () => has(dir, "session"));
    const s = await cli(dir, "stop");
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/stop requested: run \S+ ends after its current iteration/);
    const done = await r;
    expect(done.code).toBe(1);
    expect(done.stdout).toMatch(
      /run stopped: stopped on request \(`longrun stop`\)\. Tasks: 1 of 2 complete/,
    );
    expect((await task(dir, "T001")).status).toBe("complete");
    expect((await task(dir, "T002")).status).toBe("not_started");
    expect((await statusJson(dir)).run).toMatchObject({
      state: "ended",
      end: { reason: "stopped", exitCode: 1 },
    });
  });

  test("stop --now cuts the session at once; the task stays in progress for the next run", async () => {
    const { dir } = loopRepo({ tasks: tasks(1), agent: worker(30) });
    const started = Date.now();
    const r = run(dir);
    await waitFor("the session", () => has(dir, "session"));
    expect((await cli(dir, "stop", "--now")).stdout).toMatch(/ends now \(its session is stopped\)/);
    const done = await r;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(done.code).toBe(1);
    const end = steps(dir).find((x) => x.step === "session_end") as unknown as {
      cut: string;
      status: string;
    };
    expect(end).toMatchObject({ status: "killed", cut: "stopped on request (stop --now)" });
    expect(has(dir, "verify")).toBe(false);
    expect((await task(dir, "T001")).status).toBe("in_progress");
    expect((await cli(dir, "check")).code).toBe(0);
  });

  test("stop without a running run is refused; pause and resume without one say so", async () => {
    const { dir } = loopRepo({ tasks: tasks(1), agent: worker(0) });
    const s = await cli(dir, "stop");
    expect(s.code).toBe(2);
    expect(stderrLines(s)).toEqual([
      "longrun: stop: no `longrun run` is active in this repo (see `longrun status`)",
    ]);
    expect((await cli(dir, "resume")).stdout).toBe("not paused\n");
    expect((await cli(dir, "pause")).stdout).toMatch(
      /paused: no run is active; the next `longrun run` waits for `longrun resume`/,
    );
    const r = run(dir);
    await waitFor("the pause", () => has(dir, "pause"));
    expect(has(dir, "iteration")).toBe(false);
    await cli(dir, "resume");
    expect((await r).code).toBe(0);
  });
});

describe.concurrent("notify", () => {
  test("a command gets each chosen event as JSON on stdin; a webhook gets it as a POST", async () => {
    const posted: unknown[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        posted.push(JSON.parse(body));
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const file = path.join(tempDir("notify-"), "events.jsonl");
      const { dir } = loopRepo({
        tasks: tasks(1),
        agent: worker(0),
        config: `notify:\n  command: cat >> ${file}\n  webhook: ${url}\n  events: [task_complete, run_end]\n`,
      });
      const r = await run(dir);
      expect(r.code, r.stdout).toBe(0);
      const got = readFileSync(file, "utf8")
        .replace(/\}\{/g, "}\n{")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(got.map((g) => g.event)).toEqual(["task_complete", "run_end"]);
      expect(got[0]).toMatchObject({
        event: "task_complete",
        taskId: "T001",
        title: "Task 1",
        runId: runIds(dir)[0],
        commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
      expect(got[1]).toMatchObject({ event: "run_end", reason: "done", exitCode: 0 });
      expect(posted).toEqual(got);
    } finally {
      server.close();
    }
  });

  test("a notifier that fails is logged and the run goes on", async () => {
    const { dir } = loopRepo({
      tasks: tasks(1),
      agent: worker(0),
      config:
        "notify:\n  command: exit 3\n  webhook: http://127.0.0.1:9/nothing-listens\n  events: [run_end]\n",
    });
    const r = await run(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^note: notifier failed for run_end: command exited 3; webhook: fetch failed/),
      ]),
    );
    expect(steps(dir).find((s) => s.step === "notify")).toMatchObject({ event: "run_end", ok: false });
  });
});
