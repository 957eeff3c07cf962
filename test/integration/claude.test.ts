// The real Claude Code CLI (pinned devDependency) against the scripted model server on 127.0.0.1.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type AgentEvent, addUsage, emptyUsage, type Usage } from "../../src/core/agent-events.ts";
import { findBinary } from "../../src/exec/find-binary.ts";
import { claudeAdapter } from "../../src/harness/claude.ts";
import type { AgentSpec } from "../../src/harness/types.ts";
import { type ModelServer, shellCall, startModelServer, type Turn } from "../kit/model-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const installed = findBinary("claude", ROOT) !== undefined;

let savedHome: string | undefined;
beforeEach(() => {
  savedHome = process.env.HOME;
  process.env.HOME = mkdtempSync(path.join(tmpdir(), "longrun-claude-home-")); // hermetic
});
afterEach(() => {
  process.env.HOME = savedHome;
});

/** One session against a fresh server; `at` turns the server's URL into the base URL given. */
async function session(
  script: Turn[],
  over: Partial<AgentSpec> = {},
  { cwd, at = (url: string) => url }: { cwd?: string; at?: (url: string) => string } = {},
) {
  const server: ModelServer = await startModelServer(script);
  const repo = cwd ?? mkdtempSync(path.join(tmpdir(), "longrun-claude-repo-"));
  try {
    const run = claudeAdapter.start({
      cwd: repo,
      prompt: "do the task",
      model: "mock-model",
      baseUrl: at(server.url),
      timeoutMs: 60_000,
      idleTimeoutMs: 30_000,
      artifactsDir: path.join(repo, ".longrun", "artifacts"),
      retries: 0,
      ...over,
    });
    const events: AgentEvent[] = [];
    for await (const ev of run) events.push(ev);
    return { events, end: await run.result(), cwd: repo, server, runId: run.runId };
  } finally {
    await server.close();
  }
}

/** The sum of the per-request usage events. */
const requested = (events: AgentEvent[]): Usage =>
  events.reduce(
    (t, e) => (e.type === "usage" && e.scope === "request" ? addUsage(t, e.usage) : t),
    emptyUsage(),
  );

/** Every file under `dir`, recursively. */
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));

describe.skipIf(!installed)(
  `claude ${installed ? "" : "(skipped: the claude binary could not be installed here)"}`,
  () => {
    test("a text answer ends ok with exactly the usage the script served", async () => {
      const { end, events } = await session([
        {
          text: "Hello from the model.",
          usage: { input: 1200, cachedInput: 800, cacheWrite: 50, output: 45 },
        },
      ]);
      expect(end).toMatchObject({ status: "ok", exitCode: 0 });
      const served = { input: 1200, cachedInput: 800, cacheWrite: 50, output: 45, reasoning: 0 };
      expect(end.usage).toEqual({ ...served, model: "mock-model" });
      expect(requested(events)).toEqual({ ...served, model: "mock-model" });
      expect(events.filter((e) => e.type === "message").map((e) => (e as { text: string }).text)).toEqual([
        "Hello from the model.",
      ]);
      expect(events[0]).toMatchObject({
        type: "run_start",
        harness: "claude",
        version: expect.stringMatching(/^\d+\.\d+\.\d+ \(Claude Code\)/),
      });
      expect(end.sessionId).toMatch(/^[0-9a-f-]{36}$/);
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
      const server = await startModelServer([]);
      await server.close();
      const cwd = mkdtempSync(path.join(tmpdir(), "longrun-claude-repo-"));
      const run = claudeAdapter.start({
        cwd,
        prompt: "x",
        model: "mock-model",
        baseUrl: server.url,
        timeoutMs: 30_000,
        idleTimeoutMs: 20_000,
        artifactsDir: path.join(cwd, "a"),
        retries: 0,
      });
      for await (const _ of run) {
        // drain
      }
      const end = await run.result();
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
      const left = execFileSync(
        "sh",
        ["-c", `grep -l "LONGRUN_RUN_ID=${runId}" /proc/[0-9]*/environ 2>/dev/null || true`],
        { encoding: "utf8" },
      );
      expect(left.trim()).toBe("");
    });

    test("stop() during a running tool ends the session as killed, with no process left", async () => {
      const server = await startModelServer([shellCall("claude", "sleep 30")]);
      const cwd = mkdtempSync(path.join(tmpdir(), "longrun-claude-repo-"));
      try {
        const run = claudeAdapter.start({
          cwd,
          prompt: "x",
          model: "mock-model",
          baseUrl: server.url,
          timeoutMs: 30_000,
          idleTimeoutMs: 20_000,
          artifactsDir: path.join(cwd, "a"),
          retries: 0,
        });
        const started = Date.now();
        for await (const ev of run) if (ev.type === "tool_start") setTimeout(() => run.stop(), 500);
        const end = await run.result();
        expect(end).toMatchObject({ status: "killed", reason: "stopped on request" });
        expect(Date.now() - started).toBeLessThan(15_000);
        const left = execFileSync(
          "sh",
          ["-c", `grep -l "LONGRUN_RUN_ID=${run.runId}" /proc/[0-9]*/environ 2>/dev/null || true`],
          { encoding: "utf8" },
        );
        expect(left.trim()).toBe("");
      } finally {
        await server.close();
      }
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
  },
);
