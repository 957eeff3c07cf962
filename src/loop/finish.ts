/** The end of a supervised run: the full loop when it ends by itself, the `end` step, notifications, the outcome. */
import type { EndReason } from "../core/loop-events.ts";
import { allDone } from "../core/pick-task.ts";
import { STATUSES, type TaskStatus } from "../core/task-status.ts";
import { loopsOf } from "../core/verify-plan.ts";
import { requireChecklist } from "../store/checklist-load.ts";
import { clearStop } from "../store/control.ts";
import { type Ctx, spentNow } from "./context.ts";
import { applyEffect, iterDir } from "./effects.ts";
import { logLine } from "./log.ts";
import { tell } from "./tell.ts";
import { runChecks } from "./verify.ts";

export interface RunOutcome {
  runId: string;
  resumed: boolean;
  exitCode: 0 | 1;
  reason: EndReason;
  detail: string;
  iterations: number;
  counts: Record<TaskStatus, number> & { total: number };
  spend: { costUSD: number | null; tokens: number };
  violations: number;
}

/** End the run: the full loop first when it ends by itself, then the end step, the notifications and the outcome. */
export async function finish(
  ctx: Ctx,
  reason: EndReason,
  detail: string,
  resumed: boolean,
): Promise<RunOutcome> {
  const { j, o } = ctx;
  let why = reason;
  let text = detail;
  if (["done", "failed_tasks", "blocked"].includes(reason) && j.state.iterations > 0) {
    const { doc } = await requireChecklist(o.dir);
    const full = loopsOf(o.loops, doc.data).full.map((c) => ({
      kind: "full" as const,
      label: c,
      command: c,
    }));
    if (full.length) {
      const v = await runChecks(o.dir, full, {
        outDir: iterDir(ctx.place.artifactsDir, j.state.iterations),
        prefix: "full-",
        timeoutMs: o.verifyTimeoutMs,
        env: ctx.env,
      });
      j.step({ step: "full_verify", passed: v.passed, results: v.results, failure: v.failure });
      ctx.say(
        v.passed
          ? `full verification: pass (${full.length})`
          : `full verification: FAIL ${v.failure!.summary}`,
      );
      if (!v.passed) {
        why = "full_verify_failed";
        text = `the full verification loop failed at the end: ${v.failure!.summary} (output: ${v.failure!.output})`;
      }
    }
  }
  const { doc } = await requireChecklist(o.dir);
  const counts = countStatuses(doc.data.tasks ?? []);
  const ok =
    why === "done" &&
    (o.taskId
      ? ["complete", "archived"].includes(statusOfId(doc.data.tasks ?? [], o.taskId))
      : allDone(doc.data));
  const exitCode: 0 | 1 = ok ? 0 : 1;
  const spent = spentNow(ctx);
  const summary = endSummary(why, text, counts, spent.costUSD, spent.tokens, j.state.iterations);
  const e = j.step({
    step: "end",
    reason: why,
    detail: text,
    exitCode,
    log: [logLine(exitCode === 0 ? "evidence" : why === "error" ? "failure" : "decision", summary)],
  });
  await applyEffect(ctx.place, e);
  clearStop(o.dir);
  if (why === "budget") await tell(ctx, "budget_stop", { budget: ctx.budgetHit?.budget ?? null, why: text });
  if (["blocked", "full_verify_failed", "error"].includes(why))
    await tell(ctx, "needs_human", { why: summary });
  await tell(ctx, "run_end", { reason: why, exitCode, summary, counts });
  return {
    runId: j.runId,
    resumed,
    exitCode,
    reason: why,
    detail: text,
    iterations: j.state.iterations,
    counts,
    spend: { costUSD: spent.costUSD, tokens: spent.tokens },
    violations: j.state.violations.length,
  };
}

function statusOfId(tasks: readonly { task_id: string; status: string }[], id: string): string {
  const t = tasks.find((x) => x.task_id === id);
  return t ? (t.status === "archived_as_irrelevant" ? "archived" : t.status) : "missing";
}

function countStatuses(tasks: readonly { status: string }[]): Record<TaskStatus, number> & { total: number } {
  const c = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const t of tasks) {
    const s = (t.status === "archived_as_irrelevant" ? "archived" : t.status) as TaskStatus;
    if (s in c) c[s]++;
  }
  return { ...c, total: tasks.length };
}

/** One line: how the run ended, the tasks, and what it cost. */
export function endSummary(
  reason: EndReason,
  detail: string,
  counts: Record<TaskStatus, number> & { total: number },
  costUSD: number | null,
  tokens: number,
  iterations: number,
): string {
  const head: Record<EndReason, string> = {
    done: "run ended: every task is complete or archived",
    failed_tasks: "run ended with failed tasks",
    blocked: "run ended: the tasks left are blocked",
    budget: "run stopped by its budget",
    stopped: "run stopped",
    max_iterations: "run stopped at its iteration limit",
    full_verify_failed: "run ended: the full verification failed",
    error: "run ended on an error",
  };
  const cost = costUSD === null ? "cost unknown (a model has no price)" : `$${costUSD.toFixed(2)}`;
  return `${head[reason]}${detail ? `: ${detail}` : ""}. Tasks: ${counts.complete} of ${counts.total} complete, ${counts.failed} failed. ${iterations} iteration${iterations === 1 ? "" : "s"}, ${cost}, ${tokens.toLocaleString("en-US")} tokens.`;
}
