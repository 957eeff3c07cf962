/**
 * One agent session of an iteration: started through the harness adapter, every event journaled as it
 * arrives, watched while it runs (a stop --now, a budget crossed, an output flood end it; steering is
 * sent into it where the harness takes messages), and summed up when it ends.
 */
import type { AgentEvent, RunStatus } from "../core/agent-events.ts";
import { budgetHit } from "../core/budget.ts";
import { adapterFor } from "../harness/registry.ts";
import { queuedSteering, stopRequest } from "../store/control.ts";
import { type Ctx, spentNow } from "./context.ts";
import { applyEffect } from "./effects.ts";
import { logLine } from "./log.ts";

export interface SessionResult {
  status: RunStatus;
  reason: string;
  sessionId: string | null;
  /** Why longrun ended it, if it did. */
  cut: string | null;
  /** The agent's last message (what it says it did: a claim, not evidence). */
  said: string | null;
  durationMs: number;
  tokens: number;
}

const WATCH_MS = 200;

export async function runAgentSession(
  ctx: Ctx,
  n: number,
  taskId: string,
  prompt: string,
  o: { resume: string | null; artifactsDir: string; briefed: readonly string[] },
): Promise<SessionResult> {
  const adapter = adapterFor(ctx.o.harness)!;
  const budgets = ctx.o.budgets;
  const left =
    budgets.maxTimeMs === null
      ? Number.POSITIVE_INFINITY
      : Math.max(1000, budgets.maxTimeMs - spentNow(ctx).activeMs);
  const run = adapter.start({
    cwd: ctx.o.dir,
    prompt,
    model: ctx.o.model,
    baseUrl: ctx.o.baseUrl,
    apiKeyEnv: ctx.o.apiKeyEnv,
    command: ctx.o.command,
    env: ctx.env as Record<string, string>,
    timeoutMs: Math.min(ctx.o.timeoutMs, left),
    idleTimeoutMs: ctx.o.idleTimeoutMs,
    artifactsDir: o.artifactsDir,
    resumeSession: o.resume,
    taskId,
    steerable: true,
  });
  let cut: string | null = null;
  const stop = (why: string) => {
    if (cut) return;
    cut = why;
    run.stop();
  };
  let sending = false;
  const sent = new Set<string>(o.briefed);
  const watch = async () => {
    if (stopRequest(ctx.o.dir)?.now) stop("stopped on request (stop --now)");
    const hit = budgetHit(budgets, spentNow(ctx), true);
    if (hit) {
      ctx.budgetHit = hit;
      stop(hit.text);
    }
    if (!run.send || sending || cut) return;
    const pending = queuedSteering(ctx.o.dir).filter(
      (m) => !sent.has(m.id) && !ctx.j.state.delivered.has(m.id),
    );
    if (!pending.length) return;
    sending = true;
    try {
      for (const m of pending) {
        sent.add(m.id);
        try {
          await run.send(m.text);
        } catch {
          continue; // the session takes no more input: the next brief carries it
        }
        const log = [
          logLine("note", `${taskId}: steering sent into the session of iteration ${n}: ${m.text}`),
        ];
        await applyEffect(ctx.place, ctx.j.step({ step: "steer_sent", n, id: m.id, text: m.text, log }));
        ctx.say(`   steering sent into the session: ${m.text}`);
      }
    } finally {
      sending = false;
    }
  };
  const timer = setInterval(() => {
    watch().catch(() => undefined);
  }, WATCH_MS);
  let bytes = 0;
  let said: string | null = null;
  try {
    for await (const ev of run as AsyncIterable<AgentEvent>) {
      if (ev.type === "message") said = ev.text;
      bytes += ctx.j.agent(ev, taskId);
      ctx.spend.add(ev as unknown as Record<string, unknown>);
      if (bytes > ctx.o.maxOutputBytes)
        stop(
          `output flood: the session wrote over ${Number((ctx.o.maxOutputBytes / 1048576).toFixed(1))} MB of events`,
        );
    }
  } finally {
    clearInterval(timer);
  }
  const end = await run.result();
  const u = end.usage;
  return {
    status: end.status,
    reason: end.reason,
    sessionId: end.sessionId,
    cut,
    said,
    durationMs: end.durationMs,
    tokens: u.input + u.cachedInput + u.cacheWrite + u.output,
  };
}
