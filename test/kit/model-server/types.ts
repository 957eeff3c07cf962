/**
 * Types of the scripted model server (test kit): what a test scripts (`Turn`), what the server
 * records (`RecordedRequest`), and the small contract each wire protocol implements (`Wire`).
 */

/** Token counts in longrun's normalized terms; each wire protocol converts them (see usage.ts). */
export interface Usage {
  /** Uncached input tokens. */
  input: number;
  /** Input tokens read from the prompt cache. */
  cachedInput?: number;
  /** Input tokens written to the prompt cache. */
  cacheWrite?: number;
  /** Output tokens, reasoning included. */
  output: number;
  /** The reasoning part of `output`. */
  reasoning?: number;
}

export interface TextTurn {
  text: string;
  usage?: Usage;
  /** Wait this long before answering (a slow model: the request is in flight meanwhile). */
  delayMs?: number;
  /** Reasoning text streamed before the answer (summary / reasoning_content / thinking block). */
  reasoning?: string;
}

export interface ToolTurn {
  /** `arguments` as a string is sent verbatim (use it to serve broken JSON). */
  toolCall: { name: string; arguments: Record<string, unknown> | string; id?: string };
  /** Text streamed before the tool call. */
  text?: string;
  usage?: Usage;
  /** Wait this long before answering (a slow model: the request is in flight meanwhile). */
  delayMs?: number;
}

export type FaultTurn =
  | { fault: "http500" | "malformed" | "drop" | "stall"; message?: string }
  | { fault: "http429"; retryAfterSeconds: number }
  | { fault: "http404"; message?: string };

export type Turn = TextTurn | ToolTurn | FaultTurn;

/** A turn that produces an answer (not a fault). */
export type AnswerTurn = TextTurn | ToolTurn;

export type Protocol = "responses" | "chat" | "anthropic" | "other";

export interface RecordedRequest {
  method: string;
  /** The path as requested, query string included. */
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Which model route answered; "other" for /models, 404s and the like (they consume no turn). */
  protocol: Protocol;
  /** `body.model`, when the body names one. */
  model?: string;
  /** Names of the tools the request offered (Responses/Anthropic `name`, Chat `function.name`). */
  tools: string[];
  /** The turn served (model routes only), "done" fallback included. */
  turn?: Turn;
  /** The usage served in normalized terms (answers only: the turn's own or the default). */
  usage?: Usage;
  /** True when the script had run out and the server answered the fallback "done". */
  overrun?: boolean;
}

export type Script = Turn[] | ((req: RecordedRequest, index: number) => Turn);

export interface ModelServer {
  /** http://127.0.0.1:PORT (no /v1: append it for OpenAI-style base URLs). */
  url: string;
  port: number;
  /** Every request received, in arrival order (recorded before it is answered). */
  requests: RecordedRequest[];
  /** Stop listening and destroy every open socket (stalled streams included). */
  close(): Promise<void>;
}

/** One server-sent event; a string `data` is written verbatim (for `[DONE]` and broken lines). */
export interface SseFrame {
  event?: string;
  data: unknown;
}

/** What a protocol module needs to know about the request it answers. */
export interface TurnContext {
  /** 1-based serial of the model request, for ids. */
  n: number;
  model: string;
  usage: Usage;
}

/** One wire protocol: pure functions from a turn to frames and bodies. */
export interface Wire {
  /** Every event of a complete streamed answer. */
  stream(turn: AnswerTurn, ctx: TurnContext): SseFrame[];
  /** The opening events and one text delta: what drop, stall and malformed send before misbehaving. */
  partial(text: string, ctx: TurnContext): SseFrame[];
  /** The body of a non-streaming answer. */
  json(turn: AnswerTurn, ctx: TurnContext): unknown;
  /** The JSON error body this API sends with an HTTP error status. */
  error(status: number, message: string): unknown;
}
