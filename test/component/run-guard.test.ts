// The memory-file guard of `longrun run`, against agents that delete tasks, mark themselves complete,
// edit the checks, rewrite the log, or wreck the files.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, longrunAsync } from "./cli.ts";
import { commits, logEvents, loopRepo, run, steps, task } from "./loop-kit.ts";

afterAll(cleanup);

const TASKS = `  - task_id: T001
    title: Make the marker
    acceptance_criteria:
      - text: marker exists
        check: test -f marker
    status: not_started
  - task_id: T002
    title: Second
    acceptance_criteria:
      - text: second exists
        check: test -f second
    status: not_started
`;

describe.concurrent("the guard", () => {
  test("deleted tasks, edited checks, a self-completion and a rewritten log are undone; appends are kept", async () => {
    const { dir } = loopRepo({
      tasks: TASKS,
      // The agent does the work of T001, but also: deletes T002, weakens T001's check, marks T001 complete,
      // rewrites the first log line, and appends a task and a log event (both allowed).
      agent: `[ "$LONGRUN_TASK_ID" = T001 ] || { touch second; exit 0; }
touch marker
node -e '
const fs=require("fs");
let c=fs.readFileSync("checklist.yaml","utf8");
c=c.replace(/  - task_id: T002[\\s\\S]*?status: not_started\\n/,"");
c=c.replace("check: test -f marker","check: \\"true\\"").replace(/(- task_id: T001[\\s\\S]*?)status: in_progress/,"$1status: complete");
c+="  - task_id: T003\\n    title: Found while working\\n    acceptance_criteria:\\n      - text: third exists\\n        check: test -f third\\n    status: complete\\n";
fs.writeFileSync("checklist.yaml",c);
let l=fs.readFileSync("run-log.md","utf8");
l=l.replace("note: run log created by longrun init","evidence: everything was always fine");
l=l.replace("\\n## Follow-ups","- 2026-11-26 10:00 note: the agent notes a finding\\n\\n## Follow-ups");
fs.writeFileSync("run-log.md",l);
'`,
    });
    const r = await run(dir, ["--task", "T001"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const guard = steps(dir).find((s) => s.step === "guard") as unknown as {
      violations: { kind: string; taskId: string | null }[];
    };
    expect(
      guard.violations.map((v) => `${v.taskId}:${v.kind}`).sort(),
      JSON.stringify(guard.violations),
    ).toEqual(["T001:criteria", "T001:status", "T002:deleted", "T003:new_status", "null:rewrote"].sort());
    // each violation is a failure in the log
    const failures = logEvents(dir).filter((e) => e.startsWith("failure: guard: "));
    expect(failures).toHaveLength(5);
    const log = readFileSync(path.join(dir, "run-log.md"), "utf8");
    expect(log).toContain("note: run log created by longrun init");
    expect(log).not.toContain("everything was always fine");
    expect(log).toContain("note: the agent notes a finding");
    // the checklist: T002 back, T001's check back, T003 kept as not_started; T001 complete by its real check
    const t1 = await task(dir, "T001");
    expect(t1.status).toBe("complete");
    expect(JSON.stringify(t1.acceptance_criteria)).toContain("test -f marker");
    expect((await task(dir, "T002")).status).toBe("not_started");
    expect((await task(dir, "T003")).status).toBe("not_started");
    expect(commits(dir)[0]).toBe("longrun: T001 Make the marker");
    // status shows the violations
    const s = await longrunAsync(["status", "--dir", dir, "--json"]);
    expect(JSON.parse(s.stdout).run.violations).toHaveLength(5);
  });

  test("a checklist left invalid is restored as it was before the session", async () => {
    const { dir } = loopRepo({
      tasks: TASKS,
      agent: `touch marker second; printf 'tasks: [\\n  oops' > checklist.yaml`,
    });
    const r = await run(dir, ["--max-iterations", "1"]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(
      /guard: 1 change undone: checklist\.yaml was left invalid \(line \d+: .*\); restored as it was before the session/,
    );
    expect((await task(dir, "T001")).status).toBe("complete");
    expect(r.stdout).toMatch(/run stopped at its iteration limit: iteration limit reached: 1 of 1/);
  });

  test("deleted memory files come back", async () => {
    const { dir } = loopRepo({
      tasks: TASKS,
      agent: "touch marker; rm -f plan.md run-log.md checklist.yaml",
    });
    const planBefore = readFileSync(path.join(dir, "plan.md"), "utf8");
    const r = await run(dir, ["--task", "T001"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(readFileSync(path.join(dir, "plan.md"), "utf8")).toBe(planBefore);
    expect(logEvents(dir)).toEqual(
      expect.arrayContaining([
        "failure: guard: plan.md was deleted; restored",
        "failure: guard: run-log.md was deleted; restored",
        "failure: guard: checklist.yaml was deleted; restored",
      ]),
    );
  });

  test("a person's edit between iterations is not undone (the guard compares with the start of each session)", async () => {
    const { dir, home } = loopRepo({
      tasks: TASKS,
      agent: `case "$LONGRUN_TASK_ID" in T001) touch marker;; T002) touch second;; esac`,
      config: "loop:\n  max_iterations: 1\n",
    });
    expect((await run(dir)).code).toBe(1);
    const c = readFileSync(path.join(dir, "checklist.yaml"), "utf8");
    writeFileSync(
      path.join(dir, "checklist.yaml"),
      c.replace("check: test -f second", "check: test -f second && true"),
    );
    void home;
    const r = await run(dir, ["--max-iterations", "5"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.stringify((await task(dir, "T002")).acceptance_criteria)).toContain("test -f second && true");
    expect(logEvents(dir).some((e) => e.startsWith("failure: guard"))).toBe(false);
  });
});
