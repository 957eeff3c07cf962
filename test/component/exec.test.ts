// `longrun exec --harness command`: the real CLI supervising real shell processes.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BIN, cleanup, freshRepo, longrunAsync, NODE, testEnv } from "./cli.ts";

afterAll(cleanup);

interface Ev {
  type: string;
  seq: number;
  runId: string;
  v: number;
  [k: string]: unknown;
}

const events = (stdout: string): Ev[] =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Ev);

/** The arguments of `longrun exec` running `command` with the command harness, then `rest`. */
const execArgs = (dir: string, command: string, ...rest: string[]) => [
  "exec",
  "--dir",
  dir,
  "--harness",
  "command",
  "--command",
  command,
  ...rest,
];

const exec = (dir: string, command: string, ...extra: string[]) =>
  longrunAsync(execArgs(dir, command, "--json", ...extra, "the brief\nline two"));

/** Processes whose command line holds `tag` (the sleeps below carry a unique number of seconds). */
function alive(tag: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", tag], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

describe.concurrent("exec --harness command", () => {
  test("the brief arrives on stdin and in $LONGRUN_BRIEF; JSONL events are read, other lines are messages", async () => {
    const dir = freshRepo();
    const r = await exec(
      dir,
      `cat; echo; cat "$LONGRUN_BRIEF" | wc -l; echo "task=$LONGRUN_TASK_ID"; echo '{"type":"usage","usage":{"input":10,"cachedInput":5,"output":7,"reasoning":2}}'; echo '{"type":"tool_start","id":"t1","name":"shell","input":"ls"}'; echo 'not json {'`,
      "--task",
      "T007",
    );
    expect(r.code).toBe(0);
    const ev = events(r.stdout);
    expect(ev.map((e) => e.type)).toEqual([
      "run_start",
      "message",
      "message",
      "message",
      "message",
      "usage",
      "tool_start",
      "message",
      "run_end",
    ]);
    expect(ev.map((e) => e.seq)).toEqual(ev.map((_, i) => i));
    expect(new Set(ev.map((e) => e.runId)).size).toBe(1);
    expect(ev.every((e) => e.v === 1 && typeof e.ts === "string")).toBe(true);
    expect(ev.slice(1, 5).map((e) => e.text)).toEqual(["the brief", "line two", "1", "task=T007"]);
    const end = ev.at(-1)!;
    expect(end).toMatchObject({
      status: "ok",
      exitCode: 0,
      usage: { input: 10, cachedInput: 5, cacheWrite: 0, output: 7, reasoning: 2 },
    });
    const runs = path.join(dir, ".longrun", "runs");
    const journalDir = path.join(runs, readdirSync(runs)[0]!);
    const runDir = path.join(journalDir, "artifacts");
    const files = readdirSync(runDir);
    expect(files).toEqual(
      expect.arrayContaining([
        "brief.md",
        `command-${end.runId}.stdout.log`,
        `command-${end.runId}.stderr.log`,
      ]),
    );
    expect(readFileSync(path.join(runDir, `command-${end.runId}.stdout.log`), "utf8")).toContain(
      "not json {",
    );
    // the journal holds every event as printed, with the task it worked on
    const journal = readFileSync(path.join(journalDir, "events.jsonl"), "utf8").trim().split("\n");
    expect(journal.map((l) => JSON.parse(l))).toEqual(ev.map((e) => ({ ...e, taskId: "T007" })));
    expect(JSON.parse(readFileSync(path.join(journalDir, "run.json"), "utf8"))).toMatchObject({
      kind: "exec",
      harness: "command",
      ownLogin: false,
    });
  });

  test("a non-zero exit ends with error, the exit code and the last stderr line; exit 1", async () => {
    const dir = freshRepo();
    const r = await exec(dir, "echo working; echo 'fatal: no such model' >&2; exit 3");
    expect(r.code).toBe(1);
    expect(events(r.stdout).at(-1)).toMatchObject({
      type: "run_end",
      status: "error",
      exitCode: 3,
      reason: "the command exited with code 3: fatal: no such model",
    });
  });

  test("a multi-byte character split across writes, and a garbage line, do not break the stream", async () => {
    const dir = freshRepo();
    const script = `const w=(b)=>process.stdout.write(Buffer.from(b));w([0x63,0x61,0x66,0xc3]);setTimeout(()=>{w([0xa9,0x0a]);w('\\x00\\x01{{{\\n');},100)`;
    const r = await exec(dir, `${NODE} -e "${script.replace(/"/g, '\\"')}"`);
    expect(r.code).toBe(0);
    const texts = events(r.stdout)
      .filter((e) => e.type === "message")
      .map((e) => e.text);
    expect(texts).toEqual(["café", "\u0000\u0001{{{"]);
  });

  test("the idle timeout stops a silent session within its limit, and no process of it is left, even one in its own session", async () => {
    const dir = freshRepo();
    const tag = "3071"; // unique sleep lengths name this test's processes
    const r = await exec(
      dir,
      `setsid sleep ${tag}1 & sleep ${tag}2 & echo started; sleep ${tag}3`,
      "--idle-timeout",
      "1s",
    );
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(8000);
    expect(events(r.stdout).at(-1)).toMatchObject({
      type: "run_end",
      status: "timeout",
      reason: "stopped after 1s without output (idle timeout)",
    });
    expect(alive(`sleep ${tag}`)).toEqual([]);
  });

  test("the overall timeout stops a chatty session", async () => {
    const dir = freshRepo();
    const r = await exec(
      dir,
      "while true; do echo tick; sleep 0.2; done",
      "--timeout",
      "2s",
      "--idle-timeout",
      "10s",
    );
    expect(r.code).toBe(1);
    expect(events(r.stdout).at(-1)).toMatchObject({
      status: "timeout",
      reason: "stopped after the 2s session timeout",
    });
  });

  test("Ctrl-C on longrun stops the session (status killed) and its whole group", async () => {
    const dir = freshRepo();
    const tag = "3072";
    const child = spawn(
      NODE,
      [BIN, ...execArgs(dir, `sleep ${tag}1 & echo up; sleep ${tag}2`, "--json", "x")],
      {
        env: testEnv(),
      },
    );
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
      if (s.includes('"up"')) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(events(out).at(-1)).toMatchObject({ type: "run_end", status: "killed" });
    expect(alive(`sleep ${tag}`)).toEqual([]);
  });

  test("the human trace is short and ends with the verdict and the output folder", async () => {
    const dir = freshRepo();
    const r = await longrunAsync(execArgs(dir, "echo hello", "hi"));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^> command in /);
    expect(lines).toContain("  hello");
    expect(lines.at(-2)).toMatch(/^ok: the session ended normally \(\d+\.\ds\)$/);
    expect(lines.at(-1)).toMatch(/^output: .*\.longrun\/runs\/\d{8}T\d{9}Z-[0-9a-f]{4}$/);
    expect(existsSync(path.join(dir, ".longrun", "runs"))).toBe(true);
  });
});

describe.concurrent("exec: bad input", () => {
  test.each([
    [["--harness", "nope"], /exec: --harness `nope` is not one of codex, claude, opencode, pi, command/],
    [["--harness", "toString"], /exec: --harness `toString` is not one of/],
    [["--harness", "command", "--timeout", "soon"], /--timeout `soon` is not a duration/],
    [[], /exec: --harness is required/], // the config below names no harness
  ])("%j -> exit 2, one line", async (args, message) => {
    const dir = freshRepo();
    writeFileSync(path.join(dir, ".longrun", "config.yaml"), "harness:\n  name: null\n");
    const r = await longrunAsync(["exec", "--dir", dir, ...args, "prompt"], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  test("the command harness without a command ends not_installed, exit 2", async () => {
    const dir = freshRepo();
    const r = await longrunAsync(["exec", "--dir", dir, "--harness", "command", "--json", "x"]);
    expect(r.code).toBe(2);
    expect(events(r.stdout).at(-1)).toMatchObject({
      status: "not_installed",
      reason: expect.stringContaining("needs a command"),
    });
  });
});
