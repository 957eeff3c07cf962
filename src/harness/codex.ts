/**
 * Codex CLI (`codex exec --json`), per shared/HARNESSES.md. With a base URL, Codex gets a private
 * CODEX_HOME (.longrun/homes/codex, kept for resume and for its session logs) whose config.toml points
 * a provider at that server (Responses API); without one it runs with the user's own CODEX_HOME and login. `turn.completed.usage` is the thread's running total, with
 * `input_tokens` including cached reads and `output_tokens` including reasoning; it is reported as the
 * session usage. A failed turn is `turn.failed` (exit 1).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { AgentEventBody, Usage } from "../core/agent-events.ts";
import { parseJsonObject } from "../core/jsonl.ts";
import { binaryVersion, findBinary, installedBinary } from "../exec/find-binary.ts";
import { cliHome } from "./cli-home.ts";
import { withV1 } from "./pi.ts";
import { type Normalizer, runSession } from "./session.ts";
import type { Adapter, AgentSpec } from "./types.ts";

export const codexAdapter: Adapter = {
  name: "codex",
  install: "npm install -g @openai/codex",
  needs: "OPENAI_API_KEY or `codex login`; with --base-url, the key variable named by --api-key-env",
  find: (env = process.env) => installedBinary("codex", process.cwd(), env),
  start(spec: AgentSpec) {
    return runSession(
      "codex",
      spec,
      async () => {
        const bin = findBinary("codex", spec.cwd);
        if (!bin) return { notInstalled: `codex is not installed (${codexAdapter.install})` };
        const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
        const resume = spec.resumeSession ? ["resume", spec.resumeSession] : [];
        const args = [
          "exec",
          ...resume,
          "--json",
          "--dangerously-bypass-approvals-and-sandbox",
          "--skip-git-repo-check",
        ];
        if (!spec.resumeSession) args.push("-C", spec.cwd); // `resume` has no -C: the session runs in cwd
        if (spec.baseUrl) {
          const home = cliHome(spec.cwd, "codex");
          const keyVar = spec.apiKeyEnv ?? "LONGRUN_API_KEY";
          env[keyVar] = env[keyVar] ?? "none"; // from spec.env or the parent; only in the child's env
          writeFileSync(path.join(home, "config.toml"), codexConfig(spec, keyVar), { mode: 0o600 });
          env.CODEX_HOME = home;
          args.push("--disable", "unbounded_connection_retries");
        }
        if (spec.model) args.push("-m", spec.model);
        args.push(spec.prompt);
        return {
          command: bin,
          args,
          env,
          version: await binaryVersion(bin),
          model: spec.model ?? null,
          stopSignal: "SIGINT",
        };
      },
      codexNormalizer(spec.model ?? null),
    );
  },
};

const toml = (s: string) => JSON.stringify(s); // a TOML basic string is a JSON string for our values

export function codexConfig(spec: AgentSpec, keyVar: string): string {
  const retries =
    spec.retries === undefined
      ? ""
      : `request_max_retries = ${spec.retries}\nstream_max_retries = ${spec.retries}\n`;
  return `model_provider = "longrun"
${spec.model ? `model = ${toml(spec.model)}\n` : ""}
[model_providers.longrun]
name = "longrun"
base_url = ${toml(withV1(spec.baseUrl ?? ""))}
env_key = ${toml(keyVar)}
wire_api = "responses"
${retries}
[analytics]
enabled = false

[features]
plugins = false
`;
}

interface CodexItem {
  id?: string;
  type?: string;
  text?: string;
  command?: string;
  exit_code?: number | null;
  aggregated_output?: string;
  status?: string;
  message?: string;
}

/** Thread totals as Codex reports them -> our Usage (input without cached reads). */
export function codexUsage(u: Record<string, unknown>, model: string | null): Usage {
  const n = (k: string) => (typeof u[k] === "number" ? (u[k] as number) : 0);
  const cached = n("cached_input_tokens");
  const write = n("cache_write_input_tokens");
  return {
    input: Math.max(0, n("input_tokens") - cached - write),
    cachedInput: cached,
    cacheWrite: write,
    output: n("output_tokens"),
    reasoning: n("reasoning_output_tokens"),
    model,
  };
}

export function codexNormalizer(model: string | null): Normalizer {
  let sessionId: string | null = null;
  let session: Usage | undefined;
  let failure: string | null = null;
  return {
    line(line) {
      const o = parseJsonObject(line);
      if (!o || typeof o.type !== "string") return [{ type: "unknown", raw: line }];
      const item = (o.item ?? {}) as CodexItem;
      const out: AgentEventBody[] = [];
      switch (o.type) {
        case "thread.started":
          sessionId = typeof o.thread_id === "string" ? o.thread_id : sessionId;
          return [];
        case "turn.started":
          return [];
        case "item.started":
          if (item.type === "command_execution")
            out.push({ type: "tool_start", id: item.id ?? "", name: "shell", input: item.command ?? null });
          return out;
        case "item.completed":
          if (item.type === "agent_message" && item.text) out.push({ type: "message", text: item.text });
          else if (item.type === "reasoning" && item.text) out.push({ type: "reasoning", text: item.text });
          else if (item.type === "command_execution")
            out.push({
              type: "tool_end",
              id: item.id ?? "",
              name: "shell",
              ok: item.exit_code === 0,
              output: item.aggregated_output ?? null,
            });
          else if (item.type === "error" && item.message && !/^Model metadata for/.test(item.message))
            out.push({ type: "error", message: item.message });
          else if (item.type === "error") return [];
          else if (!["agent_message", "reasoning"].includes(item.type ?? ""))
            out.push({ type: "unknown", raw: line });
          return out;
        case "turn.completed": {
          session = codexUsage((o.usage ?? {}) as Record<string, unknown>, model);
          failure = null;
          return [{ type: "usage", scope: "session", usage: session }];
        }
        case "turn.failed": {
          const e = (o.error ?? {}) as { message?: string };
          failure = e.message ?? "the turn failed";
          return [{ type: "error", message: failure }];
        }
        case "error":
          return [{ type: "error", message: String(o.message ?? "error") }];
        default:
          return [{ type: "unknown", raw: line }];
      }
    },
    sessionUsage: () => session,
    sessionId: () => sessionId,
    failure: () => failure,
  };
}
