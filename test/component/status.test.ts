import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, freshRepo, longrunAsync } from "./cli.ts";

afterAll(cleanup);

const id = (n: number) => `T${String(n).padStart(3, "0")}`;

/**
 * 200 tasks: T005 ready (first in file order), 19 complete, T021 active, 30 failed (T022-T051), 100 waiting
 * on a failed task, 9 more ready (T152-T160), 20 archived, 20 waiting on the active task.
 */
function bigChecklist(): string {
  const out = [
    "summary:",
    '  last_updated: "2026-02-01 08:00"',
    "  active_task_id: T021",
    "  status: running",
    "tasks:",
  ];
  for (let n = 1; n <= 200; n++) {
    let status = "not_started";
    let deps: string[] = [];
    let note = "";
    if (n <= 20 && n !== 5) status = "complete";
    else if (n === 21) status = "in_progress";
    else if (n >= 22 && n <= 51) {
      status = "failed";
      note = `attempt ${n} broke the build`;
    } else if (n >= 52 && n <= 151) deps = [id(1), id(22 + (n % 30))];
    else if (n >= 152 && n <= 160) deps = [id(1), id(2)];
    else if (n >= 161 && n <= 180) status = "archived";
    else if (n >= 181) deps = [id(21)];
    out.push(
      `  - task_id: ${id(n)}`,
      `    title: Task number ${n} with a title long enough to need clipping in a narrow terminal window, really`,
      `    status: ${status}`,
      "    acceptance_criteria: [works]",
      `    depends_on: [${deps.join(", ")}]`,
      `    note: "${note}"`,
    );
  }
  return `${out.join("\n")}\n`;
}

const LOG = `# Run log

## Context
A long run.

## Events (append-only)
${Array.from({ length: 8 }, (_, i) => `- 2026-02-01 0${i}:00 ${i % 2 ? "failure" : "note"}: event number ${i + 1}`).join("\n")}

## Follow-ups
- none
`;

function repo(): string {
  const dir = freshRepo();
  writeFileSync(path.join(dir, "checklist.yaml"), bigChecklist());
  writeFileSync(path.join(dir, "run-log.md"), LOG);
  return dir;
}

describe.concurrent("longrun status", () => {
  test("200 tasks in at most 30 lines: active, ready in file order, blocked and why, counts, failures, log", async () => {
    const dir = repo();
    const r = await longrunAsync(["status", "--dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.replace(/\n$/, "").split("\n");
    expect(lines.length).toBeLessThanOrEqual(30);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    const at = (prefix: string) => {
      const i = lines.findIndex((l) => l.startsWith(prefix));
      expect(i, `no line starting with ${prefix}\n${r.stdout}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(lines[0]).toMatch(/: running, updated 2026-02-01 08:00$/);
    expect(lines[at("tasks:")]).toBe(
      "tasks: 200 | not_started 130 | in_progress 1 | complete 19 | failed 30 | archived 20",
    );
    expect(lines[at("active:")]).toMatch(/^active: T021 Task number 21 /);

    const next = at("next (10 ready):");
    expect(lines.slice(next + 1, next + 5).map((l) => l.trim().split(/\s+/)[0])).toEqual([
      "T005",
      "T152",
      "T153",
      "T154",
    ]);

    const blocked = at("blocked (120):");
    const blockedRows = lines.slice(blocked + 1, blocked + 5);
    expect(blockedRows.map((l) => l.trim().split(/\s+/)[0])).toEqual(["T052", "T053", "T054", "T055"]);
    expect(blockedRows[0]).toMatch(/<- T044 failed$/);
    expect(blockedRows[1]).toMatch(/<- T045 failed$/);

    const failed = at("failed (30):");
    expect(lines[failed + 1]).toMatch(/^ {2}T022 .*: attempt 22 broke the build$/);

    const log = at("log:");
    expect(lines.slice(log + 1)).toEqual([
      "  2026-02-01 04:00 note: event number 5",
      "  2026-02-01 05:00 failure: event number 6",
      "  2026-02-01 06:00 note: event number 7",
      "  2026-02-01 07:00 failure: event number 8",
    ]);
  });

  test("--json: the shape documented in src/core/status-view.ts", async () => {
    const dir = repo();
    const r = await longrunAsync(["status", "--json", "--dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as Record<string, unknown> & {
      summary: Record<string, unknown>;
      active: Record<string, unknown>;
      next: Record<string, unknown>[];
      blocked: Record<string, unknown>[];
      failed: Record<string, unknown>[];
      counts: Record<string, number>;
      recentEvents: Record<string, unknown>[];
    };
    expect(Object.keys(v).sort()).toEqual(
      [
        "dir",
        "summary",
        "active",
        "inProgress",
        "next",
        "nextCount",
        "blocked",
        "blockedCount",
        "failed",
        "failedCount",
        "counts",
        "recentEvents",
        "checklistWarnings",
        "logProblem",
        "spend",
        "run",
        "steering",
      ].sort(),
    );
    expect(v.dir).toBe(dir);
    expect(Object.keys(v.summary).sort()).toEqual(
      ["active_task_id", "blockers", "last_updated", "next_actions", "status"].sort(),
    );
    expect(v.summary).toMatchObject({
      status: "running",
      active_task_id: "T021",
      blockers: [],
      next_actions: [],
    });
    const TASK_KEYS = ["attempts", "note", "status", "task_id", "title"];
    expect(Object.keys(v.active).sort()).toEqual(TASK_KEYS);
    expect(v.active.task_id).toBe("T021");
    expect(v.inProgress).toEqual([]);
    for (const t of [...v.next, ...v.failed]) expect(Object.keys(t).sort()).toEqual(TASK_KEYS);
    for (const t of v.blocked) expect(Object.keys(t).sort()).toEqual([...TASK_KEYS, "waitingOn"].sort());
    expect(v.next.map((t) => t.task_id)).toEqual(["T005", "T152", "T153", "T154"]);
    expect(v.blocked[0]).toMatchObject({ task_id: "T052", waitingOn: [{ id: "T044", status: "failed" }] });
    expect(v).toMatchObject({ nextCount: 10, blockedCount: 120, failedCount: 30, logProblem: null });
    expect(v.counts).toEqual({
      not_started: 130,
      in_progress: 1,
      complete: 19,
      failed: 30,
      archived: 20,
      total: 200,
    });
    expect(v.recentEvents).toHaveLength(4);
    expect(Object.keys(v.recentEvents[0]!).sort()).toEqual(["line", "stamp", "tag", "text"]);
    expect(v.recentEvents.at(-1)).toMatchObject({
      tag: "failure",
      text: "event number 8",
      stamp: "2026-02-01 07:00",
    });
  });

  test("a run log that cannot be read does not stop status: the problem is shown in one line", async () => {
    const dir = repo();
    writeFileSync(path.join(dir, "run-log.md"), Buffer.from([0x23, 0x20, 0xff, 0x0a]));
    const r = await longrunAsync(["status", "--dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^log: .*run-log\.md:1:3: not-utf8/m);
    const j = await longrunAsync(["status", "--json", "--dir", dir]);
    expect((JSON.parse(j.stdout) as { logProblem: string }).logProblem).toMatch(/not-utf8/);
  });
});
