/**
 * The lines of a Codex rollout around the usage: the `{timestamp, ordinal, type, payload}` envelope,
 * session_meta, messages, function_call_output, token_count snapshots and rate limits, in the "new"
 * (0.169.0), "mid" and "old" shapes. See codex-log.mjs.
 */
import path from "node:path";
import { iso } from "./rng.mjs";

export const VERSION = { new: "0.169.0", mid: "0.46.0", old: "0.36.0" };

export const zero = (s) => ({
  input_tokens: 0,
  cached_input_tokens: 0,
  ...(s.cacheWrite || s.style === "new" ? { cache_write_input_tokens: 0 } : {}),
  output_tokens: 0,
  reasoning_output_tokens: 0,
  total_tokens: 0,
});

export function envelope(st, type, payload) {
  const o = { timestamp: iso(st.t) };
  if (st.s.style === "new") o.ordinal = st.ordinal++;
  o.type = type;
  o.payload = payload;
  return o;
}

export const emit = (st, type, payload) => st.f.line(envelope(st, type, payload));

export function sessionMeta(st) {
  const { s, r } = st;
  if (s.style === "new")
    return emit(st, "session_meta", {
      account_scoped: true,
      session_id: s.id,
      id: s.id,
      timestamp: iso(s.at),
      cwd: s.cwd,
      runtime_workspace_roots: [s.cwd],
      originator: r.pick(["codex_exec", "codex_cli_rs"]),
      cli_version: VERSION.new,
      source: "exec",
      thread_source: "user",
      model_provider: "openai",
      base_instructions: { text: st.pools.baseInstructions },
      history_mode: "paginated",
      context_window: { window_id: r.uuid7(s.at) },
    });
  return emit(st, "session_meta", {
    id: s.id,
    timestamp: iso(s.at),
    cwd: s.cwd,
    originator: "codex_cli_rs",
    cli_version: VERSION[s.style],
    instructions: r.chance(0.5) ? null : st.pools.prose(12),
    source: "cli",
    model_provider: "openai",
    git: {
      commit_hash: r.hex(40),
      branch: "main",
      repository_url: `git@github.com:acme/${path.basename(s.cwd)}.git`,
    },
  });
}

export function message(role, text, id) {
  const o = { type: "message" };
  if (id) o.id = id;
  o.role = role;
  o.content = [{ type: role === "assistant" ? "output_text" : "input_text", text }];
  return o;
}

export function functionOutput(st, callId, out) {
  const { r, s } = st;
  if (s.style === "new")
    return {
      type: "function_call_output",
      id: `fco_${r.uuid7(st.t)}`,
      call_id: callId,
      output: `Chunk ID: ${r.hex(6)}\nWall time: ${(r.next() * 30).toFixed(4)} seconds\nProcess exited with code 0\nOriginal token count: ${Math.ceil(out.length / 4)}\nOutput:\n${out}`,
    };
  return {
    type: "function_call_output",
    call_id: callId,
    output: JSON.stringify({
      output: out,
      metadata: { exit_code: 0, duration_seconds: Number((r.next() * 30).toFixed(1)) },
    }),
  };
}

export function tokenCount(st, last) {
  const info =
    st.s.style === "old"
      ? { total_token_usage: { ...st.total }, model_context_window: 272000 }
      : {
          total_token_usage: { ...st.total },
          last_token_usage: last,
          ...(st.s.style === "new" ? { last_usage_includes_reasoning: false } : {}),
          model_context_window: 258400,
        };
  emit(st, "event_msg", { type: "token_count", info, rate_limits: rateLimits(st) });
}

export function rateLimits(st) {
  if (st.s.style === "new")
    return {
      limit_id: "codex",
      limit_name: null,
      primary: { used_percent: 23, window_minutes: 300, resets_at: Math.floor(st.t / 1000) + 9000 },
      secondary: null,
      credits: null,
      individual_limit: null,
      spend_control_reached: null,
      plan_type: null,
      rate_limit_reached_type: null,
    };
  return {
    primary: { used_percent: 12, window_minutes: 299, resets_in_seconds: 9000 },
    secondary: { used_percent: 3, window_minutes: 10079, resets_in_seconds: 500000 },
  };
}
