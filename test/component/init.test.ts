import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, longrunAsync, snapshot, stderrLines, tempDir } from "./cli.ts";

afterAll(cleanup);

const FILES = ["plan.md", "checklist.yaml", "run-log.md", "AGENTS.md", ".longrun/config.yaml"];

/** The 14 sections the playbook requires, in order (written out here, not imported, so the test is an oracle). */
const PLAN_SECTIONS = [
  "Purpose",
  "Context and orientation",
  "Scope",
  "Acceptance criteria",
  "Constraints and invariants",
  "Plan of work",
  "Implementation map",
  "Verification",
  "Rollout and rollback",
  "Idempotence and recovery",
  "Interfaces and dependencies",
  "Skills and tools",
  "Golden examples",
  "Open questions",
];

const read = (dir: string, f: string) => readFileSync(path.join(dir, f), "utf8");

describe.concurrent("longrun init", () => {
  test("creates the five files; plan.md has all 14 sections in order; check accepts the result", async () => {
    const dir = tempDir();
    const r = await longrunAsync(["init", "--dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    for (const f of FILES) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
      expect(read(dir, f).length, f).toBeGreaterThan(50);
      expect(r.stdout).toContain(`created  ${f}`);
    }
    const headings = read(dir, "plan.md")
      .split("\n")
      .filter((l) => l.startsWith("## "))
      .map((l) => l.slice(3).trim());
    expect(headings).toEqual(PLAN_SECTIONS);

    const checklist = read(dir, "checklist.yaml");
    expect(checklist).toMatch(/^summary:$/m);
    expect(checklist).toMatch(/^tasks:$/m);
    expect(checklist).toMatch(/^ {2}- task_id: T001$/m);

    const check = await longrunAsync(["check", "--dir", dir]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^ok: 4 files valid$/m);
  });

  test("run-log.md: title, Context, Events (append-only) with the first event, Follow-ups with 5 prompts last", async () => {
    const dir = tempDir();
    expect((await longrunAsync(["init", "--dir", dir])).code).toBe(0);
    const lines = read(dir, "run-log.md").split("\n");
    expect(lines[0]).toBe("# Run log");
    const headings = lines.filter((l) => /^#{1,2} /.test(l));
    expect(headings).toEqual(["# Run log", "## Context", "## Events (append-only)", "## Follow-ups"]);
    const events = lines.indexOf("## Events (append-only)");
    expect(lines[events + 1]).toMatch(/^- \d{4}-\d{2}-\d{2} \d{2}:\d{2} note: \S/);
    const followUps = lines.slice(lines.indexOf("## Follow-ups") + 1).filter((l) => l.trim() !== "");
    expect(followUps).toHaveLength(5);
    for (const l of followUps) expect(l).toMatch(/^- .+\?$/);
  });

  test("a second run creates nothing, keeps every file byte-identical and exits 2 saying so", async () => {
    const dir = tempDir();
    expect((await longrunAsync(["init", "--dir", dir])).code).toBe(0);
    writeFileSync(path.join(dir, "checklist.yaml"), `${read(dir, "checklist.yaml")}# my edit\n`);
    const before = snapshot(dir);
    const r = await longrunAsync(["init", "--dir", dir]);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/^longrun: .*nothing (was )?created/);
    for (const f of FILES) expect(r.stdout).toContain(`kept     ${f}`);
    expect(snapshot(dir)).toEqual(before);
  });

  test("a second run with --json prints one JSON document: the error", async () => {
    const dir = tempDir();
    expect((await longrunAsync(["init", "--dir", dir])).code).toBe(0);
    const before = snapshot(dir);
    const r = await longrunAsync(["init", "--dir", dir, "--json"]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { error: { message: string; exitCode: number } };
    expect(doc.error.exitCode).toBe(2);
    expect(doc.error.message).toMatch(/nothing (was )?created/);
    expect(snapshot(dir)).toEqual(before);
  });

  test("an existing AGENTS.md is kept as it is; the other files are created", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "AGENTS.md"), "# My own agents file\n\nDo not touch.\n");
    const r = await longrunAsync(["init", "--dir", dir, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { created: string[]; kept: string[] };
    expect(doc.kept).toEqual(["AGENTS.md"]);
    expect(doc.created).toEqual(FILES.filter((f) => f !== "AGENTS.md"));
    expect(read(dir, "AGENTS.md")).toBe("# My own agents file\n\nDo not touch.\n");
  });

  test("--json: {dir, created, kept, failed} and nothing else on stdout", async () => {
    const dir = path.join(tempDir(), "new", "folder");
    const r = await longrunAsync(["init", "--dir", dir, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(["created", "dir", "failed", "kept"]);
    expect(doc).toEqual({ dir, created: FILES, kept: [], failed: [] });
  });
});
