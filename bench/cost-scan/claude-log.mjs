/**
 * Claude Code session logs for the cost-scan bench: `<root>/projects/<cwd with non-alphanumerics as "-">/
 * <session>.jsonl`, subagents in `<session>/subagents/agent-<id>.jsonl` (+ `.meta.json`; older builds wrote
 * `agent-<id>.jsonl` beside the sessions). Line shapes follow what Claude Code 2.1.197 wrote against the
 * scripted model server (bench/cost-scan/record.ts), with the older 2.0 / 1.0 variants (no
 * `cache_creation` object in 1.0, `summary` lines at the top of a file).
 *
 * What a scanner must get right, all present (and counted in the manifest): one API message written as
 * several lines (one per content block) that repeat the usage; earlier copies with a smaller, still growing
 * output_tokens (take the largest); history copied into a continued session's new file (the same
 * message.id + requestId in two files); with `gateway`, sessions whose lines have no requestId (a proxy
 * that sends no request-id header: dedup on message.id; off by default, as ccusage 20.0.24's daily report
 * counts such copies once per line, see bench/README.md);
 * `<synthetic>` API-error lines with zero usage; a subagent's usage summed into the Agent tool's result
 * (`toolUseResult.usage`, on a user line: not a request); a truncated last line.
 */
import path from "node:path";
import {
  attachment,
  compactBoundary,
  copyHistory,
  emit,
  head,
  prompt,
  synthetic,
  tail,
  truncatedLine,
  usageObject,
} from "./claude-lines.mjs";
import { pickTool, toolInput, toolResult } from "./claude-tools.mjs";
import { DAY_MS, iso, sliceOf } from "./rng.mjs";
import { ANSWERS, PROJECTS, PROMPTS, THOUGHTS } from "./text.mjs";

/** Models by the part of the six months a session falls in: the newer ones later, as they were released. */
export const CLAUDE_MODELS = [
  [
    ["claude-sonnet-4-5-20250929", 60],
    ["claude-opus-4-1-20250805", 25],
    ["claude-haiku-4-5-20251001", 15],
  ],
  [
    ["claude-sonnet-4-5-20250929", 45],
    ["claude-opus-4-6", 40],
    ["claude-haiku-4-5-20251001", 15],
  ],
];
const HAIKU = "claude-haiku-4-5-20251001";
const SUMMARIES = [
  "Upload retry test fix",
  "Config loader refactor",
  "ログイン テスト修正",
  "Nightly batch profiling 🚀",
];

/** Write Claude Code logs under `root` until about `targetBytes`; the ledger keeps the truth. */
export function writeClaude({ r, pools, led, root, targetBytes, start, days, mb, gateway }) {
  const projects = makeProjects(mb);
  const maxRequests = Math.min(600, 6 + mb * 6);
  const prefixes = new Map(); // project dir -> the head of its last session, for continued sessions
  let first;
  for (let n = 0; led.bytes < targetBytes; n++) {
    const project = n === 1 ? first : r.weighted(projects.map((p, i) => [p, 1 / (i + 1)]));
    first ??= project;
    const at = start + r.int(0, days - 1) * DAY_MS + r.int(7, 23) * 3_600_000 + r.int(0, 3_599_999);
    const s = plan(r, n, project, at, (at - start) / (days * DAY_MS), maxRequests);
    s.gateway &&= gateway;
    const parent = prefixes.get(project.dir);
    if (s.continued && parent) s.copy = parent;
    const head = session({ r, pools, led, root }, s);
    if (head.lines.length > 0) prefixes.set(project.dir, head);
  }
}

function makeProjects(mb) {
  const count = Math.min(60, 6 + Math.round(6 * Math.log2(1 + mb / 10)));
  return Array.from({ length: count }, (_, i) => {
    const base = PROJECTS[i % PROJECTS.length];
    const name =
      i === 3 ? "web.app" : i < PROJECTS.length ? base : `${base}-${Math.floor(i / PROJECTS.length) + 1}`;
    const cwd = `/home/dev/src/${name}`;
    return { cwd, dir: cwd.replace(/[^a-zA-Z0-9]/g, "-") };
  });
}

/** A session's shape. Sessions 0-4 always carry the rare cases, so that a 1 MB run holds each of them. */
function plan(r, n, project, at, when, maxRequests) {
  const style =
    n < 5
      ? ["new", "new", "old", "mid", "new"][n]
      : when < 0.3
        ? r.weighted([
            ["old", 7],
            ["mid", 3],
          ])
        : when < 0.7
          ? r.weighted([
              ["mid", 8],
              ["new", 2],
            ])
          : r.weighted([
              ["new", 9],
              ["mid", 1],
            ]);
  const requests = r.lognormal(18, 1, 2, maxRequests);
  return {
    project,
    style,
    at,
    requests: n < 5 ? Math.max(requests, 4) : requests,
    id: r.uuid(),
    model: r.weighted(CLAUDE_MODELS[when < 0.35 ? 0 : 1]),
    entrypoint: r.chance(0.3) ? "sdk-cli" : "cli",
    gitBranch: r.pick(["main", "main", "fix/upload-retry", "feat/i18n", "HEAD"]),
    grow: n === 0 || (style !== "new" && r.chance(0.3)) || r.chance(0.1),
    subagent: n === 0 || n === 2 || (requests > 8 && r.chance(0.15)),
    continued: n === 1 || r.chance(0.06),
    summary: n === 2 || (style !== "new" && r.chance(0.3)),
    compact: n === 3 || r.chance(0.05),
    oneHour: n === 3 || r.chance(0.2),
    gateway: n === 4 || r.chance(0.03),
    synthetic: n === 0 || r.chance(0.05),
    truncate: n === 3 || r.chance(0.01),
  };
}

/** One session file (and its subagents). Returns the head of the file, for a later continued session. */
function session(ctx, s) {
  const { r, led, root } = ctx;
  const dir = path.join(root, "projects", s.project.dir);
  const f = led.open(path.join(dir, `${s.id}.jsonl`));
  const st = {
    ...ctx,
    s,
    f,
    dir,
    t: s.at,
    last: null,
    sessionId: s.id,
    sidechain: false,
    head: { id: s.id, lines: [], bytes: 0 },
    context: 0,
  };
  if (s.summary)
    for (let i = r.int(1, 3); i > 0; i--)
      emit(st, { type: "summary", summary: r.pick(SUMMARIES), leafUuid: r.uuid() });
  if (s.copy) copyHistory(st, s.copy);
  if (s.entrypoint === "sdk-cli" && s.style === "new") {
    const content = r.pick(PROMPTS);
    emit(st, {
      type: "queue-operation",
      operation: "enqueue",
      timestamp: iso(st.t),
      sessionId: s.id,
      content,
    });
    emit(st, { type: "queue-operation", operation: "dequeue", timestamp: iso(st.t + 1), sessionId: s.id });
  }
  prompt(st, r.pick(PROMPTS));
  if (s.style === "new" && r.chance(0.5)) attachment(st);
  const compactAt = s.compact ? Math.max(1, Math.floor(s.requests / 2)) : -1;
  const agentAt = s.subagent ? r.int(0, s.requests - 2) : -1;
  const syntheticAt = s.synthetic ? r.int(0, s.requests - 1) : -1;
  for (let i = 0; i < s.requests; i++) {
    if (i === compactAt) compactBoundary(st);
    if (i > 0 && r.chance(0.06)) prompt(st, r.pick(PROMPTS));
    if (i === syntheticAt) synthetic(st);
    request(st, { final: i === s.requests - 1, agent: i === agentAt });
  }
  if (s.style === "new")
    emit(st, { type: "last-prompt", lastPrompt: r.pick(PROMPTS), leafUuid: st.last, sessionId: s.id });
  if (s.truncate) truncatedLine(st);
  f.close();
  return st.head;
}

/** The usage of the next request of a session whose prompt cache holds `st.context` tokens. */
function nextUsage(st, model) {
  const { r } = st;
  let u;
  if (st.context === 0) {
    u = {
      input: r.int(3, 12),
      cachedInput: r.chance(0.6) ? r.int(11_000, 16_000) : 0,
      cacheWrite: r.int(4_000, 25_000),
    };
  } else {
    u = {
      input: r.lognormal(6, 1, 1, 4_000),
      cachedInput: st.context,
      cacheWrite: r.lognormal(900, 1.1, 0, 60_000),
    };
  }
  u.w1h = st.s.oneHour ? (r.chance(0.7) ? u.cacheWrite : Math.floor(u.cacheWrite / 3)) : 0;
  u.output = r.lognormal(model === HAIKU ? 120 : 220, 1.1, 1, 32_000);
  st.context = Math.min(185_000, u.input + u.cachedInput + u.cacheWrite);
  return u;
}

/**
 * One API request: its content blocks (thinking, text, tool calls), one line each with the usage repeated,
 * then the tool results. In a "grow" session earlier copies may carry a smaller output_tokens.
 */
function request(st, { final, agent }) {
  const { r, led, s } = st;
  const model = s.model !== HAIKU && r.chance(0.12) ? HAIKU : s.model;
  const u = nextUsage(st, model);
  const blocks = [];
  if (model !== HAIKU && r.chance(0.4))
    blocks.push({
      type: "thinking",
      thinking: r.pick(THOUGHTS),
      signature: sliceOf(r, st.pools.blob, 200, 1600),
    });
  const tools = final ? [] : agent ? ["Agent"] : [pickTool(r), ...(r.chance(0.1) ? [pickTool(r)] : [])];
  if (tools.length === 0 || r.chance(0.5)) blocks.push({ type: "text", text: r.pick(ANSWERS) });
  const calls = tools.map((name) => {
    const { input, file } =
      name === "Agent" ? { input: agentInput(r) } : toolInput(r, st.pools, name, s.project.cwd);
    return { name, input, file, id: `toolu_01${r.base62(22)}` };
  });
  for (const c of calls) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: c.input });
  const msgId = `msg_01${r.base62(22)}`;
  const requestId = s.gateway ? undefined : `req_011C${r.base62(20)}`;
  const grow = s.grow && blocks.length > 1 && r.chance(0.6);
  st.t += r.int(2_000, 40_000);
  blocks.forEach((block, j) => {
    const lastCopy = j === blocks.length - 1;
    const output =
      grow && !lastCopy ? (j === 0 ? 1 : Math.max(1, Math.floor((u.output * j) / blocks.length))) : u.output;
    const message = {
      id: msgId,
      type: "message",
      role: "assistant",
      model,
      content: [block],
      stop_reason: grow && !lastCopy ? null : calls.length ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: usageObject(s.style, u, output),
    };
    if (s.style === "new") message.stop_details = null;
    const uuid = r.uuid();
    const o = head(st);
    o.message = message;
    if (requestId) o.requestId = requestId;
    if (st.attribution) o.attributionAgent = st.attribution;
    Object.assign(o, { type: "assistant" }, tail(st, uuid));
    emit(st, o, true);
    st.last = uuid;
    st.t += r.int(20, 900);
  });
  led.request(
    model,
    { input: u.input, cachedInput: u.cachedInput, cacheWrite: u.cacheWrite, output: u.output },
    st.t,
  );
  if (blocks.length > 1) led.note("claude.multiLineMessages");
  led.note("claude.copyLines", blocks.length - 1);
  if (grow) led.note("claude.growingCopies", blocks.length - 1);
  if (!requestId) led.note("claude.withoutRequestId");
  if (st.sidechain) led.note("claude.sidechainRequests");
  for (const c of calls) {
    const assistantUuid = st.last;
    const res = c.name === "Agent" ? subagent(st, c) : toolResult(r, st.pools, c.name, c.input, c.file);
    st.t += r.int(300, 90_000);
    const uuid = r.uuid();
    const o = head(st);
    if (s.style === "new") o.promptId = r.uuid();
    const block = {
      tool_use_id: c.id,
      type: "tool_result",
      content: res.content,
      is_error: res.isError ?? false,
    };
    Object.assign(o, { type: "user", message: { role: "user", content: [block] } });
    Object.assign(o, tail(st, uuid), {
      toolUseResult: res.toolUseResult,
      sourceToolAssistantUUID: assistantUuid,
    });
    emit(st, o);
    st.last = uuid;
  }
}

function agentInput(r) {
  return {
    description: "Find the retry code",
    prompt: "Find every place that retries an upload and report file:line. 日本語のコメントも含めて。",
    subagent_type: r.pick(["general-purpose", "Explore"]),
  };
}

/** A subagent's own log (isSidechain), then the Agent tool's result in the parent, with its usage summary. */
function subagent(st, call) {
  const { r, led, s } = st;
  const old = s.style === "old";
  const agentId = old ? r.hex(8) : `a${r.hex(16)}`;
  const file = old
    ? path.join(st.dir, `agent-${agentId}.jsonl`)
    : path.join(st.dir, s.id, "subagents", `agent-${agentId}.jsonl`);
  const sub = { ...st, f: led.open(file), sidechain: true, agentId, last: null, context: 0 };
  if (!old) sub.attribution = call.input.subagent_type;
  sub.s = { ...s, model: r.chance(0.6) ? HAIKU : s.model, grow: false, gateway: s.gateway };
  prompt(sub, call.input.prompt);
  const n = r.int(2, 8);
  for (let i = 0; i < n; i++) request(sub, { final: i === n - 1, agent: false });
  sub.f.close();
  if (!old) {
    const meta = led.open(file.replace(/\.jsonl$/, ".meta.json"));
    meta.raw(
      JSON.stringify({
        agentType: call.input.subagent_type,
        description: call.input.description,
        toolUseId: call.id,
        spawnDepth: 1,
      }),
    );
    meta.close();
  }
  led.note(old ? "claude.sidechainFilesOldLayout" : "claude.sidechainFiles");
  const took = sub.t - st.t;
  st.t = sub.t;
  const answer = "Found 3 places: src/upload/client.ts:88, src/webhook/send.ts:41, src/jobs/retry.ts:12 ✅";
  const tokens = r.int(5_000, 90_000);
  const usage = usageObject(s.style, { input: 40, cachedInput: 12_000, cacheWrite: 800, w1h: 0 }, 300);
  return {
    content: [
      { type: "text", text: answer },
      {
        type: "text",
        text: `agentId: ${agentId} (use SendMessage with to: '${agentId}', summary: '<5-10 word recap>' to continue this agent)\n<usage>subagent_tokens: ${tokens}\ntool_uses: ${n - 1}\nduration_ms: ${took}</usage>`,
      },
    ],
    toolUseResult: {
      status: "completed",
      prompt: call.input.prompt,
      agentId,
      agentType: call.input.subagent_type,
      content: [{ type: "text", text: answer }],
      resolvedModel: sub.s.model,
      totalDurationMs: took,
      totalTokens: tokens,
      totalToolUseCount: n - 1,
      usage,
    },
  };
}
