// The supervisor's pure decisions: which task, the brief and its stable prefix, the loop breaker, budgets.
import { describe, expect, test } from "vitest";
import { afterFailure, nextKind } from "../../src/core/attempts.ts";
import { briefBody, buildBrief, PLAN_LIMIT, stablePrefix } from "../../src/core/brief.ts";
import { budgetHit } from "../../src/core/budget.ts";
import type { Checklist, Task } from "../../src/core/checklist-schema.ts";
import { allDone, pickTask } from "../../src/core/pick-task.ts";
import { loopsOf, verifyPlan } from "../../src/core/verify-plan.ts";

const t = (task_id: string, status: string, extra: Partial<Task> = {}): Task => ({
  task_id,
  title: `title of ${task_id}`,
  status,
  ...extra,
});
const list = (...tasks: Task[]): Checklist => ({ tasks });

describe("pickTask", () => {
  test("the active task first, then any in progress, then the first ready one", () => {
    const c = list(t("A", "complete"), t("B", "not_started"), t("C", "in_progress"), t("D", "in_progress"));
    expect(pickTask({ ...c, summary: { active_task_id: "D" } })).toMatchObject({
      kind: "task",
      task: { task_id: "D" },
      start: false,
    });
    expect(pickTask(c)).toMatchObject({ task: { task_id: "C" }, start: false });
    expect(
      pickTask(list(t("A", "complete"), t("B", "not_started", { depends_on: ["X"] }), t("X", "not_started"))),
    ).toMatchObject({
      task: { task_id: "X" },
      start: true,
    });
  });

  test("an active_task_id that is not in progress is ignored", () => {
    expect(
      pickTask({ ...list(t("A", "complete"), t("B", "not_started")), summary: { active_task_id: "A" } }),
    ).toMatchObject({
      task: { task_id: "B" },
    });
  });

  test("done when all are complete or archived; stuck when failed or blocked tasks are left", () => {
    expect(pickTask(list(t("A", "complete"), t("B", "archived_as_irrelevant")))).toEqual({ kind: "done" });
    expect(allDone(list(t("A", "complete"), t("B", "archived")))).toBe(true);
    const stuck = pickTask(list(t("A", "failed"), t("B", "not_started", { depends_on: ["A"] })));
    expect(stuck).toMatchObject({
      kind: "stuck",
      failed: [{ task_id: "A" }],
      blocked: [{ task: { task_id: "B" } }],
    });
    expect(allDone(list(t("A", "failed")))).toBe(false);
  });

  test("--task: only that task; a failed one is restarted, a blocked one is stuck", () => {
    const c = list(t("A", "failed"), t("B", "not_started", { depends_on: ["A"] }), t("C", "complete"));
    expect(pickTask(c, "A")).toMatchObject({ kind: "task", task: { task_id: "A" }, start: true });
    expect(pickTask(c, "B")).toMatchObject({ kind: "stuck", blocked: [{ task: { task_id: "B" } }] });
    expect(pickTask(c, "C")).toEqual({ kind: "done" });
  });
});

describe("brief", () => {
  const prefixIn = {
    plan: "# Plan\n\nBuild it.\n",
    instructions: "Work in order.",
    guidelines: ["Small steps", "Log everything"],
  };
  const body = {
    task: t("T002", "in_progress", {
      description: "Add retry.",
      acceptance_criteria: ["it is documented", { text: "retry tests pass", check: "npm test -- retry" }],
      verify: ["npm run lint"],
      note: "tried a fixed delay",
    }),
    kind: "work" as const,
    attempts: 0,
    maxAttempts: 3,
    failure: null,
    findings: [],
    steering: [],
  };

  test("the prefix holds the rules, the repo's instructions, guidelines and plan, and no task", () => {
    const p = stablePrefix(prefixIn);
    expect(p).toMatch(/^# longrun brief/);
    expect(p).toContain("Statuses are longrun's");
    expect(p).toContain("Work in order.");
    expect(p).toContain("- Log everything");
    expect(p).toContain("Build it.");
    expect(p).not.toContain("T002");
  });

  test("the prefix is byte-identical whatever the task, attempt, failure or steering", () => {
    const a = buildBrief(prefixIn, body);
    const b = buildBrief(prefixIn, {
      ...body,
      task: t("T009", "not_started"),
      kind: "diagnose",
      attempts: 3,
      failure: { summary: "`npm test` exited 1", tail: "FAIL x", output: "a/b.log" },
      steering: [{ id: "1", text: "keep the API" }],
    });
    expect(b.prefix).toBe(a.prefix);
    expect(b.prefixHash).toBe(a.prefixHash);
    expect(a.text.startsWith(a.prefix)).toBe(true);
    expect(a.prefixHash).toMatch(/^[0-9a-f]{64}$/);
    expect(buildBrief({ ...prefixIn, plan: "# Plan\n\nBuild it better.\n" }, body).prefixHash).not.toBe(
      a.prefixHash,
    );
  });

  test("the body: the task, its criteria with the commands longrun runs, notes", () => {
    const b = briefBody(body);
    expect(b).toContain("## Your task: T002 title of T002");
    expect(b).toContain("- it is documented\n- retry tests pass (longrun runs: `npm test -- retry`)");
    expect(b).toContain("- `npm run lint`");
    expect(b).toContain("### Notes so far\ntried a fixed delay");
    expect(b).not.toContain("failed");
  });

  test("a retry carries the failure's summary, tail and output path; a diagnosis asks for a new strategy", () => {
    const failure = {
      summary: "`npm test` exited 1",
      tail: "AssertionError ```x```",
      output: ".longrun/runs/r/x.log",
    };
    const retry = briefBody({ ...body, kind: "retry", attempts: 1, failure });
    expect(retry).toContain(
      "### The last attempt failed (1 of 3 attempts used)\n`npm test` exited 1\nFull output: .longrun/runs/r/x.log",
    );
    expect(retry).toContain("AssertionError '''x'''"); // a fence in the output cannot close ours
    const diag = briefBody({ ...body, kind: "diagnose", attempts: 3, failure });
    expect(diag).toContain("write a diagnosis");
    expect(diag).toContain("different strategy");
  });

  test("steering messages and secret findings are in the body", () => {
    const b = briefBody({
      ...body,
      kind: "fix_secret",
      findings: [{ file: "src/a.ts", line: 3, rule: "github", message: "found GitHub Token: ****" }],
      steering: [{ id: "x", text: "stop touching the public API" }],
    });
    expect(b).toContain("- src/a.ts:3: found GitHub Token: **** (github)");
    expect(b).toContain("### Steering from the human (follow it)\n- stop touching the public API");
  });

  test("a very long plan is cut, saying so", () => {
    const p = stablePrefix({ ...prefixIn, plan: "x".repeat(PLAN_LIMIT + 10) });
    expect(p).toContain("[plan.md continues: read the file for the rest]");
    expect(p.length).toBeLessThan(PLAN_LIMIT + 5000);
  });
});

describe("loop breaker", () => {
  test.each([
    [1, 3, "retry"],
    [2, 3, "retry"],
    [3, 3, "diagnose"],
    [4, 3, "give_up"],
    [1, 1, "diagnose"],
    [2, 1, "give_up"],
  ] as const)("after %i failures with max %i: %s", (failed, max, want) => {
    expect(afterFailure(failed, max)).toBe(want);
  });

  test("the kind of the next iteration", () => {
    expect(nextKind(0, 3, false)).toBe("work");
    expect(nextKind(2, 3, false)).toBe("retry");
    expect(nextKind(3, 3, false)).toBe("diagnose");
    expect(nextKind(1, 3, true)).toBe("fix_secret");
  });
});

describe("budgets", () => {
  const none = { maxCostUSD: null, maxTokens: null, maxTimeMs: null, maxIterations: 10 };
  const spent = { costUSD: 1.5, tokens: 5000, activeMs: 60_000, iterations: 3 };
  test("nothing set, nothing hit", () => expect(budgetHit(none, spent)).toBeNull());
  test("each budget names itself", () => {
    expect(budgetHit({ ...none, maxCostUSD: 1.5 }, spent)).toMatchObject({
      budget: "max_cost_usd",
      text: "cost budget reached: $1.50 of $1.50",
    });
    expect(budgetHit({ ...none, maxTokens: 4000 }, spent)?.budget).toBe("max_tokens");
    expect(budgetHit({ ...none, maxTimeMs: 60_000 }, spent)?.budget).toBe("max_time");
    expect(budgetHit({ ...none, maxIterations: 3 }, spent)?.budget).toBe("max_iterations");
  });
  test("during a session the iteration count does not stop it; an unknown cost never does", () => {
    expect(budgetHit({ ...none, maxIterations: 3 }, spent, true)).toBeNull();
    expect(budgetHit({ ...none, maxCostUSD: 0.01 }, { ...spent, costUSD: null })).toBeNull();
  });
});

describe("verifyPlan", () => {
  test("fast loop, checks, verify commands, and the full loop at milestones", () => {
    const task = t("A", "in_progress", {
      acceptance_criteria: ["attested", { text: "builds", check: "make" }],
      verify: ["make lint"],
      milestone: true,
    });
    const loops = loopsOf(
      { fast: [], full: [] },
      { summary: { verification_loop: { fast: ["make test"], full: ["make ci"] } } },
    );
    expect(verifyPlan(task, loops).map((c) => `${c.kind}:${c.command}`)).toEqual([
      "fast:make test",
      "check:make",
      "verify:make lint",
      "full:make ci",
    ]);
    expect(verifyPlan({ ...task, milestone: false }, loops).map((c) => c.kind)).toEqual([
      "fast",
      "check",
      "verify",
    ]);
    expect(
      loopsOf({ fast: ["x"], full: [] }, { summary: { verification_loop: { fast: ["y"] } } }).fast,
    ).toEqual(["x"]);
    expect(verifyPlan(t("B", "in_progress"), { fast: [], full: [] })).toEqual([]);
  });
});
