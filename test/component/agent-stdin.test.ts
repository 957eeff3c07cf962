// The process runner with stdin kept open (steerable sessions): real shell children, no mocks.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { type AgentProcessOptions, startAgentProcess } from "../../src/exec/agent-process.ts";
import { adapterFor, HARNESS_NAMES } from "../../src/harness/registry.ts";
import { processesOf } from "../kit/processes.ts";

const dir = mkdtempSync(path.join(tmpdir(), "longrun-agent-stdin-"));

const start = (command: string, over: Partial<AgentProcessOptions> = {}) => {
  const marker = randomUUID().slice(0, 8);
  const proc = startAgentProcess({
    command: "sh",
    args: ["-c", command],
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    timeoutMs: 20_000,
    idleTimeoutMs: 20_000,
    stdoutFile: path.join(dir, `${marker}.out`),
    stderrFile: path.join(dir, `${marker}.err`),
    marker,
    graceMs: 500,
    ...over,
  });
  return { proc, marker };
};

/** Every stdout line until the process has ended. */
async function all(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

/** The next stdout line. */
async function next(lines: AsyncIterable<string>): Promise<string | undefined> {
  const r = await lines[Symbol.asyncIterator]().next();
  return r.done ? undefined : r.value;
}

describe("agent process with stdin kept open", () => {
  test("the first input, then each write, reach the child in order; closeStdin is its EOF", async () => {
    const { proc } = start('while IFS= read -r l; do echo "got $l"; done; echo eof', {
      stdin: "first\n",
      keepStdinOpen: true,
    });
    expect(await next(proc.lines)).toBe("got first");
    await proc.write("second ✓\n");
    expect(await next(proc.lines)).toBe("got second ✓");
    await proc.write("third\n");
    proc.closeStdin();
    proc.closeStdin(); // twice is fine
    await expect(proc.write("late\n")).rejects.toThrow(/stdin is closed/);
    expect(await all(proc.lines)).toEqual(["got third", "eof"]);
    expect(await proc.exit).toMatchObject({ exitCode: 0, endedBy: null });
  });

  test("stop() ends the whole group though stdin is open; writes then reject", async () => {
    const { proc, marker } = start("sleep 41 & cat >/dev/null; wait", { keepStdinOpen: true });
    await proc.write("something\n");
    setTimeout(() => proc.stop(), 200);
    await all(proc.lines);
    expect(await proc.exit).toMatchObject({ endedBy: "stop" });
    await expect(proc.write("after\n")).rejects.toThrow(/stdin is closed/);
    expect(processesOf(marker)).toEqual([]);
  });

  test("the idle timeout still applies while the child waits for input", async () => {
    const { proc } = start("cat", { keepStdinOpen: true, idleTimeoutMs: 300 });
    await all(proc.lines);
    expect(await proc.exit).toMatchObject({ endedBy: "idle" });
  });

  test("a child that exits on its own closes stdin: a write rejects, never throws", async () => {
    const { proc } = start("exit 3", { keepStdinOpen: true });
    await all(proc.lines);
    expect(await proc.exit).toMatchObject({ exitCode: 3 });
    await expect(proc.write("x\n")).rejects.toThrow(/stdin is closed/);
  });

  test("without keepStdinOpen there is nothing to write to", async () => {
    const { proc } = start("cat; echo done", { stdin: "payload\n" });
    await expect(proc.write("more\n")).rejects.toThrow(/stdin is closed/);
    expect(await all(proc.lines)).toEqual(["payload", "done"]);
  });
});

describe("which runs take send", () => {
  // Each run is stopped at once: only whether `send` exists is looked at (it is known before any start).
  test.each(HARNESS_NAMES)("%s", async (name) => {
    const cwd = mkdtempSync(path.join(tmpdir(), `longrun-send-${name}-`));
    const spec = {
      cwd,
      prompt: "x",
      command: "sleep 5",
      baseUrl: "http://127.0.0.1:9",
      timeoutMs: 20_000,
      idleTimeoutMs: 20_000,
      artifactsDir: path.join(cwd, "a"),
    };
    const plain = adapterFor(name)!.start(spec);
    const steerable = adapterFor(name)!.start({ ...spec, steerable: true });
    expect(plain.send).toBeUndefined();
    expect(typeof steerable.send).toBe(name === "claude" || name === "pi" ? "function" : "undefined");
    if (steerable.send) await expect(steerable.send(" \n")).rejects.toThrow(/the message is empty/);
    for (const run of [plain, steerable]) run.stop();
    const ends = await Promise.all([plain.result(), steerable.result()]);
    for (const end of ends) expect(["killed", "not_installed"]).toContain(end.status);
    if (steerable.send) await expect(steerable.send("after the end")).rejects.toThrow(/has ended/);
  });
});
