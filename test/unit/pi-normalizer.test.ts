import { describe, expect, test } from "vitest";
import { piNormalizer, withV1 } from "../../src/harness/pi.ts";

const assistant = (extra: Record<string, unknown>) =>
  JSON.stringify({
    type: "message_end",
    message: {
      role: "assistant",
      model: "m",
      content: [{ type: "text", text: "hi" }],
      usage: { input: 10, output: 4, cacheRead: 6, cacheWrite: 2 },
      stopReason: "stop",
      ...extra,
    },
  });

describe("pi normalizer", () => {
  test("an assistant message_end gives its text, then its request usage (input without cache reads)", () => {
    expect(piNormalizer().line(assistant({}))).toEqual([
      { type: "message", text: "hi" },
      {
        type: "usage",
        scope: "request",
        usage: { input: 10, cachedInput: 6, cacheWrite: 2, output: 4, reasoning: 0, model: "m" },
      },
    ]);
  });

  test("stopReason error is a failure (Pi exits 0 anyway); a later good answer clears it", () => {
    const n = piNormalizer();
    const evs = n.line(assistant({ stopReason: "error", errorMessage: "500 boom", content: [] }));
    expect(evs.at(-1)).toEqual({ type: "error", message: "500 boom" });
    expect(n.failure()).toBe("500 boom");
    n.line(assistant({}));
    expect(n.failure()).toBeNull();
  });

  test("user messages, turn and agent markers give no events; the session line gives the id", () => {
    const n = piNormalizer();
    expect(n.line('{"type":"session","version":3,"id":"abc"}')).toEqual([]);
    expect(n.line('{"type":"message_end","message":{"role":"user","content":[]}}')).toEqual([]);
    expect(n.line('{"type":"turn_start"}')).toEqual([]);
    expect(n.sessionId()).toBe("abc");
  });

  test("tools, retries, and lines that are not Pi's", () => {
    const n = piNormalizer();
    expect(
      n.line('{"type":"tool_execution_start","toolCallId":"c1","toolName":"bash","args":{"command":"ls"}}'),
    ).toEqual([{ type: "tool_start", id: "c1", name: "bash", input: { command: "ls" } }]);
    expect(
      n.line('{"type":"tool_execution_end","toolCallId":"c1","toolName":"bash","isError":true}'),
    ).toEqual([{ type: "tool_end", id: "c1", name: "bash", ok: false, output: null }]);
    expect(n.line('{"type":"auto_retry_end","success":false,"finalError":"gave up"}')).toEqual([]);
    expect(n.failure()).toBe("gave up");
    expect(n.line("Warning: something")).toEqual([{ type: "unknown", raw: "Warning: something" }]);
  });

  test.each([
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1"],
    ["http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"],
    ["http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1"],
  ])("base URL %s -> %s", (given, want) => {
    expect(withV1(given)).toBe(want);
  });

  test("RPC answers: get_state gives the session id (RPC prints no session line); none is an event", () => {
    const n = piNormalizer();
    const state = { id: "longrun-state", type: "response", command: "get_state", success: true };
    expect(n.line(JSON.stringify({ ...state, data: { sessionId: "rpc-1", isStreaming: false } }))).toEqual(
      [],
    );
    expect(n.sessionId()).toBe("rpc-1");
    expect(n.line('{"id":"m","type":"response","command":"prompt","success":false,"error":"no"}')).toEqual(
      [],
    );
    expect(n.line('{"type":"queue_update","steering":["x"],"followUp":[]}')).toEqual([]);
    expect(n.failure()).toBeNull(); // refusals are piDialog's
  });
});
