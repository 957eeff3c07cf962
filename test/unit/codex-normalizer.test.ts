import { describe, expect, test } from "vitest";
import { codexConfig, codexNormalizer, codexUsage } from "../../src/harness/codex.ts";

describe("codex normalizer", () => {
  test("turn.completed usage is the thread total: input without cached reads, output with reasoning", () => {
    const n = codexNormalizer("m");
    const evs = n.line(
      '{"type":"turn.completed","usage":{"input_tokens":2007,"cached_input_tokens":1000,"cache_write_input_tokens":0,"output_tokens":80,"reasoning_output_tokens":30}}',
    );
    const usage = { input: 1007, cachedInput: 1000, cacheWrite: 0, output: 80, reasoning: 30, model: "m" };
    expect(evs).toEqual([{ type: "usage", scope: "session", usage }]);
    expect(n.sessionUsage()).toEqual(usage);
  });

  test("items: messages, reasoning, shell commands; the model-metadata warning is dropped", () => {
    const n = codexNormalizer(null);
    expect(n.line('{"type":"thread.started","thread_id":"t-1"}')).toEqual([]);
    expect(n.sessionId()).toBe("t-1");
    expect(
      n.line(
        '{"type":"item.completed","item":{"id":"i0","type":"error","message":"Model metadata for `x` not found."}}',
      ),
    ).toEqual([]);
    expect(
      n.line('{"type":"item.started","item":{"id":"i1","type":"command_execution","command":"bash -lc ls"}}'),
    ).toEqual([{ type: "tool_start", id: "i1", name: "shell", input: "bash -lc ls" }]);
    expect(
      n.line(
        '{"type":"item.completed","item":{"id":"i1","type":"command_execution","exit_code":2,"aggregated_output":"no"}}',
      ),
    ).toEqual([{ type: "tool_end", id: "i1", name: "shell", ok: false, output: "no" }]);
    expect(n.line('{"type":"item.completed","item":{"type":"agent_message","text":"hi"}}')).toEqual([
      { type: "message", text: "hi" },
    ]);
    expect(n.line('{"type":"item.completed","item":{"type":"reasoning","text":"hmm"}}')).toEqual([
      { type: "reasoning", text: "hmm" },
    ]);
    expect(n.line('{"type":"item.completed","item":{"type":"file_change","changes":[]}}')[0]?.type).toBe(
      "unknown",
    );
  });

  test("turn.failed is the failure; retries are error events", () => {
    const n = codexNormalizer(null);
    expect(n.line('{"type":"error","message":"Reconnecting... 1/5"}')).toEqual([
      { type: "error", message: "Reconnecting... 1/5" },
    ]);
    expect(n.failure()).toBeNull();
    n.line('{"type":"turn.failed","error":{"message":"stream disconnected"}}');
    expect(n.failure()).toBe("stream disconnected");
  });

  test("usage with missing fields counts them as 0", () => {
    expect(codexUsage({ input_tokens: 5, output_tokens: 1 }, null)).toEqual({
      input: 5,
      cachedInput: 0,
      cacheWrite: 0,
      output: 1,
      reasoning: 0,
      model: null,
    });
  });

  test("config.toml: provider at the base URL (+/v1), key by name, retries", () => {
    const t = codexConfig(
      {
        cwd: "/r",
        prompt: "",
        timeoutMs: 1,
        idleTimeoutMs: 1,
        artifactsDir: "/a",
        baseUrl: "http://127.0.0.1:9/",
        model: "gpt-x",
        retries: 0,
      },
      "KEY_VAR",
    );
    expect(t).toContain('base_url = "http://127.0.0.1:9/v1"');
    expect(t).toContain('env_key = "KEY_VAR"');
    expect(t).toContain('model = "gpt-x"');
    expect(t).toContain("request_max_retries = 0");
    expect(t).toContain('wire_api = "responses"');
  });
});
