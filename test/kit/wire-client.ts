/**
 * A tiny SSE client over fetch, and what a client makes of each protocol's stream: the decoding is
 * written apart from the server, so the model-server tests check the wire, not the kit against itself.
 */
import { expect } from "vitest";
import type { Usage } from "./model-server.ts";

export interface Frame {
  event?: string;
  data: string;
}

export interface Read {
  status: number;
  headers: Headers;
  text: string;
  /** The body read failed (connection dropped or destroyed). */
  error?: unknown;
  /** The deadline passed before the body ended; `rest` settles when it finally does. */
  timedOut: boolean;
  rest: Promise<unknown>;
}

/** POST JSON and read the whole body, or until `deadlineMs`. */
export async function post(url: string, path: string, body: unknown, deadlineMs = 5_000): Promise<Read> {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-mock" },
    body: JSON.stringify(body),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const all = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  const out = all.then(
    () => ({ error: undefined, timedOut: false }),
    (error: unknown) => ({ error, timedOut: false }),
  );
  const timer = new Promise<{ error: undefined; timedOut: true }>((r) => {
    setTimeout(() => r({ error: undefined, timedOut: true }), deadlineMs).unref();
  });
  const end = await Promise.race([out, timer]);
  return { status: res.status, headers: res.headers, text, ...end, rest: all };
}

/** Frames of an SSE body: blocks split on a blank line, `event:` and `data:` fields. */
export function frames(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((block) => {
      const f: Frame = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) f.event = line.slice(7);
        else if (line.startsWith("data: ")) f.data += line.slice(6);
      }
      return f;
    });
}

// biome-ignore lint/suspicious/noExplicitAny: test code walks untyped wire JSON
export type J = any;
export const events = (text: string): J[] => frames(text).map((f) => JSON.parse(f.data));
export const chatEvents = (text: string): J[] => events(text.replace("data: [DONE]\n\n", ""));

const USER = [{ role: "user", content: "hi" }];
export const BODIES = {
  responses: {
    model: "mock-model",
    stream: true,
    input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
  },
  chat: { model: "mock-model", stream: true, messages: USER, stream_options: { include_usage: true } },
  anthropic: { model: "mock-model", stream: true, max_tokens: 100, messages: USER },
};
export const PATHS = { responses: "/v1/responses", chat: "/v1/chat/completions", anthropic: "/v1/messages" };
export type Proto = keyof typeof PATHS;

export const PROTOS: Proto[] = ["responses", "chat", "anthropic"];

export interface Decoded {
  text: string;
  reasoning: string;
  tool?: { id: string; name: string; arguments: string };
  finish: string;
  usage: Required<Usage>;
}

export function decodeResponses(text: string): Decoded {
  const fs = frames(text);
  for (const f of fs) expect(f.event).toBe(JSON.parse(f.data).type);
  const evs = events(text);
  expect(evs.map((e) => e.sequence_number)).toEqual(evs.map((_, i) => i));
  expect(evs[0].type).toBe("response.created");
  const done = evs.at(-1);
  expect(done.type).toBe("response.completed");
  const items = evs.filter((e) => e.type === "response.output_item.done").map((e) => e.item);
  expect(done.response.output).toEqual(items);
  const call = items.find((i: J) => i.type === "function_call");
  const args = evs.filter((e) => e.type === "response.function_call_arguments.delta").map((e) => e.delta);
  if (call) expect(args.join("")).toBe(call.arguments);
  const u = done.response.usage;
  expect(u.total_tokens).toBe(u.input_tokens + u.output_tokens);
  const cached = u.input_tokens_details.cached_tokens;
  const write = u.input_tokens_details.cache_write_tokens;
  return {
    text: evs
      .filter((e) => e.type === "response.output_text.delta")
      .map((e) => e.delta)
      .join(""),
    reasoning: evs
      .filter((e) => e.type === "response.reasoning_summary_text.delta")
      .map((e) => e.delta)
      .join(""),
    ...(call ? { tool: { id: call.call_id, name: call.name, arguments: call.arguments } } : {}),
    finish: call ? "tool" : "stop",
    usage: {
      input: u.input_tokens - cached - write,
      cachedInput: cached,
      cacheWrite: write,
      output: u.output_tokens,
      reasoning: u.output_tokens_details.reasoning_tokens,
    },
  };
}

export function decodeChat(text: string): Decoded {
  expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  const chunks = chatEvents(text);
  const deltas = chunks.flatMap((c) => c.choices.map((ch: J) => ch.delta));
  let tool: Decoded["tool"];
  for (const tc of deltas.flatMap((d) => d.tool_calls ?? [])) {
    if (tc.id) tool = { id: tc.id, name: tc.function.name, arguments: "" };
    tool!.arguments += tc.function.arguments ?? "";
  }
  const u = chunks.at(-1).usage;
  expect(chunks.at(-1).choices).toEqual([]);
  expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
  const cached = u.prompt_tokens_details.cached_tokens;
  const write = u.prompt_tokens_details.cache_write_tokens;
  return {
    text: deltas.map((d) => d.content ?? "").join(""),
    reasoning: deltas.map((d) => d.reasoning_content ?? "").join(""),
    ...(tool ? { tool } : {}),
    finish:
      chunks.flatMap((c) => c.choices.map((ch: J) => ch.finish_reason)).find(Boolean) === "tool_calls"
        ? "tool"
        : "stop",
    usage: {
      input: u.prompt_tokens - cached - write,
      cachedInput: cached,
      cacheWrite: write,
      output: u.completion_tokens,
      reasoning: u.completion_tokens_details.reasoning_tokens,
    },
  };
}

export function decodeAnthropic(text: string): Decoded {
  for (const f of frames(text)) expect(f.event).toBe(JSON.parse(f.data).type);
  const evs = events(text);
  expect(evs[0].type).toBe("message_start");
  expect(evs.slice(-2).map((e) => e.type)).toEqual(["message_delta", "message_stop"]);
  const blocks: J[] = [];
  for (const e of evs) {
    if (e.type === "content_block_start") blocks[e.index] = { ...e.content_block, json: "" };
    if (e.type === "content_block_delta") {
      const b = blocks[e.index];
      if (e.delta.type === "text_delta") b.text += e.delta.text;
      if (e.delta.type === "thinking_delta") b.thinking += e.delta.thinking;
      if (e.delta.type === "input_json_delta") b.json += e.delta.partial_json;
    }
  }
  expect(evs.filter((e) => e.type === "content_block_stop").map((e) => e.index)).toEqual(
    blocks.map((_, i) => i),
  );
  const start = evs[0].message.usage;
  const end = evs.at(-2);
  const tool = blocks.find((b) => b.type === "tool_use");
  return {
    text: blocks
      .filter((b) => b.type === "text")
      .map((b) => b.text)
      .join(""),
    reasoning: blocks
      .filter((b) => b.type === "thinking")
      .map((b) => b.thinking)
      .join(""),
    ...(tool ? { tool: { id: tool.id, name: tool.name, arguments: tool.json } } : {}),
    finish: end.delta.stop_reason === "tool_use" ? "tool" : "stop",
    usage: {
      input: start.input_tokens,
      cachedInput: start.cache_read_input_tokens,
      cacheWrite: start.cache_creation_input_tokens,
      output: end.usage.output_tokens,
      reasoning: 0,
    },
  };
}

export const DECODE: Record<Proto, (text: string) => Decoded> = {
  responses: decodeResponses,
  chat: decodeChat,
  anthropic: decodeAnthropic,
};
