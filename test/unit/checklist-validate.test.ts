import { describe, expect, test } from "vitest";
import { describePath, validateChecklist } from "../../src/core/checklist-validate.ts";
import { formatDiagnostic } from "../../src/core/diagnostic.ts";
import { placeDiagnostics } from "../../src/core/place-diagnostics.ts";
import { checklistTemplate } from "../../src/core/templates/checklist.ts";
import { readYaml } from "../../src/core/yaml-read.ts";

/** Validate YAML text; every diagnostic as `line:col severity code`. */
function check(text: string) {
  const r = readYaml(text);
  if (!r.ok) throw new Error(`fixture does not parse: ${r.message}`);
  const v = validateChecklist(r.data);
  const placed = placeDiagnostics("checklist.yaml", text, r.events, v.diagnostics);
  return { value: v.value, placed, short: placed.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`) };
}

const SUMMARY = "summary:\n  status: started\n";
const task = (id: string, extra = "", status = "not_started") =>
  `  - task_id: ${id}\n    title: Task ${id}\n    status: ${status}\n    acceptance_criteria: [works]\n${extra}`;

describe("validateChecklist: clean files", () => {
  test("the init template is valid with no diagnostics", () => {
    const c = check(checklistTemplate("2026-01-31 09:00"));
    expect(c.short).toEqual([]);
    expect(c.value?.tasks?.map((t) => t.task_id)).toEqual(["T001"]);
    expect(c.value?.tasks?.[0]?.acceptance_criteria).toEqual([
      "plan.md states the purpose, scope and acceptance criteria of the run",
      { text: "plan.md is not empty", check: "test -s plan.md" },
    ]);
  });

  test("every field of the schema, with archived_as_irrelevant kept as written", () => {
    const text = `${SUMMARY}instructions: [a, b]\nguidelines: one string\ntasks:\n${task("T1", "", "complete")}${task(
      "T2",
      [
        "    description: d",
        "    implementation_notes: [x, y]",
        "    note: n",
        "    depends_on: [T1]",
        "    verify: [npm test]",
        "    milestone: true",
        "    attempts: 2",
        "",
      ].join("\n"),
      "archived_as_irrelevant",
    )}`;
    const c = check(text);
    expect(c.short).toEqual([]);
    expect(c.value?.tasks?.[1]).toEqual({
      task_id: "T2",
      title: "Task T2",
      status: "archived_as_irrelevant",
      acceptance_criteria: ["works"],
      description: "d",
      implementation_notes: ["x", "y"],
      note: "n",
      depends_on: ["T1"],
      verify: ["npm test"],
      milestone: true,
      attempts: 2,
    });
  });

  test("null optional fields are allowed", () => {
    const c = check(`${SUMMARY}tasks:\n${task("T1", "    note:\n    description: ~\n    depends_on:\n")}`);
    expect(c.short).toEqual([]);
  });
});

describe("validateChecklist: one problem each", () => {
  test.each([
    ["empty file", "", ["1:1 error empty-file"]],
    ["a list, not a mapping", "- a\n- b\n", ["1:1 error not-a-mapping"]],
    ["a scalar", "just text\n", ["1:1 error not-a-mapping"]],
    ["no summary", `tasks:\n${task("T1")}`, ["1:1 warning no-summary"]],
    ["no tasks key", SUMMARY, ["1:1 warning no-tasks"]],
    ["empty tasks", `${SUMMARY}tasks: []\n`, ["3:8 warning no-tasks"]],
    ["duplicate task_id", `${SUMMARY}tasks:\n${task("T1")}${task("T1")}`, ["8:14 error duplicate-task-id"]],
    ["unknown status", `${SUMMARY}tasks:\n${task("T1", "", "done")}`, ["6:13 error unknown-status"]],
    [
      "missing title",
      `${SUMMARY}tasks:\n  - task_id: T1\n    status: complete\n`,
      ["4:5 error missing-field"],
    ],
    [
      "missing status",
      `${SUMMARY}tasks:\n  - task_id: T1\n    title: x\n    acceptance_criteria: [ok]\n`,
      ["4:5 error missing-field"],
    ],
    [
      "missing task_id",
      `${SUMMARY}tasks:\n  - title: x\n    status: complete\n`,
      ["4:5 error missing-field"],
    ],
    [
      "empty title",
      `${SUMMARY}tasks:\n  - task_id: T1\n    title: ""\n    status: complete\n`,
      ["5:13 error empty-value"],
    ],
    [
      "title left blank",
      `${SUMMARY}tasks:\n  - task_id: T1\n    title:\n    status: complete\n`,
      ["5:5 error wrong-type"],
    ],
    [
      "numeric task_id",
      `${SUMMARY}tasks:\n  - task_id: 7\n    title: x\n    status: complete\n`,
      ["4:14 error wrong-type"],
    ],
    [
      "depends_on not a list",
      `${SUMMARY}tasks:\n${task("T1")}${task("T2", "    depends_on: T1\n")}`,
      ["12:17 error wrong-type"],
    ],
    [
      "attempts not a number",
      `${SUMMARY}tasks:\n${task("T1", "    attempts: two\n")}`,
      ["8:15 error wrong-type"],
    ],
    [
      "attempts not whole",
      `${SUMMARY}tasks:\n${task("T1", "    attempts: 1.5\n")}`,
      ["8:15 error wrong-type"],
    ],
    ["attempts negative", `${SUMMARY}tasks:\n${task("T1", "    attempts: -1\n")}`, ["8:15 error too-small"]],
    [
      "milestone not a boolean",
      `${SUMMARY}tasks:\n${task("T1", "    milestone: yes\n")}`,
      ["8:16 error wrong-type"],
    ],
    [
      "an empty verify command",
      `${SUMMARY}tasks:\n${task("T1", "    verify: ['']\n")}`,
      ["8:15 error empty-value"],
    ],
    [
      "a criterion that is a number",
      `${SUMMARY}tasks:\n  - task_id: T1\n    title: x\n    status: complete\n    acceptance_criteria: [42]\n`,
      ["7:27 error bad-criterion"],
    ],
    [
      "a criterion with no text",
      `${SUMMARY}tasks:\n  - task_id: T1\n    title: x\n    status: complete\n    acceptance_criteria:\n      - check: "true"\n`,
      ["8:9 error bad-criterion"],
    ],
    ["a task that is a string", `${SUMMARY}tasks:\n  - just words\n`, ["4:5 error wrong-type"]],
    ["tasks is a mapping", `${SUMMARY}tasks:\n  T1: x\n`, ["4:3 error wrong-type", "4:3 warning no-tasks"]],
    [
      "unknown dependency",
      `${SUMMARY}tasks:\n${task("T1")}${task("T2", "    depends_on: [T3]\n")}`,
      ["12:18 error unknown-dependency"],
    ],
    [
      "self dependency",
      `${SUMMARY}tasks:\n${task("T1", "    depends_on: [T1]\n")}`,
      ["8:17 error dependency-cycle"],
    ],
    [
      "cyclic dependencies",
      `${SUMMARY}tasks:\n${task("T1", "    depends_on: [T2]\n")}${task("T2", "    depends_on: [T1]\n")}`,
      ["8:17 error dependency-cycle"],
    ],
    [
      "depends on an archived task",
      `${SUMMARY}tasks:\n${task("T1", "", "archived")}${task("T2", "    depends_on: [T1]\n")}`,
      ["12:18 warning archived-dependency"],
    ],
    [
      "active task missing",
      `summary:\n  active_task_id: T9\ntasks:\n${task("T1")}`,
      ["2:19 error unknown-active-task"],
    ],
    [
      "active task not in progress",
      `summary:\n  active_task_id: T1\ntasks:\n${task("T1")}`,
      ["2:19 warning active-not-in-progress"],
    ],
    [
      "no criteria",
      `${SUMMARY}tasks:\n  - task_id: T1\n    title: x\n    status: in_progress\n`,
      ["4:5 warning no-criteria"],
    ],
    ["unknown top-level key", `${SUMMARY}taks: []\ntasks:\n${task("T1")}`, ["3:1 warning unknown-key"]],
    ["unknown summary key", `summary:\n  colour: blue\ntasks:\n${task("T1")}`, ["2:3 warning unknown-key"]],
    [
      "unknown task key",
      `${SUMMARY}tasks:\n${task("T1", "    dependson: []\n")}`,
      ["8:5 warning unknown-key"],
    ],
  ])("%s", (_name, text, expected) => {
    const c = check(text);
    expect(c.short).toEqual(expected);
    const hasError = expected.some((e) => e.includes(" error "));
    expect(c.value === undefined).toBe(hasError);
    for (const d of c.placed) {
      expect(d.message).not.toBe("");
      expect(d.hint).not.toBe("");
    }
  });
});

describe("validateChecklist: messages people can act on", () => {
  const msg = (text: string, code: string) => {
    const d = check(text).placed.find((x) => x.code === code);
    if (!d) throw new Error(`no ${code}`);
    return formatDiagnostic(d);
  };

  test.each([
    [
      `${SUMMARY}tasks:\n${task("T1", "", "done")}`,
      "unknown-status",
      "checklist.yaml:6:13: unknown-status: task T1 `status` `done` is not a status (use one of not_started, in_progress, complete, failed, archived, archived_as_irrelevant)",
    ],
    [
      `${SUMMARY}tasks:\n${task("T1")}${task("T2", "    depends_on: [T01]\n")}`,
      "unknown-dependency",
      "checklist.yaml:12:18: unknown-dependency: T2 depends on `T01`, which is not a task (did you mean `T1`?)",
    ],
    [
      `${SUMMARY}tasks:\n${task("T1", "    dependson: []\n")}`,
      "unknown-key",
      "checklist.yaml:8:5: warning unknown-key: unknown key `dependson` in task T1 (did you mean `depends_on`?)",
    ],
    [
      `${SUMMARY}tasks:\n${task("T1")}${task("T1")}`,
      "duplicate-task-id",
      "checklist.yaml:8:14: duplicate-task-id: task_id `T1` is used again (first at tasks[0]) (give each task its own id)",
    ],
    [
      `${SUMMARY}tasks:\n  - task_id: 7\n    title: x\n    status: complete\n`,
      "wrong-type",
      'checklist.yaml:4:14: wrong-type: tasks[0] `task_id` must be a string, not a number (7) (quote it: "7")',
    ],
    [
      `${SUMMARY}tasks:\n  - just words\n`,
      "wrong-type",
      'checklist.yaml:4:5: wrong-type: tasks[0] must be a mapping, not a string ("just words") (write a mapping)',
    ],
    [
      `${SUMMARY}tasks:\n${task("T1", "    attempts: 1.5\n")}`,
      "wrong-type",
      "checklist.yaml:8:15: wrong-type: task T1 `attempts` must be a whole number, not a number (1.5) (write a whole number)",
    ],
    [
      `${SUMMARY}tasks:\n${task("A", "    depends_on: [B]\n")}${task("B", "    depends_on: [C]\n")}${task("C", "    depends_on: [A]\n")}`,
      "dependency-cycle",
      "checklist.yaml:8:17: dependency-cycle: dependency cycle: A -> B -> C -> A (remove one of these dependencies)",
    ],
    [
      `${SUMMARY}tasks:\n  - task_id: T1\n    title: x\n    acceptance_criteria: [ok]\n`,
      "missing-field",
      "checklist.yaml:4:5: missing-field: task T1 `status` is missing (add `status:`)",
    ],
  ])("%#", (text, code, line) => {
    expect(msg(text, code)).toBe(line);
  });
});

test("every problem is reported at once, each at its own file:line:col", () => {
  const text = [
    "summary:", //                                  1
    "  active_task_id: T404", //                     2
    "  colour: blue", //                             3
    "tasks:", //                                     4
    "  - task_id: T001", //                          5
    "    title: One", //                             6
    "    status: done", //                           7
    "    attempts: two", //                          8
    "    acceptance_criteria: [ok]", //              9
    "  - task_id: T001", //                          10
    "    status: not_started", //                    11
    "    acceptance_criteria: [ok]", //              12
    "  - task_id: T003", //                          13
    "    title: Three", //                           14
    "    status: in_progress", //                    15
    "    depends_on: [T004, T00]", //                16
    "    acceptance_criteria: [ok]", //              17
    "    dependson: [x]", //                         18
    "  - task_id: T004", //                          19
    "    title: Four", //                            20
    "    status: complete", //                       21
    "    depends_on: [T003]", //                     22
    "",
  ].join("\n");
  expect(check(text).short).toEqual([
    "2:19 error unknown-active-task",
    "3:3 warning unknown-key",
    "7:13 error unknown-status",
    "8:15 error wrong-type",
    "10:5 error missing-field",
    "10:14 error duplicate-task-id",
    "16:17 error dependency-cycle",
    "16:24 error unknown-dependency",
    "18:5 warning unknown-key",
  ]);
});

test("the rules run even when the schema fails, on whatever is well-formed", () => {
  const text = `${SUMMARY}tasks:\n  - 42\n${task("T1", "    depends_on: [NOPE]\n", "bogus")}`;
  expect(check(text).short).toEqual([
    "4:5 error wrong-type",
    "7:13 error unknown-status",
    "9:18 error unknown-dependency",
  ]);
});

test("warnings alone keep the value", () => {
  const c = check(`summary:\n  colour: blue\ntasks:\n${task("T1")}`);
  expect(c.value).toEqual({
    summary: { colour: "blue" },
    tasks: [{ task_id: "T1", title: "Task T1", status: "not_started", acceptance_criteria: ["works"] }],
  });
});

test("validation never throws on odd data", () => {
  for (const data of [
    0,
    true,
    "x",
    [],
    [[]],
    { tasks: [null, 1, [], { task_id: null }] },
    { summary: [], tasks: {} },
  ])
    expect(validateChecklist(data).value).toBeUndefined();
});

describe("describePath", () => {
  const data = { tasks: [{ task_id: "T7" }, { task_id: "" }, {}] };
  test.each([
    [["tasks", 0], "task T7"],
    [["tasks", 0, "title"], "task T7 `title`"],
    [["tasks", 0, "acceptance_criteria", 1, "check"], "task T7 `acceptance_criteria[1].check`"],
    [["tasks", 1, "title"], "tasks[1] `title`"],
    [["tasks", 2], "tasks[2]"],
    [["summary", "status"], "`summary.status`"],
    [[], "`(document)`"],
  ])("%j -> %s", (path, text) => {
    expect(describePath(data, path)).toBe(text);
  });
});
