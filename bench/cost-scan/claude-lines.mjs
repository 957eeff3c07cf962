/**
 * The lines of a Claude Code session log that carry no request: the shared head and tail of a conversation
 * line, prompts, attachments, the usage object of each Claude Code generation, compaction boundaries,
 * `<synthetic>` API errors, copied history and a truncated last line. See claude-log.mjs.
 */
import { iso } from "./rng.mjs";

export const VERSION = { new: "2.1.197", mid: "2.0.76", old: "1.0.112" };

/** Write one object as a line; the first ~200 KB of a main session are kept for a continued session. */
export function emit(st, obj, usage = false) {
  const text = st.f.line(obj);
  if (!st.sidechain && st.head.bytes < 200_000) {
    st.head.lines.push({ text, usage });
    st.head.bytes += text.length;
  }
}

/** The fields every conversation line ends with, in Claude Code's order. */
export function tail(st, uuid) {
  const o = { uuid, timestamp: iso(st.t), userType: "external" };
  if (st.s.style !== "old") o.entrypoint = st.s.entrypoint;
  o.cwd = st.s.project.cwd;
  o.sessionId = st.sessionId;
  o.version = VERSION[st.s.style];
  o.gitBranch = st.s.gitBranch;
  return o;
}

export function head(st) {
  const o = { parentUuid: st.last, isSidechain: st.sidechain };
  if (st.agentId) o.agentId = st.agentId;
  return o;
}

export function prompt(st, text) {
  const uuid = st.r.uuid();
  st.t += st.r.int(5_000, 600_000);
  const o = head(st);
  if (st.s.style === "new") o.promptId = st.r.uuid();
  Object.assign(o, { type: "user", message: { role: "user", content: text } }, tail(st, uuid));
  if (!st.sidechain) o.permissionMode = st.r.pick(["default", "acceptEdits", "bypassPermissions"]);
  emit(st, o);
  st.last = uuid;
}

export function attachment(st) {
  const uuid = st.r.uuid();
  const o = head(st);
  Object.assign(
    o,
    { attachment: { type: "skill_listing", content: st.pools.skillListing }, type: "attachment" },
    tail(st, uuid),
  );
  emit(st, o);
  st.last = uuid;
}

/** Usage as the style of Claude Code writes it; 5m and 1h parts add up to cache_creation_input_tokens. */
export function usageObject(style, u, output) {
  if (style === "old")
    return {
      input_tokens: u.input,
      cache_creation_input_tokens: u.cacheWrite,
      cache_read_input_tokens: u.cachedInput,
      output_tokens: output,
      service_tier: "standard",
    };
  const o = {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cachedInput,
    output_tokens: output,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: "standard",
    cache_creation: { ephemeral_1h_input_tokens: u.w1h, ephemeral_5m_input_tokens: u.cacheWrite - u.w1h },
  };
  if (style === "new") Object.assign(o, { inference_geo: "", iterations: [], speed: "standard" });
  return o;
}

/** History of an earlier session of the project copied at the head of this one (the same request ids). */
export function copyHistory(st, parent) {
  for (const line of parent.lines) {
    st.f.raw(`${line.text.replaceAll(parent.id, st.sessionId)}\n`);
    st.led.counts.lines++;
    if (line.usage) st.led.note("claude.crossFileCopies");
  }
  st.led.note("claude.continuedSessions");
}

export function compactBoundary(st) {
  const uuid = st.r.uuid();
  const o = { parentUuid: null, logicalParentUuid: st.last, isSidechain: false, ...tail(st, uuid) };
  Object.assign(o, {
    type: "system",
    subtype: "compact_boundary",
    content: "Conversation compacted",
    isMeta: false,
    level: "info",
    compactMetadata: { trigger: "auto", preTokens: st.context },
  });
  emit(st, o);
  st.last = uuid;
  st.context = 0;
  st.led.note("claude.compactBoundaries");
}

/** An API error as Claude Code logs it: an assistant line of model `<synthetic>` with zero usage. */
export function synthetic(st) {
  const uuid = st.r.uuid();
  const o = head(st);
  Object.assign(o, tail(st, uuid), {
    type: "assistant",
    message: {
      id: st.r.uuid(),
      model: "<synthetic>",
      role: "assistant",
      stop_reason: "stop_sequence",
      stop_sequence: "",
      type: "message",
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      content: [
        {
          type: "text",
          text: 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        },
      ],
    },
    isApiErrorMessage: true,
  });
  emit(st, o);
  st.last = uuid;
  st.led.note("claude.syntheticLines");
}

/** A session killed mid-write: its last line is cut (no usage on it) and has no newline. */
export function truncatedLine(st) {
  const o = {
    parentUuid: st.last,
    isSidechain: false,
    type: "user",
    message: { role: "user", content: [{ type: "tool_result", content: st.r.pick(st.pools.outputs) }] },
  };
  const text = JSON.stringify(o);
  st.f.raw(text.slice(0, Math.max(40, Math.floor(text.length / 2))));
  st.led.note("badLines");
}
