/** The options of `longrun run`: flags over `.longrun/config.yaml` over defaults, checked before anything starts. */
import type { Budgets } from "../core/budget.ts";
import type { Config } from "../core/config-schema.ts";
import { parseDuration } from "../core/duration.ts";
import { NOTIFY_EVENTS, type NotifyEvent } from "../core/loop-events.ts";
import { UserError } from "../core/user-error.ts";
import { coveringPlan, type Prices, pricesFor } from "../cost/price-table.ts";
import { adapterFor, HARNESS_NAMES } from "../harness/registry.ts";

export interface RunFlags {
  harness?: string;
  model?: string;
  task?: string;
  maxIterations?: number;
  maxAttempts?: number;
  maxCost?: string;
  maxTokens?: number;
  maxTime?: string;
  session?: string;
  allowDirty?: boolean;
}

export interface NotifyOptions {
  command: string | null;
  webhook: string | null;
  events: NotifyEvent[];
}

export interface LoopOptions {
  dir: string;
  harness: string;
  model: string | null;
  command: string | null;
  baseUrl: string | null;
  apiKeyEnv: string | null;
  timeoutMs: number;
  idleTimeoutMs: number;
  taskId: string | null;
  maxAttempts: number;
  budgets: Budgets;
  session: "fresh" | "continue";
  allowDirty: boolean;
  verifyTimeoutMs: number;
  /** The config's loops (empty: the checklist's verification_loop). */
  loops: { fast: string[]; full: string[] };
  maxOutputBytes: number;
  notify: NotifyOptions;
  prices: Prices;
  /** The declared plan that covers this harness on the user's own login, if any. */
  plan: string | null;
}

const DEFAULT_NOTIFY: NotifyEvent[] = ["task_failed", "budget_stop", "run_end", "needs_human"];

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UserError(`run: ${flag} \`${text}\` is not a duration (e.g. 90s, 30m, 8h)`);
  return ms;
}

/** Resolve and check every option; a bad one is a one-line UserError (exit 2) before any change. */
export function resolveOptions(dir: string, flags: RunFlags, config: Config): LoopOptions {
  const h = config.harness ?? {};
  const harness = flags.harness ?? h.name ?? null;
  if (!harness)
    throw new UserError(
      `run: --harness is required (one of ${HARNESS_NAMES.join(", ")}), or set harness.name in .longrun/config.yaml`,
    );
  if (!adapterFor(harness))
    throw new UserError(`run: --harness \`${harness}\` is not one of ${HARNESS_NAMES.join(", ")}`);
  const session = flags.session ?? config.loop?.session ?? "fresh";
  if (session !== "fresh" && session !== "continue")
    throw new UserError(`run: --session \`${session}\` must be fresh or continue`);
  let maxCostUSD = config.budgets?.max_cost_usd ?? null;
  if (flags.maxCost !== undefined) {
    const n = Number(flags.maxCost.replace(/^\$/, ""));
    if (!Number.isFinite(n) || n <= 0 || flags.maxCost.trim() === "")
      throw new UserError(
        `run: --max-cost \`${flags.maxCost}\` is not an amount of US dollars (e.g. 40 or 2.50)`,
      );
    maxCostUSD = n;
  }
  for (const [name, v] of [
    ["--max-iterations", flags.maxIterations],
    ["--max-attempts", flags.maxAttempts],
    ["--max-tokens", flags.maxTokens],
  ] as const)
    if (v !== undefined && v < 1) throw new UserError(`run: ${name} must be at least 1`);
  const maxTime = flags.maxTime ?? config.budgets?.max_time ?? null;
  const baseUrl = h.base_url ?? null;
  const prices = pricesFor(config);
  const events = config.notify?.events ?? DEFAULT_NOTIFY;
  return {
    dir,
    harness,
    model: flags.model ?? h.model ?? null,
    command: h.command ?? null,
    baseUrl,
    apiKeyEnv: h.api_key_env ?? null,
    timeoutMs: duration("harness.timeout", h.timeout ?? "2h"),
    idleTimeoutMs: duration("harness.idle_timeout", h.idle_timeout ?? "10m"),
    taskId: flags.task ?? null,
    maxAttempts: flags.maxAttempts ?? config.loop?.max_attempts ?? 3,
    budgets: {
      maxCostUSD,
      maxTokens: flags.maxTokens ?? config.budgets?.max_tokens ?? null,
      maxTimeMs: maxTime === null ? null : duration("--max-time", maxTime),
      maxIterations: flags.maxIterations ?? config.loop?.max_iterations ?? 200,
    },
    session,
    allowDirty: !!flags.allowDirty,
    verifyTimeoutMs: duration("verify.timeout", config.verify?.timeout ?? "30m"),
    loops: { fast: config.verify?.fast ?? [], full: config.verify?.full ?? [] },
    maxOutputBytes: Math.round((config.loop?.max_output_mb ?? 20) * 1024 * 1024),
    notify: {
      command: config.notify?.command ?? null,
      webhook: config.notify?.webhook ?? null,
      events: events.filter((e) => (NOTIFY_EVENTS as readonly string[]).includes(e)),
    },
    prices,
    plan: !baseUrl && harness !== "command" ? (coveringPlan(prices, harness)?.plan ?? null) : null,
  };
}
