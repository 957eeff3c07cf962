// The real Pi CLI (pinned devDependency) against the scripted model server on 127.0.0.1.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { piAdapter } from "../../src/harness/pi.ts";
import type { AgentSpec } from "../../src/harness/types.ts";
import { lastEntryKind, lastUserText, type ModelServer, type Turn } from "../kit/model-server.ts";
import { processesOf } from "../kit/processes.ts";
import {
  deadServerEnd,
  hermeticHome,
  isInstalled,
  messages,
  requested,
  type SessionOptions,
  session as sessionOf,
  until,
} from "../kit/session-kit.ts";

const installed = isInstalled("pi");
hermeticHome("pi");

/** One session against a fresh server; `on` sees each event as it arrives, with the run and the server. */
const session = (script: Turn[], over: Partial<AgentSpec> = {}, on?: SessionOptions["on"]) =>
  sessionOf(piAdapter, script, over, { on });

describe.skipIf(!installed)(
  `pi ${installed ? "" : "(skipped: the pi binary could not be installed here)"}`,
  () => {
    test("a text answer ends ok with exactly the usage the script served", async () => {
      const { end, events, run } = await session([
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
      expect(messages(events)).toEqual(["Hello from the model."]);
      expect(events[0]).toMatchObject({
        type: "run_start",
        harness: "pi",
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
      expect(end.sessionId).toMatch(/[0-9a-f-]{20,}/);
      expect(run.send).toBeUndefined(); // not steerable: `pi -p`, the brief is the argument
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
      const end = await deadServerEnd(piAdapter);
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
      expect(processesOf(runId)).toEqual([]);
    });

    test("raw stdout and stderr are kept as artifacts", async () => {
      const { cwd, runId } = await session([{ text: "ok" }]);
      const out = path.join(cwd, ".longrun", "artifacts", `pi-${runId}.stdout.log`);
      expect(existsSync(out)).toBe(true);
      expect(readFileSync(out, "utf8")).toContain('"type":"session"');
    });

    describe("steerable (RPC mode, send)", () => {
      const STEER = "STEER: also say banana";

      test("a message sent during a tool call reaches the model's next request; ok, with exactly the usage served", async () => {
        const sent: Promise<void>[] = [];
        const { end, events, server, run } = await session(
          [
            {
              toolCall: { name: "bash", arguments: { command: "sleep 2 && echo hi" } },
              usage: { input: 100, cachedInput: 20, output: 30 },
            },
            { text: "Done, and banana.", usage: { input: 150, cachedInput: 100, output: 12 } },
          ],
          { steerable: true },
          (ev, run) => ev.type === "tool_start" && sent.push(run.send!(STEER)),
        );
        await Promise.all(sent);
        expect(end).toMatchObject({ status: "ok", exitCode: 0 });
        const asked = model(server);
        expect(asked).toHaveLength(2);
        expect(lastUserText(asked[0]!)).toBe("do the task");
        // Pi gives it after the tool result, as the user message that ends the next request.
        expect(lastEntryKind(asked[1]!)).toBe("user");
        expect(lastUserText(asked[1]!)).toBe(STEER);
        expect(JSON.stringify(asked[1]!.body)).toContain("hi\\n"); // the tool result came first
        const types = events.map((e) => e.type);
        expect(types.indexOf("steer")).toBeGreaterThan(types.indexOf("tool_start"));
        expect(types.indexOf("steer")).toBeLessThan(types.indexOf("tool_end"));
        const total = {
          input: 250,
          cachedInput: 120,
          cacheWrite: 0,
          output: 42,
          reasoning: 0,
          model: "mock-model",
        };
        expect(end.usage).toEqual(total);
        expect(requested(events)).toEqual(total);
        expect(end.sessionId).toMatch(/[0-9a-f-]{20,}/); // from get_state: RPC mode prints no session line
        await expect(run.send!("too late")).rejects.toThrow(/pi session has ended/);
      });

      test("a message sent while the brief's request is in flight is answered after it, in the same run", async () => {
        const sent: Promise<void>[] = [];
        const { end, events, server } = await session(
          [
            { text: "first", delayMs: 1500, usage: { input: 100, output: 10 } },
            { text: "second", usage: { input: 200, output: 20 } },
          ],
          { steerable: true },
          (ev, run, server) => {
            if (ev.type === "run_start")
              sent.push(until(() => model(server).length > 0).then(() => run.send!(STEER)));
          },
        );
        await Promise.all(sent);
        expect(end).toMatchObject({ status: "ok", exitCode: 0 });
        const asked = model(server);
        expect(asked).toHaveLength(2);
        expect(lastUserText(asked[1]!)).toBe(STEER);
        expect(end.usage).toMatchObject({ input: 300, output: 30 });
        expect(messages(events)).toEqual(["first", "second"]);
      });

      test("an attempt that fails and that Pi retries does not end the session (agent_end, then auto_retry_start)", async () => {
        // A stream cut short: Pi's OpenAI client does not retry it (unlike a 500), Pi's own retry does.
        const { end, events, server } = await session(
          [{ fault: "drop" }, { text: "made it", usage: { input: 70, output: 7 } }],
          { steerable: true, retries: 1 },
        );
        expect(end).toMatchObject({ status: "ok", exitCode: 0 });
        expect(model(server)).toHaveLength(2);
        expect(events.some((e) => e.type === "error" && /retrying \(attempt 1\)/.test(e.message))).toBe(true);
        expect(messages(events).at(-1)).toBe("made it");
        expect(end.usage).toMatchObject({ input: 70, output: 7 });
      });

      test("stop() during a steerable session ends it as killed, with no process left; send then rejects", async () => {
        const started = Date.now();
        const sent: Promise<void>[] = [];
        const { end, runId, run } = await session(
          [{ toolCall: { name: "bash", arguments: { command: "sleep 30" } } }],
          { steerable: true },
          (ev, run) => {
            if (ev.type !== "tool_start") return;
            sent.push(run.send!(STEER));
            setTimeout(() => run.stop(), 500);
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

/** The model requests (Chat Completions) a server received. */
const model = (server: ModelServer) => server.requests.filter((r) => r.protocol === "chat");
