/** `longrun exec`: one supervised agent session in the repo, traced as it runs. */
import type { AgentEvent } from "../../core/agent-events.ts";
import { parseDuration } from "../../core/duration.ts";
import { UserError } from "../../core/user-error.ts";
import { adapterFor, HARNESS_NAMES } from "../../harness/registry.ts";
import { loadConfig } from "../../store/config-store.ts";
import { display } from "../../store/paths.ts";
import { openRun } from "../../store/run-journal.ts";
import { parse, positionals, repoDir, str } from "../args.ts";
import { clip } from "../output.ts";

export const help = `longrun exec --harness H [--model M] [--command CMD] [--base-url URL] [--api-key-env VAR]
             [--timeout DUR] [--idle-timeout DUR] [--task ID] [--json] "prompt"
  One supervised agent session in the repo. Prints a short trace, or with --json the normalized events
  as JSONL. Exit 0 only when the session ended ok; 1 when it ended with an error, a timeout or a stop;
  2 when the harness is not installed or the input is wrong. Defaults come from harness: in
  .longrun/config.yaml. Harnesses: codex, claude, opencode, pi, and command (any shell command).`;

export async function run(argv: string[]): Promise<number> {
  const spec = {
    harness: { type: "string" },
    model: { type: "string" },
    command: { type: "string" },
    "base-url": { type: "string" },
    "api-key-env": { type: "string" },
    timeout: { type: "string" },
    "idle-timeout": { type: "string" },
    task: { type: "string" },
  } as const;
  const p = parse(argv, spec, "exec");
  const [prompt] = positionals(p, ["prompt"], "exec");
  const dir = repoDir(p.values);
  const config = await loadConfig(dir);
  if (!config.value) throw new UserError(`.longrun/config.yaml is invalid: run \`longrun check\``);
  const h = config.value.harness ?? {};
  const harness = str(p.values, "harness") ?? h.name ?? undefined;
  if (!harness)
    throw new UserError(
      `exec: --harness is required (one of ${HARNESS_NAMES.join(", ")}), or set harness.name in .longrun/config.yaml`,
    );
  const adapter = adapterFor(harness);
  if (!adapter)
    throw new UserError(`exec: --harness \`${harness}\` is not one of ${HARNESS_NAMES.join(", ")}`);
  const duration = (flag: string, fallback: string) => {
    const text = str(p.values, flag) ?? fallback;
    const ms = parseDuration(text);
    if (ms === undefined)
      throw new UserError(`exec: --${flag} \`${text}\` is not a duration (e.g. 90s, 30m, 2h)`);
    return ms;
  };
  const timeoutMs = duration("timeout", h.timeout ?? "2h");
  const idleTimeoutMs = duration("idle-timeout", h.idle_timeout ?? "10m");
  const json = !!p.values.json;
  const model = str(p.values, "model") ?? h.model ?? null;
  const baseUrl = str(p.values, "base-url") ?? h.base_url ?? null;
  const taskId = str(p.values, "task") ?? null;
  const journal = openRun(dir, { kind: "exec", harness, model, ownLogin: !baseUrl && harness !== "command" });
  const artifactsDir = journal.artifactsDir;
  const run = adapter.start({
    cwd: dir,
    prompt: prompt!,
    model,
    baseUrl,
    apiKeyEnv: str(p.values, "api-key-env") ?? h.api_key_env ?? null,
    command: str(p.values, "command") ?? h.command ?? null,
    taskId,
    timeoutMs,
    idleTimeoutMs,
    artifactsDir,
  });
  const onSignal = () => run.stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let unknown = 0;
  for await (const ev of run) {
    journal.append(ev, taskId);
    if (json) process.stdout.write(`${JSON.stringify(ev)}\n`);
    else {
      if (ev.type === "unknown") unknown++;
      const line = trace(ev);
      if (line) process.stdout.write(`${line}\n`);
    }
  }
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  const end = await run.result();
  journal.close();
  if (!json) {
    if (unknown)
      process.stdout.write(
        `(${unknown} lines longrun did not recognise are in the events; --json shows them)\n`,
      );
    process.stdout.write(`output: ${display(journal.dir)}\n`);
  }
  return end.status === "ok" ? 0 : end.status === "not_installed" ? 2 : 1;
}

const width = () => (process.stdout.columns && process.stdout.columns > 40 ? process.stdout.columns : 100);

/** One short line per event for people; usage and unknown lines are summed up at the end instead. */
export function trace(ev: AgentEvent): string | undefined {
  const w = width();
  switch (ev.type) {
    case "run_start":
      return `> ${ev.harness}${ev.model ? ` (${ev.model})` : ""}${ev.version ? ` ${ev.version}` : ""} in ${display(ev.cwd) || "."}`;
    case "message":
      return `  ${clip(ev.text, w - 2)}`;
    case "reasoning":
      return `  (thinking) ${clip(ev.text, w - 13)}`;
    case "tool_start":
      return `  $ ${ev.name} ${clip(typeof ev.input === "string" ? ev.input : JSON.stringify(ev.input ?? ""), w - ev.name.length - 5)}`;
    case "tool_end":
      return `  ${ev.ok ? "ok" : "FAILED"} ${ev.name ?? ev.id}`;
    case "error":
      return `  ! ${clip(ev.message, w - 4)}`;
    case "run_end": {
      const u = ev.usage;
      const tokens =
        u.input + u.cachedInput + u.output
          ? `; tokens: ${u.input} in, ${u.cachedInput} cached, ${u.output} out`
          : "";
      return `${ev.status}: ${ev.reason} (${(ev.durationMs / 1000).toFixed(1)}s${tokens})`;
    }
    default:
      return undefined;
  }
}
