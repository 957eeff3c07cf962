// `longrun run` on real temp git repos with fake agents: checks decide, checkpoints per task, the loop breaker.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup } from "./cli.ts";
import { brief, commits, git, journal, logEvents, loopRepo, run, steps, task } from "./loop-kit.ts";

afterAll(cleanup);

const TWO_TASKS = `  - task_id: T001
    title: Write hello
    acceptance_criteria:
      - text: hello.txt says hi
        check: grep -q hi hello.txt
    status: not_started
  - task_id: T002
    title: Write world
    depends_on: [T001]
    acceptance_criteria:
      - text: world.txt says world
        check: grep -q world world.txt
    status: not_started
`;

describe.concurrent("longrun run", () => {
  test("an honest agent: each task verified, committed as a checkpoint, completed with evidence; exit 0", async () => {
    const { dir } = loopRepo({
      tasks: TWO_TASKS,
      agent: `case "$LONGRUN_TASK_ID" in T001) echo hi > hello.txt;; T002) echo world > world.txt;; esac
echo '{"type":"usage","scope":"request","usage":{"input":1000,"cachedInput":500,"output":100,"model":"gpt-5.2"}}'`,
    });
    const r = await run(dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/#1 T001 Write hello \(work\)/);
    expect(r.stdout).toMatch(
      /run ended: every task is complete or archived\. Tasks: 2 of 2 complete, 0 failed\. 2 iterations, \$\d+\.\d\d, 3,200 tokens/,
    );
    expect(commits(dir)).toEqual(["longrun: T002 Write world", "longrun: T001 Write hello", "start"]);
    const body = git(dir, "log", "-1", "--format=%B");
    const id = steps(dir)[0]!.runId;
    expect(body).toContain(`Longrun-Run: ${id}\nLongrun-Iteration: 2`);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD~1").split("\n")).toContain("hello.txt");
    const t1 = await task(dir, "T001");
    expect(t1.status).toBe("complete");
    expect(t1.note).toMatch(
      /complete: 1 verification command passed \(\.longrun\/runs\/.*\/iter-001\); checkpoint [0-9a-f]{7}/,
    );
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^decision: T001 started by longrun run /),
        expect.stringMatching(/^evidence: T001 complete: Write hello\. 1 verification command passed/),
        expect.stringMatching(/^evidence: run ended: every task is complete or archived/),
      ]),
    );
    // the journal: loop steps numbered without gaps, agent events tagged with their task
    const loop = steps(dir);
    expect(loop.map((s) => s.seq)).toEqual(loop.map((_, i) => i));
    expect(loop.map((s) => s.step)).toEqual([
      ...["open", "start_task", "iteration", "brief", "session", "session_end", "guard", "verify", "secrets"],
      ...["commit", "committed", "complete", "iteration_end", "start_task", "iteration", "brief", "session"],
      ...[
        "session_end",
        "guard",
        "verify",
        "secrets",
        "commit",
        "committed",
        "complete",
        "iteration_end",
        "end",
      ],
    ]);
    const agent = journal(dir).filter((l) => l.type !== "loop");
    expect(new Set(agent.map((l) => l.taskId))).toEqual(new Set(["T001", "T002"]));
    // the stable prefix: the same bytes (hash) in every brief of the run
    const briefs = loop.filter((s) => s.step === "brief") as unknown as {
      prefixHash: string;
      prefixBytes: number;
      bytes: number;
    }[];
    expect(new Set(briefs.map((b) => b.prefixHash)).size).toBe(1);
    expect(brief(dir, 2).slice(0, briefs[0]!.prefixBytes)).toBe(
      brief(dir, 1).slice(0, briefs[0]!.prefixBytes),
    );
    expect(git(dir, "status", "--porcelain")).toBe(" M checklist.yaml\n M run-log.md\n");
    // The last task done: the summary's status follows (not_started -> in_progress -> complete).
    expect(readFileSync(path.join(dir, "checklist.yaml"), "utf8")).toMatch(
      /^summary:\n(?: {2}.*\n)*? {2}status: complete$/m,
    );
  });

  test("a lying agent (claims done, marks itself complete, changes nothing) is never complete", async () => {
    const { dir } = loopRepo({
      tasks: TWO_TASKS,
      agent: `echo "All done, every test passes."
sed -i 's/status: in_progress/status: complete/' checklist.yaml`,
    });
    const r = await run(dir, ["--max-attempts", "1"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /guard: 1 change undone: T001 was set to complete by the agent; set back to in_progress/,
    );
    expect(r.stdout).toMatch(/T001 FAILED after 2 attempts/);
    expect(r.stdout).toMatch(
      /run ended with failed tasks: failed: T001; blocked: T002 \(waits on T001 failed\)/,
    );
    expect((await task(dir, "T001")).status).toBe("failed");
    expect((await task(dir, "T002")).status).toBe("not_started");
    expect(commits(dir)).toEqual(["start"]);
    expect(
      logEvents(dir).filter((e) => e.startsWith("failure: guard: T001 was set to complete")),
    ).toHaveLength(2);
    expect(logEvents(dir).some((e) => e.startsWith("evidence: T001"))).toBe(false);
  });

  test("a failed attempt is retried with the failure's tail and output path; then it passes", async () => {
    const { dir, home } = loopRepo({
      tasks: TWO_TASKS,
      agent: `n=$(cat "$AGENT_HOME/n-$LONGRUN_TASK_ID" 2>/dev/null || echo 0); echo $((n+1)) > "$AGENT_HOME/n-$LONGRUN_TASK_ID"
case "$LONGRUN_TASK_ID" in T001) [ "$n" -ge 1 ] && echo hi > hello.txt || echo bye > hello.txt;; T002) echo world > world.txt;; esac`,
    });
    const r = await run(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/verify: FAIL `grep -q hi hello.txt` exited 1/);
    expect(r.stdout).toMatch(/T001 attempt 1 of 3 failed; next: a retry with the failure/);
    const b = brief(dir, 2);
    expect(b).toContain("### The last attempt failed (1 of 3 attempts used)");
    expect(b).toMatch(/Full output: \.longrun\/runs\/[^/]+\/artifacts\/iter-001\/verify-1-check\.log/);
    expect(b).toContain("$ grep -q hi hello.txt");
    expect(readFileSync(path.join(home, "n-T001"), "utf8").trim()).toBe("2");
    expect((await task(dir, "T001")).attempts).toBe(1);
    expect(commits(dir)).toHaveLength(3);
  });

  test("loop breaker: N attempts, one diagnosis attempt, then a patch, the tree restored, the task failed; the run goes on", async () => {
    const { dir } = loopRepo({
      tasks: `  - task_id: T001
    title: Impossible
    acceptance_criteria:
      - text: never
        check: "false"
    status: not_started
  - task_id: T002
    title: Easy
    acceptance_criteria:
      - text: easy.txt exists
        check: test -f easy.txt
    status: not_started
`,
      files: { "keep.txt": "original\n" },
      agent: `case "$LONGRUN_TASK_ID" in
  T001) echo "attempt" >> junk.txt; echo changed > keep.txt; grep -q "write a diagnosis" "$LONGRUN_BRIEF" && echo diagnosed > diag.txt;;
  T002) touch easy.txt;;
esac`,
    });
    const r = await run(dir, ["--max-attempts", "2"]);
    expect(r.code, r.stderr).toBe(1);
    expect(brief(dir, 1)).not.toContain("write a diagnosis");
    expect(brief(dir, 2)).not.toContain("write a diagnosis");
    expect(brief(dir, 3)).toContain("write a diagnosis");
    expect(brief(dir, 3)).toContain("This is the last attempt before the task is marked failed");
    expect(r.stdout).toMatch(/#3 T001 Impossible \(diagnose, attempt 3\)/);
    const t1 = await task(dir, "T001");
    expect(t1).toMatchObject({ status: "failed", attempts: 3 });
    const patchRel = /partial change: (\S+)\)/.exec(r.stdout)?.[1];
    expect(patchRel).toBeDefined();
    const patch = readFileSync(path.join(dir, patchRel!), "utf8");
    expect(patch).toContain("+diagnosed");
    expect(patch).toContain("-original");
    expect(patch).not.toContain("checklist.yaml");
    // the tree is back at the checkpoint; the memory files keep what happened
    expect(existsSync(path.join(dir, "junk.txt"))).toBe(false);
    expect(existsSync(path.join(dir, "diag.txt"))).toBe(false);
    expect(readFileSync(path.join(dir, "keep.txt"), "utf8")).toBe("original\n");
    expect(logEvents(dir).filter((e) => e.startsWith("failure: T001 attempt"))).toHaveLength(3);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^failure: T001 failed after 3 attempts/)]),
    );
    // and the next task ran and was committed on top of the start
    expect((await task(dir, "T002")).status).toBe("complete");
    expect(commits(dir)).toEqual(["longrun: T002 Easy", "start"]);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD")).not.toContain("junk.txt");
  });

  test("a check that fails and then passes on one immediate rerun is a flake: logged, and the task passes", async () => {
    const { dir, home } = loopRepo({
      tasks: `  - task_id: T001
    title: Flaky
    acceptance_criteria:
      - text: passes the second time
        check: test -f "$FLAKE_HOME/ran" || { touch "$FLAKE_HOME/ran"; exit 1; }
    status: not_started
`,
      agent: "true",
    });
    const r = await run(dir, [], { env: { FLAKE_HOME: home } });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/flake: `test -f .*` failed, then passed on the rerun/);
    expect(logEvents(dir)).toEqual(expect.arrayContaining([expect.stringMatching(/^note: T001: flake: /)]));
    expect((await task(dir, "T001")).note).toMatch(/1 verification command passed \(1 after a flake rerun\)/);
    const verify = steps(dir).find((s) => s.step === "verify") as unknown as {
      results: { flaky: boolean }[];
    };
    expect(verify.results[0]!.flaky).toBe(true);
  });

  test("a secret in the change blocks the commit; the agent is told; the clean change is committed", async () => {
    const token = `ghp_${"wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx"}`;
    const { dir } = loopRepo({
      tasks: `  - task_id: T001
    title: Configure the client
    acceptance_criteria:
      - text: config.js exists
        check: test -f config.js
    status: not_started
`,
      agent: `if grep -q "holds a secret" "$LONGRUN_BRIEF"; then echo 'export const token = process.env.GH_TOKEN;' > config.js
else echo 'export const token = "${token}";' > config.js; fi`,
    });
    const r = await run(dir);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/secret scan: 1 finding \(config\.js:1 github\); not committed/);
    expect(r.stdout).toMatch(/#2 T001 Configure the client \(remove a secret, attempt 2\)/);
    expect(brief(dir, 2)).toMatch(/- config\.js:1: found GitHub Token.*\(github\)/);
    expect(brief(dir, 2)).not.toContain(token);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^failure: T001: the checks passed but the change holds 1 secret \(config\.js:1 github\); not committed/,
        ),
      ]),
    );
    expect(commits(dir)).toEqual(["longrun: T001 Configure the client", "start"]);
    expect(git(dir, "log", "-p")).not.toContain(token);
    expect(JSON.stringify(journal(dir))).not.toContain(token);
  });

  test("an agent that keeps the secret meets the loop breaker: never committed, the tree restored, the task failed", async () => {
    const token = `ghp_${"wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx"}`;
    const { dir } = loopRepo({
      tasks: `  - task_id: T001
    title: Configure the client
    acceptance_criteria:
      - text: config.js exists
        check: test -f config.js
    status: not_started
`,
      agent: `echo 'export const token = "${token}";' > config.js`,
    });
    const r = await run(dir, ["--max-attempts", "1"]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/T001 attempt 1 of 1 failed/);
    expect(r.stdout).toMatch(/T001 FAILED after 2 attempts/);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        "failure: T001 attempt 1 failed: the checks passed but the change holds 1 secret; not committed",
      ]),
    );
    expect((await task(dir, "T001")).status).toBe("failed");
    expect(commits(dir)).toEqual(["start"]);
    expect(existsSync(path.join(dir, "config.js"))).toBe(false);
    expect(git(dir, "log", "--all", "-p")).not.toContain(token);
  });

  test("--json: one document at the end, the shape in the README", async () => {
    const { dir } = loopRepo({ tasks: TWO_TASKS, agent: "echo hi > hello.txt" });
    const r = await run(dir, ["--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc).sort()).toEqual(
      [
        "runId",
        "resumed",
        "exitCode",
        "reason",
        "detail",
        "iterations",
        "counts",
        "spend",
        "violations",
      ].sort(),
    );
    expect(doc).toMatchObject({
      resumed: false,
      exitCode: 1,
      reason: "failed_tasks",
      detail: "failed: T002",
      counts: { complete: 1, failed: 1, not_started: 0, in_progress: 0, archived: 0, total: 2 },
      spend: { costUSD: 0, tokens: 0 },
      violations: 0,
    });
    expect(doc.iterations).toBe(5); // T001 once; T002 three attempts and a diagnosis
  });
});
