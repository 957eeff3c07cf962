/**
 * The journal of a supervised run: every step and every agent event is appended to events.jsonl, and
 * folded into the run's state, before longrun acts on it.
 */
import type { AgentEvent } from "../core/agent-events.ts";
import type { LoopEvent, LoopStep } from "../core/loop-events.ts";
import { foldLine, type RunState } from "../core/run-state.ts";
import type { OpenRun } from "../store/run-journal.ts";

export class LoopJournal {
  readonly state: RunState;
  readonly run: OpenRun;
  private seq: number;

  constructor(run: OpenRun, state: RunState) {
    this.run = run;
    this.state = state;
    this.seq = state.lastSeq + 1;
  }

  get runId(): string {
    return this.run.info.id;
  }

  /** Write a step of the supervisor (before its effect) and fold it in. */
  step<S extends LoopStep>(s: S): LoopEvent & S {
    const ev = { v: 1, type: "loop", runId: this.runId, seq: this.seq++, ts: new Date().toISOString(), ...s };
    this.run.write(ev);
    foldLine(this.state, ev as unknown as Record<string, unknown>);
    return ev as LoopEvent & S;
  }

  /** Write an agent event of the session working on `taskId`. Returns the bytes written. */
  agent(ev: AgentEvent, taskId: string): number {
    const line = { ...ev, taskId };
    this.run.write(line);
    foldLine(this.state, line as unknown as Record<string, unknown>);
    return JSON.stringify(line).length + 1;
  }
}
