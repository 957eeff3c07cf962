/**
 * Agent CLI usage logs for tests, line by line as the CLIs write them (compact JSON), with the knobs
 * the scan rules need: Claude responses split over several lines, sidechains, progress records,
 * cache_creation objects; Codex token_count snapshots; Pi assistant messages; OpenCode messages.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ClaudeLine {
  ts?: string;
  id?: string | null;
  req?: string | null;
  session?: string;
  model?: string;
  input?: number;
  output?: number;
  cacheWrite?: number;
  cacheRead?: number;
  /** cache_creation object: 5-minute and 1-hour writes. */
  cc?: { m5: number; h1: number };
  sidechain?: boolean;
  extra?: Record<string, unknown>;
}

export function claudeLine(o: ClaudeLine = {}): string {
  const usage: Record<string, unknown> = { input_tokens: o.input ?? 100, output_tokens: o.output ?? 50 };
  if (o.cacheWrite !== undefined) usage.cache_creation_input_tokens = o.cacheWrite;
  if (o.cacheRead !== undefined) usage.cache_read_input_tokens = o.cacheRead;
  if (o.cc) usage.cache_creation = { ephemeral_5m_input_tokens: o.cc.m5, ephemeral_1h_input_tokens: o.cc.h1 };
  const message: Record<string, unknown> = {
    model: o.model ?? "claude-sonnet-4-5-20250929",
    type: "message",
    role: "assistant",
    content: [{ type: "text", text: "done ✓ 完了" }],
    usage,
  };
  if (o.id !== null) message.id = o.id ?? "msg_1";
  const line: Record<string, unknown> = {
    parentUuid: "p",
    isSidechain: o.sidechain ?? false,
    userType: "external",
    cwd: "/home/dev/app",
    sessionId: o.session ?? "s1",
    version: "2.1.197",
    type: "assistant",
    message,
    uuid: `u-${Math.random()}`,
    timestamp: o.ts ?? "2026-11-20T10:00:00.000Z",
    ...o.extra,
  };
  if (o.req !== null) line.requestId = o.req ?? "req_1";
  return JSON.stringify(line);
}

/** A user line with a big tool result (no usage). */
export const claudeToolResult = (text: string) =>
  JSON.stringify({
    type: "user",
    message: { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: text }] },
    timestamp: "2026-11-20T10:00:01.000Z",
    sessionId: "s1",
  });

export interface CodexUsage {
  input: number;
  cached?: number;
  output: number;
  reasoning?: number;
}
const codexTok = (u: CodexUsage) => ({
  input_tokens: u.input,
  cached_input_tokens: u.cached ?? 0,
  output_tokens: u.output,
  reasoning_output_tokens: u.reasoning ?? 0,
  total_tokens: u.input + u.output,
});

export const codexMeta = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    timestamp: "2026-11-20T10:00:00.000Z",
    type: "session_meta",
    payload: { id, cwd: "/w", ...extra },
  });
export const codexTurn = (model: string, ts = "2026-11-20T10:00:00.500Z") =>
  JSON.stringify({ timestamp: ts, type: "turn_context", payload: { cwd: "/w", model } });
export function codexTokens(ts: string, total: CodexUsage | null, last: CodexUsage | null): string {
  const info: Record<string, unknown> = {};
  if (total) info.total_token_usage = codexTok(total);
  if (last) info.last_token_usage = codexTok(last);
  return JSON.stringify({
    timestamp: ts,
    type: "event_msg",
    payload: { type: "token_count", info, rate_limits: null },
  });
}

export function piLine(o: {
  id?: string;
  ts?: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}): string {
  const input = o.input ?? 100;
  const output = o.output ?? 20;
  const cacheRead = o.cacheRead ?? 0;
  const cacheWrite = o.cacheWrite ?? 0;
  return JSON.stringify({
    type: "message",
    id: o.id ?? "a1",
    parentId: "u1",
    timestamp: o.ts ?? "2026-11-20T10:00:00.000Z",
    message: {
      role: "assistant",
      content: [{ type: "text", text: "ok" }],
      api: "openai-completions",
      provider: "openai",
      model: o.model ?? "gpt-5.2",
      usage: { input, output, cacheRead, cacheWrite, totalTokens: input + output + cacheRead + cacheWrite },
      stopReason: "stop",
    },
  });
}

/** An OpenCode message's `data` JSON. */
export const opencodeMessage = (o: {
  id: string;
  session?: string;
  created?: number;
  model?: string;
  input?: number;
  output?: number;
  reasoning?: number;
  read?: number;
  write?: number;
}) => ({
  id: o.id,
  sessionID: o.session ?? "ses_1",
  role: "assistant",
  path: { cwd: "/home/dev/app", root: "/" },
  cost: 0,
  tokens: {
    total: (o.input ?? 100) + (o.output ?? 10) + (o.reasoning ?? 0),
    input: o.input ?? 100,
    output: o.output ?? 10,
    reasoning: o.reasoning ?? 0,
    cache: { write: o.write ?? 0, read: o.read ?? 0 },
  },
  modelID: o.model ?? "claude-sonnet-4-5",
  providerID: "anthropic",
  time: { created: o.created ?? Date.parse("2026-11-20T10:00:00.000Z") },
});

/** Write `files` (relative path -> lines or bytes) under `root`. */
export function writeLogs(root: string, files: Record<string, string[] | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, Buffer.isBuffer(content) ? content : `${content.join("\n")}\n`);
  }
  return root;
}
