import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, freshRepo, longrunAsync, snapshot, stderrLines } from "./cli.ts";

afterAll(cleanup);

/** A repo whose checklist holds `tasks` (YAML list items, indented by two) after T000, which is complete. */
function repoWith(tasks: string): string {
  const dir = freshRepo();
  writeFileSync(
    path.join(dir, "checklist.yaml"),
    `summary:\n  status: started\n  active_task_id: null\ntasks:\n  - task_id: T000\n    title: Done already\n    status: complete\n${tasks}`,
  );
  return dir;
}

const events = async (dir: string, tag: string) => {
  const r = await longrunAsync(["log", "--tag", tag, "--json", "--dir", dir]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { events: { tag: string; text: string }[] }).events;
};

const showTask = async (dir: string, id: string) => {
  const r = await longrunAsync(["task", "show", id, "--json", "--dir", dir]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { task: { status: string; note?: string } }).task;
};

describe.concurrent("task complete", () => {
  test("a failing check: exit 1, still in_progress, output file named and kept, failure logged", async () => {
    const dir = repoWith(`  - task_id: T001
    title: Make it pass
    status: in_progress
    acceptance_criteria:
      - text: the marker file exists
        check: test -f marker
      - text: it prints and fails
        check: "pwd; echo OUT-MARKER; echo ERR-MARKER >&2; exit 3"
`);
    writeFileSync(path.join(dir, "marker"), "");
    const r = await longrunAsync(["task", "complete", "T001", "--dir", dir]);
    expect(r.code, r.stderr).toBe(1);
    const named = /(\S*\.longrun\/artifacts\/checks\/T001-[^\s)]+\.log)/.exec(r.stdout + r.stderr)?.[1];
    expect(named, r.stdout).toBeDefined();
    const artifact = path.isAbsolute(named!) ? named! : path.resolve(path.dirname(dir), named!);
    expect(artifact.startsWith(path.join(dir, ".longrun", "artifacts", "checks"))).toBe(true);
    expect(existsSync(artifact)).toBe(true);
    const output = readFileSync(artifact, "utf8");
    expect(output).toContain("OUT-MARKER");
    expect(output).toContain("ERR-MARKER");
    expect(output).toContain(`${dir}\n`); // ran in the repo folder
    expect(r.stdout).toMatch(/^pass .*marker file exists/m);
    expect(r.stdout).toMatch(/^FAIL .*it prints and fails/m);

    expect((await showTask(dir, "T001")).status).toBe("in_progress");
    const failures = await events(dir, "failure");
    expect(failures).toHaveLength(1);
    expect(failures[0]!.text).toMatch(/^T001 not complete: 1 of 2 checks failed; .*exited 3/);
    expect(await events(dir, "evidence")).toEqual([]);
  });

  test("string criteria and no --evidence: exit 2, nothing changes", async () => {
    const dir = repoWith(`  - task_id: T001
    title: Looks right
    status: in_progress
    acceptance_criteria:
      - the page looks right
      - text: it builds
        check: "true"
`);
    const before = snapshot(dir);
    const r = await longrunAsync(["task", "complete", "T001", "--dir", dir]);
    expect(r.code).toBe(2);
    expect(stderrLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^longrun: T001 has 1 criterion that no command checks \("the page looks right"\).*--evidence/,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  test("all passing plus evidence: complete, evidence in the note and logged", async () => {
    const dir = repoWith(`  - task_id: T001
    title: Ship the page
    status: in_progress
    note: started yesterday
    acceptance_criteria:
      - the page looks right
      - text: plan exists
        check: test -f plan.md
    verify:
      - "test -d .longrun"
`);
    const r = await longrunAsync([
      "task",
      "complete",
      "T001",
      "--evidence",
      "screenshot in review #12",
      "--dir",
      dir,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pass {2}check: plan exists/m);
    expect(r.stdout).toMatch(/^pass {2}verify: test -d \.longrun/m);
    const t = await showTask(dir, "T001");
    expect(t.status).toBe("complete");
    expect(t.note).toMatch(
      /^started yesterday\n.*complete: 2 checks passed .*evidence: screenshot in review #12$/,
    );
    const evidence = await events(dir, "evidence");
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.text).toMatch(/^T001 complete: Ship the page\..*evidence: screenshot in review #12/);
    expect(await events(dir, "failure")).toEqual([]);
    // Every task is done, but the summary's status is a person's own word: left alone.
    expect(readFileSync(path.join(dir, "checklist.yaml"), "utf8")).toMatch(/^ {2}status: started$/m);
  });

  test("a hanging check is stopped by --timeout 2s: exit 1 and no process left behind", async () => {
    const marker = `300.${process.pid}${Math.floor(Math.random() * 1e6)}`; // unique: other tests may sleep too
    const dir = repoWith(`  - task_id: T001
    title: Hangs
    status: in_progress
    acceptance_criteria:
      - text: never returns
        check: "sleep ${marker} & sleep ${marker}"
`);
    const r = await longrunAsync(["task", "complete", "T001", "--timeout", "2s", "--dir", dir], {
      timeoutMs: 20_000,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(15_000);
    expect(r.stdout).toMatch(/FAIL .*never returns/);
    const left = spawnSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" });
    expect(left.error).toBeUndefined();
    expect(left.stdout.trim(), "sleep processes still running").toBe("");
    expect(left.status).toBe(1); // pgrep: no process matched
    expect((await showTask(dir, "T001")).status).toBe("in_progress");
    const failures = await events(dir, "failure");
    expect(failures[0]?.text).toMatch(/timed out after 2s/);
  });
});
