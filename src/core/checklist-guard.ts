/**
 * Guard checklist.yaml against the agent: compare the file after a session with the one before it and
 * undo what is not the agent's to change. Deleted tasks come back (at the end of the list); the
 * acceptance criteria and `verify` commands of existing tasks, statuses, attempts, the active task and
 * the verification loop are set back; tasks the agent appended are kept, as `not_started`. Everything
 * else the agent wrote (notes, descriptions, comments, new tasks) stays. Pure.
 */
import { isDeepStrictEqual } from "node:util";
import { appendTask, type ChecklistDoc, updateSummary, updateTask } from "./checklist-doc.ts";
import type { Checklist, Task } from "./checklist-schema.ts";
import type { Violation } from "./loop-events.ts";
import { statusOf } from "./task-graph.ts";

const norm = (v: unknown) => (v === undefined ? null : v);
const same = (a: unknown, b: unknown) => isDeepStrictEqual(norm(a), norm(b));

const PROTECTED: { key: keyof Task; kind: string; what: string }[] = [
  { key: "acceptance_criteria", kind: "criteria", what: "acceptance criteria (and their checks)" },
  { key: "verify", kind: "verify", what: "verify commands" },
  { key: "attempts", kind: "attempts", what: "attempt count" },
];

export function guardChecklist(
  before: Checklist,
  after: ChecklistDoc,
): { doc: ChecklistDoc; violations: Violation[] } {
  let doc = after;
  const violations: Violation[] = [];
  const v = (taskId: string | null, kind: string, text: string) =>
    violations.push({ file: "checklist.yaml", taskId, kind, text });
  const was = new Map((before.tasks ?? []).map((t) => [t.task_id, t]));
  const now = new Map((after.data.tasks ?? []).map((t) => [t.task_id, t]));

  for (const [id, old] of was) {
    const cur = now.get(id);
    if (!cur) {
      doc = appendTask(doc, old);
      v(id, "deleted", `${id} was deleted; restored (at the end of the list)`);
      continue;
    }
    const back: Record<string, unknown> = {};
    for (const p of PROTECTED)
      if (!same(old[p.key], cur[p.key])) {
        back[p.key] = norm(old[p.key]);
        v(id, p.kind, `${id}: its ${p.what} were changed; set back (they are the human's)`);
      }
    if (old.status !== cur.status) {
      back.status = old.status;
      v(
        id,
        "status",
        `${id} was set to ${String(cur.status)} by the agent; set back to ${old.status} (statuses are longrun's: the checks decide)`,
      );
    }
    if (Object.keys(back).length) doc = updateTask(doc, id, back);
  }

  for (const [id, t] of now) {
    if (was.has(id)) continue;
    const back: Record<string, unknown> = {};
    if (statusOf(t) !== "not_started" || t.status !== "not_started") back.status = "not_started";
    if (t.attempts) back.attempts = null;
    if (Object.keys(back).length) {
      doc = updateTask(doc, id, back);
      v(
        id,
        "new_status",
        `${id} was added as ${String(t.status)}; kept as not_started (statuses are longrun's)`,
      );
    }
  }

  const s0 = before.summary ?? {};
  const s1 = doc.data.summary ?? {};
  const summary: Record<string, unknown> = {};
  if (!same(s0.active_task_id, s1.active_task_id)) summary.active_task_id = norm(s0.active_task_id);
  if (!same(s0.verification_loop, s1.verification_loop))
    summary.verification_loop = norm(s0.verification_loop);
  if (Object.keys(summary).length && doc.data.summary) {
    doc = updateSummary(doc, summary);
    v(
      null,
      "summary",
      `summary ${Object.keys(summary).join(" and ")} changed; set back (the active task is longrun's, the verification loop the human's)`,
    );
  }
  return { doc, violations };
}
