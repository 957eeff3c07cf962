// The incremental parse must be indistinguishable from a whole-file parse: same data, same index,
// same diagnostics, for every fixture and after every kind of edit, reusing what did not change.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { indexChecklist, itemLineStart } from "../../src/core/checklist-index.ts";
import { type ItemMemo, parseChecklist } from "../../src/core/checklist-parse.ts";
import { splitTasks } from "../../src/core/checklist-split.ts";
import { validateChecklist } from "../../src/core/checklist-validate.ts";
import { decodeText } from "../../src/core/text-decode.ts";
import { readYaml } from "../../src/core/yaml-read.ts";

const dir = new URL("../fixtures/checklists/", import.meta.url);
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => {
    const d = decodeText(readFileSync(new URL(f, dir)));
    if (!d.ok) throw new Error(f);
    return [f, d.text] as const;
  });

function full(text: string) {
  const r = readYaml(text);
  if (!r.ok) throw new Error(r.message);
  return {
    data: r.data,
    index: indexChecklist(text, r.events),
    diagnostics: validateChecklist(r.data).diagnostics,
  };
}

function memo(text: string): ItemMemo | undefined {
  const p = parseChecklist(text);
  if (!p.ok) throw new Error(p.message);
  return p.items;
}

function expectSameAsFull(text: string, prev: ItemMemo | undefined) {
  const p = parseChecklist(text, prev);
  const whole = readYaml(text);
  if (!whole.ok) {
    // Invalid YAML must be refused the same way, at the same place.
    expect(p).toMatchObject({ ok: false, offset: whole.offset, code: whole.code });
    return p;
  }
  if (!p.ok) throw new Error(p.message);
  const f = full(text);
  expect(p.data).toEqual(f.data);
  expect(p.validation.diagnostics).toEqual(expect.arrayContaining(f.diagnostics));
  expect(p.validation.diagnostics).toHaveLength(f.diagnostics.length);
  // Item positions may point at the `-` or at the node after it; they must give the same item lines.
  expect(p.index.top).toEqual(f.index.top);
  expect(p.index.tasks.items.map((o) => itemLineStart(text, o))).toEqual(
    f.index.tasks.items.map((o) => itemLineStart(text, o)),
  );
  return p;
}

const edits: [string, (t: string) => string][] = [
  ["no change", (t) => t],
  ["a status changed", (t) => t.replace(/status: not_started/, "status: in_progress")],
  ["a note rewritten as a block", (t) => t.replace(/\n(\s+)note: [^\n]*/, "\n$1note: |\n$1  two\n$1  lines")],
  ["a comment added inside a task", (t) => t.replace(/\n(\s+)title:/, "\n$1# a new comment\n$1title:")],
  [
    "a task appended",
    (t) =>
      `${t.replace(/\n*$/, "\n")}${/\n- task_id/.test(t) ? "- " : "  - "}task_id: ZZ9\n${/\n- task_id/.test(t) ? "  " : "    "}title: new\n${/\n- task_id/.test(t) ? "  " : "    "}status: not_started\n`,
  ],
  ["a summary key changed", (t) => t.replace(/active_task_id: [^\n]*/, "active_task_id: null")],
];

describe("parseChecklist equals a whole-file parse", () => {
  for (const [name, text] of fixtures)
    for (const [what, edit] of edits)
      test(`${name}: ${what}`, () => {
        expectSameAsFull(edit(text), memo(text));
      });
});

describe("reuse", () => {
  const big = `summary:\n  status: x\ntasks:\n${Array.from({ length: 300 }, (_, i) => `  - task_id: T${i}\n    title: "task ${i}"\n    acceptance_criteria: [a]\n    status: not_started\n`).join("")}`;

  test("a `|+` block keeps its trailing blank lines (the whole-file parse decides)", () => {
    const text = `tasks:\n  - task_id: A\n    title: t\n    status: complete\n    note: |+\n      kept\n\n\nsummary: {}\n`;
    const p = expectSameAsFull(text, memo(text));
    expect(p.ok && (p.data as { tasks: { note: string }[] }).tasks[0]!.note).toBe("kept\n\n\n");
  });

  test("a one-task edit parses one item", () => {
    const p = expectSameAsFull(big.replace('title: "task 7"', 'title: "task seven"'), memo(big));
    expect(p.ok && p.parsedItems).toBe(1);
  });

  test("an invalid edit is reported as by a whole parse, with the error on the right task", () => {
    const p = expectSameAsFull(big.replace("task_id: T42\n    title", "task_id: T41\n    title"), memo(big));
    expect(p.ok && p.validation.diagnostics.map((d) => d.code)).toContain("duplicate-task-id");
  });

  test("a syntax error in one item falls back to the whole parse and its error", () => {
    const p = parseChecklist(big.replace('title: "task 9"', 'title: "task 9'), memo(big));
    expect(p.ok).toBe(false);
  });

  test("many changed items fall back to one whole parse", () => {
    const p = expectSameAsFull(big.replace(/not_started/g, "complete"), memo(big));
    expect(p.ok && p.parsedItems).toBe(300);
  });
});

describe("splitTasks declines what it cannot explain", () => {
  test.each([
    ["two documents", "tasks:\n  - task_id: a\n---\nx: 1\n"],
    ["flow tasks", "tasks: [{task_id: a}]\n"],
    ["no tasks key", "summary: {}\n"],
    ["a key at the dash's column", "tasks:\n  - task_id: a\n  oops: 1\n"],
    ["a line less indented than the dash", "tasks:\n    - task_id: a\n  x: 1\n"],
    ["a keep-chomping block scalar", "tasks:\n  - note: |+\n      text\n\n\nsummary: {}\n"],
  ])("%s", (_, text) => {
    expect(splitTasks(text)).toBeUndefined();
  });

  test("comments at column 0 before the next key stay in the frame", () => {
    const text = "tasks:\n  - task_id: a\n    status: x\n\n# about summary\nsummary: {}\n";
    const s = splitTasks(text)!;
    expect(s.frame).toBe("tasks:\n\n# about summary\nsummary: {}\n");
    expect(text.slice(...s.items[0]!)).toBe("  - task_id: a\n    status: x\n");
  });
});

describe("seeded fuzz: random layouts and edits", () => {
  // A small deterministic PRNG, so a failure names a seed that reproduces it.
  const rng = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

  function layout(r: () => number): string {
    const dash = pick(r, [0, 2, 4]);
    const pad = " ".repeat(dash);
    const inner = " ".repeat(dash + 2);
    const values = [
      "plain words",
      '"double: quoted"',
      "'single'",
      `|\n${inner}  line one\n${inner}  # not a comment\n${inner}  - not an item`,
      `>-\n${inner}  folded\n${inner}  text`,
      "[a, b]",
      "{x: 1}",
      `"multi\n${inner}  line quoted"`,
    ];
    const n = 3 + Math.floor(r() * 6);
    let out = `${pick(r, ["", "# header\n"])}summary:\n  status: x\n${pick(r, ["", "\n", "# before tasks\n"])}tasks:${pick(r, ["", "  # the tasks"])}\n`;
    for (let i = 0; i < n; i++) {
      out += pick(r, ["", "\n", `${pad}# task ${i}\n`, "# column zero comment\n"]);
      out += r() < 0.15 ? `${pad}-\n${inner}task_id: T${i}\n` : `${pad}- task_id: T${i}\n`;
      out += `${inner}title: ${pick(r, values)}\n`;
      if (r() < 0.5) out += `${inner}note: ${pick(r, values)}\n`;
      out += `${inner}status: ${pick(r, ["not_started", "complete", "bogus"])}\n`;
      if (r() < 0.3) out += `${inner}acceptance_criteria:\n${inner}${pick(r, ["", "  "])}- one\n`;
    }
    return out + pick(r, ["", "\n# trailing comment\n", "\nguidelines: [g]\n"]);
  }

  const mutate = (r: () => number, text: string): string => {
    const lines = text.split("\n");
    const i = Math.floor(r() * lines.length);
    const l = lines[i] ?? "";
    const op = Math.floor(r() * 4);
    if (op === 0) lines[i] = l.replace(/status: \w+/, "status: failed");
    else if (op === 1) lines.splice(i, 0, `${/^ */.exec(l)![0]}# inserted`);
    else if (op === 2) lines[i] = l.replace(/title: .*/, "title: changed");
    else lines.splice(i, 1);
    return lines.join("\n");
  };

  test.each(Array.from({ length: 300 }, (_, k) => k + 1))("seed %i", (seed) => {
    const r = rng(seed);
    const before = layout(r);
    if (!readYaml(before).ok) return; // the generator may write YAML that no parser accepts; nothing to compare
    expectSameAsFull(mutate(r, before), memo(before));
  });
});
