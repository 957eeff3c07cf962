/**
 * The guard's I/O: a copy of the memory files before each session (in the iteration's folder), and after
 * it the check of what the agent changed against that copy. `checkGuard` only reads; `applyGuard` writes
 * the fixes, and applying it again changes nothing (the files then match what the guard allows).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ChecklistDoc } from "../core/checklist-doc.ts";
import { guardChecklist } from "../core/checklist-guard.ts";
import { parseChecklist } from "../core/checklist-parse.ts";
import type { Checklist } from "../core/checklist-schema.ts";
import { guardRunLog } from "../core/log-guard.ts";
import type { Violation } from "../core/loop-events.ts";
import { writeAtomic } from "../store/atomic-write.ts";
import { loadChecklist } from "../store/checklist-load.ts";
import { mutateChecklist } from "../store/checklist-write.ts";
import { withFileLock } from "../store/lock.ts";
import { FILES } from "../store/paths.ts";

export const MEMORY_FILES = [FILES.plan, FILES.checklist, FILES.runLog] as const;

const copyDir = (iterDir: string) => path.join(iterDir, "before");

/** Copy the memory files before the session (each whole or not at all). */
export function snapshotMemory(dir: string, iterDir: string): void {
  const to = copyDir(iterDir);
  mkdirSync(to, { recursive: true });
  for (const f of MEMORY_FILES) {
    const from = path.join(dir, f);
    if (!existsSync(from)) continue;
    writeFileSync(path.join(to, `${f}.tmp`), readFileSync(from));
    renameSync(path.join(to, `${f}.tmp`), path.join(to, f));
  }
}

function before(iterDir: string, f: string): string | null {
  try {
    return readFileSync(path.join(copyDir(iterDir), f), "utf8");
  } catch {
    return null;
  }
}

function now(dir: string, f: string): string | null {
  try {
    return readFileSync(path.join(dir, f), "utf8");
  } catch {
    return null;
  }
}

function beforeChecklist(iterDir: string): Checklist | null {
  const text = before(iterDir, FILES.checklist);
  if (text === null) return null;
  const p = parseChecklist(text);
  return p.ok && p.validation.value ? p.validation.value : null;
}

interface Plan {
  violations: Violation[];
  /** Whole files to put back (missing or unusable), or the run-log with rewritten lines restored. */
  writes: { file: string; text: string }[];
  /** Edit of a usable checklist.yaml (deleted tasks back, protected fields set back). */
  checklist: ((doc: ChecklistDoc) => { doc: ChecklistDoc; result: Violation[] }) | null;
}

async function plan(dir: string, iterDir: string): Promise<Plan> {
  const out: Plan = { violations: [], writes: [], checklist: null };
  const planBefore = before(iterDir, FILES.plan);
  if (planBefore !== null && now(dir, FILES.plan) === null) {
    out.writes.push({ file: FILES.plan, text: planBefore });
    out.violations.push({
      file: "plan.md",
      taskId: null,
      kind: "deleted",
      text: "plan.md was deleted; restored",
    });
  }
  const logBefore = before(iterDir, FILES.runLog);
  const logNow = now(dir, FILES.runLog);
  if (logBefore !== null) {
    if (logNow === null) {
      out.writes.push({ file: FILES.runLog, text: logBefore });
      out.violations.push({
        file: "run-log.md",
        taskId: null,
        kind: "deleted",
        text: "run-log.md was deleted; restored",
      });
    } else {
      const g = guardRunLog(logBefore, logNow);
      if (g.violations.length) out.writes.push({ file: FILES.runLog, text: g.text });
      out.violations.push(...g.violations);
    }
  }
  const old = beforeChecklist(iterDir);
  if (old) {
    const cur = now(dir, FILES.checklist) === null ? undefined : await loadChecklist(dir);
    if (!cur?.doc) {
      const first = cur ? (await cur.diagnostics()).find((d) => d.severity === "error") : undefined;
      out.writes.push({ file: FILES.checklist, text: before(iterDir, FILES.checklist)! });
      out.violations.push({
        file: "checklist.yaml",
        taskId: null,
        kind: cur ? "invalid" : "deleted",
        text: cur
          ? `checklist.yaml was left invalid (${first ? `line ${first.line}: ${first.message}` : "see longrun check"}); restored as it was before the session`
          : "checklist.yaml was deleted; restored",
      });
    } else {
      const edit = (doc: ChecklistDoc) => {
        const g = guardChecklist(old, doc);
        return { doc: g.doc, result: g.violations };
      };
      const g = edit(cur.doc);
      if (g.result.length) {
        out.violations.push(...g.result);
        out.checklist = edit;
      }
    }
  }
  return out;
}

/** What the agent changed that the guard undoes (nothing is written). */
export async function checkGuard(dir: string, iterDir: string): Promise<Violation[]> {
  return (await plan(dir, iterDir)).violations;
}

/** Undo it. Safe to apply again: a second pass finds nothing left to undo. */
export async function applyGuard(dir: string, iterDir: string): Promise<void> {
  const p = await plan(dir, iterDir);
  for (const w of p.writes) {
    const file = path.join(dir, w.file);
    await withFileLock(dir, file, () => writeAtomic(file, w.text));
  }
  if (p.checklist) await mutateChecklist(dir, p.checklist);
}
