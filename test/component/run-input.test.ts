// `longrun run` refuses what it cannot run: one line naming the file or flag and what to do, exit 2, no file changed.
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, freshRepo, longrunAsync, snapshot, stderrLines } from "./cli.ts";
import { git, loopRepo, run, runIds } from "./loop-kit.ts";

afterAll(cleanup);

const TASK = `  - task_id: T001
    title: One
    acceptance_criteria:
      - text: one exists
        check: test -f one
    status: not_started
`;

/** Runs `longrun run` with `args` on `dir` and expects a one-line refusal matching `msg`, nothing changed. */
async function refuses(dir: string, args: string[], msg: RegExp) {
  const before = snapshot(dir);
  const r = await run(dir, args);
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(stderrLines(r)).toHaveLength(1);
  expect(r.stderr).toMatch(msg);
  const after = snapshot(dir);
  for (const k of Object.keys(after))
    if (k.startsWith(".longrun/runs/") || k.startsWith(".longrun/control/")) delete after[k];
  expect(after).toEqual(before);
  expect(runIds(dir)).toEqual([]);
}

describe.concurrent("run refuses, changing nothing", () => {
  test("a folder that is not a git repository", async () => {
    const dir = freshRepo();
    await refuses(
      dir,
      ["--harness", "command"],
      /not a git repository \(longrun commits checkpoints: run `git init`, then commit\)/,
    );
  });

  test("a repository without a commit", async () => {
    const dir = freshRepo();
    git(dir, "init", "-q");
    await refuses(dir, ["--harness", "command"], /has no commit yet \(commit the memory files first/);
  });

  test("no checklist", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true" });
    rmSync(path.join(dir, "checklist.yaml"));
    git(dir, "commit", "-qam", "no checklist");
    await refuses(dir, [], /checklist\.yaml: missing \(create it with `longrun init`/);
  });

  test("an invalid checklist, with the check error and its place", async () => {
    const { dir } = loopRepo({
      tasks: `${TASK}  - task_id: T001\n    title: Dup\n    status: not_started\n`,
      agent: "true",
    });
    await refuses(dir, [], /checklist\.yaml:11:14: duplicate-task-id: task_id `T001` is used again/);
  });

  test("an invalid config", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true", config: "loop:\n  max_attempts: 0\n" });
    await refuses(dir, [], /\.longrun\/config\.yaml:\d+:\d+: .*run `longrun check`/);
  });

  test("a dirty working tree, naming the files (the memory files do not count)", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true" });
    writeFileSync(path.join(dir, "scratch.txt"), "x");
    writeFileSync(path.join(dir, "plan.md"), "# Plan\n\nEdited.\n");
    await refuses(
      dir,
      [],
      /run: the working tree has uncommitted changes \(scratch\.txt\); commit or stash them, or pass --allow-dirty/,
    );
  });

  test("the temp file of an atomic write a kill cut short is not a change; an old one is removed", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true" });
    const old = path.join(dir, "run-log.md.3372003349");
    writeFileSync(old, "half a log");
    const past = new Date(Date.now() - 60_000);
    utimesSync(old, past, past);
    const fresh = path.join(dir, "checklist.yaml.12345");
    writeFileSync(fresh, "a write in flight");
    const r = await run(dir, ["--max-iterations", "1"]);
    expect(r.stderr).not.toMatch(/uncommitted/);
    expect(r.stdout).toMatch(/#1 T001/); // it ran
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true); // young: perhaps another command's write, left alone
  });

  test.each([
    [["--harness", "gpt"], /run: --harness `gpt` is not one of codex, claude, opencode, pi, command/],
    [["--max-cost", "lots"], /run: --max-cost `lots` is not an amount of US dollars/],
    [["--max-cost=-3"], /run: --max-cost `-3` is not an amount/],
    [["--max-time", "soon"], /run: --max-time `soon` is not a duration \(e\.g\. 90s, 30m, 8h\)/],
    [["--max-iterations", "0"], /run: --max-iterations must be at least 1/],
    [["--max-attempts", "two"], /run: --max-attempts must be a whole number, not `two`/],
    [["--max-tokens", "1.5"], /run: --max-tokens must be a whole number/],
    [["--session", "forever"], /run: --session `forever` must be fresh or continue/],
    [["--task", "T009"], /no task `T009` in checklist\.yaml \(did you mean T001\?\)/],
    [["--bogus"], /run: Unknown option '--bogus'/],
    [["extra"], /run: unexpected argument `extra`/],
  ])("flags %j", async (args, msg) => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true" });
    await refuses(dir, args, msg);
  });

  test("the command harness without a command", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true" });
    writeFileSync(path.join(dir, ".longrun", "config.yaml"), "harness:\n  name: command\n");
    git(dir, "commit", "-qam", "no command");
    await refuses(dir, [], /run: the command harness needs harness\.command in \.longrun\/config\.yaml/);
  });

  test("no harness anywhere", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "true" });
    writeFileSync(path.join(dir, ".longrun", "config.yaml"), "loop:\n  max_attempts: 2\n");
    git(dir, "commit", "-qam", "no harness");
    await refuses(
      dir,
      [],
      /run: --harness is required \(one of codex, claude, opencode, pi, command\), or set harness\.name/,
    );
  });
});

describe("run starts", () => {
  test("--allow-dirty runs a dirty tree (its changes go into the first checkpoint)", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "touch one" });
    writeFileSync(path.join(dir, "scratch.txt"), "x");
    const r = await run(dir, ["--allow-dirty"]);
    expect(r.code, r.stderr).toBe(0);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD")).toContain("scratch.txt");
  });

  test("a .longrun/.gitignore of an older longrun is extended, and that does not make the tree dirty", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "touch one" });
    const ignore = path.join(dir, ".longrun", ".gitignore");
    writeFileSync(ignore, readFileSync(ignore, "utf8").replace("control/\n", ""));
    git(dir, "commit", "-qam", "an older .gitignore");
    const r = await run(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(ignore, "utf8")).toContain("control/");
  });

  test("a second run on the same repo refuses, naming the running one", async () => {
    const { dir } = loopRepo({ tasks: TASK, agent: "sleep 3; touch one" });
    const first = run(dir);
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      await new Promise((r) => setTimeout(r, 50));
      id = runIds(dir)[0];
    }
    await new Promise((r) => setTimeout(r, 300));
    const second = await longrunAsync(["run", "--dir", dir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(
        `another \`longrun run\` is running in this repo: run ${id}, pid \\d+, since .*\\(wait for it, or end it with \`longrun stop\`\\)`,
      ),
    );
    expect((await first).code).toBe(0);
    expect(runIds(dir)).toHaveLength(1);
  });
});
