/** `longrun run`: the supervised long run (see src/loop/supervisor.ts). */
import { UserError } from "../../core/user-error.ts";
import { resolveOptions } from "../../loop/options.ts";
import { endSummary, supervise } from "../../loop/supervisor.ts";
import { loadConfig } from "../../store/config-store.ts";
import { requestStop } from "../../store/control.ts";
import { int, parse, positionals, repoDir, str } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun run [--harness H] [--model M] [--task ID] [--max-iterations N] [--max-attempts N]
            [--max-cost USD] [--max-tokens N] [--max-time DUR] [--session fresh|continue] [--allow-dirty] [--json]
  The supervised long run: pick a task, brief the agent, run one session, guard the memory files, run the
  checks; commit a checkpoint and mark the task complete when they pass, retry with the failure when they
  do not (after --max-attempts, one diagnosis attempt, then the task is failed and the tree restored).
  Budgets stop it between and during sessions. Resumes a run a crash cut short. Defaults come from
  .longrun/config.yaml. Exit 0 when every task is complete or archived; 1 when the run ended with a
  failed task or work left (budget, stop, iteration limit); 2 when it could not start.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(
    argv,
    {
      harness: { type: "string" },
      model: { type: "string" },
      task: { type: "string" },
      "max-iterations": { type: "string" },
      "max-attempts": { type: "string" },
      "max-cost": { type: "string" },
      "max-tokens": { type: "string" },
      "max-time": { type: "string" },
      session: { type: "string" },
      "allow-dirty": { type: "boolean" },
    },
    "run",
  );
  positionals(p, [], "run");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const config = await loadConfig(dir);
  if (!config.value)
    throw new UserError(
      `${config.diagnostics[0] ? `${config.diagnostics[0].file}:${config.diagnostics[0].line}:${config.diagnostics[0].col}: ${config.diagnostics[0].message}` : ".longrun/config.yaml is invalid"} (run \`longrun check\`)`,
    );
  const o = resolveOptions(
    dir,
    {
      harness: str(p.values, "harness"),
      model: str(p.values, "model"),
      task: str(p.values, "task"),
      maxIterations: int(p.values, "max-iterations", "run"),
      maxAttempts: int(p.values, "max-attempts", "run"),
      maxCost: str(p.values, "max-cost"),
      maxTokens: int(p.values, "max-tokens", "run"),
      maxTime: str(p.values, "max-time"),
      session: str(p.values, "session"),
      allowDirty: !!p.values["allow-dirty"],
    },
    config.value,
  );
  // Ctrl-C (or a TERM) stops the run as `longrun stop --now` would: the session ends, the files stay consistent.
  const onSignal = () => {
    void requestStop(dir, true);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const r = await supervise(o, (line) => out.line(line));
    out.data(r);
    out.line(endSummary(r.reason, r.detail, r.counts, r.spend.costUSD, r.spend.tokens, r.iterations));
    return r.exitCode;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
