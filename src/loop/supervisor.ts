/**
 * `longrun run`: take the run lock, open a run or resume the unfinished one, then loop: read control and
 * budgets, pick a task, run an iteration on it; until the work is done, a budget or a stop ends it, or
 * nothing more can be done. Every step is journaled before its effect (see iteration.ts, effects.ts).
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { nextKind } from "../core/attempts.ts";
import { budgetHit } from "../core/budget.ts";
import { pickTask } from "../core/pick-task.ts";
import { emptyState, foldJournal, foldLine } from "../core/run-state.ts";
import { findTask } from "../core/task-lookup.ts";
import { UserError } from "../core/user-error.ts";
import { loopsOf, verifyPlan } from "../core/verify-plan.ts";
import { findMarked, killMarked } from "../exec/agent-process.ts";
import { dirtyFiles, GIT_MARKER, headCommit, isWorkTree } from "../git/git.ts";
import { adapterFor } from "../harness/registry.ts";
import { requireChecklist } from "../store/checklist-load.ts";
import { clearStop, dropSteering, isPaused, stopRequest } from "../store/control.ts";
import { listRuns, openRun, readJournal, readRunInfo, reopenRun } from "../store/run-journal.ts";
import { takeRunLock } from "../store/run-lock.ts";
import { assertCanAppend } from "../store/run-log-write.ts";
import { type Ctx, LOOP_MARKER, spentNow } from "./context.ts";
import { applyEffect } from "./effects.ts";
import { finish, type RunOutcome } from "./finish.ts";
import { runIteration } from "./iteration.ts";
import { LoopJournal } from "./journal.ts";
import { logLine } from "./log.ts";
import { MEMORY_FILES } from "./memory-guard.ts";
import type { LoopOptions } from "./options.ts";
import { SpendMeter } from "./spend.ts";
import { tell } from "./tell.ts";

const POLL_MS = 200;

/** Refuse, before any change, what cannot be run (exit 2 with the reason). */
async function preflight(o: LoopOptions): Promise<void> {
  if (!(await isWorkTree(o.dir)))
    throw new UserError(
      `${o.dir}: not a git repository (longrun commits checkpoints: run \`git init\`, then commit)`,
    );
  if (!(await headCommit(o.dir)))
    throw new UserError(
      `${o.dir}: the repository has no commit yet (commit the memory files first: \`git add -A && git commit -m start\`)`,
    );
  const { doc } = await requireChecklist(o.dir);
  assertCanAppend(o.dir);
  if (o.taskId) findTask(doc, o.taskId);
  const adapter = adapterFor(o.harness)!;
  if (o.harness === "command" && !o.command?.trim())
    throw new UserError("run: the command harness needs harness.command in .longrun/config.yaml");
  if (o.harness !== "command" && !(await adapter.find()))
    throw new UserError(`run: ${o.harness} is not installed (${adapter.install})`);
}

/**
 * The newest `longrun run` that has not ended (a crash cut it), if any. One that ended is finished
 * first: its `end` step is applied again, in case a crash cut that short.
 */
async function unfinishedRun(dir: string): Promise<string | null> {
  for (const id of listRuns(dir).reverse()) {
    const info = readRunInfo(dir, id);
    if (info?.kind !== "run") continue;
    const s = foldJournal(readJournal(dir, id));
    if (!s.ended) return id;
    if (s.last?.step === "end")
      await applyEffect(
        { dir, artifactsDir: path.join(dir, ".longrun", "runs", id, "artifacts") },
        s.last,
        true,
      );
    return null;
  }
  return null;
}

export { endSummary } from "./finish.ts";
export type { RunOutcome };

export async function supervise(o: LoopOptions, say: (line: string) => void): Promise<RunOutcome> {
  await preflight(o);
  const lock = await takeRunLock(o.dir);
  let ctx: Ctx | undefined;
  try {
    const prev = await unfinishedRun(o.dir);
    if (prev) await endCrashed(o.dir, prev);
    if (!prev && !o.allowDirty) {
      // longrun's own files: the memory files, and .longrun/.gitignore (which a newer longrun extends).
      // The temp file of an atomic write a kill cut short (after a run's `end`, so no resume clears it).
      clearTempFiles(o.dir, 5000);
      const dirty = (await dirtyFiles(o.dir, [...MEMORY_FILES, ".longrun/.gitignore"])).filter(
        (f) => !TEMP_FILE.test(f),
      );
      if (dirty.length)
        throw new UserError(
          `run: the working tree has uncommitted changes (${dirty.slice(0, 5).join(", ")}${dirty.length > 5 ? ` and ${dirty.length - 5} more` : ""}); commit or stash them, or pass --allow-dirty`,
        );
    }
    clearStop(o.dir); // a stop request left by an earlier run does not stop this one
    const state = emptyState();
    const spend = new SpendMeter(o.prices, o.plan);
    // One pass over the journal of a resumed run, however large: its state and what it has spent.
    if (prev)
      for (const l of readJournal(o.dir, prev)) {
        foldLine(state, l);
        spend.add(l);
      }
    const run = prev
      ? reopenRun(o.dir, prev)
      : openRun(o.dir, { kind: "run", harness: o.harness, model: o.model, ownLogin: o.plan !== null });
    const j = new LoopJournal(run, state);
    ctx = {
      o,
      j,
      spend,
      place: { dir: o.dir, artifactsDir: run.artifactsDir },
      say,
      env: { ...process.env, [LOOP_MARKER]: run.info.id },
      budgetHit: null,
    };
    await lock.name(j.runId);
    const crashed = state.last;
    j.step({
      step: "open",
      pid: process.pid,
      resumed: !!prev,
      options: optionsOf(o),
      head: (await headCommit(o.dir))!,
    });
    say(`${prev ? "resuming" : "run"} ${j.runId} (${o.harness}${o.model ? `, ${o.model}` : ""})`);
    if (prev) await recover(ctx, crashed);
    return await loop(ctx, !!prev);
  } catch (err) {
    if (!ctx || !(err instanceof UserError) || ctx.j.state.ended) throw err;
    // A problem mid-run (a file made unusable): end the run, saying why, and exit 1.
    return finish(ctx, "error", err.message, !!ctx.j.state.options);
  } finally {
    ctx?.j.run.close();
    await lock.release();
  }
}

function optionsOf(o: LoopOptions): Record<string, unknown> {
  const { prices: _p, ...rest } = o;
  return { ...rest, budgets: { ...o.budgets } };
}

/**
 * Before a crashed run is resumed: what it left running is ended (the agent, the tools it started in
 * sessions of their own, a check: by their marker), and a git it started is waited for (killing one
 * mid-commit would leave its lock; letting it finish makes its commit visible before longrun decides).
 */
async function endCrashed(dir: string, prev: string): Promise<void> {
  killMarked(prev, LOOP_MARKER);
  const pid = foldJournal(readJournal(dir, prev)).pid;
  if (pid === null || pid === process.pid) return;
  for (let i = 0; i < 100 && findMarked(String(pid), GIT_MARKER).length; i++) await sleep(50);
}

/** Names of the temp files of longrun's atomic writes of the memory files (write-file-atomic's suffix). */
const TEMP_FILE = /^(plan\.md|checklist\.yaml|run-log\.md)\.\d{1,10}$/;

/** Remove such temp files at least `olderThanMs` old (a younger one may be a live write of another command). */
function clearTempFiles(dir: string, olderThanMs: number): void {
  const now = Date.now();
  for (const f of readdirSync(dir)) {
    if (!TEMP_FILE.test(f)) continue;
    const p = path.join(dir, f);
    try {
      if (now - statSync(p).mtimeMs >= olderThanMs) rmSync(p, { force: true });
    } catch {
      // gone already
    }
  }
}

/**
 * After a crash: the temp files of an atomic write it cut short removed, the last effect applied again
 * (a no-op if it was done), delivered steering off the queue.
 */
async function recover(ctx: Ctx, crashed: typeof ctx.j.state.last): Promise<void> {
  const s = ctx.j.state;
  clearTempFiles(ctx.o.dir, 0);
  if (crashed && crashed.step !== "commit") await applyEffect(ctx.place, crashed, true);
  await dropSteering(ctx.o.dir, [...s.delivered]);
  if (s.open?.session && !s.open.sessionEnd)
    ctx.say(`   iteration ${s.open.n} was cut by a crash during its session; continuing`);
}

async function loop(ctx: Ctx, resumed: boolean): Promise<RunOutcome> {
  const { j, o } = ctx;
  for (;;) {
    if (j.state.open) {
      await runIteration(ctx, j.state.open);
      continue;
    }
    if (ctx.budgetHit) return finish(ctx, "budget", ctx.budgetHit.text, resumed);
    if (stopRequest(o.dir)) return finish(ctx, "stopped", "stopped on request (`longrun stop`)", resumed);
    if (isPaused(o.dir)) {
      const stopped = await waitWhilePaused(ctx);
      if (stopped) return finish(ctx, "stopped", "stopped on request while paused", resumed);
      continue;
    }
    const { doc } = await requireChecklist(o.dir);
    if (o.taskId && j.state.failedTasks.has(o.taskId))
      return finish(ctx, "failed_tasks", `failed: ${o.taskId}`, resumed);
    const pick = pickTask(doc.data, o.taskId);
    if (pick.kind === "done") return finish(ctx, "done", "", resumed);
    if (pick.kind === "stuck") {
      const failed = pick.failed.map((t) => t.task_id);
      const blocked = pick.blocked.map(
        (b) => `${b.task.task_id} (waits on ${b.waitingOn.map((w) => `${w.id} ${w.status}`).join(", ")})`,
      );
      const detail = [
        failed.length ? `failed: ${failed.join(", ")}` : "",
        blocked.length ? `blocked: ${blocked.join("; ")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      return finish(
        ctx,
        failed.length ? "failed_tasks" : "blocked",
        detail || "nothing can be worked on",
        resumed,
      );
    }
    // Budgets stop only work that is left: a run whose last task just completed ends done.
    const hit = budgetHit(o.budgets, spentNow(ctx));
    if (hit) {
      ctx.budgetHit = hit;
      return finish(ctx, hit.budget === "max_iterations" ? "max_iterations" : "budget", hit.text, resumed);
    }
    const task = pick.task;
    if (pick.start) {
      const e = j.step({
        step: "start_task",
        taskId: task.task_id,
        log: [logLine("decision", `${task.task_id} started by longrun run ${j.runId}: ${task.title}`)],
      });
      await applyEffect(ctx.place, e);
    }
    if (verifyPlan(task, loopsOf(o.loops, doc.data)).length === 0) {
      await unverifiable(ctx, task.task_id);
      continue;
    }
    const attempts = task.attempts ?? 0;
    const kind = nextKind(
      attempts,
      o.maxAttempts,
      (j.state.tasks.get(task.task_id)?.findings.length ?? 0) > 0,
    );
    const n = j.state.iterations + 1;
    j.step({ step: "iteration", n, taskId: task.task_id, kind, attempts });
    ctx.say(
      `#${n} ${task.task_id} ${task.title} (${kind === "work" ? "work" : kind === "fix_secret" ? "remove a secret" : kind}${attempts ? `, attempt ${attempts + 1}` : ""})`,
    );
  }
}

/** A task no command can verify is failed at once: longrun never takes an agent's word for done. */
async function unverifiable(ctx: Ctx, taskId: string): Promise<void> {
  const text = `${taskId} has no check, no verify command and there is no fast loop: longrun cannot verify it; marked failed (add a \`check\` to its criteria)`;
  const e = ctx.j.step({
    step: "give_up",
    n: ctx.j.state.iterations,
    taskId,
    checkpoint: "",
    patch: "",
    note: `${new Date().toISOString().slice(0, 16).replace("T", " ")} failed: nothing verifies it (add a check)`,
    log: [logLine("failure", text)],
  });
  await applyEffect(ctx.place, e);
  ctx.say(`   ${text}`);
  await tell(ctx, "needs_human", { taskId, why: text });
}

/** Wait while `longrun pause` holds; true when a stop came meanwhile. */
async function waitWhilePaused(ctx: Ctx): Promise<boolean> {
  const { j, o } = ctx;
  await applyEffect(
    ctx.place,
    j.step({
      step: "pause",
      log: [logLine("note", "run paused (`longrun pause`); `longrun resume` continues it")],
    }),
  );
  ctx.say("paused (`longrun resume` continues, `longrun stop` ends the run)");
  while (isPaused(o.dir)) {
    if (stopRequest(o.dir)) return true;
    await sleep(POLL_MS);
  }
  await applyEffect(
    ctx.place,
    j.step({ step: "unpause", log: [logLine("note", "run resumed (`longrun resume`)")] }),
  );
  ctx.say("resumed");
  return false;
}
