import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { pidsWithEnv } from "./processes.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Node 24 from the `node` devDependency, never the system one. */
const NODE = path.join(ROOT, "node_modules", ".bin", "node");
const AGENT = fileURLToPath(new URL("./fake-agent.mjs", import.meta.url));
/** Every agent of this file carries it, so escaped children can be found and reaped. */
const MARKER = `FAKE_AGENT_TEST_RUN=${randomUUID()}`;

const dir = mkdtempSync(path.join(os.tmpdir(), "longrun-fake-agent-"));
afterAll(() => {
  for (const pid of pidsWithEnv(MARKER)) process.kill(pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

const LINES = [
  '{"type":"start","id":1}',
  '{"type":"text","text":"café ✓ 𝄞 \u2028 end"}',
  '{"type":"done"}\r',
];
const script = path.join(dir, "script.jsonl");
writeFileSync(script, `${LINES.join("\n")}\n`);

interface Agent {
  pid: number;
  chunks: Buffer[];
  /** Arrival time of each stdout chunk. */
  times: number[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout holds `n` complete lines. */
  lines: (n: number) => Promise<string[]>;
}

function agent(env: Record<string, string>, stdin?: string): Agent {
  const [k, v] = MARKER.split("=") as [string, string];
  const child = spawn(NODE, [AGENT], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", FAKE_AGENT_SCRIPT: script, [k]: v, ...env },
    stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    detached: true, // its own process group, as longrun's exec module runs agents
  });
  if (stdin !== undefined) child.stdin!.end(stdin);
  const chunks: Buffer[] = [];
  const times: number[] = [];
  let err = "";
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (c: Buffer) => {
    chunks.push(c);
    times.push(performance.now());
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => {
    err += s;
    for (const w of waiters.splice(0)) w();
  });
  const text = () => Buffer.concat(chunks).toString("utf8");
  const until = (ok: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (ok() ? resolve() : waiters.push(check));
      check();
    });
  return {
    pid: child.pid!,
    chunks,
    times,
    stderr: () => err,
    exited: new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal }))),
    lines: async (n) => {
      await until(() => text().split("\n").length > n);
      return text().split("\n").slice(0, n);
    },
  };
}

async function finish(a: Agent) {
  const { code } = await a.exited;
  return { code, stdout: Buffer.concat(a.chunks).toString("utf8"), stderr: a.stderr() };
}

/** [pgrp, session] of a process, from /proc/<pid>/stat. */
function groupAndSession(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [, , pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [Number(pgrp), Number(session)];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.concurrent("fake-agent.mjs", () => {
  test("prints the script's lines verbatim (CR, U+2028 and all) and exits 0", async () => {
    const r = await finish(agent({}));
    expect(r).toEqual({ code: 0, stdout: `${LINES.join("\n")}\n`, stderr: "" });
  });

  test("FAKE_AGENT_EXIT sets the exit code, after every line", async () => {
    const r = await finish(agent({ FAKE_AGENT_EXIT: "3" }));
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`${LINES.join("\n")}\n`);
  });

  test("FAKE_AGENT_STDERR goes to stderr only", async () => {
    const r = await finish(agent({ FAKE_AGENT_STDERR: "warning: ünïcode" }));
    expect(r.stderr).toBe("warning: ünïcode\n");
    expect(r.stdout).toBe(`${LINES.join("\n")}\n`);
  });

  test("FAKE_AGENT_READ_STDIN reads stdin to EOF and echoes it as a message line first", async () => {
    const r = await finish(agent({ FAKE_AGENT_READ_STDIN: "1" }, "do the task ✓\nsecond line\n"));
    const [first, ...rest] = r.stdout.split("\n");
    expect(JSON.parse(first!)).toEqual({ type: "message", text: "do the task ✓\nsecond line\n" });
    expect(rest.join("\n")).toBe(`${LINES.join("\n")}\n`);
  });

  // Sequential: under a busy event loop a reader could get two writes in one chunk.
  test.sequential("FAKE_AGENT_DELAY_MS spaces the lines: each arrives in its own chunk, at least the delay apart", async () => {
    const a = agent({ FAKE_AGENT_DELAY_MS: "150" });
    expect((await finish(a)).code).toBe(0);
    expect(a.chunks.map((c) => c.toString("utf8"))).toEqual(LINES.map((l) => `${l}\n`));
    expect(a.times.at(-1)! - a.times[0]!).toBeGreaterThanOrEqual(2 * 150 - 5);
  });

  test.sequential("FAKE_AGENT_SPLIT_UTF8 cuts each line inside a multi-byte character; the bytes add up", async () => {
    const a = agent({ FAKE_AGENT_SPLIT_UTF8: "1" });
    const r = await finish(a);
    expect(r.stdout).toBe(`${LINES.join("\n")}\n`);
    const strict = new TextDecoder("utf-8", { fatal: true });
    const broken = a.chunks.filter((c) => {
      try {
        strict.decode(c);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.length).toBeGreaterThanOrEqual(1);
    expect(a.chunks.length).toBeGreaterThan(LINES.length);
  });

  test("FAKE_AGENT_GARBAGE adds exactly one line that is not JSON", async () => {
    const r = await finish(agent({ FAKE_AGENT_GARBAGE: "1" }));
    const lines = r.stdout.replace(/\n$/, "").split("\n");
    const bad = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(lines).toHaveLength(LINES.length + 1);
    expect(bad).toHaveLength(1);
  });

  test("FAKE_AGENT_CRASH: the first line, then an uncaught error (exit 1, stack on stderr)", async () => {
    const r = await finish(agent({ FAKE_AGENT_CRASH: "1" }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${LINES[0]}\n`);
    expect(r.stderr).toMatch(/Error: fake agent crashed\n\s+at /);
  });

  test("FAKE_AGENT_HANG: the first line, then a hang; its `sleep` child escapes the group and keeps the env", async () => {
    const a = agent({ FAKE_AGENT_HANG: "1" });
    expect(await a.lines(1)).toEqual([LINES[0]]);
    await new Promise<void>((resolve) => {
      const poll = () => (/pid \d+/.test(a.stderr()) ? resolve() : setTimeout(poll, 10));
      poll();
    });
    const sleepPid = Number(/pid (\d+)/.exec(a.stderr())![1]);
    try {
      for (let i = 0; i < 200 && readFileSync(`/proc/${sleepPid}/comm`, "utf8").trim() !== "sleep"; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(readFileSync(`/proc/${sleepPid}/comm`, "utf8").trim()).toBe("sleep");
      expect(alive(a.pid)).toBe(true);
      // The agent leads its own group; the sleep leads a new session of its own.
      expect(groupAndSession(a.pid)[0]).toBe(a.pid);
      expect(groupAndSession(sleepPid)).toEqual([sleepPid, sleepPid]);
      expect(pidsWithEnv(MARKER)).toContain(sleepPid);

      process.kill(-a.pid, "SIGKILL");
      expect((await a.exited).signal).toBe("SIGKILL");
      expect(alive(sleepPid)).toBe(true); // killing the group missed it
    } finally {
      for (const pid of [-a.pid, sleepPid]) if (alive(pid)) process.kill(pid, "SIGKILL");
    }
  });
});
