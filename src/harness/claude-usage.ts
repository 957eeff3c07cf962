/**
 * Per-request usage from Claude Code's stream-json: one `usage` event per API response, counted once.
 *
 * Claude prints one `assistant` line per content block, each repeating the message_start usage
 * (output_tokens there is a placeholder, 1). The final counts are in the raw stream events that
 * `--include-partial-messages` adds: message_start (input side) and message_delta (output). So a
 * streamed response is counted at its message_stop, with every count the largest seen for it; a stream
 * cut before message_stop is not counted (nor is it in Claude's own totals). A response that arrives
 * complete (Claude's non-streaming fallback) appears only as `assistant` lines: those are merged by
 * message id + request id and counted at the next line of another kind.
 */
import type { AgentEventBody, Usage } from "../core/agent-events.ts";

interface Pending {
  id: string;
  requestId: string;
  usage: Usage;
}

type Obj = Record<string, unknown>;

/** A token count from untrusted JSON (anything else is 0). */
export const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

/** An Anthropic usage object -> ours (input_tokens already excludes cache reads and writes). */
export function anthropicUsage(u: unknown, model: string | null): Usage {
  const o = (u ?? {}) as Obj;
  return {
    input: count(o.input_tokens),
    cachedInput: count(o.cache_read_input_tokens),
    cacheWrite: count(o.cache_creation_input_tokens),
    output: count(o.output_tokens),
    reasoning: 0, // thinking is inside output_tokens; Anthropic reports no separate count
    model,
  };
}

const larger = (a: Usage, b: Usage): Usage => ({
  input: Math.max(a.input, b.input),
  cachedInput: Math.max(a.cachedInput, b.cachedInput),
  cacheWrite: Math.max(a.cacheWrite, b.cacheWrite),
  output: Math.max(a.output, b.output),
  reasoning: Math.max(a.reasoning, b.reasoning),
  model: a.model ?? b.model,
});

export class RequestUsage {
  /** Streams in progress, by parent_tool_use_id ("" for the main thread). */
  private readonly open = new Map<string, Pending>();
  /** Complete messages seen only as `assistant` lines, by message id + request id. */
  private readonly loose = new Map<string, Pending>();
  /** message id + request id of the responses already counted. */
  private readonly counted = new Set<string>();

  /** The usage events one stream-json line completes. */
  line(o: Obj): AgentEventBody[] {
    const parent = typeof o.parent_tool_use_id === "string" ? o.parent_tool_use_id : "";
    if (o.type === "assistant") {
      this.assistant(o, parent);
      return [];
    }
    const out = this.flush();
    if (o.type !== "stream_event") return out;
    const ev = (o.event ?? {}) as Obj;
    if (ev.type === "message_start") {
      const m = (ev.message ?? {}) as Obj;
      const model = typeof m.model === "string" ? m.model : null;
      this.open.set(parent, { id: String(m.id ?? ""), requestId: "", usage: anthropicUsage(m.usage, model) });
    } else if (ev.type === "message_delta") {
      const p = this.open.get(parent);
      if (p) p.usage = larger(p.usage, anthropicUsage(ev.usage, null));
    } else if (ev.type === "message_stop") {
      const p = this.open.get(parent);
      this.open.delete(parent);
      if (p) out.push(...this.emit(p));
    }
    return out;
  }

  private assistant(o: Obj, parent: string): void {
    const m = (o.message ?? {}) as Obj;
    if (m.model === "<synthetic>" || typeof m.id !== "string") return; // Claude's own error text
    const requestId = typeof o.request_id === "string" ? o.request_id : "";
    const usage = anthropicUsage(m.usage, typeof m.model === "string" ? m.model : null);
    const p = this.open.get(parent);
    if (p && p.id === m.id) {
      p.requestId ||= requestId;
      p.usage = larger(p.usage, usage);
      return;
    }
    const key = `${m.id}\n${requestId}`;
    if (this.counted.has(key)) return;
    const seen = this.loose.get(key);
    this.loose.set(key, { id: m.id, requestId, usage: seen ? larger(seen.usage, usage) : usage });
  }

  private flush(): AgentEventBody[] {
    const out = [...this.loose.values()].flatMap((p) => this.emit(p));
    this.loose.clear();
    return out;
  }

  private emit(p: Pending): AgentEventBody[] {
    const key = `${p.id}\n${p.requestId}`;
    if (this.counted.has(key)) return [];
    this.counted.add(key);
    return [{ type: "usage", scope: "request", usage: p.usage }];
  }
}
