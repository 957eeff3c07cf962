import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, initRepo, longrunAsync, type Run, stderrLines, tempDir } from "./cli.ts";

afterAll(cleanup);

/** `FILE:LINE:COL: [warning ]code: message (hint)`, the documented one-line form. */
const DIAGNOSTIC =
  /^(?<file>\S+):(?<line>\d+):(?<col>\d+): (?<warn>warning )?(?<code>[a-z0-9-]+): (?<message>.+) \((?<hint>.+)\)$/;

interface Seen {
  file: string;
  line: number;
  col: number;
  severity: "error" | "warning";
  code: string;
}

/** Every diagnostic line of `check`'s output; any other line must be blank or the summary. */
function diagnostics(r: Run): Seen[] {
  const lines = r.stdout.split("\n").filter((l) => l !== "");
  const summary = lines.pop();
  expect(summary).toMatch(/^(ok: \d+ files? valid|\d+ errors?, \d+ warnings? in \d+ files?)/);
  return lines.map((l) => {
    const m = DIAGNOSTIC.exec(l);
    expect(m, `not FILE:LINE:COL: code: message (hint): ${l}`).not.toBeNull();
    const g = m!.groups!;
    return {
      file: path.basename(g.file!),
      line: Number(g.line),
      col: Number(g.col),
      severity: g.warn ? "warning" : "error",
      code: g.code!,
    };
  });
}

const write = (dir: string, file: string, text: string) => writeFileSync(path.join(dir, file), text);

// Line numbers are part of the fixture: keep the comments in step when editing it.
const BROKEN_CHECKLIST = `summary:
  active_task_id: T999
  status: started
tasks:
  - task_id: T001
    title: First
    status: not_started
    acceptance_criteria: [a]
  - task_id: T001
    title: Duplicate
    status: not_started
    acceptance_criteria: [a]
  - task_id: T003
    title: Bad status
    status: doing
    acceptance_criteria: [a]
  - task_id: T004
    status: not_started
    acceptance_criteria: [a]
  - task_id: 5
    title: Number id
    status: not_started
    acceptance_criteria: [a]
  - task_id: T006
    title: Unknown dep
    status: not_started
    depends_on: [T404]
    acceptance_criteria: [a]
  - task_id: T007
    title: Cycle a
    status: not_started
    depends_on: [T008]
    acceptance_criteria: [a]
  - task_id: T008
    title: Cycle b
    status: not_started
    depends_on: [T007]
    acceptance_criteria: [a]
    colour: red
`;

const BROKEN_LOG = `# Run log

## Context
Why.

## Events (append-only)
- 2026-01-02 10:00 note: fine
- 2026-01-02 10:01 wish: an unknown tag
- 2026-02-30 10:02 note: a date that does not exist
- yesterday note: not an event line
- 2026-03-01 10:03 fix: fine again

## Follow-ups
- What is left?
`;

const BROKEN_CONFIG = `harness:
  name: gpt
  timeout: forever
verify:
  timeout: 30m
`;

describe.concurrent("longrun check", () => {
  test("reports every checklist problem at once, each at its line and column", async () => {
    const dir = initRepo();
    write(dir, "checklist.yaml", BROKEN_CHECKLIST);
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe("");
    const seen = diagnostics(r).map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`);
    expect(seen).toEqual([
      "2:19 error unknown-active-task",
      "9:14 error duplicate-task-id",
      "15:13 error unknown-status",
      "17:5 error missing-field",
      "20:14 error wrong-type",
      "27:18 error unknown-dependency",
      "32:17 error dependency-cycle",
      "39:5 warning unknown-key",
    ]);
    expect(r.stdout).toMatch(/^7 errors, 1 warning in 1 file$/m);
    expect(r.stdout).toContain("`T999`");
    expect(r.stdout).toContain("T007 -> T008 -> T007");
    expect(r.stdout).toContain("did you mean `T004`?");
  });

  test("checklist, run log and config problems all come out in one run", async () => {
    const dir = initRepo();
    write(dir, "checklist.yaml", BROKEN_CHECKLIST);
    write(dir, "run-log.md", BROKEN_LOG);
    write(dir, ".longrun/config.yaml", BROKEN_CONFIG);
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code).toBe(1);
    const seen = diagnostics(r);
    const byFile = (f: string) => seen.filter((d) => d.file === f).map((d) => `${d.line} ${d.code}`);
    expect(byFile("checklist.yaml")).toHaveLength(8);
    expect(byFile("run-log.md")).toEqual(
      expect.arrayContaining(["8 unknown-tag", "9 bad-timestamp", "10 bad-event"]),
    );
    expect(seen.filter((d) => d.file === "run-log.md" && d.severity === "error")).toHaveLength(3);
    expect(byFile("config.yaml")).toHaveLength(2);
    expect(seen.filter((d) => d.file === "config.yaml").map((d) => d.line)).toEqual([2, 3]);
    expect(r.stdout).toMatch(/^12 errors, \d+ warnings? in 3 files$/m);
  });

  test("a YAML syntax error is reported at its line (exit 1)", async () => {
    const dir = initRepo();
    write(
      dir,
      "checklist.yaml",
      "summary:\n  status: ok\ntasks:\n  - task_id: T1\n   title: mis-indented\n    status: not_started\n",
    );
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code).toBe(1);
    const seen = diagnostics(r);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      file: "checklist.yaml",
      line: 5,
      severity: "error",
      code: "yaml-syntax",
    });
  });

  test("the run log: a bad event line, an unknown tag and a bad timestamp, each at its line", async () => {
    const dir = initRepo();
    write(dir, "run-log.md", BROKEN_LOG);
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code).toBe(1);
    const errors = diagnostics(r).filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([
      "run-log.md:8 unknown-tag",
      "run-log.md:9 bad-timestamp",
      "run-log.md:10 bad-event",
    ]);
  });

  test("a plan without its sections gives warnings only: exit 0", async () => {
    const dir = initRepo();
    write(dir, "plan.md", "# Plan\n\n## Purpose\nShip it.\n\n## Scope\nAll of it.\n");
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code, r.stdout).toBe(0);
    const seen = diagnostics(r);
    expect(seen).toHaveLength(12);
    for (const d of seen)
      expect(d).toMatchObject({ file: "plan.md", severity: "warning", code: "missing-section" });
    expect(r.stdout).toContain("`Open questions`");
    expect(r.stdout).not.toContain("`Purpose`");
    expect(r.stdout).toMatch(/^ok: 4 files valid \(12 warnings\)$/m);
  });

  test("config: a bad duration and an unknown harness are errors at their lines (exit 1)", async () => {
    const dir = initRepo();
    write(dir, ".longrun/config.yaml", BROKEN_CONFIG);
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code).toBe(1);
    const seen = diagnostics(r);
    expect(seen.map((d) => `${d.file}:${d.line} ${d.severity}`)).toEqual([
      "config.yaml:2 error",
      "config.yaml:3 error",
    ]);
    expect(r.stdout).toMatch(/config\.yaml:2:\d+: .*harness\.name/);
    expect(r.stdout).toMatch(/config\.yaml:3:\d+: .*harness\.timeout.*duration/);
  });

  test("exit codes: 0 valid, 1 problems found, 2 unusable input or no longrun files", async () => {
    const ok = initRepo();
    rmSync(path.join(ok, ".longrun", "config.yaml")); // optional: still valid
    const okRun = await longrunAsync(["check", "--dir", ok]);
    expect(okRun.code, okRun.stdout).toBe(0);
    expect(okRun.stdout).toMatch(/^ok: 3 files valid$/m);

    const missing = initRepo();
    rmSync(path.join(missing, "run-log.md")); // required: a problem, not unusable input
    const missingRun = await longrunAsync(["check", "--dir", missing]);
    expect(missingRun.code).toBe(1);
    expect(missingRun.stdout).toMatch(/run-log\.md:1:1: missing-file: .*longrun init/);

    const binary = initRepo();
    writeFileSync(
      path.join(binary, "checklist.yaml"),
      Buffer.from("summary:\n  status: caf\xe9\n", "latin1"),
    );
    const binaryRun = await longrunAsync(["check", "--dir", binary]);
    expect(binaryRun.code).toBe(2);
    expect(binaryRun.stdout).toMatch(/checklist\.yaml:2:14: not-utf8: /);

    const empty = tempDir();
    const emptyRun = await longrunAsync(["check", "--dir", empty]);
    expect(emptyRun.code).toBe(2);
    expect(stderrLines(emptyRun)).toHaveLength(1);
    expect(emptyRun.stderr).toMatch(/^longrun: .*no longrun files.*longrun init/);

    const nowhere = await longrunAsync(["check", "--dir", path.join(empty, "nope")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^longrun: --dir .*nope: no such folder/);
  });

  test("--json: {ok, exitCode, errors, warnings, files, diagnostics}, counts in step", async () => {
    const dir = initRepo();
    write(dir, "checklist.yaml", BROKEN_CHECKLIST);
    rmSync(path.join(dir, ".longrun", "config.yaml"));
    const r = await longrunAsync(["check", "--dir", dir, "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      exitCode: number;
      errors: number;
      warnings: number;
      files: { file: string; exists: boolean; errors: number; warnings: number }[];
      diagnostics: Record<string, unknown>[];
    };
    expect(Object.keys(doc).sort()).toEqual(["diagnostics", "errors", "exitCode", "files", "ok", "warnings"]);
    expect(doc).toMatchObject({ ok: false, exitCode: 1, errors: 7, warnings: 1 });
    expect(doc.files.map((f) => [path.basename(f.file), f.exists, f.errors, f.warnings])).toEqual([
      ["plan.md", true, 0, 0],
      ["checklist.yaml", true, 7, 1],
      ["run-log.md", true, 0, 0],
      ["config.yaml", false, 0, 0],
    ]);
    expect(doc.diagnostics).toHaveLength(8);
    for (const d of doc.diagnostics)
      expect(Object.keys(d).sort()).toEqual(["code", "col", "file", "hint", "line", "message", "severity"]);
    expect(doc.diagnostics[0]).toMatchObject({
      line: 2,
      col: 19,
      severity: "error",
      code: "unknown-active-task",
    });

    const clean = await longrunAsync(["check", "--dir", initRepo(), "--json"]);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({
      ok: true,
      exitCode: 0,
      errors: 0,
      warnings: 0,
      diagnostics: [],
    });
  });
});

describe("check: long output goes to a file", () => {
  test("60 problems: 30 lines on the terminal, errors first, all 60 in the named file", async () => {
    const dir = await initRepo();
    const tasks = Array.from(
      { length: 60 },
      (_, i) =>
        `  - task_id: T${i}\n    title: t\n    status: ${i % 2 ? "bogus" : "not_started"}\n    acceptance_criteria: [a]\n    tpyo: 1\n`,
    ).join("");
    write(dir, "checklist.yaml", `summary:\n  status: x\ntasks:\n${tasks}`);
    const r = await longrunAsync(["check", "--dir", dir]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => l !== "");
    expect(lines.length).toBeLessThanOrEqual(33);
    expect(lines.slice(0, 30).every((l) => !l.includes(": warning "))).toBe(true);
    const more = lines.find((l) => l.startsWith("… "));
    expect(more).toMatch(/… 60 more; all 90 in .*check-\d{8}T\d{6}\.txt$/);
    const { readdirSync, readFileSync } = await import("node:fs");
    const artifacts = path.join(dir, ".longrun", "artifacts");
    const named = readdirSync(artifacts).filter((f) => more!.endsWith(f));
    expect(named).toHaveLength(1);
    const saved = readFileSync(path.join(artifacts, named[0]!), "utf8").trim().split("\n");
    expect(saved).toHaveLength(90);
    const json = JSON.parse((await longrunAsync(["check", "--dir", dir, "--json"])).stdout) as {
      diagnostics: unknown[];
    };
    expect(json.diagnostics).toHaveLength(90);
  });
});
