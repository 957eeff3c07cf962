import { describe, expect, test } from "vitest";
import type { Turn, Usage } from "./model-server.ts";
import { serverPerTest } from "./server-per-test.ts";
import {
  BODIES,
  chatEvents,
  DECODE,
  type Decoded,
  events,
  type J,
  PATHS,
  PROTOS,
  type Proto,
} from "./wire-client.ts";

const { serve, post, server } = serverPerTest();

async function served(proto: Proto, turn: Turn): Promise<Decoded> {
  await serve([turn]);
  const r = await post(PATHS[proto], BODIES[proto]);
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
  expect(r.error).toBeUndefined();
  return DECODE[proto](r.text);
}

describe.each(PROTOS)("%s stream", (proto) => {
  test("a text turn streams in several deltas that add up to the text", async () => {
    const text = "Hello from the scripted model — ünïcode ✓ and 𝄞 included, in pieces.";
    const d = await served(proto, { text, usage: { input: 5, output: 7 } });
    expect(d).toMatchObject({ text, reasoning: "", finish: "stop" });
    expect(d.tool).toBeUndefined();
    expect(server().requests[0]!.protocol).toBe(proto);
  });

  test("a tool call carries the scripted name, id and JSON arguments, after its text", async () => {
    const args = { command: "echo hi > hello.txt", description: "écrire" };
    const d = await served(proto, {
      text: "Running it.",
      toolCall: { name: "bash", arguments: args, id: "call_7" },
    });
    expect(d.text).toBe("Running it.");
    expect(d.finish).toBe("tool");
    expect(d.tool).toEqual({ id: "call_7", name: "bash", arguments: JSON.stringify(args) });
  });

  test("string arguments are sent verbatim, and an id is made up when none is given", async () => {
    const d = await served(proto, { toolCall: { name: "exec_command", arguments: '{"cmd": "ls"' } });
    expect(d.tool?.arguments).toBe('{"cmd": "ls"');
    expect(d.tool?.id).toMatch(/mock_1$/);
    expect(d.text).toBe("");
  });

  test("reasoning streams before the text", async () => {
    const d = await served(proto, { text: "42", reasoning: "Think: six times seven." });
    expect(d).toMatchObject({ text: "42", reasoning: "Think: six times seven." });
  });

  test("delayMs holds the answer back that long, the request recorded meanwhile", async () => {
    await serve([{ text: "slow", delayMs: 400 }]);
    const started = performance.now();
    const answer = post(PATHS[proto], BODIES[proto]);
    await new Promise((r) => setTimeout(r, 100));
    expect(server().requests).toHaveLength(1);
    const r = await answer;
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(DECODE[proto](r.text).text).toBe("slow");
  });
});

describe("usage: normalized Usage -> each protocol's own semantics, exactly", () => {
  const cases: [string, Usage][] = [
    ["plain", { input: 1000, output: 50 }],
    ["cache reads", { input: 718, cachedInput: 300, output: 50 }],
    ["cache writes", { input: 10, cacheWrite: 2000, output: 5 }],
    ["reasoning inside output", { input: 1, cachedInput: 2, cacheWrite: 3, output: 50, reasoning: 20 }],
    ["zeros", { input: 0, output: 0 }],
  ];
  const full = (u: Usage) => ({ cachedInput: 0, cacheWrite: 0, reasoning: 0, ...u });

  describe.each(PROTOS)("%s", (proto) => {
    test.each(cases)("%s", async (_name, usage) => {
      const d = await served(proto, { text: "ok", usage });
      // Anthropic has no reasoning count of its own: it stays inside output.
      expect(d.usage).toEqual({ ...full(usage), ...(proto === "anthropic" ? { reasoning: 0 } : {}) });
      expect(server().requests[0]!.usage).toEqual(usage);
    });
  });

  test("OpenAI input counts include the cache; Anthropic's exclude it (HARNESSES: prompt 1018, cached 300)", async () => {
    const usage = { input: 718, cachedInput: 300, output: 50, reasoning: 20 };
    await serve([
      { text: "a", usage },
      { text: "b", usage },
      { text: "c", usage },
    ]);
    const resp = events((await post(PATHS.responses, BODIES.responses)).text).at(-1).response.usage;
    expect(resp).toMatchObject({ input_tokens: 1018, output_tokens: 50, total_tokens: 1068 });
    expect(resp.output_tokens_details.reasoning_tokens).toBe(20);
    const chat = chatEvents((await post(PATHS.chat, BODIES.chat)).text).at(-1).usage;
    expect(chat).toMatchObject({ prompt_tokens: 1018, completion_tokens: 50, total_tokens: 1068 });
    const anth = events((await post(PATHS.anthropic, BODIES.anthropic)).text);
    expect(anth[0].message.usage).toMatchObject({ input_tokens: 718, cache_read_input_tokens: 300 });
    expect(anth.at(-2).usage).toEqual({ output_tokens: 50 });
  });

  test("a turn without usage gets distinct numbers per request, recorded", async () => {
    await serve([{ text: "a" }, { text: "b" }]);
    await post(PATHS.chat, BODIES.chat);
    await post(PATHS.chat, BODIES.chat);
    const [a, b] = server().requests.map((r) => r.usage!);
    expect(a!.input).not.toBe(b!.input);
    expect(a!.output).not.toBe(b!.output);
  });
});

describe("non-streaming answers (stream: false)", () => {
  const usage = { input: 700, cachedInput: 300, cacheWrite: 7, output: 40, reasoning: 4 };
  const turn: Turn = {
    text: "Calling.",
    toolCall: { name: "Bash", arguments: { command: "ls" }, id: "t1" },
    usage,
  };

  test("chat: a chat.completion with tool_calls and usage", async () => {
    await serve([turn]);
    const r = await post(PATHS.chat, { ...BODIES.chat, stream: false });
    const body = JSON.parse(r.text);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]).toMatchObject({ finish_reason: "tool_calls", message: { content: "Calling." } });
    expect(body.choices[0].message.tool_calls[0]).toEqual({
      id: "t1",
      type: "function",
      function: { name: "Bash", arguments: '{"command":"ls"}' },
    });
    expect(body.usage).toMatchObject({
      prompt_tokens: 1007,
      completion_tokens: 40,
      prompt_tokens_details: { cached_tokens: 300, cache_write_tokens: 7 },
    });
  });

  test("anthropic: a message with text and tool_use blocks (Claude's fallback after a broken stream)", async () => {
    await serve([turn]);
    const body = JSON.parse((await post(PATHS.anthropic, { ...BODIES.anthropic, stream: false })).text);
    expect(body.content).toEqual([
      { type: "text", text: "Calling." },
      { type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } },
    ]);
    expect(body).toMatchObject({
      stop_reason: "tool_use",
      usage: {
        input_tokens: 700,
        cache_read_input_tokens: 300,
        cache_creation_input_tokens: 7,
        output_tokens: 40,
      },
    });
  });

  test("responses: a completed response with message and function_call items", async () => {
    await serve([turn]);
    const body = JSON.parse((await post(PATHS.responses, { ...BODIES.responses, stream: false })).text);
    expect(body.status).toBe("completed");
    expect(body.output.map((i: J) => i.type)).toEqual(["message", "function_call"]);
    expect(body.output[1]).toMatchObject({ call_id: "t1", name: "Bash", arguments: '{"command":"ls"}' });
    expect(body.usage).toMatchObject({ input_tokens: 1007, output_tokens: 40 });
  });
});
