import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  BIN,
  BIN_DIR,
  cleanup,
  freshRepo,
  longrunAsync,
  NODE,
  ROOT,
  snapshot,
  stderrLines,
  testEnv,
} from "./cli.ts";

afterAll(cleanup);

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  bin: Record<string, string>;
};

describe.concurrent("the installed entry point", () => {
  test("`node <bin of package.json>` with node_modules/.bin first on PATH runs the CLI: --version", () => {
    const bin = pkg.bin.longrun;
    expect(bin).toBeDefined();
    const env = testEnv();
    expect(env.PATH!.split(path.delimiter)[0]).toBe(BIN_DIR);
    // `node` as found on that PATH (the repo's Node 24, not the system one).
    const r = spawnSync("node", [path.join(ROOT, bin!), "--version"], { env, cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.stderr).toBe("");
    const node = spawnSync("node", ["--version"], { env, encoding: "utf8" });
    expect(Number(/^v(\d+)/.exec(node.stdout)?.[1])).toBeGreaterThanOrEqual(22);
    expect(readFileSync(path.join(ROOT, bin!), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  test("a temp folder under /proc does not hang it (no compile cache there)", () => {
    const r = spawnSync(NODE, [BIN, "--version"], {
      env: testEnv({ TMPDIR: "/proc/self/longrun-none" }),
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(r.error, "hung").toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
  test("--help lists every command and exits 0; no command prints the usage and exits 2", async () => {
    const help = await longrunAsync(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["init", "check", "status", "task", "log"])
      expect(help.stdout).toMatch(new RegExp(`^ {2}${c}\\b`, "m"));
    const none = await longrunAsync([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain("Usage: longrun <command>");
  });

  test("an unknown command, verb, flag or extra argument: exit 2, one line, no stack, no change", async () => {
    const dir = freshRepo();
    const before = snapshot(dir);
    const cases: [string[], RegExp][] = [
      [["frobnicate"], /unknown command `frobnicate` \(commands: init, check, status, task, log/],
      [["task", "frobnicate"], /unknown verb `frobnicate`/],
      [["status", "--frobnicate"], /status: Unknown option '--frobnicate'/],
      [["task", "note", "T001", "x", "--frobnicate"], /task note: Unknown option '--frobnicate'/],
      // node:util's message for this one spans three lines; longrun prints it as one.
      [["log", "--tail"], /log: Option '--tail' argument is ambiguous\. .*'--tail=-XYZ'/],
      [["task", "note", "T001", "two", "words"], /unexpected argument `words`/],
      [["status", "extra"], /status: unexpected argument `extra`/],
      [["check", "extra"], /check: unexpected argument `extra`/],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const r = await longrunAsync([...args, "--dir", dir]);
        expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
        expect(stderrLines(r), args.join(" ")).toHaveLength(1);
        expect(r.stderr).toMatch(/^longrun: /);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(r.stdout).toBe("");
      }),
    );
    expect(snapshot(dir)).toEqual(before);
  });

  test("a reader that stops early (`| head -1`) gets no stack trace, and an edit still happens", () => {
    const dir = freshRepo();
    const sh = (cmd: string) => spawnSync("sh", ["-c", cmd], { env: testEnv(), encoding: "utf8", cwd: dir });
    const cli = `"${NODE}" "${BIN}"`;
    for (const cmd of ["status", "task show T001", "log", "--help", "task note T001 piped --json"]) {
      const r = sh(`${cli} ${cmd} | true; ${cli} ${cmd.replace("piped", "again")} | head -c 1 >/dev/null`);
      expect(r.stderr, cmd).toBe("");
    }
    const show = spawnSync(NODE, [BIN, "task", "show", "T001", "--json"], {
      env: testEnv(),
      encoding: "utf8",
      cwd: dir,
    });
    expect((JSON.parse(show.stdout) as { task: { note: string } }).task.note).toBe("piped\nagain");
  });
});
