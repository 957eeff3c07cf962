// The real Codex CLI (pinned devDependency) against the scripted model server on 127.0.0.1.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { codexAdapter } from "../../src/harness/codex.ts";
import type { AgentSpec } from "../../src/harness/types.ts";
import { shellCall, type Turn } from "../kit/model-server.ts";
import { processesOf } from "../kit/processes.ts";
import {
  deadServerEnd,
  hermeticHome,
  isInstalled,
  messages,
  session as sessionOf,
} from "../kit/session-kit.ts";

const installed = isInstalled("codex");
hermeticHome("codex");

const session = (script: Turn[], over: Partial<AgentSpec> = {}) => sessionOf(codexAdapter, script, over);

describe.skipIf(!installed)(
  `codex ${installed ? "" : "(skipped: the codex binary could not be installed here)"}`,
  () => {
    test("a text answer ends ok with exactly the usage the script served (thread totals)", async () => {
      const { end, events } = await session([
        { text: "Hello from the model.", usage: { input: 1200, cachedInput: 800, output: 45, reasoning: 5 } },
      ]);
      expect(end).toMatchObject({ status: "ok", exitCode: 0 });
      expect(end.usage).toEqual({
        input: 1200,
        cachedInput: 800,
        cacheWrite: 0,
        output: 45,
        reasoning: 5,
        model: "mock-model",
      });
      expect(messages(events)).toEqual(["Hello from the model."]);
      expect(events[0]).toMatchObject({
        type: "run_start",
        harness: "codex",
        version: expect.stringMatching(/^codex-cli \d+\.\d+\.\d+/),
      });
      expect(end.sessionId).toMatch(/[0-9a-f-]{20,}/);
    });

    test("a tool call really writes the file; the session usage covers both requests", async () => {
      const { end, events, cwd } = await session([
        {
          ...shellCall("codex", "echo written-by-codex > out.txt"),
          usage: { input: 100, cachedInput: 20, output: 30, reasoning: 3 },
        },
        { text: "Done.", usage: { input: 150, cachedInput: 100, output: 12 } },
      ]);
      expect(end.status).toBe("ok");
      expect(readFileSync(path.join(cwd, "out.txt"), "utf8").trim()).toBe("written-by-codex");
      expect(events.map((e) => e.type)).toEqual([
        "run_start",
        "tool_start",
        "tool_end",
        "message",
        "usage",
        "run_end",
      ]);
      expect(end.usage).toMatchObject({ input: 250, cachedInput: 120, output: 42, reasoning: 3 });
    });

    test("an HTTP 500 ends with error (turn.failed, exit 1)", async () => {
      const fault: Turn = { fault: "http500", message: "upstream exploded" };
      const { end } = await session(Array.from({ length: 8 }, () => fault));
      expect(end).toMatchObject({ status: "error", exitCode: 1 });
      expect(end.reason).not.toBe("");
    });

    test("a dead server ends with error", async () => {
      const end = await deadServerEnd(codexAdapter, { timeoutMs: 90_000, idleTimeoutMs: 60_000 });
      expect(end.status).toBe("error");
    }, 120_000);

    test("a stalled stream is cut by the idle timeout within its limit, with no process left", async () => {
      const started = Date.now();
      const { end, runId } = await session([{ fault: "stall" }], { idleTimeoutMs: 2000 });
      expect(end).toMatchObject({
        status: "timeout",
        reason: "stopped after 2s without output (idle timeout)",
      });
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(processesOf(runId)).toEqual([]);
    });

    test("the private CODEX_HOME holds the config (no key on disk) and the session log", async () => {
      const { cwd, runId } = await session([{ text: "ok" }], {
        apiKeyEnv: "MY_TEST_KEY",
        env: { MY_TEST_KEY: "sk-not-on-disk" },
      });
      const home = path.join(cwd, ".longrun", "homes", "codex");
      const config = readFileSync(path.join(home, "config.toml"), "utf8");
      expect(config).toContain('env_key = "MY_TEST_KEY"');
      expect(config).not.toContain("sk-not-on-disk");
      expect(existsSync(path.join(home, "sessions"))).toBe(true);
      expect(
        readFileSync(path.join(cwd, ".longrun", "artifacts", `codex-${runId}.stdout.log`), "utf8"),
      ).toContain('"type":"thread.started"');
    });
  },
);
