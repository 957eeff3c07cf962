/** `longrun steer "message"`: queue a correction for the agent of the running (or next) supervised run. */
import { UserError } from "../../core/user-error.ts";
import { queueSteering } from "../../store/control.ts";
import { runHolder } from "../../store/run-lock.ts";
import { parse, positionals, repoDir } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun steer [--dir D] [--json] "message"
  Queue a steering message for the agent. It is delivered exactly once: in the brief of the next session
  (or, where the harness takes messages during a session, claude and pi, sent into the one running), and
  logged in run-log.md when delivered. \`longrun status\` lists the messages still waiting.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "steer");
  const [text] = positionals(p, ["message"], "steer");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  if (!text?.trim())
    throw new UserError("steer: the message is empty (say what the agent should do differently)");
  const holder = runHolder(dir);
  const message = await queueSteering(dir, text.trim());
  out.data({ message, run: holder?.runId ?? null });
  out.line(
    holder
      ? `queued for run ${holder.runId ?? `(pid ${holder.pid})`}: delivered in the next brief, or sent into the session where the harness takes messages`
      : "queued: no run is active; the next `longrun run` delivers it in its first brief",
  );
  return 0;
}
