/**
 * Codex rollouts for the cost-scan bench: `<root>/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`.
 * "new" files follow what codex 0.169.0 wrote against the scripted model server (bench/cost-scan/record.ts):
 * `ordinal` on every line, session_meta with ~20 KB of base instructions, world_state, turn_context,
 * thread_settings_applied, item_completed events, a `token_usage_record` per response AND an
 * `event_msg/token_count` per response (the same usage twice: count one). "mid" files are the older shape
 * (no ordinal, `shell` calls, exec output as JSON in function_call_output, rate limits with percentages,
 * rate-limit-only token_count lines with `info: null`). "old" files carry only `total_token_usage` (no
 * `last_token_usage`): per-request usage is the difference of successive totals.
 *
 * What a scanner must get right, all present (and counted in the manifest): token_count snapshots repeated
 * with the same total (count once); totals-only files; the same usage in token_usage_record and token_count;
 * the model from the latest turn_context (it changes mid-file); resumed threads appending turns a day later;
 * `input_tokens` that include the cached part (input = input - cached - cache writes); a truncated last line.
 */
import path from "node:path";
import {
  emit,
  envelope,
  functionOutput,
  message,
  rateLimits,
  sessionMeta,
  tokenCount,
  zero,
} from "./codex-lines.mjs";
import { DAY_MS, iso, rolloutStamp, sliceOf } from "./rng.mjs";
import { ANSWERS, COMMANDS, PROJECTS, PROMPTS, THOUGHTS } from "./text.mjs";

/** Models by the part of the six months a rollout falls in: the newer ones later, as they were released. */
export const CODEX_MODELS = [
  [
    ["gpt-5-codex", 70],
    ["gpt-5", 30],
  ],
  [
    ["gpt-5.1-codex", 50],
    ["gpt-5.1-codex-max", 30],
    ["gpt-5-codex", 20],
  ],
  [
    ["gpt-5.2-codex", 55],
    ["gpt-5.1-codex-max", 30],
    ["gpt-5.1-codex", 15],
  ],
];
const eraOf = (when) => CODEX_MODELS[when < 0.3 ? 0 : when < 0.6 ? 1 : 2];

/** Write Codex rollouts under `root` until about `targetBytes`; the ledger keeps the truth. */
export function writeCodex({ r, pools, led, root, targetBytes, start, days, mb }) {
  const maxRequests = Math.min(500, 6 + mb * 5);
  const cwds = PROJECTS.map((p) => `/home/dev/src/${p}`);
  for (let n = 0; led.bytes < targetBytes; n++) {
    const at = start + r.int(0, days - 1) * DAY_MS + r.int(7, 23) * 3_600_000 + r.int(0, 3_599_999);
    const when = (at - start) / (days * DAY_MS);
    const style =
      n < 5
        ? ["new", "mid", "old", "new", "mid"][n]
        : when < 0.25
          ? r.weighted([
              ["old", 5],
              ["mid", 5],
            ])
          : when < 0.6
            ? r.weighted([
                ["mid", 8],
                ["new", 2],
              ])
            : r.weighted([
                ["new", 9],
                ["mid", 1],
              ]);
    const requests = r.lognormal(16, 1, 2, maxRequests);
    rollout(
      { r, pools, led, root },
      {
        style,
        at,
        id: r.uuid7(at),
        cwd: r.weighted(cwds.map((c, i) => [c, 1 / (i + 1)])),
        model: r.weighted(eraOf(when)),
        era: eraOf(when),
        requests: n < 5 ? Math.max(requests, 4) : requests,
        turns: r.int(1, Math.min(6, Math.ceil(requests / 3))),
        repeat: n === 0 || n === 1 || r.chance(0.3),
        switchModel: n === 3 || r.chance(0.1),
        resumed: n === 4 || (style !== "old" && r.chance(0.1)),
        cacheWrite: style === "new" && (n === 0 || r.chance(0.3)),
        truncate: n === 3 || r.chance(0.01),
      },
    );
  }
}

function rollout(ctx, s) {
  const { r, led, root } = ctx;
  const day = iso(s.at).slice(0, 10).split("-");
  const f = led.open(path.join(root, "sessions", ...day, `rollout-${rolloutStamp(s.at)}-${s.id}.jsonl`));
  const st = {
    ...ctx,
    s,
    f,
    t: s.at,
    ordinal: 0,
    model: s.model,
    context: r.int(9_000, 16_000),
    total: zero(s),
  };
  sessionMeta(st);
  const perTurn = Math.max(1, Math.floor(s.requests / s.turns));
  for (let turn = 0, done = 0; done < s.requests; turn++) {
    if (turn > 0 && s.resumed && turn === s.turns - 1) {
      st.t += r.int(2, 30) * 3_600_000; // resumed the next day or so: appended to the same file
      led.note("codex.resumedThreads");
    }
    if (turn > 0 && s.switchModel && turn === 1) {
      st.model = r.weighted(s.era.filter(([m]) => m !== s.model));
      led.note("codex.modelSwitches");
    }
    const n = turn === s.turns - 1 ? s.requests - done : Math.min(perTurn, s.requests - done);
    runTurn(st, n);
    done += n;
  }
  if (s.truncate) {
    const text = JSON.stringify(
      envelope(st, "response_item", functionOutput(st, `call_${r.base62(24)}`, r.pick(st.pools.outputs))),
    );
    f.raw(text.slice(0, Math.floor(text.length / 2)));
    led.note("badLines");
  }
  f.close();
  led.note(`codex.${s.style}Files`);
}

function runTurn(st, requests) {
  const { r, s } = st;
  const turnId = r.uuid7(st.t);
  const prompt = r.pick(PROMPTS);
  st.t += r.int(3_000, 300_000);
  if (s.style === "new") {
    const attribution = {
      turn_id: turnId,
      turn_trigger: "exec",
      parent_turn_id: null,
      initiating_agent_path: null,
      root_turn_id: turnId,
    };
    emit(st, "event_msg", {
      type: "task_started",
      turn_attribution: attribution,
      turn_id: turnId,
      root_turn_id: turnId,
      started_at: Math.floor(st.t / 1000),
      model_context_window: 258400,
      collaboration_mode_kind: "default",
    });
    emit(st, "response_item", message("developer", st.pools.developerText, `msg_${r.uuid7(st.t)}`));
  } else if (r.chance(0.5)) {
    emit(st, "event_msg", { type: "token_count", info: null, rate_limits: rateLimits(st) });
    st.led.note("codex.infoNullSnapshots");
  }
  emit(
    st,
    "response_item",
    message(
      "user",
      `<environment_context>\n  <cwd>${s.cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`,
    ),
  );
  if (s.style === "new")
    emit(st, "turn_context", {
      turn_id: turnId,
      root_turn_id: turnId,
      disabled_plugin_ids: [],
      cwd: s.cwd,
      approval_policy: "never",
      approvals_reviewer: "user",
      permission_profile: { type: "disabled" },
      model: st.model,
      collaboration_mode: {
        mode: "default",
        settings: { model: st.model, reasoning_effort: null, developer_instructions: null },
      },
      multi_agent_version: "v1",
      realtime_active: false,
      summary: "none",
      sandbox_policy: { type: "danger-full-access" },
    });
  else
    emit(st, "turn_context", {
      cwd: s.cwd,
      approval_policy: "on-request",
      sandbox_policy: {
        type: "workspace-write",
        network_access: false,
        exclude_tmpdir_env_var: false,
        exclude_slash_tmp: false,
      },
      model: st.model,
      effort: "medium",
      summary: "auto",
    });
  if (s.style === "new") {
    emit(st, "event_msg", {
      type: "thread_settings_applied",
      thread_id: s.id,
      thread_settings: { model: st.model, model_provider_id: "openai", approval_policy: "never", cwd: s.cwd },
    });
    emit(st, "response_item", message("user", prompt, `msg_${r.uuid7(st.t)}`));
    emit(st, "event_msg", {
      type: "item_completed",
      thread_id: s.id,
      turn_id: turnId,
      item: {
        type: "UserMessage",
        id: r.uuid7(st.t),
        content: [{ type: "text", text: prompt, text_elements: [] }],
      },
    });
  } else {
    emit(st, "response_item", message("user", prompt));
    emit(st, "event_msg", { type: "user_message", message: prompt, images: [] });
  }
  for (let i = 0; i < requests; i++) response(st, turnId, i === requests - 1);
  if (s.style === "new")
    emit(st, "event_msg", {
      type: "task_complete",
      root_turn_id: turnId,
      turn_id: turnId,
      last_agent_message: r.pick(ANSWERS),
      duration_ms: r.int(5_000, 900_000),
    });
}

/** One model response: reasoning, a message or a shell call with its output, and the usage it cost. */
function response(st, turnId, final) {
  const { r, s, led } = st;
  st.t += r.int(1_500, 60_000);
  const n = led.counts.requests + 1;
  const reasoning = r.chance(0.6);
  if (reasoning) {
    const summary = r.pick(THOUGHTS);
    const item = {
      type: "reasoning",
      id: `rs_${r.hex(48)}`,
      summary: [{ type: "summary_text", text: summary }],
      content: null,
      encrypted_content: `gAAAAA${sliceOf(r, st.pools.blob, 800, 6_000)}`,
    };
    if (s.style === "new")
      emit(st, "event_msg", {
        type: "item_completed",
        thread_id: s.id,
        turn_id: turnId,
        item: { type: "Reasoning", id: item.id, summary_text: [summary], raw_content: [] },
      });
    else emit(st, "event_msg", { type: "agent_reasoning", text: summary });
    emit(st, "response_item", item);
  }
  const callId = `call_${r.base62(24)}`;
  const cmd = r.pick(COMMANDS);
  if (final || r.chance(0.25)) {
    const text = r.pick(ANSWERS);
    if (s.style === "new")
      emit(st, "event_msg", {
        type: "item_completed",
        thread_id: s.id,
        turn_id: turnId,
        item: { type: "AgentMessage", id: `msg_${r.hex(40)}`, content: [{ type: "Text", text }] },
      });
    else emit(st, "event_msg", { type: "agent_message", message: text });
    emit(st, "response_item", { ...message("assistant", text, `msg_${r.hex(40)}`), status: "completed" });
  }
  if (!final) {
    const args =
      s.style === "new" ? { cmd } : { command: ["bash", "-lc", cmd], workdir: s.cwd, timeout_ms: 120_000 };
    emit(st, "response_item", {
      type: "function_call",
      status: "completed",
      id: `fc_${r.hex(40)}`,
      name: s.style === "new" ? "exec_command" : "shell",
      arguments: JSON.stringify(args),
      call_id: callId,
    });
  }
  const last = nextUsage(st);
  if (s.style === "new") {
    emit(st, "token_usage_record", {
      thread_id: s.id,
      turn_id: turnId,
      session_id: s.id,
      root_turn_id: turnId,
      response_id: `resp_${n}_${r.hex(32)}`,
      usage: last,
      turn_token_usage: last,
      thread_token_usage: { ...st.total },
    });
    led.note("codex.tokenUsageRecords");
  }
  if (!final) {
    const out = r.pick(st.pools.outputs);
    st.t += r.int(200, 120_000);
    if (s.style === "new")
      emit(st, "event_msg", {
        type: "item_completed",
        thread_id: s.id,
        turn_id: turnId,
        item: {
          type: "CommandExecution",
          id: callId,
          process_id: String(r.int(1000, 99999)),
          command: ["/bin/bash", "-lc", cmd],
          cwd: `file://${s.cwd}`,
          parsed_cmd: [{ type: "unknown", cmd }],
          source: "unified_exec_startup",
          status: "completed",
          aggregated_output: out,
          exit_code: 0,
          duration: { secs: r.int(0, 90), nanos: r.int(0, 999_999_999) },
        },
      });
    else
      emit(st, "event_msg", {
        type: "exec_command_end",
        call_id: callId,
        stdout: out,
        stderr: "",
        aggregated_output: out,
        exit_code: 0,
        duration: { secs: r.int(0, 90), nanos: 0 },
        formatted_output: out,
      });
    emit(st, "response_item", functionOutput(st, callId, out));
  }
  tokenCount(st, last);
  if (s.repeat && r.chance(0.35)) {
    st.t += r.int(5, 400);
    tokenCount(st, last); // the same snapshot again: the total did not move
    led.note("codex.repeatedSnapshots");
  }
}

/** The next response's usage (Responses semantics: input includes cached, output includes reasoning). */
function nextUsage(st) {
  const { r, s } = st;
  const fresh = r.lognormal(800, 1.2, 20, 40_000);
  const cached = st.context === 0 ? 0 : Math.floor((st.context * (0.85 + 0.15 * r.next())) / 128) * 128;
  const input = st.context + fresh;
  const write = s.cacheWrite && r.chance(0.4) ? r.int(0, Math.min(fresh, 4_000)) : 0;
  const output = r.lognormal(300, 1, 5, 16_000);
  const reasoning = Math.floor(output * 0.7 * r.next());
  st.context = input + output > 240_000 ? r.int(15_000, 30_000) : input + output;
  const u = { input_tokens: input, cached_input_tokens: Math.min(cached, input) };
  if ("cache_write_input_tokens" in st.total) u.cache_write_input_tokens = write;
  Object.assign(u, {
    output_tokens: output,
    reasoning_output_tokens: reasoning,
    total_tokens: input + output,
  });
  for (const k of Object.keys(st.total)) st.total[k] += u[k];
  st.led.request(
    st.model,
    {
      input: input - u.cached_input_tokens - write,
      cachedInput: u.cached_input_tokens,
      cacheWrite: write,
      output,
      reasoning,
    },
    st.t,
  );
  return u;
}
