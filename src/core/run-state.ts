/**
 * The state of a supervised run, folded from its journal (loop events and agent events in file order):
 * where the open iteration stands, what was delivered, what the guard undid, how long it has run.
 * What a resumed run continues from, and what `status` shows. Pure.
 */
import type { FailureInfo, LoopEvent, LoopStep, SecretFinding, Violation } from "./loop-events.ts";

type Step<S extends LoopStep["step"]> = Extract<LoopEvent, { step: S }>;

export interface IterationState {
  n: number;
  taskId: string;
  start: Step<"iteration">;
  brief?: Step<"brief">;
  session?: Step<"session">;
  sessionEnd?: Step<"session_end">;
  guard?: Step<"guard">;
  verify?: Step<"verify">;
  secrets?: Step<"secrets">;
  commit?: Step<"commit">;
  committed?: Step<"committed">;
  complete?: Step<"complete">;
  attemptFailed?: Step<"attempt_failed">;
  giveUp?: Step<"give_up">;
  /** Agent session ids (the LONGRUN_RUN_ID markers) started in this iteration. */
  markers: string[];
}

export interface TaskMemory {
  failure: FailureInfo | null;
  findings: SecretFinding[];
  sessionId: string | null;
}

export interface RunState {
  runId: string | null;
  /** The `end` step, once the run has ended. */
  ended: Step<"end"> | null;
  lastSeq: number;
  /**
   * The last loop event other than `open` (applied again on resume when it is an effect: a process that
   * only opened the run before it died did not get to it either).
   */
  last: LoopEvent | null;
  options: Record<string, unknown> | null;
  /** The process that last opened the run (after a crash: the one that died). */
  pid: number | null;
  /** Highest iteration number so far. */
  iterations: number;
  open: IterationState | null;
  /** Commit of the last checkpoint (the HEAD the run started from until the first). */
  checkpoint: string | null;
  /** Steering message ids delivered (in a brief of a session that ran, or sent into one). */
  delivered: Set<string>;
  violations: Violation[];
  /** Time spent running, summed over the processes that ran it (paused time left out). */
  activeMs: number;
  paused: boolean;
  tasks: Map<string, TaskMemory>;
  /** Tasks this run marked failed. */
  failedTasks: Set<string>;
  /** Iterations that ended, by outcome. */
  outcomes: Record<string, number>;
  startedAt: string | null;
  lastTs: string | null;
}

export function emptyState(): RunState {
  return {
    runId: null,
    ended: null,
    lastSeq: -1,
    last: null,
    options: null,
    pid: null,
    iterations: 0,
    open: null,
    checkpoint: null,
    delivered: new Set(),
    violations: [],
    activeMs: 0,
    paused: false,
    tasks: new Map(),
    failedTasks: new Set(),
    outcomes: {},
    startedAt: null,
    lastTs: null,
  };
}

const memory = (s: RunState, id: string): TaskMemory => {
  let m = s.tasks.get(id);
  if (!m) {
    m = { failure: null, findings: [], sessionId: null };
    s.tasks.set(id, m);
  }
  return m;
};

/** Fold one journal line (a loop event, or an agent event of a session) into `s`. */
export function foldLine(s: RunState, line: Record<string, unknown>): void {
  const ts = typeof line.ts === "string" ? line.ts : null;
  // A new process (`open`) starts a new span: the time between a crash and the resume is not run time.
  const opens = line.type === "loop" && line.step === "open";
  if (ts && s.lastTs && !opens && !s.paused && ts > s.lastTs)
    s.activeMs += Date.parse(ts) - Date.parse(s.lastTs);
  if (ts && (opens || !s.lastTs || ts > s.lastTs)) s.lastTs = ts;
  if (line.type !== "loop") {
    if (line.type === "run_start" && s.open && typeof line.runId === "string")
      s.open.markers.push(line.runId);
    return;
  }
  const e = line as unknown as LoopEvent;
  if (e.step === "open") {
    s.runId = e.runId;
    s.pid = e.pid;
    s.options ??= e.options;
    s.startedAt ??= ts;
    s.checkpoint ??= e.head;
  }
  s.lastSeq = e.seq;
  if (e.step !== "open") s.last = e;
  const it = s.open;
  switch (e.step) {
    case "iteration":
      s.iterations = Math.max(s.iterations, e.n);
      s.open = { n: e.n, taskId: e.taskId, start: e, markers: [] };
      return;
    case "brief":
      if (it) it.brief = e;
      return;
    case "session":
      if (it) it.session = e;
      return;
    case "steer_sent":
      s.delivered.add(e.id);
      return;
    case "session_end":
      if (it) {
        it.sessionEnd = e;
        if (e.sessionId) memory(s, it.taskId).sessionId = e.sessionId;
      }
      for (const id of e.delivered) s.delivered.add(id);
      return;
    case "guard":
      if (it) it.guard = e;
      s.violations.push(...e.violations);
      return;
    case "verify":
      if (it) {
        it.verify = e;
        memory(s, it.taskId).failure = e.passed ? null : e.failure;
      }
      return;
    case "secrets":
      if (it) {
        it.secrets = e;
        memory(s, it.taskId).findings = e.findings;
      }
      return;
    case "commit":
      if (it) it.commit = e;
      return;
    case "committed":
      if (it) it.committed = e;
      s.checkpoint = e.sha;
      return;
    case "complete":
      if (it) it.complete = e;
      s.tasks.delete(e.taskId);
      return;
    case "attempt_failed":
      if (it) it.attemptFailed = e;
      return;
    case "give_up":
      if (it) it.giveUp = e;
      s.tasks.delete(e.taskId);
      s.failedTasks.add(e.taskId);
      return;
    case "iteration_end":
      s.outcomes[e.outcome] = (s.outcomes[e.outcome] ?? 0) + 1;
      s.open = null;
      return;
    case "pause":
      s.paused = true;
      return;
    case "unpause":
      s.paused = false;
      return;
    case "end":
      s.ended = e;
      return;
    default:
      return;
  }
}

export function foldJournal(lines: Iterable<Record<string, unknown>>): RunState {
  const s = emptyState();
  for (const l of lines) foldLine(s, l);
  return s;
}
