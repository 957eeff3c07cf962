/**
 * One iteration on one task: brief → session → guard → verify → (pass) secret scan → checkpoint →
 * complete, or (fail) attempt → loop breaker. Each step is skipped when the journal says it is done, so
 * an iteration cut by a crash continues where it stopped.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterFailure } from "../core/attempts.ts";
import { buildBrief } from "../core/brief.ts";
import type { Checklist, Task } from "../core/checklist-schema.ts";
import type { LogLine, LoopEvent } from "../core/loop-events.ts";
import type { IterationState } from "../core/run-state.ts";
import { loopsOf, verifyPlan } from "../core/verify-plan.ts";
import { headCommit } from "../git/git.ts";
import { scanChange } from "../safety/secret-scan.ts";
import { requireChecklist } from "../store/checklist-load.ts";
import { queuedSteering } from "../store/control.ts";
import { FILES } from "../store/paths.ts";
import type { Ctx } from "./context.ts";
import { applyEffect, iterDir, trailers } from "./effects.ts";
import { logLine } from "./log.ts";
import { checkGuard, snapshotMemory } from "./memory-guard.ts";
import { runAgentSession } from "./session.ts";
import { tellTask } from "./tell.ts";
import { runChecks } from "./verify.ts";

type Outcome = "passed" | "failed" | "secret" | "interrupted" | "cut";

const readOr = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
};

const clip = (t: string, n: number) => {
  const one = t.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};
/** The last lines of a failure's output for the log (the whole output is in the file it names). */
const tailLines = (tail: string | undefined) => {
  const lines = (tail ?? "").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("=== "));
  return lines.length
    ? `\n${lines
        .slice(-5)
        .map((l) => clip(l, 160))
        .join("\n")}`
    : "";
};
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
const stampNow = () => new Date().toISOString().slice(0, 16).replace("T", " ");

async function current(ctx: Ctx, id: string): Promise<{ task: Task | undefined; data: Checklist }> {
  const { doc } = await requireChecklist(ctx.o.dir);
  return { task: (doc.data.tasks ?? []).find((t) => t.task_id === id), data: doc.data };
}

/** Run (or continue) iteration `it` to its end. */
export async function runIteration(ctx: Ctx, it: IterationState): Promise<void> {
  const { j } = ctx;
  const folder = iterDir(ctx.place.artifactsDir, it.n);
  mkdirSync(folder, { recursive: true });
  const effect = (e: LoopEvent) => applyEffect(ctx.place, e);
  const end = (outcome: Outcome) => void j.step({ step: "iteration_end", n: it.n, outcome });

  let { task, data } = await current(ctx, it.taskId);
  if (!task) {
    ctx.say(`   ${it.taskId} is no longer in checklist.yaml; iteration ${it.n} ends`);
    return end("interrupted");
  }
  if (!it.brief) brief(ctx, it, task, data, folder);
  if (!it.sessionEnd) await session(ctx, it, folder);
  if (!it.guard) {
    const violations = await checkGuard(ctx.o.dir, folder);
    await effect(
      j.step({
        step: "guard",
        n: it.n,
        violations,
        log: violations.map((v) => logLine("failure", `guard: ${v.text}`)),
      }),
    );
    if (violations.length)
      ctx.say(
        `   guard: ${plural(violations.length, "change")} undone: ${violations.map((v) => v.text).join("; ")}`,
      );
  }
  const cut = it.sessionEnd!.cut;
  if (cut && (ctx.budgetHit || /stop --now/.test(cut))) return end("cut");

  ({ task, data } = await current(ctx, it.taskId));
  if (!task) return end("interrupted");
  if (!it.verify) await verify(ctx, it, task, data, folder);
  if (it.verify!.passed) return passed(ctx, it, task, folder);
  if (it.sessionEnd!.status === "interrupted") return end("interrupted");
  await failed(ctx, it, task, folder);
  end("failed");
}

function brief(ctx: Ctx, it: IterationState, task: Task, data: Checklist, folder: string): void {
  const { j, o } = ctx;
  const memory = j.state.tasks.get(task.task_id);
  const steering = queuedSteering(o.dir)
    .filter((m) => !j.state.delivered.has(m.id))
    .map((m) => ({ id: m.id, text: m.text }));
  const b = buildBrief(
    {
      plan: readOr(path.join(o.dir, FILES.plan)),
      instructions: data.instructions,
      guidelines: data.guidelines,
    },
    {
      task,
      kind: it.start.kind,
      attempts: it.start.attempts,
      maxAttempts: o.maxAttempts,
      failure: memory?.failure ?? null,
      findings: it.start.kind === "fix_secret" ? (memory?.findings ?? []) : [],
      steering,
    },
  );
  // The memory files are copied before the brief is journaled: the guard compares against this copy.
  snapshotMemory(o.dir, folder);
  const file = path.join(folder, "brief.md");
  writeFileSync(file, b.text);
  j.step({
    step: "brief",
    n: it.n,
    prefixHash: b.prefixHash,
    prefixBytes: Buffer.byteLength(b.prefix),
    bytes: Buffer.byteLength(b.text),
    steer: steering,
    file: path.relative(o.dir, file),
  });
}

async function session(ctx: Ctx, it: IterationState, folder: string): Promise<void> {
  const { j, o } = ctx;
  const b = it.brief!;
  if (it.session) {
    // Started by a process that crashed; recovery ended what it left. Its brief's steering was not delivered.
    const e = j.step({
      step: "session_end",
      n: it.n,
      status: "interrupted",
      reason: "longrun stopped during the session (a crash); what the session left running was ended",
      sessionId: null,
      cut: null,
      delivered: [],
      log: [
        logLine(
          "note",
          `${it.taskId}: the session of iteration ${it.n} was cut short by a crash of longrun; resumed`,
        ),
      ],
    });
    await applyEffect(ctx.place, e);
    return;
  }
  const resume = o.session === "continue" ? (j.state.tasks.get(it.taskId)?.sessionId ?? null) : null;
  j.step({ step: "session", n: it.n, resume });
  const r = await runAgentSession(ctx, it.n, it.taskId, readFileSync(path.join(o.dir, b.file), "utf8"), {
    resume,
    artifactsDir: folder,
    briefed: b.steer.map((s) => s.id),
  });
  ctx.say(
    `   agent: ${r.status}: ${r.cut ?? r.reason} (${(r.durationMs / 1000).toFixed(1)}s, ${r.tokens.toLocaleString("en-US")} tokens)`,
  );
  if (r.said) ctx.say(`   agent says: "${clip(r.said, 100)}"`);
  const log: LogLine[] = b.steer.map((s) =>
    logLine("note", `${it.taskId}: steering delivered in the brief of iteration ${it.n}: ${s.text}`),
  );
  if (r.status !== "ok")
    log.push(logLine("failure", `${it.taskId}: the agent session ended ${r.status}: ${r.cut ?? r.reason}`));
  const e = j.step({
    step: "session_end",
    n: it.n,
    status: r.status,
    reason: r.reason,
    sessionId: r.sessionId,
    cut: r.cut,
    delivered: b.steer.map((s) => s.id),
    log,
  });
  await applyEffect(ctx.place, e);
}

async function verify(
  ctx: Ctx,
  it: IterationState,
  task: Task,
  data: Checklist,
  folder: string,
): Promise<void> {
  const { j, o } = ctx;
  const v = await runChecks(o.dir, verifyPlan(task, loopsOf(o.loops, data)), {
    outDir: folder,
    prefix: "verify-",
    timeoutMs: o.verifyTimeoutMs,
    env: ctx.env,
  });
  j.step({
    step: "verify",
    n: it.n,
    passed: v.passed,
    results: v.results,
    failure: v.failure,
    unverifiable: false,
  });
  const flakes = v.results.filter((r) => r.flaky);
  for (const f of flakes) ctx.say(`   flake: \`${f.command}\` failed, then passed on the rerun`);
  ctx.say(
    v.passed
      ? `   verify: pass (${plural(v.results.length, "command")})`
      : `   verify: FAIL ${v.failure!.summary} (output: ${v.failure!.output})`,
  );
  if (flakes.length) {
    const log = flakes.map((f) =>
      logLine(
        "note",
        `${task.task_id}: flake: \`${f.command}\` failed, then passed on one immediate rerun (output: ${f.output})`,
      ),
    );
    await applyEffect(ctx.place, j.step({ step: "note", log }));
  }
}

/** A failed attempt (its checks failed, or it passed holding a secret): counted, then the loop breaker. */
async function failed(ctx: Ctx, it: IterationState, task: Task, folder: string): Promise<void> {
  const { j, o } = ctx;
  const f = it.verify!.failure;
  if (!it.attemptFailed) {
    const attempts = (task.attempts ?? 0) + 1;
    const findings = it.secrets?.findings ?? [];
    const why = findings.length
      ? `the checks passed but the change holds ${plural(findings.length, "secret")}; not committed`
      : `${f?.summary ?? "verification failed"} (output: ${f?.output ?? "-"})`;
    const e = j.step({
      step: "attempt_failed",
      n: it.n,
      taskId: task.task_id,
      attempts,
      log: [logLine("failure", `${task.task_id} attempt ${attempts} failed: ${why}${tailLines(f?.tail)}`)],
    });
    await applyEffect(ctx.place, e);
  }
  const attempts = it.attemptFailed!.attempts;
  const next = afterFailure(attempts, o.maxAttempts);
  if (next !== "give_up") {
    ctx.say(
      `   ${task.task_id} attempt ${attempts} of ${o.maxAttempts} failed; next: ${next === "diagnose" ? "a diagnosis and a new strategy" : "a retry with the failure"}`,
    );
    return;
  }
  if (it.giveUp) return;
  const checkpoint = j.state.checkpoint ?? (await headCommit(o.dir)) ?? "";
  const patch = path.relative(o.dir, path.join(folder, `${task.task_id}-partial.patch`));
  const short = checkpoint.slice(0, 7);
  const e = j.step({
    step: "give_up",
    n: it.n,
    taskId: task.task_id,
    checkpoint,
    patch,
    note: `${stampNow()} failed after ${attempts} attempts; partial change in ${patch}; tree restored to ${short}`,
    log: [
      logLine(
        "failure",
        `${task.task_id} failed after ${attempts} attempts (the last with a diagnosis and a new strategy); partial change saved as ${patch}; the tree is back at checkpoint ${short}`,
      ),
    ],
  });
  await applyEffect(ctx.place, e);
  ctx.say(`   ${task.task_id} FAILED after ${attempts} attempts (partial change: ${patch})`);
  await tellTask(ctx, "task_failed", task, { attempts, patch, failure: f });
}

async function passed(ctx: Ctx, it: IterationState, task: Task, folder: string): Promise<void> {
  const { j, o } = ctx;
  const checkpoint = j.state.checkpoint ?? (await headCommit(o.dir)) ?? "";
  if (!it.secrets) {
    const findings = await scanChange(o.dir, checkpoint);
    const where = findings
      .slice(0, 3)
      .map((x) => `${x.file}:${x.line} ${x.rule}`)
      .join(", ");
    const log = findings.length
      ? [
          logLine(
            "failure",
            `${task.task_id}: the checks passed but the change holds ${plural(findings.length, "secret")} (${where}); not committed; the agent is told to remove it`,
          ),
        ]
      : [];
    await applyEffect(ctx.place, j.step({ step: "secrets", n: it.n, findings, log }));
    if (findings.length)
      ctx.say(`   secret scan: ${plural(findings.length, "finding")} (${where}); not committed`);
  }
  if (it.secrets!.findings.length) {
    // Not committed; it counts as a failed attempt (an agent that keeps the secret meets the loop breaker).
    await failed(ctx, it, task, folder);
    return void j.step({ step: "iteration_end", n: it.n, outcome: "secret" });
  }
  const checks = it.verify!.results;
  const outputs = path.relative(o.dir, folder);
  const resumed = !!it.commit; // journaled by a process that crashed: it may have committed already
  if (!it.commit) {
    const message = `longrun: ${task.task_id} ${task.title}\n\n${plural(checks.length, "verification command")} passed (${outputs}).\n\n${trailers(j.runId, it.n)}\n`;
    j.step({ step: "commit", n: it.n, taskId: task.task_id, parent: checkpoint, message });
  }
  if (!it.committed) {
    const sha = (await applyEffect(ctx.place, it.commit!, resumed)) ?? (await headCommit(o.dir))!;
    j.step({ step: "committed", n: it.n, sha });
    ctx.say(`   checkpoint ${sha.slice(0, 7)} longrun: ${task.task_id} ${task.title}`);
  }
  const sha = it.committed!.sha;
  if (!it.complete) {
    const flakes = checks.filter((c) => c.flaky).length;
    const proof = `${plural(checks.length, "verification command")} passed${flakes ? ` (${flakes} after a flake rerun)` : ""} (${outputs}); checkpoint ${sha.slice(0, 7)}`;
    const e = j.step({
      step: "complete",
      n: it.n,
      taskId: task.task_id,
      sha,
      note: `${stampNow()} complete: ${proof}`,
      log: [logLine("evidence", `${task.task_id} complete: ${task.title}. ${proof}`)],
    });
    await applyEffect(ctx.place, e);
    ctx.say(`   ${task.task_id} complete`);
    await tellTask(ctx, "task_complete", task, { commit: sha, outputs });
  }
  j.step({ step: "iteration_end", n: it.n, outcome: "passed" });
}
