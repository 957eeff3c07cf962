import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { cleanup, freshRepo, longrunAsync, type Run, snapshot, stderrLines } from "./cli.ts";

afterAll(cleanup);

/** Written by hand: comments everywhere, odd quoting, blank lines, block scalars, a flow task. */
const HAND_WRITTEN = `# Checklist for the widget project.
# Edited by hand; keep these comments.

summary:
  last_updated: "2026-01-30 09:00"   # UTC
  active_task_id: null   # nothing yet
  status: 'in progress'
  blockers: []
  next_actions:
    - finish T002   # today
  verification_loop:
    fast: ["npm test"]   # quick
    full:
      - npm run check

# How to work
instructions: |
  Work one task at a time.

  # not a comment: text of the block scalar
  Keep changes small.

guidelines:
  - Keep every change small.   # really
  - 'Record decisions in run-log.md.'

tasks:
  # --- first task ---
  - task_id: T001
    title: "Set up the repo"
    description: >-
      Create the package, the tsconfig
      and the lint rules.
    acceptance_criteria:
      - npm install works
      - text: tsc passes
        check: npx tsc --noEmit
    implementation_notes: |
      Use ESM.

      Strict mode.
    depends_on: []
    status: complete   # done on day one
    note: 'checked by hand'

  # --- second task ---
  - task_id: "T002"
    title: Parse the config   # the hard one
    acceptance_criteria: [config loads, "errors have line numbers"]
    depends_on: [T001]
    verify: ["npm test -- config"]
    status: "not_started"
    note: ""
    attempts: 1

  - task_id: T003
    title: 'Write the docs: all of them'
    acceptance_criteria:
      - text: README exists
        check: test -f README.md
    depends_on:
      - T002   # after the parser
    status: not_started
    milestone: true
    # note: intentionally absent

  - {task_id: T004, title: Flow task, status: not_started, acceptance_criteria: [flows]}

  - task_id: T005
    title: Spare
    acceptance_criteria:
      - something
    status: in_progress   # started by hand
    note: |
      first line
      second line

# trailing comment at the end of the file
`;

/** Lines of `text`, the last (empty) one dropped. */
const linesOf = (text: string) => text.replace(/\n$/, "").split("\n");

/** Whether `needle` occurs in `hay` in order (not necessarily adjacent). */
function isSubsequence(needle: readonly string[], hay: readonly string[]): { ok: boolean; missing?: string } {
  let j = 0;
  for (const line of needle) {
    while (j < hay.length && hay[j] !== line) j++;
    if (j === hay.length) return { ok: false, missing: line };
    j++;
  }
  return { ok: true };
}

/** [first, end) line indexes of task `id`'s item, up to the next item, comment at item level or top-level key. */
function taskLines(lines: readonly string[], id: string): [number, number] {
  const start = lines.findIndex((l) => new RegExp(`^ {2}- \\{?task_id: ["']?${id}["']?[,\\s]*`).test(l));
  expect(start, `task ${id} not found`).toBeGreaterThanOrEqual(0);
  let end = start + 1;
  while (end < lines.length && !/^( {2}[-#]|\S)/.test(lines[end]!)) end++;
  return [start, end];
}

/** What an edit may change: task id (null for none) -> the keys it may rewrite ("*" for every line). */
type Edited = Record<string, string[]>;

/**
 * Lines of `before` that the `edited` tasks' keys (with their continuation lines) and the summary's
 * bookkeeping do not cover. All of them must survive byte for byte, in order.
 */
function mustSurvive(before: string, edited: Edited): string[] {
  const lines = linesOf(before);
  const drop = new Set<number>();
  lines.forEach((l, i) => {
    if (/^ {2}(last_updated|active_task_id):/.test(l)) drop.add(i);
  });
  for (const [id, keys] of Object.entries(edited)) {
    const [start, end] = taskLines(lines, id);
    if (lines[start]!.includes("{")) for (let i = start; i < end; i++) drop.add(i);
    for (let i = start; i < end; i++) {
      const key = /^ {4}(\w+):/.exec(lines[i]!)?.[1];
      if (key && keys.includes(key)) {
        drop.add(i);
        for (let k = i + 1; k < end && /^ {6}|^$/.test(lines[k]!); k++) drop.add(k);
      }
    }
  }
  return lines.filter((_, i) => !drop.has(i));
}

function expectKept(before: string, after: string, edited: Edited): void {
  const kept = isSubsequence(mustSurvive(before, edited), linesOf(after));
  expect(kept.ok, `lost or moved: ${JSON.stringify(kept.missing)}\n--- after ---\n${after}`).toBe(true);
  // Every comment of the file survives, and so does the final comment at the very end.
  const comments = linesOf(before).filter((l) => /(^|\s)#\s/.test(l) && !/^ {2}# not a comment/.test(l));
  for (const c of comments) {
    const text = c.slice(c.indexOf("#"));
    expect(after, `comment lost: ${text}`).toContain(text);
  }
  expect(after.endsWith("# trailing comment at the end of the file\n")).toBe(true);
}

/** Task `id` as the file now holds it, read with an independent parser (no spawn). */
function task(dir: string, id: string): Record<string, unknown> {
  const data = parse(readFileSync(path.join(dir, "checklist.yaml"), "utf8")) as {
    tasks: Record<string, unknown>[];
  };
  const t = data.tasks.find((x) => x.task_id === id);
  expect(t, `no task ${id}`).toBeDefined();
  return t!;
}

function refused(r: Run, ...mentions: RegExp[]): void {
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(stderrLines(r)).toHaveLength(1);
  expect(r.stderr).toMatch(/^longrun: /);
  for (const m of mentions) expect(r.stderr).toMatch(m);
}

describe.concurrent("edits never lose anything", () => {
  test("note, start, add, fail, archive: every other line stays, byte for byte and in order", async () => {
    const dir = freshRepo();
    const file = path.join(dir, "checklist.yaml");
    writeFileSync(file, HAND_WRITTEN);
    expect((await longrunAsync(["check", "--dir", dir])).code).toBe(0);
    const read = () => readFileSync(file, "utf8");
    const sofar: Edited = {};
    const step = async (args: string[], id: string | null, keys: string[]) => {
      const before = read();
      const r = await longrunAsync([...args, "--dir", dir]);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      const after = read();
      expect(after).not.toBe(before);
      expectKept(before, after, id ? { [id]: keys } : {});
      if (id) sofar[id] = [...(sofar[id] ?? []), ...keys];
      expectKept(HAND_WRITTEN, after, sofar); // and nothing of the original is lost along the way
      return after;
    };

    await step(["task", "note", "T002", "parser chosen: yaml"], "T002", ["note"]);
    expect(task(dir, "T002").note).toBe("parser chosen: yaml");

    await step(["task", "note", "T005", "third line"], "T005", ["note"]);
    expect(task(dir, "T005").note).toBe("first line\nsecond line\nthird line");

    await step(["task", "start", "T002"], "T002", ["status"]);
    expect(task(dir, "T002").status).toBe("in_progress");
    expect(read()).toMatch(/^ {2}active_task_id: T002 {3}# nothing yet$/m);

    const added = await step(
      [
        "task",
        "add",
        "--title",
        "Ship it: v1",
        "--depends-on",
        "T003",
        "--check",
        "tag exists :: git tag -l v1",
      ],
      null,
      [],
    );
    expect(task(dir, "T006")).toMatchObject({
      title: "Ship it: v1",
      depends_on: ["T003"],
      status: "not_started",
    });
    // The new task goes after the last one, before the trailing comment.
    expect(added.indexOf("task_id: T006")).toBeGreaterThan(added.indexOf("task_id: T005"));
    expect(added.indexOf("task_id: T006")).toBeLessThan(added.indexOf("# trailing comment"));

    await step(["task", "fail", "T002", "--reason", "the YAML library drops comments"], "T002", [
      "status",
      "note",
    ]);
    expect(task(dir, "T002")).toMatchObject({
      status: "failed",
      note: expect.stringMatching(/^parser chosen: yaml\n.*failed: the YAML library drops comments$/),
    });

    await step(["task", "archive", "T004", "--reason", "not needed"], "T004", []);
    expect(task(dir, "T004")).toMatchObject({ status: "archived", title: "Flow task" });

    await step(["task", "archive", "T003"], "T003", ["status"]);
    expect(task(dir, "T003").status).toBe("archived");
    expect(read()).toContain("    # note: intentionally absent\n");

    expect((await longrunAsync(["check", "--dir", dir])).code).toBe(0);
  });

  test("task start refuses while a dependency is not complete, naming it; --force overrides", async () => {
    const dir = freshRepo();
    writeFileSync(path.join(dir, "checklist.yaml"), HAND_WRITTEN);
    const before = snapshot(dir);
    const r = await longrunAsync(["task", "start", "T003", "--dir", dir]);
    refused(r, /T003 waits on T002 \(not_started\)/, /--force/);
    expect(snapshot(dir)).toEqual(before);

    const forced = await longrunAsync(["task", "start", "T003", "--force", "--dir", dir]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(task(dir, "T003").status).toBe("in_progress");
  });

  test("illegal transitions are refused with the allowed statuses named; files unchanged", async () => {
    const dir = freshRepo();
    writeFileSync(path.join(dir, "checklist.yaml"), HAND_WRITTEN);
    const before = snapshot(dir);
    refused(
      await longrunAsync(["task", "complete", "T002", "--evidence", "trust me", "--dir", dir]),
      /T002 is not_started; it cannot become complete/,
      /in_progress, archived/,
    );
    refused(
      await longrunAsync(["task", "fail", "T001", "--reason", "x", "--dir", dir]),
      /cannot become failed/,
      /in_progress, archived/,
    );
    expect(snapshot(dir)).toEqual(before);

    expect((await longrunAsync(["task", "archive", "T004", "--dir", dir])).code).toBe(0);
    const archived = snapshot(dir);
    refused(
      await longrunAsync(["task", "archive", "T004", "--dir", dir]),
      /cannot become archived/,
      /may become: not_started\)/,
    );
    refused(
      await longrunAsync(["task", "start", "T004", "--force", "--dir", dir]),
      /cannot become in_progress/,
      /not_started/,
    );
    expect(snapshot(dir)).toEqual(archived);
  });

  test("there is no way to delete a task", async () => {
    const dir = freshRepo();
    for (const verb of ["delete", "remove", "rm"]) {
      const r = await longrunAsync(["task", verb, "T001", "--dir", dir]);
      refused(r, new RegExp(`unknown verb \`${verb}\``));
    }
    const help = await longrunAsync(["task", "--help"]);
    expect(help.code).toBe(0);
    const verbs = [...help.stdout.matchAll(/^ {2}task (\w+)/gm)].map((m) => m[1]);
    expect(verbs.sort()).toEqual(["add", "archive", "complete", "fail", "list", "note", "show", "start"]);
  });
});
