import { describe, expect, test } from "vitest";
import type { Task } from "../../src/core/checklist-schema.ts";
import {
  blockedTasks,
  findCycles,
  indexById,
  readyTasks,
  statusOf,
  unmetDependencies,
} from "../../src/core/task-graph.ts";

const t = (task_id: string, status: string, depends_on?: string[]): Task => ({
  task_id,
  title: task_id,
  status,
  ...(depends_on ? { depends_on } : {}),
});
const ids = (tasks: readonly Task[]) => tasks.map((x) => x.task_id);

describe("statusOf", () => {
  test.each([
    ["not_started", "not_started"],
    ["in_progress", "in_progress"],
    ["complete", "complete"],
    ["archived_as_irrelevant", "archived"],
    ["bogus", "not_started"],
  ])("%s -> %s", (written, canonical) => {
    expect(statusOf(t("X", written))).toBe(canonical);
  });
});

describe("readiness", () => {
  const tasks = [
    t("A", "complete"),
    t("B", "not_started", ["A"]),
    t("C", "not_started", ["B"]),
    t("D", "not_started"),
    t("E", "in_progress", ["Z"]),
    t("F", "not_started", ["A", "E", "MISSING"]),
    t("G", "not_started", ["H"]),
    t("H", "archived_as_irrelevant"),
    t("I", "failed"),
    t("J", "not_started", ["I"]),
  ];

  test("ready: not_started with every dependency complete, in file order", () => {
    expect(ids(readyTasks(tasks))).toEqual(["B", "D"]);
  });

  test("blocked: not_started tasks with what each waits on, and that thing's status", () => {
    expect(blockedTasks(tasks).map((b) => [b.task.task_id, b.waitingOn])).toEqual([
      ["C", [{ id: "B", status: "not_started" }]],
      [
        "F",
        [
          { id: "E", status: "in_progress" },
          { id: "MISSING", status: "missing" },
        ],
      ],
      ["G", [{ id: "H", status: "archived" }]],
      ["J", [{ id: "I", status: "failed" }]],
    ]);
  });

  test("ready and blocked partition the not_started tasks", () => {
    const notStarted = tasks.filter((x) => statusOf(x) === "not_started").map((x) => x.task_id);
    const both = [...ids(readyTasks(tasks)), ...blockedTasks(tasks).map((b) => b.task.task_id)];
    expect(both.sort()).toEqual(notStarted.sort());
  });

  test("completing a dependency makes its dependant ready", () => {
    const after = tasks.map((x) => (x.task_id === "B" ? { ...x, status: "complete" } : x));
    expect(ids(readyTasks(after))).toEqual(["C", "D"]);
  });

  test("unmetDependencies of a task without depends_on is empty", () => {
    expect(unmetDependencies(t("X", "not_started"), indexById(tasks))).toEqual([]);
  });

  test("indexById keeps the first of duplicated ids", () => {
    const first = t("A", "complete");
    const byId = indexById([first, t("A", "failed"), t("B", "complete")]);
    expect(byId.get("A")).toBe(first);
    expect([...byId.keys()]).toEqual(["A", "B"]);
  });

  test("with a duplicate id, dependants see the first task of that id", () => {
    const tasks2 = [t("A", "failed"), t("A", "complete"), t("B", "not_started", ["A"])];
    expect(ids(readyTasks(tasks2))).toEqual([]);
  });
});

describe("findCycles", () => {
  test.each<[string, Task[], string[][]]>([
    ["none", [t("A", "x"), t("B", "x", ["A"]), t("C", "x", ["A", "B"])], []],
    [
      "a diamond is not a cycle",
      [t("A", "x", ["B", "C"]), t("B", "x", ["D"]), t("C", "x", ["D"]), t("D", "x")],
      [],
    ],
    ["self", [t("A", "x", ["A"])], [["A", "A"]]],
    ["two", [t("A", "x", ["B"]), t("B", "x", ["A"])], [["A", "B", "A"]]],
    ["three", [t("A", "x", ["B"]), t("B", "x", ["C"]), t("C", "x", ["A"])], [["A", "B", "C", "A"]]],
    ["reached from outside", [t("A", "x", ["B"]), t("B", "x", ["C"]), t("C", "x", ["B"])], [["B", "C", "B"]]],
    [
      "two separate cycles",
      [t("A", "x", ["B"]), t("B", "x", ["A"]), t("C", "x", ["D"]), t("D", "x", ["C"])],
      [
        ["A", "B", "A"],
        ["C", "D", "C"],
      ],
    ],
    ["unknown ids are not followed", [t("A", "x", ["NOPE"]), t("B", "x", ["A", "NOPE"])], []],
  ])("%s", (_name, tasks, cycles) => {
    expect(findCycles(tasks)).toEqual(cycles);
  });

  test("a 20k-long chain does not overflow the stack, and closing it is found", () => {
    const n = 20_000;
    const chain = Array.from({ length: n }, (_, i) =>
      t(`T${i}`, "not_started", i + 1 < n ? [`T${i + 1}`] : []),
    );
    expect(findCycles(chain)).toEqual([]);
    chain[n - 1] = t(`T${n - 1}`, "not_started", ["T0"]);
    const cycles = findCycles(chain);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n + 1);
    expect(cycles[0]?.[0]).toBe("T0");
    expect(cycles[0]?.at(-1)).toBe("T0");
  });
});
