/**
 * OpenCode (`opencode run --format json`), per shared/HARNESSES.md. With a base URL, OpenCode gets its
 * config in OPENCODE_CONFIG_CONTENT (an OpenAI-compatible provider `longrun` at the server, the key as
 * `{env:VAR}`, which OpenCode substitutes: no secret in the config, none on disk) and private XDG
 * data/config/cache/state dirs under .longrun/homes/opencode (its SQLite sessions live there, so they can
 * be resumed); HOME is kept, as OpenCode writes nothing there and the agent's shell tools need the user's
 * git identity and keys (the XDG variables do reach those tools: a `gh` there looks for its login under
 * the private XDG_CONFIG_HOME). Without a base URL it runs with the user's own config and login.
 *
 * Usage is per step (= per model request, `step_finish.part.tokens`): OpenCode's `input` already
 * excludes cache reads and writes; its `output` EXCLUDES reasoning, so ours is output + reasoning.
 * OpenCode prints no session total: the session usage is the sum of its steps (the same rows it stores).
 * Each new session would first send a hidden title-generation request whose usage OpenCode counts
 * nowhere (no event, no stored message); longrun passes `--title` so that request is never made, and
 * the session usage is everything the model server served.
 *
 * Failure: an `error` event (`{name, data: {message, statusCode?}}`) and exit 1. Retries are OpenCode's
 * own and have no knob in 1.18.33 (5 retries, 2-30 s backoff, ~65 s for a 500 or a dead server; a
 * server's `retry-after(-ms)` header sets the delay), so `spec.retries` is not honoured.
 * A model stream that ends without a finish reason makes OpenCode request again at once, forever
 * (~10 requests a second, each printing a step): the idle timeout never fires, so after
 * UNFINISHED_STREAM_LIMIT such empty steps in a row longrun stops the session itself and says why.
 * SIGINT is ignored by OpenCode: stop with SIGTERM.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AgentEventBody, RunStatus, Usage } from "../core/agent-events.ts";
import { parseJsonObject } from "../core/jsonl.ts";
import { binaryVersion, findBinary, installedBinary } from "../exec/find-binary.ts";
import { cliHome } from "./cli-home.ts";
import { withV1 } from "./pi.ts";
import { type Normalizer, runSession, stripAnsi } from "./session.ts";
import type { Adapter, AgentRun, AgentSpec } from "./types.ts";

const PROVIDER = "longrun";

/** Steps in a row that ended without a finish reason (and ran no tool) before longrun stops OpenCode. */
export const UNFINISHED_STREAM_LIMIT = 5;

export const opencodeAdapter: Adapter = {
  name: "opencode",
  install: "npm install -g opencode-ai",
  needs: "a provider configured in opencode (`opencode auth login`) or --base-url",
  find: (env = process.env) => installedBinary("opencode", process.cwd(), env),
  start(spec: AgentSpec) {
    let userStopped = false;
    const normalizer = opencodeNormalizer(spec.model ?? null, {
      onEndlessLoop: () => run.stop(),
      userStopped: () => userStopped,
    });
    const run: AgentRun = runSession(
      "opencode",
      spec,
      async () => {
        const bin = findBinary("opencode", spec.cwd);
        if (!bin) return { notInstalled: `opencode is not installed (${opencodeAdapter.install})` };
        const { args, env } = opencodeInvocation(spec, process.env);
        return {
          command: bin,
          args,
          env,
          version: await binaryVersion(bin),
          model: spec.model ?? null,
          stopSignal: "SIGTERM",
        };
      },
      normalizer,
    );
    return {
      ...run,
      stop: () => {
        userStopped = true;
        run.stop();
      },
    };
  },
};

/**
 * Arguments and environment of `opencode run` for `spec` (with a base URL this also writes the private
 * home's .npmrc). Shared by the adapter and bench/harness's bare runs.
 */
export function opencodeInvocation(
  spec: AgentSpec,
  parentEnv: NodeJS.ProcessEnv,
): { args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...parentEnv, ...spec.env, OPENCODE_DISABLE_AUTOUPDATE: "1" };
  // --auto approves what would be asked (headless `run` otherwise auto-rejects); explicit denies stay.
  const args = ["run", "--format", "json", "--auto", "--thinking", "--dir", spec.cwd];
  if (spec.baseUrl) {
    const keyVar = spec.apiKeyEnv ?? "LONGRUN_API_KEY";
    env[keyVar] = env[keyVar] ?? "none";
    Object.assign(env, privateDirs(cliHome(spec.cwd, "opencode")));
    env.OPENCODE_CONFIG_CONTENT = JSON.stringify(opencodeConfig(spec, keyVar));
    env.OPENCODE_DISABLE_MODELS_FETCH = "1"; // the models.dev catalog says nothing about our provider
    env.OPENCODE_DISABLE_DEFAULT_PLUGINS = "1"; // its built-in login plugins: ~1 s of startup, unused here
    args.push("-m", `${PROVIDER}/${spec.model ?? "default"}`);
  } else if (spec.model) args.push("-m", spec.model);
  // A new session gets its title from us, so OpenCode makes no hidden title request (see above).
  if (spec.resumeSession) args.push("--session", spec.resumeSession);
  else args.push(`--title=${sessionTitle(spec.prompt)}`);
  args.push("--", spec.prompt);
  return { args, env };
}

/**
 * The runner's verdict, amended: it knows nothing of OpenCode's endless re-request loop, which longrun
 * stops itself (an error that says why, not "stopped on request") and which a timeout may have cut.
 */
export function opencodeVerdict(
  status: RunStatus,
  reason: string,
  unfinished: number,
  stoppedByGuard: boolean,
): [RunStatus, string] {
  if (stoppedByGuard && status === "killed") return ["error", loopReason(unfinished, true)];
  if (status === "timeout" && unfinished > 0) return [status, `${reason}; ${loopReason(unfinished, false)}`];
  return [status, reason];
}

function loopReason(n: number, stopped: boolean): string {
  const what = `${n} model stream${n === 1 ? "" : "s"} in a row ended without a finish reason and opencode kept requesting again`;
  return stopped ? `${what}: longrun stopped it (opencode would loop forever)` : what;
}

/** XDG dirs of a private OpenCode home; its plugin installs get a dead npm registry (.npmrc). */
export function privateDirs(home: string): Record<string, string> {
  const dirs = {
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    XDG_STATE_HOME: path.join(home, "state"),
  };
  // At every start OpenCode installs @opencode-ai/plugin into its config dir from the npm registry.
  // A project .npmrc there points that install at a dead local port; unlike npm_config_registry in the
  // environment, it does not reach the agent's own `npm` commands.
  const configDir = path.join(dirs.XDG_CONFIG_HOME, "opencode");
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, ".npmrc"), "registry=http://127.0.0.1:9/\n");
  return dirs;
}

/** OPENCODE_CONFIG_CONTENT for a base URL: one OpenAI-compatible provider; the key by variable name. */
export function opencodeConfig(spec: AgentSpec, keyVar: string): Record<string, unknown> {
  const model = spec.model ?? "default";
  return {
    $schema: "https://opencode.ai/config.json",
    provider: {
      [PROVIDER]: {
        npm: "@ai-sdk/openai-compatible", // bundled in the binary: nothing is fetched
        name: PROVIDER,
        options: { baseURL: withV1(spec.baseUrl ?? ""), apiKey: `{env:${keyVar}}` },
        models: { [model]: { name: model } },
      },
    },
    enabled_providers: [PROVIDER],
    model: `${PROVIDER}/${model}`,
    small_model: `${PROVIDER}/${model}`,
    autoupdate: false,
    share: "disabled",
  };
}

/** The session title OpenCode shows: the brief's first line, short. */
export function sessionTitle(prompt: string): string {
  const line =
    prompt
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? "";
  const title = line.length > 60 ? `${line.slice(0, 59)}…` : line;
  return title || "longrun session";
}

interface OpencodePart {
  type?: string;
  text?: string;
  tool?: string;
  callID?: string;
  id?: string;
  reason?: string;
  tokens?: { input?: number; output?: number; reasoning?: number; cache?: { read?: number; write?: number } };
  state?: {
    status?: string;
    input?: unknown;
    output?: string;
    error?: string;
    metadata?: { exit?: number | null };
  };
}

/** One step's tokens as OpenCode reports them -> our Usage (output with reasoning). */
export function opencodeUsage(tokens: OpencodePart["tokens"], model: string | null): Usage {
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  const t = tokens ?? {};
  return {
    input: n(t.input),
    cachedInput: n(t.cache?.read),
    cacheWrite: n(t.cache?.write),
    output: n(t.output) + n(t.reasoning),
    reasoning: n(t.reasoning),
    model,
  };
}

/** `{name, data: {message, statusCode}}` -> one line carrying the server's message. */
export function opencodeError(error: unknown): string {
  const e = (error ?? {}) as { name?: unknown; data?: { message?: unknown; statusCode?: unknown } };
  const message =
    typeof e.data?.message === "string" && e.data.message ? e.data.message : String(e.name ?? "error");
  const status = typeof e.data?.statusCode === "number" ? ` (HTTP ${e.data.statusCode})` : "";
  const line = `${message}${status}`.replace(/\s+/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

export interface OpencodeNormalizer extends Normalizer {
  /** Steps in a row that ended without a finish reason and ran no tool (OpenCode's endless re-request). */
  unfinishedStreams(): number;
}

export interface LoopGuard {
  /** Called once UNFINISHED_STREAM_LIMIT empty steps came in a row: stop the session. */
  onEndlessLoop(): void;
  /** Whether the user stopped the session (then a stop is theirs, not the guard's). */
  userStopped(): boolean;
}

/** Normalizer of `--format json` lines; `guard` stops OpenCode's endless re-request loop. */
export function opencodeNormalizer(model: string | null, guard?: LoopGuard): OpencodeNormalizer {
  let sessionId: string | null = null;
  let guardFired = false;
  let failure: string | null = null;
  let stepRanTool = false;
  let unfinished = 0;
  return {
    line(line) {
      const o = parseJsonObject(line);
      if (!o || typeof o.type !== "string") {
        const text = stripAnsi(line).trim();
        const asked = /permission requested: (.*); auto-rejecting/.exec(text);
        if (asked)
          return [{ type: "error", message: `opencode auto-rejected a permission request: ${asked[1]}` }];
        return [{ type: "unknown", raw: line }];
      }
      if (typeof o.sessionID === "string") sessionId = o.sessionID;
      const part = (o.part ?? {}) as OpencodePart;
      switch (o.type) {
        case "step_start":
          stepRanTool = false;
          return [];
        case "text":
          return part.text ? [{ type: "message", text: part.text }] : [];
        case "reasoning":
          return part.text ? [{ type: "reasoning", text: part.text }] : [];
        case "tool_use": {
          stepRanTool = true;
          const id = part.callID ?? part.id ?? "";
          const name = part.tool ?? "tool";
          const st = part.state ?? {};
          const exit = st.metadata?.exit;
          return [
            { type: "tool_start", id, name, input: st.input ?? null },
            {
              type: "tool_end",
              id,
              name,
              ok: st.status === "completed" && (exit === undefined || exit === null || exit === 0),
              output: st.status === "error" ? (st.error ?? null) : (st.output ?? null),
            },
          ];
        }
        case "step_finish": {
          const out: AgentEventBody[] = [
            { type: "usage", scope: "request", usage: opencodeUsage(part.tokens, model) },
          ];
          if (part.reason === "unknown" && !stepRanTool) {
            unfinished++;
            out.push({
              type: "error",
              message: `the model stream ended without a finish reason; opencode requests again (${unfinished} in a row)`,
            });
            if (unfinished === UNFINISHED_STREAM_LIMIT && guard) {
              guardFired = true;
              guard.onEndlessLoop();
            }
          } else unfinished = 0;
          return out;
        }
        case "error":
          failure = opencodeError(o.error); // OpenCode exits 1 once any error was reported
          return [{ type: "error", message: failure }];
        default:
          return [{ type: "unknown", raw: line }];
      }
    },
    sessionUsage: () => undefined, // the sum of the steps' request usages (OpenCode prints no total)
    sessionId: () => sessionId,
    failure: () => failure,
    unfinishedStreams: () => unfinished,
    amend: (status, reason) =>
      opencodeVerdict(status, reason, unfinished, guardFired && !guard?.userStopped()),
  };
}
