import { describe, expect, test } from "vitest";
import { commandNormalizer } from "../../src/harness/command.ts";

describe("command harness normalizer", () => {
  test.each([
    ["plain text is a message", "hello world", [{ type: "message", text: "hello world" }]],
    ["a message event", '{"type":"message","text":"hi"}', [{ type: "message", text: "hi" }]],
    [
      "a tool start",
      '{"type":"tool_start","id":"1","name":"shell","input":{"cmd":"ls"}}',
      [{ type: "tool_start", id: "1", name: "shell", input: { cmd: "ls" } }],
    ],
    [
      "a tool end",
      '{"type":"tool_end","id":"1","ok":false,"output":"boom"}',
      [{ type: "tool_end", id: "1", name: null, ok: false, output: "boom" }],
    ],
    ["an error", '{"type":"error","message":"bad"}', [{ type: "error", message: "bad" }]],
    [
      "JSON of another shape is unknown, raw kept",
      '{"type":"thing","x":1}',
      [{ type: "unknown", raw: '{"type":"thing","x":1}' }],
    ],
    [
      "a message without text is unknown",
      '{"type":"message"}',
      [{ type: "unknown", raw: '{"type":"message"}' }],
    ],
    [
      "run_end belongs to longrun",
      '{"type":"run_end","status":"ok"}',
      [{ type: "unknown", raw: '{"type":"run_end","status":"ok"}' }],
    ],
    [
      "usage with a negative count is unknown",
      '{"type":"usage","usage":{"input":-1,"output":1}}',
      [{ type: "unknown", raw: '{"type":"usage","usage":{"input":-1,"output":1}}' }],
    ],
  ])("%s", (_, line, want) => {
    expect(commandNormalizer().line(line)).toEqual(want);
  });

  test("request usage is reported per request; session usage becomes the session total", () => {
    const n = commandNormalizer();
    expect(
      n.line('{"type":"usage","usage":{"input":10,"cachedInput":5,"output":7,"reasoning":2,"model":"m"}}'),
    ).toEqual([
      {
        type: "usage",
        scope: "request",
        usage: { input: 10, cachedInput: 5, cacheWrite: 0, output: 7, reasoning: 2, model: "m" },
      },
    ]);
    expect(n.sessionUsage()).toBeUndefined();
    n.line('{"type":"usage","scope":"session","usage":{"input":100,"output":50}}');
    expect(n.sessionUsage()).toEqual({
      input: 100,
      cachedInput: 0,
      cacheWrite: 0,
      output: 50,
      reasoning: 0,
      model: null,
    });
  });
});
