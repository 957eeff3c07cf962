// The real Pi CLI (pinned devDependency) against the scripted model server on 127.0.0.1.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { AgentEvent } from "../../src/core/agent-events.ts";
import { findBinary } from "../../src/exec/find-binary.ts";
import { piAdapter } from "../../src/harness/pi.ts";
import type { AgentSpec } from "../../src/harness/types.ts";
import { type ModelServer, startModelServer, type Turn } from "../kit/model-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const installed = findBinary("pi", ROOT) !== undefined;

let savedHome: string | undefined;
beforeEach(() => {
  savedHome = process.env.HOME;
  process.env.HOME = mkdtempSync(path.join(tmpdir(), "longrun-pi-home-")); // hermetic: Pi writes under HOME
});
afterEach(() => {
  process.env.HOME = savedHome;
});

async function session(script: Turn[], over: Partial<AgentSpec> = {}) {
  const server: ModelServer = await startModelServer(script);
  const cwd = mkdtempSync(path.join(tmpdir(), "longrun-pi-repo-"));
  try {
    const run = piAdapter.start({
      cwd,
      prompt: "do the task",
      model: "mock-model",
      baseUrl: server.url,
      timeoutMs: 60_000,
      idleTimeoutMs: 30_000,
      artifactsDir: path.join(cwd, ".longrun", "artifacts"),
      retries: 0,
      ...over,
    });
    const events: AgentEvent[] = [];
    for await (const ev of run) events.push(ev);
    return { events, end: await run.result(), cwd, server, runId: run.runId };
  } finally {
    await server.close();
  }
}

describe.skipIf(!installed)(
  `pi ${installed ? "" : "(skipped: the pi binary could not be installed here)"}`,
  () => {
    test("a text answer ends ok with exactly the usage the script served", async () => {
      const { end, events } = await session([
        { text: "Hello from the model.", usage: { input: 1200, cachedInput: 800, output: 45, reasoning: 5 } },
      ]);
      expect(end).toMatchObject({ status: "ok", exitCode: 0 });
      expect(end.usage).toEqual({
        input: 1200,
        cachedInput: 800,
        cacheWrite: 0,
        output: 45,
        reasoning: 0,
        model: "mock-model",
      });
      expect(events.filter((e) => e.type === "message").map((e) => (e as { text: string }).text)).toEqual([
        "Hello from the model.",
      ]);
      expect(events[0]).toMatchObject({
        type: "run_start",
        harness: "pi",
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
      expect(end.sessionId).toMatch(/[0-9a-f-]{20,}/);
    });

    test("a tool call really writes the file; usage is summed over both requests", async () => {
      const { end, events, cwd } = await session([
        {
          toolCall: { name: "bash", arguments: { command: "echo written-by-pi > out.txt" } },
          usage: { input: 100, cachedInput: 20, output: 30 },
        },
        { text: "Done.", usage: { input: 150, cachedInput: 100, output: 12 } },
      ]);
      expect(end.status).toBe("ok");
      expect(readFileSync(path.join(cwd, "out.txt"), "utf8").trim()).toBe("written-by-pi");
      expect(events.map((e) => e.type)).toEqual([
        "run_start",
        "usage",
        "tool_start",
        "tool_end",
        "message",
        "usage",
        "run_end",
      ]);
      expect(end.usage).toMatchObject({ input: 250, cachedInput: 120, output: 42 });
    });

    test("an HTTP 500 ends with error and the server's reason, though Pi exits 0", async () => {
      // Pi's OpenAI client retries a 500 twice on its own (retries: 0 only turns off Pi's auto-retry), so every answer fails.
      const fault: Turn = { fault: "http500", message: "upstream exploded" };
      const { end } = await session([fault, fault, fault, fault]);
      expect(end).toMatchObject({ status: "error", exitCode: 0 });
      expect(end.reason).toMatch(/500/);
      expect(end.reason).toMatch(/upstream exploded/);
    });

    test("a dead server ends with error", async () => {
      const server = await startModelServer([]);
      const url = server.url;
      await server.close();
      const cwd = mkdtempSync(path.join(tmpdir(), "longrun-pi-repo-"));
      const run = piAdapter.start({
        cwd,
        prompt: "x",
        model: "mock-model",
        baseUrl: url,
        timeoutMs: 60_000,
        idleTimeoutMs: 30_000,
        artifactsDir: path.join(cwd, "a"),
        retries: 0,
      });
      for await (const _ of run) {
        // drain
      }
      const end = await run.result();
      expect(end.status).toBe("error");
      expect(end.reason).toMatch(/connect|Connection/i);
    });

    test("a stalled stream is cut by the idle timeout within its limit, with no process left", async () => {
      const started = Date.now();
      const { end, runId } = await session([{ fault: "stall" }], { idleTimeoutMs: 2000 });
      expect(end).toMatchObject({
        status: "timeout",
        reason: "stopped after 2s without output (idle timeout)",
      });
      expect(Date.now() - started).toBeLessThan(12_000);
      let left = "";
      try {
        left = execFileSync(
          "sh",
          ["-c", `grep -l "LONGRUN_RUN_ID=${runId}" /proc/[0-9]*/environ 2>/dev/null || true`],
          { encoding: "utf8" },
        );
      } catch {
        left = "";
      }
      expect(left.trim()).toBe("");
    });

    test("raw stdout and stderr are kept as artifacts", async () => {
      const { cwd, runId } = await session([{ text: "ok" }]);
      const out = path.join(cwd, ".longrun", "artifacts", `pi-${runId}.stdout.log`);
      expect(existsSync(out)).toBe(true);
      expect(readFileSync(out, "utf8")).toContain('"type":"session"');
    });
  },
);
