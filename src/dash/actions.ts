/**
 * What the page's buttons do: the same control files `longrun steer|pause|resume|stop` write, and one
 * `note` line in run-log.md saying it came from the dashboard (best effort: a repo without a usable
 * run log still gets the control change).
 */
import { UserError } from "../core/user-error.ts";
import { queueSteering, requestStop, setPaused } from "../store/control.ts";
import { runHolder } from "../store/run-lock.ts";
import { appendLogEvent } from "../store/run-log-write.ts";

export type Action = "steer" | "pause" | "resume" | "stop";
export const ACTIONS: readonly Action[] = ["steer", "pause", "resume", "stop"];

export interface ActionResult {
  ok: true;
  action: Action;
  run: string | null;
  /** Whether the run log took the note. */
  logged: boolean;
  message?: { id: string; text: string; ts: string };
}

const MAX_STEER = 20_000;

async function note(dir: string, text: string): Promise<boolean> {
  try {
    await appendLogEvent(dir, "note", text);
    return true;
  } catch {
    return false;
  }
}

/** Carry out `action` with the request body `body`; a bad request is a UserError (400). */
export async function act(dir: string, action: Action, body: Record<string, unknown>): Promise<ActionResult> {
  const holder = runHolder(dir);
  const run = holder?.runId ?? null;
  switch (action) {
    case "steer": {
      const text = typeof body.text === "string" ? body.text.trim() : "";
      if (!text)
        throw new UserError("steer: the message is empty (say what the agent should do differently)");
      if (text.length > MAX_STEER)
        throw new UserError(`steer: the message is ${text.length} characters; keep it under ${MAX_STEER}`);
      const message = await queueSteering(dir, text);
      const oneLine = text.replace(/\s+/g, " ");
      const logged = await note(
        dir,
        `dashboard: steering queued for the next brief: ${oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine}`,
      );
      return { ok: true, action, run, logged, message };
    }
    case "pause": {
      await setPaused(dir, true);
      const logged = await note(
        dir,
        "dashboard: pause requested (the run pauses after its current iteration)",
      );
      return { ok: true, action, run, logged };
    }
    case "resume": {
      await setPaused(dir, false);
      const logged = await note(dir, "dashboard: resume requested");
      return { ok: true, action, run, logged };
    }
    case "stop": {
      if (!holder) throw new UserError("stop: no `longrun run` is active in this repo");
      const now = body.now === true;
      await requestStop(dir, now);
      const logged = await note(
        dir,
        now ? "dashboard: stop now requested" : "dashboard: stop requested (after the current iteration)",
      );
      return { ok: true, action, run, logged };
    }
  }
}
