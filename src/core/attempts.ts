/** The loop breaker: what to do after a failed attempt at a task. Pure. */
import type { IterationKind } from "./loop-events.ts";

/**
 * With `failed` failed attempts so far (this one included): retry while under `max`; at `max`, one
 * more attempt that asks for a diagnosis and a new strategy; past it, give up on the task.
 */
export function afterFailure(failed: number, max: number): "retry" | "diagnose" | "give_up" {
  if (failed < max) return "retry";
  if (failed === max) return "diagnose";
  return "give_up";
}

/** The kind of the next iteration on a task that has `failed` failed attempts. */
export function nextKind(failed: number, max: number, secretBlocked: boolean): IterationKind {
  if (secretBlocked) return "fix_secret";
  if (failed === 0) return "work";
  return afterFailure(failed, max) === "diagnose" ? "diagnose" : "retry";
}
