/** Notifications of run events: journaled, sent, and a failure logged (never fatal). */
import type { Task } from "../core/checklist-schema.ts";
import type { NotifyEvent } from "../core/loop-events.ts";
import type { Ctx } from "./context.ts";
import { applyEffect } from "./effects.ts";
import { logLine } from "./log.ts";
import { notify } from "./notify.ts";

/** Send `event` to the configured notifiers; a failure is journaled and logged as a note. */
export async function tell(ctx: Ctx, event: NotifyEvent, payload: Record<string, unknown>): Promise<void> {
  const r = await notify(
    ctx.o.notify,
    event,
    { runId: ctx.j.runId, repo: ctx.o.dir, ...payload },
    {
      dir: ctx.o.dir,
      artifactsDir: ctx.place.artifactsDir,
      seq: ctx.j.state.lastSeq + 1,
    },
  );
  if (!r) return;
  ctx.j.step({ step: "notify", event, ok: r.ok, error: r.error });
  if (!r.ok) {
    const e = ctx.j.step({
      step: "note",
      log: [logLine("note", `notifier failed for ${event}: ${r.error}`)],
    });
    await applyEffect(ctx.place, e);
    ctx.say(`   notifier failed for ${event}: ${r.error}`);
  }
}

export function tellTask(
  ctx: Ctx,
  event: NotifyEvent,
  task: Task,
  extra: Record<string, unknown>,
): Promise<void> {
  return tell(ctx, event, { taskId: task.task_id, title: task.title, ...extra });
}
