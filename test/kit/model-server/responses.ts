/**
 * OpenAI Responses API (`POST /v1/responses`), as codex (wire_api = "responses") and pi
 * (`openai-responses`) consume it. Codex offered `exec_command {cmd, workdir, …}`, `write_stdin`,
 * `view_image`, … and needs `response.completed`, else it retries. Tool results come back as
 * `{type:"function_call_output", call_id, output}` input items.
 */
import { openAiError } from "./errors.ts";
import { argumentsText, halves, pieces } from "./sse.ts";
import type { AnswerTurn, SseFrame, TurnContext, Wire } from "./types.ts";
import { responsesUsage } from "./usage.ts";

type Item = Record<string, unknown>;

/** The output items of an answer, in order: reasoning, message, function call. */
function outputItems(turn: AnswerTurn, ctx: TurnContext): Item[] {
  const items: Item[] = [];
  if ("reasoning" in turn && turn.reasoning !== undefined)
    items.push({
      id: `rs_mock_${ctx.n}`,
      type: "reasoning",
      summary: [{ type: "summary_text", text: turn.reasoning }],
    });
  if (!("toolCall" in turn) || turn.text)
    items.push({
      id: `msg_mock_${ctx.n}`,
      type: "message",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: turn.text ?? "", annotations: [] }],
    });
  if ("toolCall" in turn)
    items.push({
      id: `fc_mock_${ctx.n}`,
      type: "function_call",
      status: "completed",
      call_id: turn.toolCall.id ?? `call_mock_${ctx.n}`,
      name: turn.toolCall.name,
      arguments: argumentsText(turn.toolCall.arguments),
    });
  return items;
}

function response(ctx: TurnContext, status: string, output: Item[], withUsage: boolean): Item {
  return {
    id: `resp_mock_${ctx.n}`,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: ctx.model,
    output,
    ...(withUsage ? { usage: responsesUsage(ctx.usage) } : {}),
  };
}

/** The delta events that build one finished item (between its added and done events). */
function itemDeltas(item: Item, index: number): Item[] {
  const id = item.id;
  if (item.type === "reasoning") {
    const text = (item.summary as { text: string }[])[0]!.text;
    const part = { type: "summary_text", text };
    return [
      {
        type: "response.reasoning_summary_part.added",
        item_id: id,
        output_index: index,
        summary_index: 0,
        part: { ...part, text: "" },
      },
      ...pieces(text).map((delta) => ({
        type: "response.reasoning_summary_text.delta",
        item_id: id,
        output_index: index,
        summary_index: 0,
        delta,
      })),
      {
        type: "response.reasoning_summary_text.done",
        item_id: id,
        output_index: index,
        summary_index: 0,
        text,
      },
      {
        type: "response.reasoning_summary_part.done",
        item_id: id,
        output_index: index,
        summary_index: 0,
        part,
      },
    ];
  }
  if (item.type === "message") {
    const part = (item.content as Item[])[0]!;
    const text = part.text as string;
    const at = { item_id: id, output_index: index, content_index: 0 };
    return [
      { type: "response.content_part.added", ...at, part: { ...part, text: "" } },
      ...pieces(text).map((delta) => ({ type: "response.output_text.delta", ...at, delta })),
      { type: "response.output_text.done", ...at, text },
      { type: "response.content_part.done", ...at, part },
    ];
  }
  const args = item.arguments as string;
  return [
    ...halves(args).map((delta) => ({
      type: "response.function_call_arguments.delta",
      item_id: id,
      output_index: index,
      delta,
    })),
    { type: "response.function_call_arguments.done", item_id: id, output_index: index, arguments: args },
  ];
}

/** The item as announced by output_item.added: empty, in progress. */
function opening(item: Item): Item {
  if (item.type === "reasoning") return { ...item, summary: [] };
  if (item.type === "message") return { ...item, status: "in_progress", content: [] };
  return { ...item, status: "in_progress", arguments: "" };
}

/** Number the events and name each frame after its `type`, as the real API does. */
function frames(events: Item[]): SseFrame[] {
  return events.map((e, i) => ({ event: e.type as string, data: { ...e, sequence_number: i } }));
}

export const responses: Wire = {
  stream(turn, ctx) {
    const items = outputItems(turn, ctx);
    const events: Item[] = [{ type: "response.created", response: response(ctx, "in_progress", [], false) }];
    items.forEach((item, index) => {
      events.push({ type: "response.output_item.added", output_index: index, item: opening(item) });
      events.push(...itemDeltas(item, index));
      events.push({ type: "response.output_item.done", output_index: index, item });
    });
    events.push({ type: "response.completed", response: response(ctx, "completed", items, true) });
    return frames(events);
  },

  partial(text, ctx) {
    const item = {
      id: `msg_mock_${ctx.n}`,
      type: "message",
      role: "assistant",
      status: "in_progress",
      content: [],
    };
    return frames([
      { type: "response.created", response: response(ctx, "in_progress", [], false) },
      { type: "response.output_item.added", output_index: 0, item },
      {
        type: "response.output_text.delta",
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        delta: text,
      },
    ]);
  },

  json(turn, ctx) {
    return response(ctx, "completed", outputItems(turn, ctx), true);
  },

  error(status, message) {
    return openAiError(status, message);
  },
};
