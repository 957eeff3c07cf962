/**
 * Claude Code (`claude -p --output-format stream-json --verbose`), per shared/HARNESSES.md. With a base
 * URL, Claude gets a private CLAUDE_CONFIG_DIR (.longrun/homes/claude, kept for resume and for its
 * session logs), ANTHROPIC_BASE_URL without `/v1` and the key as ANTHROPIC_API_KEY in the child's
 * environment only; without one it runs with the user's own config and login. Usage follows Anthropic:
 * `input_tokens` excludes cache reads and writes, `output_tokens` includes thinking. Per-request usage
 * comes from the raw stream events (`--include-partial-messages`: message_start + message_delta), since
 * the `assistant` lines only repeat message_start's preliminary usage; the session total is the final
 * `result` event's (see sessionTotals). A failed session is `result.is_error` (its `subtype` often stays
 * "success"). A steerable session (`spec.steerable`) takes the brief and each `send` as stream-json
 * user lines on a stdin kept open (claudeDialog).
 */
import { type AgentEventBody, addUsage, emptyUsage, type Usage } from "../core/agent-events.ts";
import { jsonLine, parseJsonObject } from "../core/jsonl.ts";
import { binaryVersion, findBinary, installedBinary } from "../exec/find-binary.ts";
import { anthropicUsage, count, RequestUsage } from "./claude-usage.ts";
import { cliHome } from "./cli-home.ts";
import { type Dialog, type Normalizer, runSession } from "./session.ts";
import type { Adapter, AgentSpec } from "./types.ts";

export const claudeAdapter: Adapter = {
  name: "claude",
  install: "npm install -g @anthropic-ai/claude-code",
  needs: "ANTHROPIC_API_KEY or `claude login`; with --base-url, the key variable named by --api-key-env",
  find: (env = process.env) => installedBinary("claude", process.cwd(), env),
  start(spec: AgentSpec) {
    return runSession(
      "claude",
      spec,
      async () => {
        const bin = findBinary("claude", spec.cwd);
        if (!bin) return { notInstalled: `claude is not installed (${claudeAdapter.install})` };
        return {
          command: bin,
          args: claudeArgs(spec),
          env: claudeEnv(spec),
          version: await binaryVersion(bin),
          model: spec.model ?? null,
          // SIGINT: Claude kills its running tool, prints a `result` and exits; SIGTERM orphans the tool.
          stopSignal: "SIGINT",
        };
      },
      claudeNormalizer(spec.model ?? null),
      spec.steerable ? claudeDialog() : undefined,
    );
  },
};

export function claudeArgs(spec: AgentSpec): string[] {
  const args = ["-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages"];
  args.push("--dangerously-skip-permissions"); // headless: every tool runs without asking
  if (spec.model) args.push("--model", spec.model);
  if (spec.resumeSession) args.push("--resume", spec.resumeSession);
  if (spec.steerable)
    args.push("--input-format", "stream-json"); // the brief comes on stdin
  else args.push(spec.prompt);
  return args;
}

/** One stream-json input line: a user message with one text block. */
export const claudeUserLine = (text: string) =>
  jsonLine({ type: "user", message: { role: "user", content: [{ type: "text", text }] } });

/**
 * Claude Code with `--input-format stream-json` (2.1.197, observed): a message that arrives during a
 * turn is queued and given to the model at its next request of that turn (after the running tool, as
 * "The user sent a new message while you were working: …"); one that arrives after the turn's last
 * request starts a new turn. Every turn ends with a `result`. On EOF Claude still works through every
 * message it has read, then exits. So stdin is closed at the first `result`: a message written before
 * that is still answered, and `send` rejects after it.
 */
export function claudeDialog(): Dialog {
  return {
    open: claudeUserLine,
    message: claudeUserLine,
    // A cheap test first: most lines are stream events, and only a `result` matters here.
    line: (line) =>
      line.includes('"result"') && parseJsonObject(line)?.type === "result" ? { close: true } : {},
    failure: () => null,
  };
}

/** Variables that would send the user's own credentials, or the requests, elsewhere than `baseUrl`. */
const FOREIGN = ["ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX"];

export function claudeEnv(spec: AgentSpec, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent, ...spec.env };
  // As root, --dangerously-skip-permissions refuses to run unless the CLI is told it is sandboxed.
  if (process.getuid?.() === 0) env.IS_SANDBOX = "1"; // only "1" counts ("yes" was refused)
  if (!spec.baseUrl) return env;
  for (const k of FOREIGN) delete env[k];
  const keyVar = spec.apiKeyEnv ?? "LONGRUN_API_KEY";
  env.CLAUDE_CONFIG_DIR = cliHome(spec.cwd, "claude");
  env.ANTHROPIC_BASE_URL = withoutV1(spec.baseUrl);
  env.ANTHROPIC_API_KEY = spec.env?.[keyVar] ?? parent[keyVar] ?? "none"; // the child's env only, never on disk
  env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = "1";
  if (spec.retries !== undefined) env.CLAUDE_CODE_MAX_RETRIES = String(spec.retries);
  if (spec.model) {
    // Subagents (Explore) and small tasks otherwise ask the server for a Haiku it does not serve.
    env.ANTHROPIC_DEFAULT_HAIKU_MODEL = spec.model;
    env.CLAUDE_CODE_SUBAGENT_MODEL = spec.model;
  }
  return env;
}

/** `http://host:port`, `.../v1` or `.../v1/` -> without `/v1` (Claude appends /v1/messages itself). */
export function withoutV1(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}

interface Block {
  type?: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

/** System lines that carry nothing of ours (progress, subagent bookkeeping). */
const QUIET_SYSTEM = new Set([
  "status",
  "thinking_tokens",
  "task_started",
  "task_updated",
  "task_progress",
  "task_notification",
  "compact_boundary",
]);

/** One line of text: newlines folded, cut at 300 characters. */
const oneLine = (s: string) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > 300 ? `${t.slice(0, 299)}…` : t;
};

/** The text of a tool_result's content: a string or text blocks. */
function resultText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  return (content as Block[])
    .filter((b) => b.type === "text" && typeof b.text === "string")
    .map((b) => b.text)
    .join("\n");
}

export function claudeNormalizer(model: string | null): Normalizer {
  let sessionId: string | null = null;
  let session: Usage | undefined;
  let failure: string | null = null;
  let lastError: string | null = null;
  const requests = new RequestUsage();
  const toolNames = new Map<string, string>();
  const error = (message: string): AgentEventBody[] => {
    if (message === lastError) return [];
    lastError = message;
    return [{ type: "error", message }];
  };

  const assistant = (o: Record<string, unknown>): AgentEventBody[] => {
    const m = (o.message ?? {}) as { content?: Block[]; model?: string };
    const out: AgentEventBody[] = [];
    if (m.model === "<synthetic>" || typeof o.error === "string") {
      // An API failure as the CLI reports it: "API Error: 500 <server message>…".
      const text = (m.content ?? []).map((b) => b.text ?? "").join(" ");
      failure = oneLine(text || String(o.error ?? "the model call failed"));
      return error(failure);
    }
    for (const b of m.content ?? []) {
      if (b.type === "text" && b.text) out.push({ type: "message", text: b.text });
      else if (b.type === "thinking" && b.thinking) out.push({ type: "reasoning", text: b.thinking });
      else if (b.type === "tool_use") {
        toolNames.set(b.id ?? "", b.name ?? "tool");
        out.push({ type: "tool_start", id: b.id ?? "", name: b.name ?? "tool", input: b.input ?? null });
      }
    }
    return out;
  };

  const user = (o: Record<string, unknown>): AgentEventBody[] => {
    const content = (o.message as { content?: unknown } | undefined)?.content;
    if (!Array.isArray(content)) return [];
    return (content as Block[])
      .filter((b) => b.type === "tool_result")
      .map((b) => ({
        type: "tool_end",
        id: b.tool_use_id ?? "",
        name: toolNames.get(b.tool_use_id ?? "") ?? null,
        ok: b.is_error !== true,
        output: resultText(b.content),
      }));
  };

  const result = (o: Record<string, unknown>): AgentEventBody[] => {
    session = sessionTotals(o, model, session);
    const out: AgentEventBody[] = [{ type: "usage", scope: "session", usage: session }];
    if (o.is_error === true) {
      // API errors: `result` holds Claude's message ("API Error: 500 <server message>…"), `subtype`
      // stays "success". Otherwise (error_during_execution, error_max_turns, …) there is no text.
      const errors = Array.isArray(o.errors) ? o.errors.filter((e) => typeof e === "string") : [];
      const why = typeof o.terminal_reason === "string" ? ` (${o.terminal_reason})` : "";
      const ended = `claude ended with ${String(o.subtype ?? "an error")}${why}`;
      const text = typeof o.result === "string" && o.result ? o.result : ended;
      failure = oneLine(errors.length && text === ended ? `${text}: ${errors.join("; ")}` : text);
      out.unshift(...error(failure));
    } else failure = null;
    return out;
  };

  return {
    line(line) {
      const o = parseJsonObject(line);
      if (!o || typeof o.type !== "string") return [{ type: "unknown", raw: line }];
      if (typeof o.session_id === "string") sessionId = o.session_id;
      // Usage first: a request is counted once its stream has ended (or its message is complete).
      const out = requests.line(o);
      switch (o.type) {
        case "stream_event":
          return out;
        case "assistant":
          return [...out, ...assistant(o)];
        case "user":
          return [...out, ...user(o)];
        case "result":
          return [...out, ...result(o)];
        case "system":
          if (o.subtype === "init") return out;
          if (o.subtype === "api_retry")
            return [
              ...out,
              {
                type: "error",
                message:
                  `retrying (attempt ${String(o.attempt)} of ${String(o.max_retries)}): ${String(o.error_status ?? "")} ${String(o.error ?? "")}`.trim(),
              },
            ];
          if (QUIET_SYSTEM.has(String(o.subtype))) return out;
          return [...out, { type: "unknown", raw: line }];
        default:
          return [...out, { type: "unknown", raw: line }];
      }
    },
    sessionUsage: () => session,
    sessionId: () => sessionId,
    failure: () => failure,
  };
}

interface ModelUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
}

/**
 * The session totals of a `result` event, as the CLI reports them. `modelUsage` (per model) is taken
 * over `usage` where present: `usage` leaves out subagent requests and was all zeros after Claude fell
 * back to a non-streaming request, while `modelUsage` counted both (and matches `total_cost_usd`). So the
 * totals can exceed the sum of the per-request events, which see only the main thread's streams.
 * With stream-json input there is one `result` per turn: its `modelUsage` is the running total of the
 * process and its `usage` that turn's alone (observed), so `usage` is added to the totals `before`.
 */
export function sessionTotals(o: Record<string, unknown>, model: string | null, before?: Usage): Usage {
  const per = Object.entries((o.modelUsage ?? {}) as Record<string, unknown>);
  if (per.length === 0)
    return before ? addUsage(before, anthropicUsage(o.usage, model)) : anthropicUsage(o.usage, model);
  const total = emptyUsage(model);
  let biggest = -1;
  for (const [name, raw] of per) {
    const u = raw as ModelUsage;
    const input = count(u.inputTokens);
    const output = count(u.outputTokens);
    const cached = count(u.cacheReadInputTokens);
    total.input += input;
    total.cachedInput += cached;
    total.cacheWrite += count(u.cacheCreationInputTokens);
    total.output += output;
    if (input + output + cached > biggest) [biggest, total.model] = [input + output + cached, name];
  }
  return total;
}
