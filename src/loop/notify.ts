/**
 * Tell a person about a run event: a shell command that reads the event as JSON on stdin, and/or a
 * webhook that gets it as a JSON POST. Never throws: a notifier that fails reports why, and the run goes on.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { NotifyEvent } from "../core/loop-events.ts";
import { runShell } from "../exec/run-shell.ts";
import type { NotifyOptions } from "./options.ts";

const TIMEOUT_MS = 15_000;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Send `payload` for `event` to the configured notifiers; null when none is configured for it. */
export async function notify(
  o: NotifyOptions,
  event: NotifyEvent,
  payload: Record<string, unknown>,
  where: { dir: string; artifactsDir: string; seq: number },
): Promise<{ ok: boolean; error: string | null } | null> {
  if (!o.events.includes(event) || (!o.command && !o.webhook)) return null;
  const body = JSON.stringify({ event, ...payload });
  const errors: string[] = [];
  if (o.command) {
    const file = path.join(where.artifactsDir, `notify-${where.seq}.json`);
    try {
      writeFileSync(file, body);
      const r = await runShell(`(${o.command}) < ${quote(file)}`, {
        cwd: where.dir,
        outFile: path.join(where.artifactsDir, "notify.log"),
        timeoutMs: TIMEOUT_MS,
      });
      if (r.exitCode !== 0)
        errors.push(
          `command ${r.spawnError ?? (r.timedOut ? "timed out" : `exited ${r.exitCode ?? r.signal}`)}`,
        );
    } catch (err) {
      errors.push(`command: ${(err as Error).message}`);
    }
  }
  if (o.webhook) {
    try {
      const res = await fetch(o.webhook, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) errors.push(`webhook answered HTTP ${res.status}`);
    } catch (err) {
      errors.push(`webhook: ${(err as Error).message}`);
    }
  }
  return { ok: errors.length === 0, error: errors.length ? errors.join("; ") : null };
}
