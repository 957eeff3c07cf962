/**
 * Pi's RPC mode (`pi --mode rpc`, 0.73.1) as a steerable session: commands as JSON lines on stdin,
 * events and `response`s on stdout. Observed and read in Pi's source:
 *
 * - Every message (the brief and each `send`) is `{"type":"prompt","streamingBehavior":"steer"}`: Pi
 *   itself decides, at the moment it reads the line, whether it is busy (the message is queued and
 *   given to the model after the running tool, before its next request, as a user message) or idle
 *   (the message starts a new run). A plain `steer` sent to an idle Pi would wait for a prompt forever.
 * - A refused command answers `success:false` and nothing else follows.
 * - `agent_end` closes every run, also each failed attempt that Pi will retry; `auto_retry_start` (or
 *   the final `auto_retry_end`) is printed right after it, in the same tick. So after each `agent_end`
 *   a `get_state` goes out, and its answer, which comes after anything printed with the `agent_end`,
 *   decides: Pi is done when no retry is on, it is not streaming or compacting, and every message
 *   written has been given to the model (one user `message_end` each).
 * - EOF on stdin ends Pi at once, even mid-run: stdin is closed only when it is done.
 */
import type { AgentEventBody } from "../core/agent-events.ts";
import { jsonLine, parseJsonObject } from "../core/jsonl.ts";
import type { Dialog, DialogStep } from "./session.ts";

/** Ids of longrun's commands: the brief and messages, and the state queries. */
const MESSAGE = "longrun-message-";
const IDLE = "longrun-idle-";
const START = "longrun-state";
/** The start of the lines that matter nothing here (Pi prints `type` first). */
const UPDATE = /^\{"type":"(message_update|tool_execution_update)"/;

/** One line of text: newlines folded, cut at 300 characters. */
const oneLine = (s: string) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
};

export function piDialog(): Dialog {
  let messages = 0; // written, not refused
  let delivered = 0; // user messages Pi gave the model
  let queries = 0;
  let awaiting: string | null = null; // the state query sent after the latest agent_end
  let retrying = false;
  let failure: string | null = null;

  const message = (text: string) => {
    messages++;
    return jsonLine({
      id: `${MESSAGE}${messages}`,
      type: "prompt",
      message: text,
      streamingBehavior: "steer",
    });
  };
  /** Ask Pi for its state; its answer decides whether the session is over. */
  const query = (): DialogStep => {
    awaiting = `${IDLE}${++queries}`;
    return { write: jsonLine({ id: awaiting, type: "get_state" }) };
  };

  const response = (o: Record<string, unknown>): DialogStep => {
    const id = typeof o.id === "string" ? o.id : "";
    if (o.success === false && id.startsWith(MESSAGE)) {
      messages--;
      const why = typeof o.error === "string" ? oneLine(o.error) : "no reason given";
      failure = `pi refused a message: ${why}`;
      const events: AgentEventBody[] = [{ type: "error", message: failure }];
      return { ...query(), events }; // nothing follows a refusal: perhaps nothing is left to wait for
    }
    if (id !== awaiting || o.success !== true) return {};
    awaiting = null;
    const state = (o.data ?? {}) as {
      isStreaming?: unknown;
      isCompacting?: unknown;
      pendingMessageCount?: unknown;
    };
    if (retrying || state.isStreaming === true || state.isCompacting === true) return {}; // an agent_end will follow
    const undelivered = messages - delivered;
    if (undelivered > 0 && !(typeof state.pendingMessageCount === "number" && state.pendingMessageCount > 0))
      return {}; // a message is on its way in as a new run: its agent_end will follow
    if (undelivered > 0) {
      // Queued as steering when the run ended (it failed, or it was already past its last request):
      // Pi keeps it for a next prompt that will not come.
      failure = `${undelivered} message(s) sent during the session never reached the model: pi ended its run first`;
      return { events: [{ type: "error", message: failure }], close: true };
    }
    return { close: true };
  };

  return {
    open: (prompt) => message(prompt) + jsonLine({ id: START, type: "get_state" }),
    message,
    line(text) {
      // Streaming updates are most of the lines, each with the whole message so far: not parsed twice.
      if (UPDATE.test(text)) return {};
      const o = parseJsonObject(text);
      if (!o) return {};
      switch (o.type) {
        case "message_end":
          if ((o.message as { role?: unknown } | undefined)?.role === "user") delivered++;
          return {};
        case "agent_start":
          retrying = false;
          return {};
        case "auto_retry_start":
          retrying = true;
          return {};
        case "auto_retry_end":
          retrying = false;
          return o.success === false ? query() : {}; // given up (or cancelled): no run may follow
        case "agent_end":
          return query();
        case "compaction_end":
          return query();
        case "response":
          return response(o);
        default:
          return {};
      }
    },
    failure: () => failure,
  };
}
