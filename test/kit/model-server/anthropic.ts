/**
 * Anthropic Messages (`POST /v1/messages`), as Claude Code and pi (`anthropic-messages`) consume
 * it. Claude Code offered 24 tools, among them `Bash {command, description}`, `Write`, `Edit`,
 * `Read`; it falls back to `stream:false` after a broken stream and logs the `request-id` header.
 * Tool results come back as a user message with `tool_result` blocks.
 */
import { anthropicError } from "./errors.ts";
import { answerText, argumentsText, halves, pieces } from "./sse.ts";
import type { AnswerTurn, SseFrame, TurnContext, Wire } from "./types.ts";
import { anthropicUsage, fullUsage } from "./usage.ts";

type Block = Record<string, unknown>;

/** A fake signature: Claude keeps thinking blocks only when they carry one. */
const SIGNATURE = "bW9jay1zaWduYXR1cmU=";

/** The content blocks of an answer, in order: thinking, text, tool_use. */
function blocks(turn: AnswerTurn, ctx: TurnContext): Block[] {
  const out: Block[] = [];
  if ("reasoning" in turn && turn.reasoning !== undefined)
    out.push({ type: "thinking", thinking: turn.reasoning, signature: SIGNATURE });
  const text = answerText(turn);
  if (!("toolCall" in turn) || text) out.push({ type: "text", text });
  if ("toolCall" in turn) {
    const json = argumentsText(turn.toolCall.arguments);
    out.push({
      type: "tool_use",
      id: turn.toolCall.id ?? `toolu_mock_${ctx.n}`,
      name: turn.toolCall.name,
      input: parseOr(json),
      json,
    });
  }
  return out;
}

function parseOr(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

/** start / deltas / stop of one content block. */
function blockEvents(block: Block, index: number): Block[] {
  const delta = (d: Block) => ({ type: "content_block_delta", index, delta: d });
  let start: Block;
  let deltas: Block[];
  if (block.type === "thinking") {
    start = { type: "thinking", thinking: "", signature: "" };
    deltas = pieces(block.thinking as string).map((thinking) => delta({ type: "thinking_delta", thinking }));
    deltas.push(delta({ type: "signature_delta", signature: SIGNATURE }));
  } else if (block.type === "text") {
    start = { type: "text", text: "" };
    deltas = pieces(block.text as string).map((text) => delta({ type: "text_delta", text }));
  } else {
    start = { type: "tool_use", id: block.id, name: block.name, input: {} };
    deltas = halves(block.json as string).map((partial_json) =>
      delta({ type: "input_json_delta", partial_json }),
    );
  }
  return [
    { type: "content_block_start", index, content_block: start },
    ...deltas,
    { type: "content_block_stop", index },
  ];
}

function messageStart(ctx: TurnContext): Block {
  const output = Math.min(1, ctx.usage.output);
  return {
    type: "message_start",
    message: {
      id: `msg_mock_${ctx.n}`,
      type: "message",
      role: "assistant",
      model: ctx.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(ctx.usage, output),
    },
  };
}

/** Name each frame after its `type`, as the real API does. */
function frames(events: Block[]): SseFrame[] {
  return events.map((data) => ({ event: data.type as string, data }));
}

export const anthropic: Wire = {
  stream(turn, ctx) {
    const events: Block[] = [messageStart(ctx), { type: "ping" }];
    blocks(turn, ctx).forEach((b, i) => {
      events.push(...blockEvents(b, i));
    });
    events.push({
      type: "message_delta",
      delta: { stop_reason: "toolCall" in turn ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: fullUsage(ctx.usage).output },
    });
    events.push({ type: "message_stop" });
    return frames(events);
  },

  partial(text, ctx) {
    return frames([
      messageStart(ctx),
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
    ]);
  },

  json(turn, ctx) {
    return {
      id: `msg_mock_${ctx.n}`,
      type: "message",
      role: "assistant",
      model: ctx.model,
      content: blocks(turn, ctx).map(({ json: _json, ...b }) => b),
      stop_reason: "toolCall" in turn ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: anthropicUsage(ctx.usage, ctx.usage.output),
    };
  },

  error: anthropicError,
};
