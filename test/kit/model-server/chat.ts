/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`), as opencode (`@ai-sdk/openai-compatible`)
 * and pi (`openai-completions`) consume it. OpenCode offered `bash {command, description}`, `edit`,
 * `glob`, `grep`, `read`, `skill`, `task`, `todowrite`, `webfetch`, `write`, and sends one
 * title-generation request (no tools) per new session; pi offered `read`, `bash {command}`, `edit`,
 * `write`. Tool results come back as `role:"tool"` messages.
 */
import { openAiError } from "./errors.ts";
import { answerText, argumentsText, halves, pieces } from "./sse.ts";
import type { AnswerTurn, SseFrame, TurnContext, Wire } from "./types.ts";
import { chatUsage } from "./usage.ts";

type Delta = Record<string, unknown>;

function chunk(ctx: TurnContext, choices: unknown[], extra: Record<string, unknown> = {}): SseFrame {
  return {
    data: {
      id: `chatcmpl-mock-${ctx.n}`,
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model: ctx.model,
      choices,
      ...extra,
    },
  };
}

function deltaChunk(ctx: TurnContext, delta: Delta): SseFrame {
  return chunk(ctx, [{ index: 0, delta, finish_reason: null }]);
}

function callId(turn: AnswerTurn, ctx: TurnContext): string {
  return ("toolCall" in turn && turn.toolCall.id) || `call_mock_${ctx.n}`;
}

export const chat: Wire = {
  stream(turn, ctx) {
    const frames: SseFrame[] = [deltaChunk(ctx, { role: "assistant", content: "" })];
    if ("reasoning" in turn && turn.reasoning !== undefined)
      for (const r of pieces(turn.reasoning)) frames.push(deltaChunk(ctx, { reasoning_content: r }));
    const text = answerText(turn);
    if (text) for (const t of pieces(text)) frames.push(deltaChunk(ctx, { content: t }));
    if ("toolCall" in turn) {
      const { name, arguments: args } = turn.toolCall;
      const call = { index: 0, id: callId(turn, ctx), type: "function", function: { name, arguments: "" } };
      frames.push(deltaChunk(ctx, { tool_calls: [call] }));
      for (const a of halves(argumentsText(args)))
        frames.push(deltaChunk(ctx, { tool_calls: [{ index: 0, function: { arguments: a } }] }));
    }
    const finish = "toolCall" in turn ? "tool_calls" : "stop";
    frames.push(chunk(ctx, [{ index: 0, delta: {}, finish_reason: finish }]));
    frames.push(chunk(ctx, [], { usage: chatUsage(ctx.usage) }));
    frames.push({ data: "[DONE]" });
    return frames;
  },

  partial(text, ctx) {
    return [deltaChunk(ctx, { role: "assistant", content: text })];
  },

  json(turn, ctx) {
    const text = answerText(turn);
    const message: Record<string, unknown> = { role: "assistant", content: text || null };
    if ("reasoning" in turn && turn.reasoning !== undefined) message.reasoning_content = turn.reasoning;
    if ("toolCall" in turn) {
      const { name, arguments: args } = turn.toolCall;
      message.tool_calls = [
        { id: callId(turn, ctx), type: "function", function: { name, arguments: argumentsText(args) } },
      ];
    }
    return {
      id: `chatcmpl-mock-${ctx.n}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: ctx.model,
      choices: [{ index: 0, message, finish_reason: "toolCall" in turn ? "tool_calls" : "stop" }],
      usage: chatUsage(ctx.usage),
    };
  },

  error(status, message) {
    return openAiError(status, message);
  },
};
