// `longrun run` end to end with the real Codex CLI against the scripted model server: the demo's scenario
// (three tasks with real checks, one lie, a steering message), checked step by step.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BIN, cleanup, freshRepo, NODE, tempDir, testEnv } from "../component/cli.ts";
import { brief, commits, git, journal, logEvents, run, steps, task } from "../component/loop-kit.ts";
import { DEMO_CHECKLIST, DEMO_PLAN, demoScript, LIE } from "../kit/demo-scenario.ts";
import { startModelServer } from "../kit/model-server.ts";
import { isInstalled } from "../kit/session-kit.ts";

afterAll(cleanup);
const ROOT = path.resolve(import.meta.dirname, "../..");
const installed = isInstalled("codex");

/** The demo's plan and checklist in `dir`, a config that points Codex at the server, and one commit. */
function writeDemo(dir: string, serverUrl: string): void {
  writeFileSync(path.join(dir, "plan.md"), DEMO_PLAN);
  writeFileSync(path.join(dir, "checklist.yaml"), DEMO_CHECKLIST);
  writeFileSync(
    path.join(dir, ".longrun", "config.yaml"),
    `harness:\n  name: codex\n  model: gpt-5.2\n  base_url: ${serverUrl}/v1\n  api_key_env: DEMO_KEY\n  idle_timeout: 1m\n`,
  );
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "plan");
}

describe.skipIf(!installed)(
  `longrun run --harness codex${installed ? "" : " (skipped: codex is not installed)"}`,
  () => {
    test("three tasks, one lie caught by its check, a checkpoint per task, steering delivered once", async () => {
      const dir = freshRepo();
      const steer = () =>
        spawnSync(NODE, [BIN, "steer", "Keep each script to two lines.", "--dir", dir], {
          env: testEnv(),
          encoding: "utf8",
        });
      const server = await startModelServer(demoScript({ onFirstRequest: steer }));
      try {
        writeDemo(dir, server.url);
        const started = Date.now();
        const r = await run(dir, [], { env: { DEMO_KEY: "none" } });
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(Date.now() - started).toBeLessThan(60_000);

        // The lie: the agent's own words, then the check that says otherwise, then the retry that does the work.
        expect(r.stdout).toContain(`agent says: "${LIE}"`);
        expect(r.stdout).toMatch(
          /#2 T002 Add two numbers \(work\)[\s\S]*verify: FAIL `node add\.js 2 3 \| grep -qx 5`/,
        );
        expect(r.stdout).toMatch(/#3 T002 Add two numbers \(retry, attempt 2\)/);
        expect(brief(dir, 3)).toContain("### The last attempt failed (1 of 3 attempts used)");
        const messages = journal(dir)
          .filter((l) => l.type === "message" && l.taskId === "T002")
          .map((l) => l.text);
        expect(messages[0]).toBe(LIE);

        // A checkpoint per task, every task complete with its evidence, the full loop at the end.
        expect(commits(dir)).toEqual([
          "longrun: T003 Document usage",
          "longrun: T002 Add two numbers",
          "longrun: T001 Greet",
          "plan",
        ]);
        for (const id of ["T001", "T002", "T003"]) expect((await task(dir, id)).status).toBe("complete");
        expect(steps(dir).find((s) => s.step === "full_verify")).toMatchObject({ passed: true });

        // Steering: queued during T001's session, in T002's first brief only.
        expect(brief(dir, 1)).not.toContain("two lines");
        expect(brief(dir, 2)).toContain("- Keep each script to two lines.");
        expect(brief(dir, 3)).not.toContain("two lines");
        expect(logEvents(dir).filter((e) => e.includes("steering delivered"))).toHaveLength(1);

        // Codex sessions, fresh per iteration, each journaled with the tokens the server served.
        const ends = journal(dir).filter((l) => l.type === "run_end");
        expect(ends).toHaveLength(4);
        expect(new Set(ends.map((e) => e.sessionId)).size).toBe(4);
        const served = server.requests.reduce(
          (n, q) => n + (q.usage ? q.usage.input + q.usage.output : 0),
          0,
        );
        const counted = ends.reduce((n, e) => {
          const u = e.usage as { input: number; cachedInput: number; output: number };
          return n + u.input + u.cachedInput + u.output;
        }, 0);
        expect(counted).toBe(served);
        expect(r.stdout).toMatch(
          /Tasks: 3 of 3 complete, 0 failed\. 4 iterations, \$0\.\d\d, [\d,]+ tokens\./,
        );
      } finally {
        await server.close();
      }
    }, 90_000);

    test("--session continue: the retry resumes the task's Codex session; a new task starts a fresh one", async () => {
      const dir = freshRepo();
      const server = await startModelServer(demoScript());
      try {
        writeDemo(dir, server.url);
        const r = await run(dir, ["--session", "continue"], { env: { DEMO_KEY: "none" } });
        expect(r.code, r.stdout + r.stderr).toBe(0);
        const sessions = steps(dir).filter((s) => s.step === "session") as unknown as {
          n: number;
          resume: string | null;
        }[];
        const ends = steps(dir).filter((s) => s.step === "session_end") as unknown as {
          n: number;
          sessionId: string;
        }[];
        const id = (n: number) => ends.find((e) => e.n === n)!.sessionId;
        expect(sessions.map((s) => s.resume)).toEqual([null, null, id(2), null]);
        expect(id(3)).toBe(id(2)); // codex exec resume keeps the thread
        expect(new Set([id(1), id(2), id(4)]).size).toBe(3);
        // The resumed request carries the earlier turn (the lie) and the new brief with the failure.
        const resumed = server.requests.filter((q) =>
          JSON.stringify(q.body ?? "").includes("The last attempt failed"),
        );
        expect(JSON.stringify(resumed[0]!.body)).toContain(LIE);
      } finally {
        await server.close();
      }
    }, 90_000);

    test("`npm run demo` (scripts/demo.mjs) runs the whole story in under a minute", () => {
      const started = Date.now();
      const r = spawnSync(NODE, [path.join(ROOT, "scripts", "demo.mjs")], {
        env: testEnv({ TMPDIR: tempDir("demo-") }),
        encoding: "utf8",
        timeout: 90_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(r.stdout).toContain(`agent says: "${LIE}"`);
      expect(r.stdout).toMatch(/\$ longrun steer "Keep each script to two lines, and print nothing extra\."/);
      expect(r.stdout.match(/checkpoint [0-9a-f]{7} longrun: T00\d/g)).toHaveLength(3);
      expect(r.stdout).toMatch(/full verification: pass/);
      expect(r.stdout).toMatch(/run: \S+ ended: done, 4 iterations/);
      expect(r.stdout).toMatch(/^total +[\d,]+ +[\d,]+ +[\d,]+ +[\d,]+ +\$\d+\.\d\d$/m);
    }, 90_000);
  },
);
