import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { appendTask, type ChecklistDoc, updateSummary, updateTask } from "../../src/core/checklist-doc.ts";
import { indexChecklist } from "../../src/core/checklist-index.ts";
import type { Checklist, Task } from "../../src/core/checklist-schema.ts";
import { validateChecklist } from "../../src/core/checklist-validate.ts";
import { TRANSITIONS } from "../../src/core/task-status.ts";
import { decodeText, encodeLike } from "../../src/core/text-decode.ts";
import { readYaml } from "../../src/core/yaml-read.ts";

const DIR = new URL("../fixtures/checklists/", import.meta.url);
const FIXTURES = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

/** Text -> ChecklistDoc, failing loudly on anything invalid. */
function docOf(text: string): ChecklistDoc {
  const r = readYaml(text);
  if (!r.ok) throw new Error(`does not parse: ${r.message}\n${text}`);
  const v = validateChecklist(r.data);
  if (!v.value) throw new Error(`not valid: ${JSON.stringify(v.diagnostics)}\n${text}`);
  return { text, data: v.value, index: indexChecklist(text, r.events) };
}

function load(name: string) {
  const bytes = readFileSync(new URL(name, DIR));
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new Error(`${name} is not UTF-8`);
  return { bytes, decoded, doc: docOf(decoded.text) };
}

/** The data the file must hold after the edit. */
const withTask = (data: Checklist, id: string, changes: Record<string, unknown>): Checklist => ({
  ...data,
  tasks: (data.tasks ?? []).map((t) => (t.task_id === id ? ({ ...t, ...changes } as Task) : t)),
});

/** Re-read an edited doc from scratch: its text must hold exactly `expected`, and its index must be the fresh one. */
function expectConsistent(doc: ChecklistDoc, expected: Checklist) {
  const fresh = docOf(doc.text);
  expect(fresh.data).toEqual(expected);
  expect(doc.data).toEqual(expected);
  expect(doc.index).toEqual(fresh.index);
}

/**
 * The lines of each task, found without the code under test: a task runs from the line of its `-` to the
 * line before the next task's `-`; the last one to the next top-level key (or the end of the file).
 */
function taskLineRanges(text: string): [number, number][] {
  const lines = text.split("\n");
  const tasksLine = lines.findIndex((l) => /^tasks:/.test(l));
  let end = lines.findIndex((l, i) => i > tasksLine && /^[A-Za-z_]/.test(l));
  if (end === -1) end = lines.length;
  const dashIndent =
    /^( *)-/.exec(lines.slice(tasksLine + 1).find((l) => /^ *-( |$)/.test(l)) ?? "")?.[1]?.length ?? 0;
  const dashes: number[] = [];
  for (let i = tasksLine + 1; i < end; i++)
    if (new RegExp(`^ {${dashIndent}}-( |$)`).test(lines[i]!)) dashes.push(i);
  // Blank lines and comments no deeper than the `-` after the last task belong to what follows, not to it.
  // (An empty last line is the file's final newline.)
  const after = new RegExp(`^(\\s*| {0,${dashIndent}}#.*)$`);
  while (end > (dashes.at(-1) ?? 0) + 1 && after.test(lines[end - 1]!)) end--;
  return dashes.map((d, k) => [d, dashes[k + 1] ?? end]);
}

/** Prove that outside old lines [from, to) the edited text is byte-identical, in the file's own encoding too. */
function expectOnlyLinesChanged(
  before: { text: string; bytes: Buffer; like: { bom: boolean; crlf: boolean } },
  afterText: string,
  [from, to]: [number, number],
) {
  const a = before.text.split("\n");
  const b = afterText.split("\n");
  const tail = a.length - to;
  expect(b.slice(0, from), "lines before the task").toEqual(a.slice(0, from));
  expect(b.slice(b.length - tail), "lines after the task").toEqual(a.slice(to));
  // The same at the byte level, after restoring the BOM and CRLF endings.
  const afterBytes = Buffer.from(encodeLike(afterText, before.like), "utf8");
  const head = Buffer.from(encodeLike(a.slice(0, from).join("\n"), before.like), "utf8");
  const rest = Buffer.from(encodeLike(a.slice(to).join("\n"), { ...before.like, bom: false }), "utf8");
  expect(before.bytes.subarray(0, head.length).equals(head)).toBe(true);
  expect(afterBytes.subarray(0, head.length).equals(head)).toBe(true);
  expect(afterBytes.subarray(afterBytes.length - rest.length).equals(rest)).toBe(true);
}

describe("fixtures", () => {
  test("the set of human styles under test", () => {
    expect(FIXTURES).toEqual([
      "bom.yaml",
      "commented.yaml",
      "crlf.yaml",
      "dash-alone.yaml",
      "flow-task.yaml",
      "indent0.yaml",
    ]);
  });

  test.each<[string, (raw: string) => boolean]>([
    ["bom.yaml", (raw) => raw.startsWith("\ufeff")],
    ["crlf.yaml", (raw) => raw.includes("\r\n") && !/[^\r]\n/.test(raw)],
    [
      "commented.yaml",
      (raw) =>
        /: \|\n/.test(raw) && /: >-\n/.test(raw) && /\[.*\]/.test(raw) && /\n\n {2}- task_id/.test(raw),
    ],
    ["commented.yaml", (raw) => /'.*'/.test(raw) && /".*"/.test(raw) && (raw.match(/#/g) ?? []).length >= 10],
    ["indent0.yaml", (raw) => /\n- task_id/.test(raw) && /archived_as_irrelevant/.test(raw)],
    ["flow-task.yaml", (raw) => /\n {2}- \{task_id:/.test(raw)],
    ["dash-alone.yaml", (raw) => /\n {2}-\n/.test(raw)],
  ])("%s has the style it is there for", (name, has) => {
    expect(has(readFileSync(new URL(name, DIR), "utf8"))).toBe(true);
  });

  test.each(FIXTURES)("%s is a valid checklist with no errors", (name) => {
    const { doc } = load(name);
    expect(doc.data.tasks?.length).toBeGreaterThanOrEqual(2);
    expect(taskLineRanges(doc.text)).toHaveLength(doc.data.tasks!.length);
  });
});

/** Edits to make on each task: a legal next status, notes that need quoting or a block, a number. */
function editsFor(task: Task): [string, Record<string, unknown>][] {
  const canonical =
    task.status === "archived_as_irrelevant" ? "archived" : (task.status as keyof typeof TRANSITIONS);
  const next = TRANSITIONS[canonical][0]!;
  return [
    ["status", { status: next }],
    ["plain note", { note: "started by the test" }],
    ["note that needs quotes", { note: 'retry #2: flaky, it\'s "odd"' }],
    ["multi-line note and status", { status: next, note: "line one\nline two\n\nline four" }],
    ["null note", { note: null }],
    ["attempts", { attempts: 3 }],
  ];
}

const cases = FIXTURES.flatMap((name) =>
  (load(name).doc.data.tasks ?? []).flatMap((task, i) =>
    editsFor(task).map(([what, changes]) => [name, task.task_id, i, what, changes] as const),
  ),
);

describe("(a) updateTask changes only that task's lines", () => {
  test.each(cases)("%s: %s (#%i) %s", (name, id, i, _what, changes) => {
    const { bytes, decoded, doc } = load(name);
    const out = updateTask(doc, id, changes);
    expectOnlyLinesChanged({ text: doc.text, bytes, like: decoded }, out.text, taskLineRanges(doc.text)[i]!);
    expectConsistent(out, withTask(doc.data, id, changes));
    // Written back the way the file was: the BOM and CRLF endings survive and decode to the same text.
    const again = decodeText(Buffer.from(encodeLike(out.text, decoded), "utf8"));
    expect(again).toEqual({ ok: true, text: out.text, bom: decoded.bom, crlf: decoded.crlf });
  });

  test.each(
    FIXTURES.flatMap((name) =>
      (load(name).doc.data.tasks ?? []).map((task, i) => [name, task.task_id, i, task.status] as const),
    ),
  )("%s: %s (#%i) a status edit rewrites one line, keeping its quotes and comment", (name, id, i, status) => {
    const { doc } = load(name);
    const next = editsFor({ task_id: id, title: "", status })[0]![1].status as string;
    const out = updateTask(doc, id, { status: next });
    const a = doc.text.split("\n");
    const b = out.text.split("\n");
    expect(b).toHaveLength(a.length);
    const changed = a.map((l, k) => (l === b[k] ? -1 : k)).filter((k) => k >= 0);
    expect(changed).toHaveLength(1);
    const [from, to] = taskLineRanges(doc.text)[i]!;
    expect(changed[0]).toBeGreaterThanOrEqual(from);
    expect(changed[0]).toBeLessThan(to);
    const line = a[changed[0]!]!;
    if (/^\s*-\s*\{/.test(line)) return; // a flow-style task is rewritten as a whole line (the slow path)
    expect(b[changed[0]!]).toBe(line.replace(status, next));
  });

  test("a chain of edits on one doc stays consistent at every step", () => {
    for (const name of FIXTURES) {
      let { doc } = load(name);
      let expected = doc.data;
      for (const task of [...(doc.data.tasks ?? [])].reverse()) {
        for (const [, changes] of editsFor(task).slice(0, 4)) {
          doc = updateTask(doc, task.task_id, changes);
          expected = withTask(expected, task.task_id, changes);
          expectConsistent(doc, expected);
        }
      }
    }
  });

  test("an unknown task id is refused", () => {
    expect(() => updateTask(load("commented.yaml").doc, "T999", { status: "complete" })).toThrow(
      /no task T999/,
    );
  });

  test("the comments of the edited task stay too", () => {
    const { doc } = load("commented.yaml");
    const out = updateTask(doc, "T001", { status: "in_progress", note: "reopened" });
    expect(out.text).toContain("    status: in_progress   # done on day one\n    note: 'reopened'\n");
    expect(out.text).toContain("  # --- first task ---\n");
    expect(out.text).toContain(
      "    description: >-\n      Create the package, the tsconfig\n      and the lint rules.\n",
    );
  });

  test("a key the task lacks is added after its last key, above the comments that end it", () => {
    const { doc } = load("commented.yaml");
    const out = updateTask(doc, "T003", { note: "added" });
    expect(out.text).toContain(
      "    milestone: true\n    note: added\n    # note: intentionally absent\n\n# trailing comment",
    );
  });

  test("a flow-style task keeps its flow style", () => {
    const { doc } = load("flow-task.yaml");
    const out = updateTask(doc, "F2", { status: "in_progress" });
    const line = out.text.split("\n").find((l) => l.includes("F2"));
    expect(line).toMatch(/^ {2}- \{ ?task_id: F2, .*status: in_progress.*\}$/);
  });
});

describe("(b) appendTask keeps every existing byte", () => {
  const added = (first: string): Task => ({
    task_id: "NEW-1",
    title: "Added: by the test",
    status: "not_started",
    acceptance_criteria: ["it parses back", { text: "checked", check: "test -n ok" }],
    depends_on: [first],
    note: "multi\nline",
  });

  test.each(FIXTURES)("%s", (name) => {
    const { bytes, decoded, doc } = load(name);
    const task = added(doc.data.tasks![0]!.task_id);
    const out = appendTask(doc, task);
    // The old text is the new one with one block of whole lines taken out.
    let p = 0;
    while (p < doc.text.length && doc.text[p] === out.text[p]) p++;
    const rest = doc.text.slice(p);
    expect(out.text.endsWith(rest)).toBe(true);
    const at = doc.text.lastIndexOf("\n", p - 1) + 1;
    const inserted = out.text.slice(at, out.text.length - (doc.text.length - at));
    expect(out.text).toBe(doc.text.slice(0, at) + inserted + doc.text.slice(at));
    expect(inserted.endsWith("\n")).toBe(true);
    // It sits after the last task and before whatever followed the tasks.
    const [, lastEnd] = taskLineRanges(doc.text).at(-1)!;
    const following = doc.text.split("\n").slice(lastEnd).join("\n");
    const newAt = out.text.indexOf("- task_id: NEW-1");
    expect(out.text.endsWith(following)).toBe(true);
    expect(newAt).toBeLessThan(out.text.length - following.length);
    expect(newAt).toBeGreaterThan(out.text.indexOf(`task_id: ${doc.data.tasks!.at(-1)!.task_id}`));
    // Byte level, in the file's own encoding.
    const afterBytes = Buffer.from(encodeLike(out.text, decoded), "utf8");
    const head = Buffer.from(encodeLike(doc.text.slice(0, at), decoded), "utf8");
    const tail = Buffer.from(encodeLike(doc.text.slice(at), { ...decoded, bom: false }), "utf8");
    expect(Buffer.concat([head, tail]).equals(bytes)).toBe(true);
    expect(afterBytes.subarray(0, head.length).equals(head)).toBe(true);
    expect(afterBytes.subarray(afterBytes.length - tail.length).equals(tail)).toBe(true);
    // The new task parses back, and it is written in the list's own indentation.
    expectConsistent(out, { ...doc.data, tasks: [...doc.data.tasks!, task] });
    const dash = /^( *)-( |$)/m.exec(doc.text.slice(doc.text.indexOf("tasks:")))![1]!;
    expect(inserted).toMatch(new RegExp(`^\\n?${dash}- task_id: NEW-1\\n`));
  });

  test("then the appended task can be edited like the others", () => {
    for (const name of FIXTURES) {
      const { doc } = load(name);
      const task = added(doc.data.tasks![0]!.task_id);
      const one = appendTask(doc, task);
      const two = updateTask(one, "NEW-1", { status: "in_progress" });
      expectConsistent(two, { ...doc.data, tasks: [...doc.data.tasks!, { ...task, status: "in_progress" }] });
      expect(two.text.split("\n").filter((l, k) => l !== one.text.split("\n")[k])).toEqual([
        expect.stringMatching(/^ *status: in_progress$/),
      ]);
    }
  });

  test("a blank line between tasks is kept as the file's style", () => {
    const out = appendTask(load("commented.yaml").doc, added("T001"));
    expect(out.text).toContain("    # note: intentionally absent\n\n  - task_id: NEW-1\n");
    const flat = appendTask(load("indent0.yaml").doc, added("A-1"));
    expect(flat.text).toContain("  - it works too\n- task_id: NEW-1\n");
    expect(flat.text).toContain("# comments that end the tasks list\n# stay above the summary\n\nsummary:");
  });

  test("a last task ending in a literal block whose last line starts with `#`", () => {
    const text =
      "tasks:\n  - task_id: L1\n    title: t\n    status: complete\n    implementation_notes: |\n      step one\n      # step two, text of the literal\n";
    const doc = docOf(text);
    const task: Task = { task_id: "N1", title: "new", status: "not_started" };
    const out = appendTask(doc, task);
    expect(out.text).toBe(`${text}  - task_id: N1\n    title: new\n    status: not_started\n`);
    expectConsistent(out, { tasks: [...doc.data.tasks!, task] });
  });

  test("a last task ending in a keep-chomped literal keeps its blank lines", () => {
    const text = "tasks:\n  - task_id: L1\n    title: t\n    status: complete\n    note: |+\n      kept\n\n";
    const doc = docOf(text);
    const task: Task = { task_id: "N1", title: "new", status: "not_started" };
    const out = appendTask(doc, task);
    expectConsistent(out, { tasks: [...doc.data.tasks!, task] });
    expect(docOf(out.text).data.tasks![0]!.note).toBe("kept\n\n");
  });
});

describe("updateSummary", () => {
  const withSummary = FIXTURES.filter((name) => load(name).doc.data.summary);

  test.each(withSummary)("%s: only the summary's lines change", (name) => {
    const { bytes, decoded, doc } = load(name);
    const id = doc.data.tasks![1]!.task_id;
    const changes = { active_task_id: id, last_updated: "2026-02-01 10:00" };
    const out = updateSummary(doc, changes);
    const lines = doc.text.split("\n");
    const from = lines.findIndex((l) => l.startsWith("summary:"));
    let to = lines.findIndex((l, k) => k > from && /^[A-Za-z_]/.test(l));
    if (to === -1) to = lines.length;
    expectOnlyLinesChanged({ text: doc.text, bytes, like: decoded }, out.text, [from, to]);
    expectConsistent(out, { ...doc.data, summary: { ...doc.data.summary, ...changes } });
  });

  test("comments and quoting inside the summary survive", () => {
    const out = updateSummary(load("commented.yaml").doc, {
      last_updated: "2026-02-02 08:00",
      status: "blocked",
    });
    expect(out.text).toContain(
      '  last_updated: "2026-02-02 08:00"   # UTC\n  active_task_id: T002\n  status: blocked\n',
    );
    expect(out.text).toContain('    fast: ["npm test"]   # quick\n');
  });

  test("a checklist without a summary gets one", () => {
    const doc = docOf("tasks:\n  - task_id: T1\n    title: x\n    status: complete\n");
    const out = updateSummary(doc, { status: "done" });
    expectConsistent(out, { ...doc.data, summary: { status: "done" } });
    expect(out.text).toContain("tasks:\n  - task_id: T1\n");
  });
});

describe("the whole-document path (shapes the fast path does not handle)", () => {
  const text = [
    "# header comment",
    "summary: {status: started}   # flow summary",
    "tasks: [",
    "  {task_id: X1, title: one, status: not_started, acceptance_criteria: [ok]},",
    "  {task_id: X2, title: two, status: complete}",
    "  ]",
    "",
  ].join("\n");

  test("a flow list of tasks: data exact, comments kept", () => {
    const doc = docOf(text);
    const out = updateTask(doc, "X1", { status: "in_progress", note: "a: b" });
    expectConsistent(out, withTask(doc.data, "X1", { status: "in_progress", note: "a: b" }));
    expect(out.text).toContain("# header comment");
    expect(out.text).toContain("# flow summary");
  });

  test("appending to a flow list and to an empty one", () => {
    const task: Task = { task_id: "X3", title: "three", status: "not_started", acceptance_criteria: ["x"] };
    const doc = docOf(text);
    expectConsistent(appendTask(doc, task), { ...doc.data, tasks: [...doc.data.tasks!, task] });
    const empty = docOf("summary:\n  status: x\ntasks: []  # none yet\n");
    const out = appendTask(empty, task);
    expectConsistent(out, { ...empty.data, tasks: [task] });
    expect(out.text.startsWith("summary:\n  status: x\n")).toBe(true);
    const none = docOf("summary:\n  status: x\n");
    expectConsistent(appendTask(none, task), { ...none.data, tasks: [task] });
  });

  test("a flow summary is edited in place of the whole document", () => {
    const doc = docOf(text);
    const out = updateSummary(doc, { active_task_id: "X1" });
    expectConsistent(out, { ...doc.data, summary: { status: "started", active_task_id: "X1" } });
  });
});

describe("round trip: an edit that changes nothing writes nothing", () => {
  test.each(FIXTURES)(
    "%s: every task set to its own values, and the summary too, is byte-identical",
    (name) => {
      const { doc } = load(name);
      let d = doc;
      for (const t of doc.data.tasks ?? []) d = updateTask(d, t.task_id, { ...t });
      if (doc.data.summary) d = updateSummary(d, { ...doc.data.summary });
      expect(d.text).toBe(doc.text);
      const { bytes, decoded } = load(name);
      expect(Buffer.from(encodeLike(d.text, decoded), "utf8").equals(bytes)).toBe(true); // BOM and CRLF too
    },
  );
});
