// Fixtures in test/fixtures/claude are stdout artifacts of the real Claude Code 2.1.197 (the adapter's
// flags) against the scripted model server; only the temp paths were shortened.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { AgentEventBody, Usage } from "../../src/core/agent-events.ts";
import {
  claudeArgs,
  claudeDialog,
  claudeEnv,
  claudeNormalizer,
  claudeUserLine,
  sessionTotals,
  withoutV1,
} from "../../src/harness/claude.ts";
import type { AgentSpec } from "../../src/harness/types.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/claude");

const use = (input: number, cachedInput: number, cacheWrite: number, output: number): Usage => ({
  input,
  cachedInput,
  cacheWrite,
  output,
  reasoning: 0,
  model: "mock-model",
});

function replay(name: string) {
  const n = claudeNormalizer("mock-model");
  const lines = readFileSync(path.join(FIXTURES, `${name}.jsonl`), "utf8").split("\n");
  const events = lines.filter((l) => l.trim() !== "").flatMap((l) => n.line(l));
  return { n, events };
}

const kind = (e: AgentEventBody) => (e.type === "usage" ? `usage:${e.scope}` : e.type);

describe("claude normalizer on captured sessions", () => {
  test.each([
    {
      name: "tool", // text + Bash tool_use in one message, then thinking + text
      kinds: ["message", "tool_start", "usage:request", "tool_end", "reasoning", "message", "usage:request"],
      requests: [use(100, 20, 7, 30), use(150, 100, 0, 12)],
      session: use(250, 120, 7, 42),
      failure: null,
    },
    {
      name: "error-500", // one retry, then Claude's synthetic error message; subtype stays "success"
      kinds: ["error", "error"],
      requests: [],
      session: use(0, 0, 0, 0),
      failure: /^API Error: 500 upstream exploded\. This is a server-side issue/,
    },
    {
      name: "fallback", // a malformed stream, then Claude's non-streaming retry: result.usage is all 0
      kinds: ["message", "usage:request"],
      requests: [use(200, 0, 0, 20)],
      session: use(200, 0, 0, 20),
      failure: null,
    },
    {
      name: "interrupted", // SIGINT during a stalled stream: the cut stream is not counted
      kinds: ["message", "error"],
      requests: [],
      session: use(0, 0, 0, 0),
      failure: /^claude ended with error_during_execution \(aborted_streaming\): /,
    },
    {
      name: "subagent", // a Task subagent: its request is in modelUsage only, not in the stream
      kinds: ["tool_start", "usage:request", "tool_end", "message", "usage:request"],
      requests: [use(11, 0, 0, 3), use(33, 5, 0, 5)],
      session: use(66, 5, 0, 12),
      failure: null,
    },
  ])("$name", ({ name, kinds, requests, session, failure }) => {
    const { n, events } = replay(name);
    expect(events.map(kind)).toEqual([...kinds, "usage:session"]);
    expect(events.flatMap((e) => (e.type === "usage" && e.scope === "request" ? [e.usage] : []))).toEqual(
      requests,
    );
    expect(events.at(-1)).toEqual({ type: "usage", scope: "session", usage: session });
    expect(n.sessionUsage()).toEqual(session);
    expect(n.sessionId()).toMatch(/^[0-9a-f-]{36}$/);
    if (failure) expect(n.failure()).toMatch(failure);
    else expect(n.failure()).toBeNull();
    expect(n.failure() ?? "").not.toContain("\n");
  });

  test("tool_use and tool_result carry the tool's id, name, input and output", () => {
    const { events } = replay("tool");
    expect(events.find((e) => e.type === "tool_start")).toEqual({
      type: "tool_start",
      id: "toolu_mock_1",
      name: "Bash",
      input: { command: "echo hi > out.txt", description: "Run a shell command" },
    });
    expect(events.find((e) => e.type === "tool_end")).toEqual({
      type: "tool_end",
      id: "toolu_mock_1",
      name: "Bash",
      ok: true,
      output: "(Bash completed with no output)",
    });
  });
});

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const assistantLine = (id: string, requestId: string, output: number, text = "x") =>
  line({
    type: "assistant",
    message: {
      id,
      model: "m",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
      usage: {
        input_tokens: 10,
        cache_read_input_tokens: 4,
        cache_creation_input_tokens: 2,
        output_tokens: output,
      },
    },
    request_id: requestId,
    session_id: "s-1",
  });
const requestUsages = (evs: AgentEventBody[]) =>
  evs.flatMap((e) => (e.type === "usage" && e.scope === "request" ? [e.usage.output] : []));

describe("claude normalizer: de-duplication and failures", () => {
  test.each([
    {
      what: "one response on several lines counts once, with its largest counts",
      lines: [assistantLine("m1", "r1", 1), assistantLine("m1", "r1", 9), assistantLine("m1", "r1", 3)],
      outputs: [9],
    },
    {
      what: "the same message id under another request id is another response",
      lines: [assistantLine("m1", "r1", 5), assistantLine("m1", "r2", 6)],
      outputs: [5, 6],
    },
    {
      what: "a response already counted is not counted again",
      lines: [assistantLine("m1", "r1", 5), '{"type":"user"}', assistantLine("m1", "r1", 5)],
      outputs: [5],
    },
  ])("$what", ({ lines, outputs }) => {
    const n = claudeNormalizer(null);
    const evs = [...lines, '{"type":"result","is_error":false}'].flatMap((l) => n.line(l));
    expect(requestUsages(evs)).toEqual(outputs);
  });

  test("a streamed response is counted at message_stop with message_delta's final output", () => {
    const n = claudeNormalizer(null);
    const ev = (event: Record<string, unknown>) =>
      line({ type: "stream_event", event, parent_tool_use_id: null });
    const start = { id: "m1", model: "m", usage: { input_tokens: 7, output_tokens: 1 } };
    expect(n.line(ev({ type: "message_start", message: start }))).toEqual([]);
    expect(n.line(assistantLine("m1", "r1", 1))).toEqual([{ type: "message", text: "x" }]);
    expect(n.line(ev({ type: "message_delta", usage: { output_tokens: 40 } }))).toEqual([]);
    expect(n.line(ev({ type: "message_stop" }))).toEqual([
      {
        type: "usage",
        scope: "request",
        usage: { input: 10, cachedInput: 4, cacheWrite: 2, output: 40, reasoning: 0, model: "m" },
      },
    ]);
    expect(requestUsages(n.line('{"type":"result","is_error":false}'))).toEqual([]);
  });

  test("an error assistant message is the failure until a good result; lines not Claude's are unknown", () => {
    const n = claudeNormalizer(null);
    const synthetic = line({
      type: "assistant",
      message: {
        id: "u-1",
        model: "<synthetic>",
        content: [{ type: "text", text: "API Error: 401\nbad key" }],
      },
      error: "authentication_failed",
    });
    expect(n.line(synthetic)).toEqual([{ type: "error", message: "API Error: 401 bad key" }]);
    expect(n.failure()).toBe("API Error: 401 bad key");
    n.line(
      '{"type":"result","subtype":"success","is_error":false,"usage":{"input_tokens":3,"output_tokens":2}}',
    );
    expect(n.failure()).toBeNull();
    expect(n.sessionUsage()).toEqual({
      input: 3,
      cachedInput: 0,
      cacheWrite: 0,
      output: 2,
      reasoning: 0,
      model: null,
    });
    expect(n.line("not json")).toEqual([{ type: "unknown", raw: "not json" }]);
    expect(n.line('{"type":"system","subtype":"something_new"}')[0]?.type).toBe("unknown");
    expect(n.line('{"type":"system","subtype":"status","status":"requesting"}')).toEqual([]);
  });

  test("session totals: modelUsage summed over models (the biggest names the model), else usage", () => {
    expect(
      sessionTotals(
        {
          usage: { input_tokens: 1, output_tokens: 1 },
          modelUsage: {
            big: {
              inputTokens: 100,
              outputTokens: 10,
              cacheReadInputTokens: 50,
              cacheCreationInputTokens: 5,
            },
            small: { inputTokens: 7, outputTokens: 3, cacheReadInputTokens: 0, cacheCreationInputTokens: 1 },
          },
        },
        "x",
      ),
    ).toEqual({ input: 107, cachedInput: 50, cacheWrite: 6, output: 13, reasoning: 0, model: "big" });
    expect(
      sessionTotals({ usage: { input_tokens: 4, cache_read_input_tokens: 2, output_tokens: "?" } }, "x"),
    ).toEqual({ input: 4, cachedInput: 2, cacheWrite: 0, output: 0, reasoning: 0, model: "x" });
  });

  test("one result per turn (stream-json input): modelUsage is the running total, usage that turn's", () => {
    const n = claudeNormalizer("mock-model");
    const result = (turn: number, total: number) =>
      JSON.stringify({
        type: "result",
        subtype: "success",
        is_error: false,
        usage: { input_tokens: turn, output_tokens: turn / 10 },
        modelUsage: { "mock-model": { inputTokens: total, outputTokens: total / 10 } },
      });
    n.line(result(100, 100));
    n.line(result(200, 300));
    expect(n.sessionUsage()).toEqual(use(300, 0, 0, 30));
    // Without modelUsage, each turn's usage is added to the totals before it.
    const before = use(300, 5, 1, 30);
    expect(sessionTotals({ usage: { input_tokens: 200, output_tokens: 20 } }, "mock-model", before)).toEqual(
      use(500, 5, 1, 50),
    );
  });
});

describe("claude dialog (steerable: stream-json input)", () => {
  test("a message is one stream-json user line with one text block; newlines stay inside the JSON", () => {
    const text = "line one\nline two \u2028 ✓";
    const framed = claudeUserLine(text);
    expect(framed.endsWith("\n")).toBe(true);
    expect(framed.slice(0, -1)).not.toMatch(/[\n\u2028]/);
    expect(JSON.parse(framed)).toEqual({
      type: "user",
      message: { role: "user", content: [{ type: "text", text }] },
    });
    const d = claudeDialog();
    expect(d.open(text)).toBe(framed);
    expect(d.message(text)).toBe(framed);
  });

  test("stdin is closed at the first result (Claude still answers what it has read), at nothing else", () => {
    const d = claudeDialog();
    for (const line of [
      '{"type":"system","subtype":"init","session_id":"s"}',
      '{"type":"assistant","message":{"content":[{"type":"text","text":"the \\"result\\" is near"}]}}',
      '{"type":"user","message":{"content":[{"type":"tool_result","content":"\\"type\\":\\"result\\""}]}}',
      "not json",
      "",
    ])
      expect(d.line(line)).toEqual({});
    expect(d.line('{"type":"result","subtype":"success","is_error":true}')).toEqual({ close: true });
    expect(d.failure()).toBeNull();
  });
});

describe("claude launch", () => {
  const spec = (over: Partial<AgentSpec>): AgentSpec => ({
    cwd: "/nonexistent-longrun-repo",
    prompt: "do it",
    timeoutMs: 1,
    idleTimeoutMs: 1,
    artifactsDir: "/a",
    ...over,
  });

  test.each([
    ["http://127.0.0.1:9", "http://127.0.0.1:9"],
    ["http://127.0.0.1:9/", "http://127.0.0.1:9"],
    ["http://127.0.0.1:9/v1", "http://127.0.0.1:9"],
    ["http://h/proxy/v1/", "http://h/proxy"],
  ])("base URL %s -> %s", (given, want) => {
    expect(withoutV1(given)).toBe(want);
  });

  test("args: headless stream-json with partial messages, model, resume, prompt last", () => {
    expect(claudeArgs(spec({ model: "m", resumeSession: "s-1" }))).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--include-partial-messages",
      "--dangerously-skip-permissions",
      "--model",
      "m",
      "--resume",
      "s-1",
      "do it",
    ]);
  });

  test("args, steerable: stream-json input, and no prompt argument (the brief comes on stdin)", () => {
    const args = claudeArgs(spec({ model: "m", steerable: true }));
    expect(args.slice(-2)).toEqual(["--input-format", "stream-json"]);
    expect(args).not.toContain("do it");
    expect(args.slice(0, 6)).toEqual(claudeArgs(spec({ model: "m" })).slice(0, 6));
  });

  test("without a base URL the user's own config and login are used", () => {
    const env = claudeEnv(spec({}), { ANTHROPIC_API_KEY: "user-key", PATH: "/bin" });
    expect(env.ANTHROPIC_API_KEY).toBe("user-key");
    expect(env.CLAUDE_CONFIG_DIR).toBeUndefined();
    expect(env.ANTHROPIC_BASE_URL).toBeUndefined();
  });

  test("with a base URL: a private home, the bare URL, the key from its variable in the env only", () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "longrun-claude-env-"));
    const parent = { PATH: "/bin", ANTHROPIC_AUTH_TOKEN: "users-own-token", KEY_VAR: "from-parent" };
    const env = claudeEnv(
      spec({ cwd, baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: "KEY_VAR", retries: 2, model: "local-m" }),
      parent,
    );
    expect(env).toMatchObject({
      CLAUDE_CONFIG_DIR: path.join(cwd, ".longrun", "homes", "claude"),
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
      ANTHROPIC_API_KEY: "from-parent",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_CODE_MAX_RETRIES: "2",
      ANTHROPIC_DEFAULT_HAIKU_MODEL: "local-m",
      CLAUDE_CODE_SUBAGENT_MODEL: "local-m",
    });
    expect(env.ANTHROPIC_AUTH_TOKEN).toBeUndefined(); // the user's own token never goes to that server
    const bySpec = claudeEnv(
      spec({ cwd, baseUrl: "http://h", apiKeyEnv: "KEY_VAR", env: { KEY_VAR: "s" } }),
      parent,
    );
    expect(bySpec.ANTHROPIC_API_KEY).toBe("s");
    expect(bySpec.CLAUDE_CODE_MAX_RETRIES).toBeUndefined();
    expect(claudeEnv(spec({ cwd, baseUrl: "http://h" }), { PATH: "/bin" }).ANTHROPIC_API_KEY).toBe("none");
  });
});
