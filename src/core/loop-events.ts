/**
 * The supervisor's own journal events (`longrun run`), written to a run's events.jsonl beside the agent
 * events of its sessions, each before its effect. A line is `{ v, type: "loop", runId, seq, ts, step, … }`.
 * Effects (`start_task`, `guard`, `commit`, …) carry everything needed to apply them again after a
 * crash, and applying one twice changes nothing; results (`verify`, `secrets`) are written after the work.
 */
import type { RunStatus } from "./agent-events.ts";

export type IterationKind = "work" | "retry" | "diagnose" | "fix_secret";

/** A line for run-log.md, with the minute it was stamped at (so writing it again can be recognized). */
export interface LogLine {
  tag: "decision" | "evidence" | "failure" | "fix" | "note";
  text: string;
  stamp: string;
}

/** A change of the agent's that the guard undid or refused. */
export interface Violation {
  file: "checklist.yaml" | "run-log.md" | "plan.md";
  taskId: string | null;
  /** `deleted`, `criteria`, `verify`, `status`, `attempts`, `summary`, `invalid`, `rewrote`, `new_status`. */
  kind: string;
  /** One line for people. */
  text: string;
}

export interface CheckResult {
  kind: "fast" | "check" | "verify" | "full";
  label: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** Failed, then passed on one immediate rerun. */
  flaky: boolean;
  /** The command's output, relative to the repo. */
  output: string;
}

export interface SecretFinding {
  file: string;
  line: number;
  rule: string;
  /** The scanner's message with the secret masked. */
  message: string;
}

export interface FailureInfo {
  /** One line: which command failed and how. */
  summary: string;
  /** The last lines of its output. */
  tail: string;
  /** Path of the full output, relative to the repo. */
  output: string;
}

export type EndReason =
  | "done"
  | "failed_tasks"
  | "blocked"
  | "budget"
  | "stopped"
  | "max_iterations"
  | "full_verify_failed"
  | "error";

export type LoopStep =
  /** A process took the run (the first, or one resuming it after a crash). */
  | { step: "open"; pid: number; resumed: boolean; options: Record<string, unknown>; head: string }
  /** A session of an earlier process was cut by its crash; what it left was ended. */
  | { step: "recovered"; n: number; killed: number }
  | { step: "start_task"; taskId: string; log: LogLine[] }
  | {
      step: "iteration";
      n: number;
      taskId: string;
      kind: IterationKind;
      /** Failed attempts of the task before this one. */
      attempts: number;
    }
  | {
      step: "brief";
      n: number;
      prefixHash: string;
      prefixBytes: number;
      bytes: number;
      /** Steering messages the brief carries. */
      steer: { id: string; text: string }[];
      file: string;
    }
  /** The session is about to start (its events follow, tagged with the task). */
  | { step: "session"; n: number; resume: string | null }
  /** A steering message sent into the running session (where the harness takes messages). */
  | { step: "steer_sent"; n: number; id: string; text: string; log: LogLine[] }
  | {
      step: "session_end";
      n: number;
      status: RunStatus | "interrupted";
      reason: string;
      sessionId: string | null;
      /** Set when longrun ended it: a budget, a stop, an output flood. */
      cut: string | null;
      /** Steering messages now delivered (removed from the queue). */
      delivered: string[];
      log: LogLine[];
    }
  | { step: "guard"; n: number; violations: Violation[]; log: LogLine[] }
  | {
      step: "verify";
      n: number;
      passed: boolean;
      results: CheckResult[];
      failure: FailureInfo | null;
      /** No command could verify the task. */
      unverifiable: boolean;
    }
  | { step: "secrets"; n: number; findings: SecretFinding[]; log: LogLine[] }
  | { step: "commit"; n: number; taskId: string; parent: string; message: string }
  | { step: "committed"; n: number; sha: string }
  | { step: "complete"; n: number; taskId: string; sha: string; note: string; log: LogLine[] }
  | { step: "attempt_failed"; n: number; taskId: string; attempts: number; log: LogLine[] }
  | {
      step: "give_up";
      n: number;
      taskId: string;
      checkpoint: string;
      patch: string;
      note: string;
      log: LogLine[];
    }
  | { step: "iteration_end"; n: number; outcome: "passed" | "failed" | "secret" | "interrupted" | "cut" }
  /** Lines for run-log.md and nothing else (a flake, a notifier that failed). */
  | { step: "note"; log: LogLine[] }
  | { step: "pause"; log: LogLine[] }
  | { step: "unpause"; log: LogLine[] }
  | { step: "full_verify"; passed: boolean; results: CheckResult[]; failure: FailureInfo | null }
  | { step: "notify"; event: NotifyEvent; ok: boolean; error: string | null }
  | { step: "end"; reason: EndReason; detail: string; exitCode: 0 | 1; log: LogLine[] };

export const NOTIFY_EVENTS = [
  "task_complete",
  "task_failed",
  "budget_stop",
  "run_end",
  "needs_human",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export type LoopEvent = LoopStep & { v: 1; type: "loop"; runId: string; seq: number; ts: string };

/** The steps that change files (and so are applied again when a crash may have cut them short). */
export const EFFECT_STEPS = new Set<LoopStep["step"]>([
  "start_task",
  "steer_sent",
  "session_end",
  "guard",
  "secrets",
  "commit",
  "complete",
  "attempt_failed",
  "give_up",
  "note",
  "pause",
  "unpause",
  "end",
]);
