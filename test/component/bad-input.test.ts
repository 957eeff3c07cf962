import { chmodSync, chownSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  cleanup,
  freshRepo,
  longrun,
  longrunAsync,
  type Run,
  snapshot,
  stderrLines,
  unprivileged,
} from "./cli.ts";

afterAll(cleanup);

/** A valid checklist; each case below breaks one thing in it (line numbers matter). */
const GOOD = `summary:
  status: started
  active_task_id: null
tasks:
  - task_id: T001
    title: First
    status: not_started
    acceptance_criteria: [a]
  - task_id: T002
    title: Second
    status: not_started
    depends_on: [T001]
    acceptance_criteria: [b]
`;

const lines = GOOD.split("\n");
/** GOOD with 1-based line `n` replaced. */
const withLine = (n: number, text: string) => lines.map((l, i) => (i === n - 1 ? text : l)).join("\n");

const ALIAS_BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
tasks: *i
`;

/** A file of 50 MB: valid text, one huge comment. */
const big = (head: string) =>
  Buffer.concat([Buffer.from(`${head}# `), Buffer.alloc(50 * 1024 * 1024, "x"), Buffer.from("\n")]);

interface Case {
  name: string;
  /** Break the repo. */
  setup: (dir: string) => void;
  /** What the one stderr line must contain: the file, and `file:line:` where there is a line. */
  where: string;
  also?: RegExp;
  /** Which commands the case applies to (default: status, task list, task note, log add, where present). */
  only?: string[];
  /** The whole run must take less than this (ms). */
  within?: number;
}

const put = (file: string, content: string | Buffer) => (dir: string) =>
  writeFileSync(path.join(dir, file), content);

const CHECKLIST_CASES: Case[] = [
  {
    name: "YAML syntax error",
    setup: put("checklist.yaml", withLine(6, "   title: First")),
    where: "checklist.yaml:6:",
    also: /yaml-syntax/,
  },
  {
    name: "duplicate task_id",
    setup: put("checklist.yaml", withLine(9, "  - task_id: T001")),
    where: "checklist.yaml:9:",
    also: /duplicate-task-id/,
  },
  {
    name: "unknown status",
    setup: put("checklist.yaml", withLine(7, "    status: doing")),
    where: "checklist.yaml:7:",
    also: /unknown-status.*not_started/,
  },
  {
    name: "missing title",
    setup: put("checklist.yaml", withLine(10, "    description: no title")),
    where: "checklist.yaml:9:",
    also: /missing-field.*title/,
  },
  {
    name: "unknown depends_on",
    setup: put("checklist.yaml", withLine(12, "    depends_on: [T404]")),
    where: "checklist.yaml:12:",
    also: /unknown-dependency.*T404/,
  },
  {
    name: "cyclic depends_on",
    setup: put("checklist.yaml", withLine(8, "    acceptance_criteria: [a]\n    depends_on: [T002]")),
    where: "checklist.yaml:9:17",
    also: /dependency-cycle.*T00\d -> T00\d -> T00\d/,
  },
  {
    name: "active_task_id names no task",
    setup: put("checklist.yaml", withLine(3, "  active_task_id: T999")),
    where: "checklist.yaml:3:",
    also: /T999/,
  },
  {
    name: "non-UTF-8 bytes",
    setup: put("checklist.yaml", Buffer.from(withLine(10, "    title: Caf\xe9"), "latin1")),
    where: "checklist.yaml:10:15",
    also: /not-utf8.*0xe9/,
  },
  { name: "empty file", setup: put("checklist.yaml", ""), where: "checklist.yaml:1:1", also: /empty/ },
  {
    name: "YAML alias bomb",
    setup: put("checklist.yaml", ALIAS_BOMB),
    where: "checklist.yaml:2:",
    also: /alias/,
    within: 10_000,
  },
  { name: "a 50 MB file", setup: put("checklist.yaml", big(GOOD)), where: "checklist.yaml:1:1", also: /MiB/ },
  {
    name: "missing checklist",
    setup: (dir) => rmSync(path.join(dir, "checklist.yaml")),
    where: "checklist.yaml",
    also: /longrun init/,
  },
  {
    name: "read-only checklist.yaml (chmod 444)",
    setup: (dir) => {
      writeFileSync(path.join(dir, "checklist.yaml"), GOOD);
      chmodSync(path.join(dir, "checklist.yaml"), 0o444);
    },
    where: "checklist.yaml",
    also: /read-only/,
    only: ["task note", "task start"],
  },
];

const CHECKLIST_COMMANDS: Record<string, string[]> = {
  status: ["status"],
  "task list": ["task", "list"],
  "task note": ["task", "note", "T001", "a note"],
  // only for the cases that name it
  "task start": ["task", "start", "T001"],
};
const DEFAULT_COMMANDS = ["status", "task list", "task note", "log add"];

const LOG_CASES: Case[] = [
  {
    name: "non-UTF-8 bytes",
    setup: put("run-log.md", Buffer.from("# Run log\n\n## Events (append-only)\n- caf\xe9\n", "latin1")),
    where: "run-log.md:4:6",
    also: /not-utf8/,
  },
  {
    name: "empty file",
    setup: put("run-log.md", ""),
    where: "run-log.md:1:1",
    also: /empty/,
    only: ["log add", "task start"],
  },
  {
    name: "no events section",
    setup: put("run-log.md", "# Run log\n\n## Context\nnothing\n"),
    where: "run-log.md:1:1",
    also: /Events/,
    only: ["log add", "task start"],
  },
  {
    name: "a 50 MB file",
    setup: put("run-log.md", big("# Run log\n\n## Events (append-only)\n")),
    where: "run-log.md:1:1",
    also: /MiB/,
  },
  {
    name: "missing run-log.md",
    setup: (dir) => rmSync(path.join(dir, "run-log.md")),
    where: "run-log.md",
    also: /longrun init/,
  },
  {
    name: "read-only run-log.md (chmod 444)",
    setup: (dir) => chmodSync(path.join(dir, "run-log.md"), 0o444),
    where: "run-log.md",
    also: /read-only/,
    only: ["log add", "task start"],
  },
];

const LOG_COMMANDS: Record<string, string[]> = {
  "log add": ["log", "add", "--tag", "note", "something happened"],
  // An edit that logs: the checklist must not change when the log cannot take the event.
  "task start": ["task", "start", "T001"],
};

/** Exit 2, one `longrun: ` line naming the place, no stack, nothing on stdout. */
function expectRefused(r: Run, c: Case): void {
  expect(r.code, `exit code; stderr: ${r.stderr}`).toBe(2);
  const err = stderrLines(r);
  expect(err, r.stderr).toHaveLength(1);
  expect(err[0]).toMatch(/^longrun: /);
  expect(err[0]).toContain(c.where);
  if (c.also) expect(err[0]).toMatch(c.also);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe("");
  if (c.within) expect(r.ms).toBeLessThan(c.within);
}

/** Run each command of `commands` the case applies to in one broken repo; the files never change. */
async function refusedEverywhere(c: Case, commands: Record<string, string[]>): Promise<void> {
  const dir = freshRepo();
  c.setup(dir);
  const before = snapshot(dir);
  const names = Object.keys(commands).filter((n) => (c.only ?? DEFAULT_COMMANDS).includes(n));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) {
    const r = await longrunAsync([...commands[name]!, "--dir", dir], { timeoutMs: 20_000 });
    expectRefused(r, c);
    expect(snapshot(dir), `${name} changed a file`).toEqual(before);
  }
}

describe.concurrent("a broken checklist.yaml: status, task list, task note, task start refuse it", () => {
  for (const c of CHECKLIST_CASES)
    test(`${c.name}: exit 2, one line naming ${c.where}, files unchanged`, () =>
      refusedEverywhere(c, CHECKLIST_COMMANDS));
});

describe.concurrent("a broken run-log.md: log add and the edits that log refuse it", () => {
  for (const c of LOG_CASES)
    test(`${c.name}: exit 2, one line naming ${c.where}, files unchanged`, () =>
      refusedEverywhere(c, LOG_COMMANDS));
});

const asUser = unprivileged();

describe.concurrent("a folder without write permission", () => {
  const edits: Record<string, [string[], string]> = {
    "task note": [["task", "note", "T001", "a note"], "checklist.yaml"],
    "log add": [["log", "add", "--tag", "note", "something"], "run-log.md"],
  };
  for (const [name, [args, file]] of Object.entries(edits))
    test.skipIf(!asUser.ok)(
      asUser.ok
        ? `${name}: exit 2, one line naming the file and its folder, files unchanged (run as ${asUser.uid === undefined ? "this user" : "nobody"})`
        : `${name}: skipped: ${asUser.reason}`,
      async () => {
        if (!asUser.ok) return;
        const dir = freshRepo();
        // The user owns the repo and .longrun/ (locks may be taken), but may not write in the repo folder.
        if (asUser.uid !== undefined) {
          const own = (p: string) => chownSync(p, asUser.uid!, asUser.uid!);
          for (const f of [
            "",
            ".longrun",
            ".longrun/config.yaml",
            ".longrun/.gitignore",
            ...Object.keys(snapshot(dir)),
          ])
            own(path.join(dir, f));
        }
        chmodSync(dir, 0o555);
        try {
          const before = snapshot(dir);
          const r = await longrunAsync([...args, "--dir", dir], { uid: asUser.uid });
          expectRefused(r, {
            name,
            setup: () => {},
            where: file,
            also: new RegExp(`permission .*${path.basename(dir)}`),
          });
          expect(snapshot(dir)).toEqual(before);
        } finally {
          chmodSync(dir, 0o755); // so that cleanup can remove it
        }
      },
    );
});

describe.concurrent("BOM and CRLF are accepted, and kept by edits", () => {
  const BOM = "\ufeff";
  const crlf = (s: string) => s.replace(/\n/g, "\r\n");
  const source = `${BOM}${crlf(`# written on Windows\n${GOOD.replace("title: Second", 'title: "Caf\u00e9"')}`)}`;

  test("status and task list read it", async () => {
    const dir = freshRepo();
    writeFileSync(path.join(dir, "checklist.yaml"), source);
    const status = await longrunAsync(["status", "--dir", dir]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("T001  First");
    const list = await longrunAsync(["task", "list", "--dir", dir]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("Caf\u00e9");
  });

  test("task note keeps the BOM and CRLF on every line", async () => {
    const dir = freshRepo();
    const file = path.join(dir, "checklist.yaml");
    writeFileSync(file, source);
    for (const text of ["first note", "second\nnote"]) {
      const r = await longrunAsync(["task", "note", "T002", text, "--dir", dir]);
      expect(r.code, r.stderr).toBe(0);
    }
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    expect(text.endsWith("\r\n")).toBe(true);
    const body = text.slice(0, -2).split("\r\n");
    for (const l of body) expect(l, "a line without its CR").not.toContain("\n");
    expect(body.length).toBeGreaterThan(source.split("\r\n").length);
    // Everything that was there is still there, in order.
    const original = source.slice(1).replace(/\r\n$/, "").split("\r\n");
    let found = 0;
    for (const l of body) if (l === original[found]) found++;
    expect(found, `line lost: ${original[found]}`).toBe(original.length);
    const show = longrun(["task", "show", "T002", "--json", "--dir", dir]);
    expect((JSON.parse(show.stdout) as { task: { note: string } }).task.note).toBe(
      "first note\nsecond\nnote",
    );
    expect(longrun(["check", "--dir", dir]).code).toBe(0);
  });
});
