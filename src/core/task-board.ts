/**
 * Every task of the checklist as the dashboard's table shows it: status, attempts, dependencies and what
 * still holds it, each criterion with whether its check passed in the run, evidence (the checkpoint
 * commit, check outputs) and, for a failed or blocked task, why. Pure.
 */
import type { Checklist } from "./checklist-schema.ts";
import { criterionCheck, criterionText } from "./criterion.ts";
import type { CheckResult, FailureInfo } from "./loop-events.ts";
import { indexById, statusOf, unmetDependencies } from "./task-graph.ts";

export interface TaskRunEvidence {
  iterations: number;
  verify: { passed: boolean; results: CheckResult[]; failure: FailureInfo | null } | null;
  sha: string | null;
}

export interface BoardCriterion {
  text: string;
  /** The command that checks it; null: attested by a person or the agent. */
  check: string | null;
  /** Result of its check in the run's last verification of the task; null: not run. */
  passed: boolean | null;
  /** The check's output (a path relative to the repo). */
  output: string | null;
}

export interface BoardTask {
  id: string;
  title: string;
  status: string;
  attempts: number;
  dependsOn: { id: string; status: string }[];
  /** Dependencies not complete yet (the task waits for them). */
  waitingOn: { id: string; status: string }[];
  ready: boolean;
  active: boolean;
  milestone: boolean;
  note: string;
  criteria: BoardCriterion[];
  /** Other checks of the last verification (fast loop, verify commands, full loop). */
  checks: { kind: string; label: string; passed: boolean; output: string }[];
  commit: string | null;
  failure: FailureInfo | null;
  /** One line: why it is failed or blocked; null otherwise. */
  why: string | null;
}

const passedOf = (r: CheckResult) => r.exitCode === 0 && !r.timedOut;

export function taskBoard(
  c: Checklist,
  evidence: ReadonlyMap<string, TaskRunEvidence>,
  activeId: string | null,
): BoardTask[] {
  const tasks = c.tasks ?? [];
  const byId = indexById(tasks);
  const summaryActive =
    typeof c.summary?.active_task_id === "string" && c.summary.active_task_id !== ""
      ? c.summary.active_task_id
      : null;
  const active = activeId ?? summaryActive;
  return tasks.map((t) => {
    const status = statusOf(t);
    const ev = evidence.get(t.task_id);
    const results = ev?.verify?.results ?? [];
    const criteria = (t.acceptance_criteria ?? []).map((cr): BoardCriterion => {
      const text = criterionText(cr);
      const check = criterionCheck(cr) ?? null;
      const r = check ? results.find((x) => x.kind === "check" && x.label === text) : undefined;
      return { text, check, passed: r ? passedOf(r) : null, output: r?.output ?? null };
    });
    const waitingOn = unmetDependencies(t, byId);
    const dependsOn = (t.depends_on ?? []).map((id) => {
      const d = byId.get(id);
      return { id, status: d ? statusOf(d) : "missing" };
    });
    const ready = status === "not_started" && waitingOn.length === 0;
    const failure = ev?.verify && !ev.verify.passed ? ev.verify.failure : null;
    const why =
      status === "failed"
        ? t.note?.trim() || failure?.summary || "marked failed"
        : status === "not_started" && waitingOn.length
          ? `waiting on ${waitingOn.map((d) => `${d.id} (${d.status.replace("_", " ")})`).join(", ")}`
          : null;
    return {
      id: t.task_id,
      title: t.title,
      status,
      attempts: t.attempts ?? 0,
      dependsOn,
      waitingOn,
      ready,
      active: active === t.task_id,
      milestone: t.milestone === true,
      note: t.note ?? "",
      criteria,
      checks: results
        .filter((r) => r.kind !== "check")
        .map((r) => ({ kind: r.kind, label: r.label, passed: passedOf(r), output: r.output })),
      commit: ev?.sha ?? null,
      failure,
      why,
    };
  });
}
