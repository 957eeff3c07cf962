// The real Claude Code CLI (pinned devDependency) against the scripted model server on 127.0.0.1.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { claudeAdapter } from "../../src/harness/claude.ts";
import type { AgentSpec } from "../../src/harness/types.ts";
import {
  lastEntryKind,
  lastUserText,
  type ModelServer,
  type RecordedRequest,
  shellCall,
  type Turn,
} from "../kit/model-server.ts";
import { processesOf } from "../kit/processes.ts";
import {
  deadServerEnd,
  files,
  hermeticHome,
  isInstalled,
  messages,
  requested,
  type SessionOptions,
  session as sessionOf,
  until,
} from "../kit/session-kit.ts";

const installed = isInstalled("claude");
hermeticHome("claude");

/** One session against a fresh server (see session-kit's `session` for the options). */
const session = (script: Turn[], over: Partial<AgentSpec> = {}, opts: SessionOptions = {}) =>
  sessionOf(claudeAdapter, script, over, opts);

describe.skipIf(!installed)(
  `claude ${installed ? "" : "(skipped: the claude binary could not be installed here)"}`,
  () => {
    test("a text answer ends ok with exactly the usage the script served", async () => {
      const { end, events, run } = await session([
        {
          text: "Hello from the model.",
          usage: { input: 1200, cachedInput: 800, cacheWrite: 50, output: 45 },
        },
      ]);
      expect(end).toMatchObject({ status: "ok", exitCode: 0 });
      const served = { input: 1200, cachedInput: 800, cacheWrite: 50, output: 45, reasoning: 0 };
      expect(end.usage).toEqual({ ...served, model: "mock-model" });
      expect(requested(events)).toEqual({ ...served, model: "mock-model" });
      expect(messages(events)).toEqual(["Hello from the model."]);
      expect(events[0]).toMatchObject({
        type: "run_start",
        harness: "claude",
        version: expect.stringMatching(/^\d+\.\d+\.\d+ \(Claude Code\)/),
      });
      expect(end.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(run.send).toBeUndefined(); // not steerable: the brief is the argument, stdin is closed
    });

    test("a tool call really writes the file; each request is counted once", async () => {
      const { end, events, cwd } = await session([
        {
          ...shellCall("claude", "echo written-by-claude > out.txt"),
          text: "Writing it.",
          usage: { input: 100, cachedInput: 20, cacheWrite: 7, output: 30 },
        },
        { text: "Done.", reasoning: "It is written.", usage: { input: 150, cachedInput: 100, output: 12 } },
      ]);
      expect(end.status).toBe("ok");
      expect(readFileSync(path.join(cwd, "out.txt"), "utf8").trim()).toBe("written-by-claude");
      expect(events.map((e) => (e.type === "usage" ? `usage:${e.scope}` : e.type))).toEqual([
        "run_start",
        "message",
        "tool_start",
        "usage:request",
        "tool_end",
        "reasoning",
        "message",
        "usage:request",
        "usage:session",
        "run_end",
      ]);
      expect(events.find((e) => e.type === "tool_start")).toMatchObject({
        name: "Bash",
        input: { command: "echo written-by-claude > out.txt" },
      });
      expect(events.find((e) => e.type === "tool_end")).toMatchObject({ name: "Bash", ok: true });
      const total = { input: 250, cachedInput: 120, cacheWrite: 7, output: 42, reasoning: 0 };
      expect(end.usage).toEqual({ ...total, model: "mock-model" });
      expect(requested(events)).toEqual({ ...total, model: "mock-model" });
    });

    test("an HTTP 500 that outlasts the retries ends with error and the server's message", async () => {
      const fault: Turn = { fault: "http500", message: "upstream exploded" };
      const { end, events, server } = await session(
        Array.from({ length: 4 }, () => fault),
        { retries: 1 },
      );
      expect(end).toMatchObject({ status: "error", exitCode: 1 });
      expect(end.reason).toMatch(/^API Error: 500 upstream exploded/);
      expect(end.reason).not.toContain("\n");
      expect(events.some((e) => e.type === "error" && /retrying \(attempt 1 of 1\)/.test(e.message))).toBe(
        true,
      );
      expect(server.requests.filter((r) => r.protocol === "anthropic")).toHaveLength(2);
    });

    test("a dead server ends with error", async () => {
      const end = await deadServerEnd(claudeAdapter, { timeoutMs: 30_000, idleTimeoutMs: 20_000 });
      expect(end.status).toBe("error");
      expect(end.reason).toMatch(/Unable to connect/);
    });

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

    test("stop() during a running tool ends the session as killed, with no process left", async () => {
      const started = Date.now();
      const { end, runId } = await session(
        [shellCall("claude", "sleep 30")],
        { timeoutMs: 30_000, idleTimeoutMs: 20_000 },
        { on: (ev, run) => ev.type === "tool_start" && setTimeout(() => run.stop(), 500) },
      );
      expect(end).toMatchObject({ status: "killed", reason: "stopped on request" });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(processesOf(runId)).toEqual([]);
    });

    test("the private home holds the session log and no key; the key reaches the server", async () => {
      const { cwd, runId, server, end } = await session(
        [{ text: "ok" }],
        { apiKeyEnv: "MY_TEST_KEY", env: { MY_TEST_KEY: "sk-not-on-disk" } },
        { at: (url) => `${url}/v1/` }, // given with /v1: Claude must still get the bare URL
      );
      expect(end.status).toBe("ok");
      const model = server.requests.find((r) => r.protocol === "anthropic");
      expect(model?.path).toMatch(/^\/v1\/messages/);
      expect(model?.headers["x-api-key"]).toBe("sk-not-on-disk");
      const home = path.join(cwd, ".longrun", "homes", "claude");
      const onDisk = files(home);
      expect(onDisk.some((f) => f.endsWith(`${end.sessionId}.jsonl`))).toBe(true);
      for (const f of onDisk) expect(readFileSync(f, "latin1")).not.toContain("sk-not-on-disk");
      expect(
        readFileSync(path.join(cwd, ".longrun", "artifacts", `claude-${runId}.stdout.log`), "utf8"),
      ).toContain('"subtype":"init"');
    });

    test("--resume continues the same session with its earlier turns", async () => {
      const first = await session([{ text: "first answer" }], { prompt: "remember the word kiwi" });
      const second = await session(
        [{ text: "kiwi" }],
        { resumeSession: first.end.sessionId },
        { cwd: first.cwd },
      );
      expect(second.end.status).toBe("ok");
      expect(second.end.sessionId).toBe(first.end.sessionId);
      const body = JSON.stringify(second.server.requests.find((r) => r.protocol === "anthropic")?.body);
      expect(body).toContain("remember the word kiwi");
      expect(body).toContain("first answer");
    });

    describe("steerable (stream-json input, send)", () => {
      const STEER = "STEER: also say banana";

      test("a message sent during a tool call reaches the model's next request; ok, with exactly the usage served", async () => {
        const sent: Promise<void>[] = [];
        const { end, events, server, run } = await session(
          [
            {
              ...shellCall("claude", "sleep 2 && echo hi"),
              usage: { input: 100, cachedInput: 10, output: 20 },
            },
            { text: "Done, and banana.", usage: { input: 150, cachedInput: 40, cacheWrite: 5, output: 12 } },
          ],
          { steerable: true },
          { on: (ev, run) => ev.type === "tool_start" && sent.push(run.send!(STEER)) },
        );
        await Promise.all(sent);
        expect(end).toMatchObject({ status: "ok", exitCode: 0 });
        const asked = model(server);
        expect(asked).toHaveLength(2);
        expect(JSON.stringify(asked[0]!.body)).not.toContain(STEER);
        // Within the turn Claude hands it over after the tool result, as the request's last entry
        // (role "system": "The user sent a new message while you were working: …").
        expect(JSON.stringify(entries(asked[1]!).at(-1))).toContain(STEER);
        const types = events.map((e) => e.type);
        expect(types.indexOf("steer")).toBeGreaterThan(types.indexOf("tool_start"));
        expect(types.indexOf("steer")).toBeLessThan(types.indexOf("tool_end"));
        expect(events.find((e) => e.type === "steer")).toMatchObject({ text: STEER });
        const total = {
          input: 250,
          cachedInput: 50,
          cacheWrite: 5,
          output: 32,
          reasoning: 0,
          model: "mock-model",
        };
        expect(end.usage).toEqual(total);
        expect(requested(events)).toEqual(total);
        await expect(run.send!("too late")).rejects.toThrow(/claude session has ended/);
      });

      test("a message sent while the turn's last request is in flight gets a turn of its own; totals count both", async () => {
        const sent: Promise<void>[] = [];
        const { end, events, server } = await session(
          [
            { text: "first", delayMs: 1500, usage: { input: 100, cachedInput: 30, output: 10 } },
            { text: "second", usage: { input: 200, cachedInput: 60, output: 20 } },
          ],
          { steerable: true },
          {
            on: (ev, run, server) => {
              if (ev.type === "run_start")
                sent.push(until(() => model(server).length > 0).then(() => run.send!(STEER)));
            },
          },
        );
        await Promise.all(sent);
        expect(end).toMatchObject({ status: "ok", exitCode: 0 });
        const asked = model(server);
        expect(asked).toHaveLength(2);
        expect(lastEntryKind(asked[1]!)).toBe("user");
        expect(lastUserText(asked[1]!)).toBe(STEER);
        // One `result` per turn: its modelUsage is the running total, so the last one is the session's.
        expect(events.filter((e) => e.type === "usage" && e.scope === "session")).toHaveLength(2);
        const total = {
          input: 300,
          cachedInput: 90,
          cacheWrite: 0,
          output: 30,
          reasoning: 0,
          model: "mock-model",
        };
        expect(end.usage).toEqual(total);
        expect(requested(events)).toEqual(total);
      });

      test("stop() during a steerable session ends it as killed, with no process left; send then rejects", async () => {
        const started = Date.now();
        const sent: Promise<void>[] = [];
        const { end, runId, run } = await session(
          [shellCall("claude", "sleep 30")],
          { steerable: true },
          {
            on: (ev, run) => {
              if (ev.type !== "tool_start") return;
              sent.push(run.send!(STEER));
              setTimeout(() => run.stop(), 500);
            },
          },
        );
        await Promise.all(sent);
        expect(end).toMatchObject({ status: "killed", reason: "stopped on request" });
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(processesOf(runId)).toEqual([]);
        await expect(run.send!("after the stop")).rejects.toThrow(/has ended/);
      });
    });
  },
);

/** The model requests (Anthropic Messages) a server received. */
const model = (server: ModelServer) => server.requests.filter((r) => r.protocol === "anthropic");

/** The `messages` of a recorded Anthropic request. */
const entries = (req: RecordedRequest) => (req.body as { messages: unknown[] }).messages;
