// Agents that hang, crash or flood their output: each session is cut and recorded, nothing is left running.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { processesOfLoop } from "../kit/processes.ts";
import { cleanup, NODE, ROOT } from "./cli.ts";
import { logEvents, loopRepo, run, steps, task } from "./loop-kit.ts";

afterAll(cleanup);

const FAKE = path.join(ROOT, "test", "kit", "fake-agent.mjs");
const TASK = `  - task_id: T001
    title: One
    acceptance_criteria:
      - text: one exists
        check: test -f one
    status: not_started
`;

const sessionEnd = (dir: string) =>
  steps(dir).find((s) => s.step === "session_end") as unknown as {
    status: string;
    cut: string | null;
    reason: string;
  };

describe.concurrent("agents that misbehave", () => {
  test("a hung agent (and the tool it started in a new session) is cut by the idle timeout; recorded; verify still decides", async () => {
    const { dir, home } = loopRepo({
      tasks: TASK,
      agent: `exec ${NODE} ${FAKE}`,
      harness: "  idle_timeout: 1s\n",
    });
    const script = path.join(home, "one.jsonl");
    writeFileSync(script, '{"type":"message","text":"working"}\n');
    const started = Date.now();
    const r = await run(dir, ["--max-iterations", "1"], {
      env: { FAKE_AGENT_HANG: "1", FAKE_AGENT_SCRIPT: script },
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/agent: timeout: stopped after 1s without output \(idle timeout\)/);
    expect(sessionEnd(dir)).toMatchObject({ status: "timeout" });
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^failure: T001: the agent session ended timeout: stopped after 1s without output/,
        ),
      ]),
    );
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^failure: T001 attempt 1 failed: `test -f one` exited 1/),
      ]),
    );
    expect(processesOfLoop(steps(dir)[0]!.runId)).toEqual([]);
  });

  test("a crashing agent: the session ends error with its stderr, the attempt is verified and counted", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: `touch one; exec ${NODE} ${FAKE}` });
    const r = await run(dir, [], { env: { FAKE_AGENT_CRASH: "1" } });
    expect(r.code, r.stderr).toBe(0); // the work was done before the crash: the checks decide
    expect(r.stdout).toMatch(/agent: error: the command exited with code 1: /);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^failure: T001: the agent session ended error: /)]),
    );
    expect((await task(dir, "T001")).status).toBe("complete");
  });

  test("an agent flooding its output is stopped at loop.max_output_mb; recorded", async () => {
    const { dir } = loopRepo({
      tasks: TASK,
      agent: "yes 'flooding the output with one line after another line after another'",
      config: "loop:\n  max_output_mb: 0.2\n",
    });
    const started = Date.now();
    const r = await run(dir, ["--max-iterations", "1"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(1);
    expect(sessionEnd(dir)).toMatchObject({
      status: "killed",
      cut: "output flood: the session wrote over 0.2 MB of events",
    });
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^failure: T001: the agent session ended killed: output flood/),
      ]),
    );
    expect(processesOfLoop(steps(dir)[0]!.runId)).toEqual([]);
  });
});
