/**
 * Pi (`pi -p --mode json`), per shared/HARNESSES.md. With a base URL, Pi gets a private agent dir
 * (.longrun/homes/pi, kept so sessions can be resumed and read) whose models.json points one provider
 * at that server; without one, it runs with the user's own configuration. Usage is per request (assistant `message_end`), `input` without cache reads,
 * `output` with reasoning (Pi reports no separate reasoning count). Pi exits 0 even when the model call
 * failed: the last assistant message's `stopReason: "error"` decides. A steerable session
 * (`spec.steerable`) runs `pi --mode rpc` and takes the brief and each `send` on stdin (piDialog).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { AgentEventBody } from "../core/agent-events.ts";
import { parseJsonObject } from "../core/jsonl.ts";
import { binaryVersion, findBinary, installedBinary } from "../exec/find-binary.ts";
import { cliHome } from "./cli-home.ts";
import { piDialog } from "./pi-dialog.ts";
import { type Normalizer, runSession } from "./session.ts";
import type { Adapter, AgentSpec } from "./types.ts";

const PROVIDER = "longrun";

export const piAdapter: Adapter = {
  name: "pi",
  install: "npm install -g @mariozechner/pi-coding-agent",
  needs: "a provider key (e.g. ANTHROPIC_API_KEY) or --base-url",
  find: (env = process.env) => installedBinary("pi", process.cwd(), env),
  start(spec: AgentSpec) {
    return runSession(
      "pi",
      spec,
      async () => {
        const bin = findBinary("pi", spec.cwd);
        if (!bin) return { notInstalled: `pi is not installed (${piAdapter.install})` };
        const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, PI_OFFLINE: "1" };
        const args = spec.steerable ? ["--mode", "rpc"] : ["-p", "--mode", "json"];
        if (spec.baseUrl) {
          const privateDir = cliHome(spec.cwd, "pi");
          // Pi reads the key from the variable named here: no secret is written to disk.
          const keyVar = spec.apiKeyEnv ?? "LONGRUN_API_KEY";
          env[keyVar] = env[keyVar] ?? "none"; // from spec.env or the parent; only in the child's env
          const models = {
            providers: {
              [PROVIDER]: {
                baseUrl: withV1(spec.baseUrl),
                api: "openai-completions",
                apiKey: keyVar,
                compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
                models: [{ id: spec.model ?? "default", contextWindow: 128000, maxTokens: 8192 }],
              },
            },
          };
          writeFileSync(path.join(privateDir, "models.json"), JSON.stringify(models, null, 2), {
            mode: 0o600,
          });
          if (spec.retries !== undefined)
            writeFileSync(
              path.join(privateDir, "settings.json"),
              JSON.stringify({ retry: { enabled: spec.retries > 0, maxRetries: spec.retries } }),
            );
          env.PI_CODING_AGENT_DIR = privateDir;
          args.push("--provider", PROVIDER, "--model", spec.model ?? "default");
        } else if (spec.model) args.push("--model", spec.model);
        if (spec.resumeSession) args.push("--session", spec.resumeSession);
        if (!spec.steerable) args.push(spec.prompt); // else the brief is the first RPC command
        return {
          command: bin,
          args,
          env,
          version: await binaryVersion(bin),
          model: spec.model ?? null,
          stopSignal: "SIGTERM",
        };
      },
      piNormalizer(),
      spec.steerable ? piDialog() : undefined,
    );
  },
};

/** `http://host:port` or `.../v1` -> `.../v1` (Pi's openai-completions provider appends /chat/completions). */
export function withV1(url: string): string {
  const u = url.replace(/\/+$/, "");
  return /\/v1$/.test(u) ? u : `${u}/v1`;
}

interface PiMessage {
  role?: string;
  model?: string;
  stopReason?: string;
  errorMessage?: string;
  content?: { type?: string; text?: string; thinking?: string }[];
  usage?: { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
}

export function piNormalizer(): Normalizer {
  let sessionId: string | null = null;
  let failure: string | null = null;
  return {
    line(line) {
      const o = parseJsonObject(line);
      if (!o || typeof o.type !== "string") return [{ type: "unknown", raw: line }];
      const out: AgentEventBody[] = [];
      switch (o.type) {
        case "session":
          sessionId = typeof o.id === "string" ? o.id : sessionId;
          return [];
        case "response": {
          // RPC mode prints no `session` line: the id comes with the answer to get_state.
          const data = (o.data ?? {}) as { sessionId?: unknown };
          if (o.command === "get_state" && typeof data.sessionId === "string") sessionId = data.sessionId;
          return [];
        }
        case "message_end": {
          const m = (o.message ?? {}) as PiMessage;
          if (m.role !== "assistant") return [];
          for (const part of m.content ?? []) {
            if (part.type === "text" && part.text) out.push({ type: "message", text: part.text });
            if (part.type === "thinking" && part.thinking)
              out.push({ type: "reasoning", text: part.thinking });
          }
          const u = m.usage ?? {};
          out.push({
            type: "usage",
            scope: "request",
            usage: {
              input: u.input ?? 0,
              cachedInput: u.cacheRead ?? 0,
              cacheWrite: u.cacheWrite ?? 0,
              output: u.output ?? 0,
              reasoning: 0,
              model: m.model ?? null,
            },
          });
          if (m.stopReason === "error" || m.stopReason === "aborted") {
            failure = m.errorMessage ?? `the model call ended with ${m.stopReason}`;
            out.push({ type: "error", message: failure });
          } else failure = null;
          return out;
        }
        case "tool_execution_start":
          return [
            {
              type: "tool_start",
              id: String(o.toolCallId ?? ""),
              name: String(o.toolName ?? "tool"),
              input: o.args ?? null,
            },
          ];
        case "tool_execution_end":
          return [
            {
              type: "tool_end",
              id: String(o.toolCallId ?? ""),
              name: typeof o.toolName === "string" ? o.toolName : null,
              ok: o.isError !== true,
              output: null,
            },
          ];
        case "auto_retry_start":
          return [
            {
              type: "error",
              message: `retrying (attempt ${String(o.attempt)}): ${String(o.errorMessage ?? "")}`,
            },
          ];
        case "auto_retry_end":
          if (o.success === false && typeof o.finalError === "string") failure = o.finalError;
          return [];
        default:
          // agent_start, turn_start, message_start/update, turn_end, agent_end, queue_update: no event of
          // ours; the RPC answers to longrun's own commands are read by piDialog.
          return [];
      }
    },
    sessionUsage: () => undefined,
    sessionId: () => sessionId,
    failure: () => failure,
  };
}
