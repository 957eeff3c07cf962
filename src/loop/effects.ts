/**
 * The effects of the supervisor's steps on the repo. Each is journaled first and then applied here; each
 * can be applied again after a crash and changes nothing the second time (a status already set is left,
 * a log line already written is not written twice, a checkpoint already committed is found by its trailer).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { updateTask } from "../core/checklist-doc.ts";
import type { LoopEvent, LoopStep } from "../core/loop-events.ts";
import { statusOf } from "../core/task-graph.ts";
import { findTask } from "../core/task-lookup.ts";
import { appendNote, setStatus, touch } from "../core/task-ops.ts";
import type { TaskStatus } from "../core/task-status.ts";
import { commitAll, headMessage, patchSince, restoreTree, waitForIndex } from "../git/git.ts";
import { writeAtomic } from "../store/atomic-write.ts";
import { mutateChecklist } from "../store/checklist-write.ts";
import { dropSteering } from "../store/control.ts";
import { writeLog } from "./log.ts";
import { applyGuard, MEMORY_FILES } from "./memory-guard.ts";

export interface EffectPlace {
  dir: string;
  /** The run's artifacts folder. */
  artifactsDir: string;
}

/** The folder of iteration `n`'s artifacts (brief, memory copies, check outputs). */
export function iterDir(artifactsDir: string, n: number): string {
  return path.join(artifactsDir, `iter-${String(n).padStart(3, "0")}`);
}

/** The trailer lines that mark a checkpoint of iteration `n` of run `runId`. */
export function trailers(runId: string, n: number): string {
  return `Longrun-Run: ${runId}\nLongrun-Iteration: ${n}`;
}

/** Move `taskId` to `to` unless it is there already, with `note` appended once. */
async function setTask(dir: string, taskId: string, to: TaskStatus, stamp: string, note?: string) {
  await mutateChecklist(dir, (doc) => {
    const t = findTask(doc, taskId);
    const extra: Record<string, unknown> = {};
    if (note && !(t.note ?? "").includes(note)) extra.note = appendNote(t.note, note);
    if (statusOf(t) !== to) return { doc: setStatus(doc, taskId, to, stamp, extra).doc, result: undefined };
    if (!Object.keys(extra).length) return { doc, result: undefined };
    return { doc: touch(updateTask(doc, taskId, extra), stamp), result: undefined };
  });
}

async function setAttempts(dir: string, taskId: string, attempts: number, stamp: string) {
  await mutateChecklist(dir, (doc) => {
    if ((findTask(doc, taskId).attempts ?? 0) === attempts) return { doc, result: undefined };
    return { doc: touch(updateTask(doc, taskId, { attempts }), stamp), result: undefined };
  });
}

/**
 * Apply effect `e` (see the file comment); `again` after a crash that may have cut it short. Returns
 * the checkpoint commit for `commit`.
 */
export async function applyEffect(p: EffectPlace, e: LoopEvent, again = false): Promise<string | null> {
  const s = e as LoopStep;
  const stamp = e.ts.slice(0, 16).replace("T", " ");
  // The guard first puts deleted memory files back (run-log.md among them), then its lines are logged.
  if (s.step === "guard") {
    await applyGuard(p.dir, iterDir(p.artifactsDir, s.n));
    await writeLog(p.dir, s.log, again);
    return null;
  }
  if ("log" in s) await writeLog(p.dir, s.log, again);
  switch (s.step) {
    case "start_task": {
      await mutateChecklist(p.dir, (doc) => {
        const from = statusOf(findTask(doc, s.taskId));
        if (from === "in_progress") return { doc, result: undefined };
        // A failed task a person restarts (--task) gets a fresh count of attempts.
        const extra = from === "failed" ? { attempts: 0 } : {};
        return { doc: setStatus(doc, s.taskId, "in_progress", stamp, extra).doc, result: undefined };
      });
      return null;
    }
    case "session_end":
      await dropSteering(p.dir, s.delivered);
      return null;
    case "steer_sent":
      await dropSteering(p.dir, [s.id]);
      return null;
    case "commit": {
      // Applied again after a crash: the commit may be made already (its trailer says so).
      if (again) {
        await waitForIndex(p.dir); // a commit the crashed process started may still be finishing
        if ((await headMessage(p.dir)).includes(trailers(e.runId, s.n))) return null;
      }
      return commitAll(p.dir, s.message);
    }
    case "complete":
      await setTask(p.dir, s.taskId, "complete", stamp, s.note);
      return null;
    case "attempt_failed":
      await setAttempts(p.dir, s.taskId, s.attempts, stamp);
      return null;
    case "give_up":
      await giveUp(p, s, stamp);
      return null;
    default:
      return null;
  }
}

/**
 * Save the partial change as a patch, put the tree back to the last checkpoint (the memory files keep
 * what they say now), and mark the task failed. Each part is done once: the patch and the copies of the
 * memory files are written only if missing, so a second pass after a crash restores the same state.
 */
async function giveUp(
  p: EffectPlace,
  s: Extract<LoopStep, { step: "give_up" }>,
  stamp: string,
): Promise<void> {
  if (s.checkpoint) {
    const keep = path.join(iterDir(p.artifactsDir, s.n), "memory-at-give-up");
    const patch = path.join(p.dir, s.patch);
    if (!existsSync(patch)) {
      const diff = await patchSince(p.dir, s.checkpoint, [...MEMORY_FILES]);
      mkdirSync(path.dirname(patch), { recursive: true });
      await writeAtomic(patch, diff);
    }
    if (!existsSync(path.join(keep, "done"))) {
      mkdirSync(keep, { recursive: true });
      for (const f of MEMORY_FILES)
        if (existsSync(path.join(p.dir, f)))
          writeFileSync(path.join(keep, f), readFileSync(path.join(p.dir, f)));
      writeFileSync(path.join(keep, "done"), "");
    }
    await restoreTree(p.dir, s.checkpoint, [...MEMORY_FILES, ".longrun"]);
    for (const f of MEMORY_FILES)
      if (existsSync(path.join(keep, f)))
        await writeAtomic(path.join(p.dir, f), readFileSync(path.join(keep, f), "utf8"));
  }
  await setTask(p.dir, s.taskId, "failed", stamp, s.note);
}
