/**
 * The normalized events of an agent session: one versioned, discriminated union for every harness.
 * A line a harness prints that longrun does not understand becomes `unknown` with the raw line kept,
 * so a new CLI release degrades to a warning, never a crash.
 */

export const EVENTS_VERSION = 1;

/** Tokens of one request or one session. `input` excludes cached reads; `output` includes reasoning. */
export interface Usage {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  /** The part of `output` spent on reasoning. */
  reasoning: number;
  model: string | null;
}

export type RunStatus = "ok" | "error" | "timeout" | "killed" | "not_installed";

export type AgentEventBody =
  | {
      type: "run_start";
      harness: string;
      model: string | null;
      cwd: string;
      version: string | null;
      sessionId: string | null;
    }
  | { type: "message"; text: string }
  /** A message longrun sent into the session while it ran (`AgentRun.send`), recorded before it is written. */
  | { type: "steer"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool_start"; id: string; name: string; input: unknown }
  | { type: "tool_end"; id: string; name: string | null; ok: boolean; output: string | null }
  | { type: "usage"; scope: "request" | "session"; usage: Usage }
  | { type: "error"; message: string }
  | { type: "unknown"; raw: string }
  | {
      type: "run_end";
      status: RunStatus;
      /** One line: why the run ended the way it did. */
      reason: string;
      exitCode: number | null;
      signal: string | null;
      durationMs: number;
      sessionId: string | null;
      /** Session totals, equal to what the CLI itself reports. */
      usage: Usage;
    };

export type AgentEvent = AgentEventBody & {
  v: typeof EVENTS_VERSION;
  runId: string;
  seq: number;
  ts: string;
};

export const EVENT_TYPES = [
  "run_start",
  "message",
  "steer",
  "reasoning",
  "tool_start",
  "tool_end",
  "usage",
  "error",
  "unknown",
  "run_end",
] as const;

export function emptyUsage(model: string | null = null): Usage {
  return { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, model };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    cachedInput: a.cachedInput + b.cachedInput,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    model: b.model ?? a.model,
  };
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** A Usage from untrusted JSON, or undefined when any count is missing or not a non-negative number. */
export function usageFrom(v: unknown): Usage | undefined {
  if (!v || typeof v !== "object") return undefined;
  const u = v as Record<string, unknown>;
  const counts = [u.input, u.cachedInput ?? 0, u.cacheWrite ?? 0, u.output, u.reasoning ?? 0];
  if (!counts.every(isCount)) return undefined;
  return {
    input: u.input as number,
    cachedInput: (u.cachedInput as number) ?? 0,
    cacheWrite: (u.cacheWrite as number) ?? 0,
    output: u.output as number,
    reasoning: (u.reasoning as number) ?? 0,
    model: typeof u.model === "string" ? u.model : null,
  };
}
