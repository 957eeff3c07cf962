// Folding a run's journal into the state a resumed run continues from.
import { describe, expect, test } from "vitest";
import type { LoopStep } from "../../src/core/loop-events.ts";
import { foldJournal } from "../../src/core/run-state.ts";

let seq = 0;
const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 10, 0, s)).toISOString();
const loop = (s: number, step: LoopStep) => ({
  v: 1,
  type: "loop",
  runId: "R",
  seq: seq++,
  ts: at(s),
  ...step,
});
const agent = (s: number, type: string, extra = {}) => ({
  v: 1,
  type,
  runId: "S1",
  seq: 0,
  ts: at(s),
  taskId: "T1",
  ...extra,
});
const open = (s: number) => loop(s, { step: "open", pid: 1, resumed: false, options: { x: 1 }, head: "c0" });

describe("foldJournal", () => {
  test("an open iteration, its steps, and the session markers", () => {
    const s = foldJournal([
      open(0),
      loop(1, { step: "iteration", n: 1, taskId: "T1", kind: "work", attempts: 0 }),
      loop(2, {
        step: "brief",
        n: 1,
        prefixHash: "h",
        prefixBytes: 10,
        bytes: 20,
        steer: [{ id: "m1", text: "x" }],
        file: "b",
      }),
      loop(3, { step: "session", n: 1, resume: null }),
      agent(4, "run_start"),
      agent(5, "message", { text: "hi" }),
    ]);
    expect(s.runId).toBe("R");
    expect(s.checkpoint).toBe("c0");
    expect(s.open).toMatchObject({
      n: 1,
      taskId: "T1",
      brief: { steer: [{ id: "m1" }] },
      session: { resume: null },
      markers: ["S1"],
    });
    expect(s.open?.sessionEnd).toBeUndefined();
    expect(s.delivered.size).toBe(0); // the session never ended: the message was not delivered
    expect(s.last?.step).toBe("session");
    expect(s.ended).toBeNull();
  });

  test("a finished iteration: delivered steering, violations, failure memory, checkpoint, end", () => {
    const s = foldJournal([
      open(0),
      loop(1, { step: "iteration", n: 1, taskId: "T1", kind: "work", attempts: 0 }),
      loop(2, {
        step: "session_end",
        n: 1,
        status: "ok",
        reason: "",
        sessionId: "sess",
        cut: null,
        delivered: ["m1"],
        log: [],
      }),
      loop(3, {
        step: "guard",
        n: 1,
        violations: [{ file: "run-log.md", taskId: null, kind: "rewrote", text: "x" }],
        log: [],
      }),
      loop(4, {
        step: "verify",
        n: 1,
        passed: false,
        results: [],
        failure: { summary: "boom", tail: "t", output: "o" },
        unverifiable: false,
      }),
      loop(5, { step: "iteration_end", n: 1, outcome: "failed" }),
      loop(6, { step: "iteration", n: 2, taskId: "T1", kind: "retry", attempts: 1 }),
      loop(7, { step: "committed", n: 2, sha: "c1" }),
      loop(8, { step: "iteration_end", n: 2, outcome: "passed" }),
      loop(9, { step: "end", reason: "done", detail: "", exitCode: 0, log: [] }),
    ]);
    expect(s.open).toBeNull();
    expect(s.iterations).toBe(2);
    expect([...s.delivered]).toEqual(["m1"]);
    expect(s.violations).toHaveLength(1);
    expect(s.tasks.get("T1")).toMatchObject({ failure: { summary: "boom" }, sessionId: "sess" });
    expect(s.checkpoint).toBe("c1");
    expect(s.outcomes).toEqual({ failed: 1, passed: 1 });
    expect(s.ended?.reason).toBe("done");
  });

  test("run time: summed within each process, not across a crash, not while paused", () => {
    const s = foldJournal([
      open(0),
      agent(10, "message"), // 10 s
      open(40), // a crash, resumed 30 s later: not run time
      loop(45, { step: "pause", log: [] }), // 5 s
      loop(55, { step: "unpause", log: [] }), // paused: not counted
      agent(57, "message"), // 2 s
    ]);
    expect(s.activeMs).toBe(17_000);
    expect(s.options).toEqual({ x: 1 });
    expect(s.paused).toBe(false);
  });
});
