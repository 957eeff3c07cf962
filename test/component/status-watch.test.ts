// `longrun status --watch`: frames on change (piped), JSON lines, in-place redraw on a real terminal, clean exits.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BIN, cleanup, freshRepo, longrunAsync, NODE, stderrLines, tempRoot, testEnv } from "./cli.ts";

afterAll(cleanup);

const TASKS = (n: number, status = "not_started") =>
  Array.from(
    { length: n },
    (_, i) => `  - task_id: T${String(i + 1).padStart(3, "0")}
    title: Task ${i + 1} with a title long enough to be cut in a narrow terminal window
    status: ${status}
    acceptance_criteria: [works]
`,
  ).join("");

function repo(tasks = 3): string {
  const dir = freshRepo();
  writeFileSync(path.join(dir, "checklist.yaml"), `summary:\n  status: started\ntasks:\n${TASKS(tasks)}`);
  return dir;
}

interface Watcher {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves once `pred(stdout)` holds; fails with the output so far after 15 s. */
  until: (what: string, pred: (out: string) => boolean) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(file: string, args: string[], stdin: "pipe" | "ignore" = "ignore"): Watcher {
  const child = spawn(file, args, { cwd: tempRoot(), env: testEnv(), stdio: [stdin, "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => {
    out += s;
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => {
    err += s;
  });
  const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal });
    }),
  );
  const until = async (what: string, pred: (o: string) => boolean) => {
    const end = Date.now() + 15_000;
    while (!pred(out)) {
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`no ${what} in:\n${JSON.stringify(out)}\nstderr: ${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, out: () => out, err: () => err, until, exit };
}

const watchCli = (args: string[]) => start(NODE, [BIN, "status", "--watch", ...args]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Piped frames: each starts with its header line and is set off by a blank line. */
const frames = (out: string) => out.split(/\n\n(?=longrun status at )/).filter((f) => f.trim());
/** Save the checklist whole, as an editor that renames does: a watch never reads it half written. */
const save = (dir: string, text: string) => {
  const file = path.join(dir, "checklist.yaml");
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};
const edit = (dir: string, from: string, to: string) =>
  save(dir, readFileSync(path.join(dir, "checklist.yaml"), "utf8").replace(from, to));

describe.concurrent("longrun status --watch, piped", () => {
  test("a frame at start, a new one only after a change, and SIGINT exits 0 with nothing on stderr", async () => {
    const dir = repo();
    const w = watchCli(["--interval", "100ms", "--dir", dir]);
    await w.until("first frame", (o) => /^log:$/m.test(o));
    expect(w.out()).toMatch(/^longrun status at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n.*: started\n/);
    await sleep(600); // six polls with nothing changed: no new frame
    expect(frames(w.out()), w.out()).toHaveLength(1);
    edit(dir, "status: not_started", "status: in_progress");
    await w.until("second frame", (o) => frames(o).length === 2);
    const [first, second] = frames(w.out());
    expect(frames(w.out()), w.out()).toHaveLength(2);
    expect(first).toMatch(/^next \(3 ready\):$/m);
    expect(second).toMatch(/^active: T001 Task 1 /m);
    expect(second).toMatch(/^next \(2 ready\):$/m);
    expect(w.out()).toMatch(/\n\nlongrun status at /);
    w.child.kill("SIGINT");
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    expect(w.err(), w.out()).toBe("");
  });

  test("the run log and the steering queue are inputs too", async () => {
    const dir = repo();
    const w = watchCli(["--interval", "100ms", "--dir", dir]);
    await w.until("first frame", (o) => /^log:$/m.test(o));
    expect(
      (await longrunAsync(["log", "add", "--dir", dir, "--tag", "decision", "retry with jitter"])).code,
    ).toBe(0);
    await w.until("the new log event", (o) => /decision: retry with jitter$/m.test(o));
    expect((await longrunAsync(["steer", "--dir", dir, "look at the flaky test first"])).code).toBe(0);
    await w.until("the steering message", (o) => /^ {2}look at the flaky test first$/m.test(o));
    w.child.kill("SIGTERM");
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    expect(w.err(), w.out()).toBe("");
  });

  test("a checklist broken mid-watch is shown in one line and the watch goes on; fixed, the view is back", async () => {
    const dir = repo();
    const good = readFileSync(path.join(dir, "checklist.yaml"), "utf8");
    const w = watchCli(["--interval", "100ms", "--dir", dir]);
    await w.until("first frame", (o) => /^log:$/m.test(o));
    save(dir, `${good}  - [unclosed\n`);
    await w.until("the error", (o) => /^error: .*checklist\.yaml:\d+:\d+: /m.test(o));
    const broken = frames(w.out()).at(-1)!.trimEnd().split("\n");
    expect(broken, w.out()).toHaveLength(2); // header and the one error line
    save(dir, good.replace("status: started", "status: fixed"));
    await w.until("the view again", (o) => /: fixed\n/.test(o));
    w.child.kill("SIGINT");
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    expect(w.err(), w.out()).toBe("");
  });

  test("--json --watch: one JSON object per line per change, an error as {error}", async () => {
    const dir = repo();
    const w = watchCli(["--json", "--interval", "100ms", "--dir", dir]);
    await w.until("first line", (o) => o.endsWith("\n"));
    edit(dir, "status: not_started", "status: complete");
    await w.until("second line", (o) => o.split("\n").length === 3);
    save(dir, "tasks: [\n");
    await w.until("third line", (o) => o.split("\n").length === 4);
    w.child.kill("SIGINT");
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    const lines = w
      .out()
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, never>);
    expect(lines[0]).toMatchObject({ dir, nextCount: 3, counts: { complete: 0 } });
    expect(lines[1]).toMatchObject({ dir, counts: { complete: 1 } });
    expect(Object.keys(lines[1]!).sort()).toEqual(Object.keys(lines[0]!).sort());
    expect(lines[2]).toEqual({
      error: { message: expect.stringMatching(/checklist\.yaml:\d+:\d+: /), exitCode: 2 },
    });
    expect(w.err(), w.out()).toBe("");
  });

  test("bad flags and a missing checklist at start: one line, exit 2, as without --watch", async () => {
    const dir = repo();
    for (const [args, msg] of [
      [["--interval", "soon"], /^longrun: status: --interval `soon` is not a duration \(e\.g\. 500ms, 2s\)$/],
      [["--interval", "5ms"], /^longrun: status: --interval 5ms is too short \(100ms at least\)$/],
    ] as const) {
      const r = await longrunAsync(["status", "--watch", ...args, "--dir", dir]);
      expect(r.code, r.stderr).toBe(2);
      expect(stderrLines(r)).toEqual([expect.stringMatching(msg)]);
      expect(r.stdout).toBe("");
    }
    const alone = await longrunAsync(["status", "--interval", "2s", "--dir", dir]);
    expect([alone.code, stderrLines(alone)]).toEqual([2, ["longrun: status: --interval needs --watch"]]);
    const empty = freshRepo();
    rmSync(path.join(empty, "checklist.yaml"));
    const plain = await longrunAsync(["status", "--dir", empty]);
    const watched = await longrunAsync(["status", "--watch", "--dir", empty]);
    expect(watched.code).toBe(2);
    expect(watched.stderr).toBe(plain.stderr);
    expect(stderrLines(watched)).toHaveLength(1);
  });
});

const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const ESC = "\x1b[";

/** `longrun status --watch` on a real terminal of 60x8: util-linux `script` gives it a pty. */
function onTty(dir: string, tail = "", before = "") {
  const cmd = `stty cols 60 rows 8; ${before}exec ${q(NODE)} ${q(BIN)} status --watch --interval 100ms --dir ${q(dir)}${tail}`;
  return start("script", ["-qfec", cmd, "/dev/null"], "pipe");
}

describe.skipIf(!hasScript).concurrent("longrun status --watch on a terminal", () => {
  test("hides the cursor, clips to the window, rewrites only changed rows, and Ctrl-C restores the terminal", async () => {
    const dir = repo(12);
    const w = onTty(dir);
    await w.until("first frame", (o) => o.includes("Ctrl-C to quit"));
    const out0 = w.out();
    expect(out0.startsWith(`${ESC}?25l${ESC}?7l${ESC}H${ESC}2J`)).toBe(true);
    expect(out0).toMatch(/\x1b\[1;1H\d\d:\d\d:\d\d {2}longrun status, every 100ms · Ctrl-C to quit/);
    // 8 rows: the last one says what did not fit; no row is drawn below it
    expect(out0).toMatch(/\x1b\[8;1H… \d+ more lines/);
    expect(out0).not.toMatch(/\x1b\[9;1H/);
    // 60 columns: the tasks line is cut
    expect(out0).toMatch(/\x1b\[3;1Htasks: 12 \| not_started 12 \| in_progress 0 \| complete 0 \| f…\x1b/);
    edit(dir, "status: started", "status: moving");
    await w.until("the redraw", (o) => o.includes("moving"));
    // row 2 is rewritten in place (cursor to the row, the line, clear to its end), not the whole screen
    await w.until("the whole redraw", (o) => o.slice(out0.length).includes(`moving${ESC}K`));
    const redraw = w.out().slice(out0.length);
    expect(redraw).toMatch(/\x1b\[2;1H.*: moving\x1b\[K/);
    expect(redraw).not.toContain(`${ESC}2J`);
    expect(redraw).not.toContain(`${ESC}3;1Htasks`); // unchanged rows are not written again
    w.child.stdin!.write("\x03");
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    // the last frame stays; the cursor goes below it, visible, with line wrap back on
    expect(w.out().endsWith(`${ESC}8;1H\r\n${ESC}?7h${ESC}?25h`)).toBe(true);
    expect(w.err(), w.out()).toBe("");
  });

  test("a resized window (SIGWINCH) is drawn again whole, at its new size", async () => {
    const dir = repo(12);
    const go = path.join(dir, "resize-now");
    const w = onTty(
      dir,
      "",
      `(while [ ! -e ${q(go)} ]; do sleep 0.05; done; stty cols 40 rows 6 < /dev/tty) & `,
    );
    await w.until("first frame", (o) => o.includes("Ctrl-C to quit"));
    const before = w.out().length;
    writeFileSync(go, "");
    await w.until("the redraw at 40x6", (o) => /\x1b\[6;1H… \d+ more lines/.test(o.slice(before)));
    const after = w.out().slice(before);
    expect(after).toContain(`${ESC}H${ESC}2J`);
    expect(after).toMatch(/\x1b\[3;1Htasks: 12 \| not_started 12 \| in_progres…\x1b/);
    w.child.stdin!.write("q");
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    expect(w.out().endsWith(`${ESC}6;1H\r\n${ESC}?7h${ESC}?25h`)).toBe(true);
  });

  test("SIGINT from the terminal (stdin not a terminal, so Ctrl-C is a signal) exits 0 and restores the cursor", async () => {
    const dir = repo(2);
    const w = onTty(dir, " < /dev/null");
    await w.until("first frame", (o) => o.includes("Ctrl-C to quit"));
    w.child.stdin!.write("\x03"); // the pty's line discipline turns it into SIGINT for the foreground job
    expect(await w.exit, w.err()).toEqual({ code: 0, signal: null });
    expect(w.out()).toContain(`${ESC}?25h`);
    expect(w.out()).not.toMatch(/Error|at .*\.js:\d+/);
  });
});
