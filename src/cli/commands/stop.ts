/** `longrun stop [--now]`: end the supervised run, after its current iteration or at once. */
import { UserError } from "../../core/user-error.ts";
import { requestStop } from "../../store/control.ts";
import { runHolder } from "../../store/run-lock.ts";
import { parse, positionals, repoDir } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun stop [--now] [--dir D] [--json]
  End the running \`longrun run\` after its current iteration (its session finishes and is verified), or
  with --now at once (the session is stopped, the memory files guarded, the task left in progress for the
  next run). The run exits 1, saying it was stopped. Exit 2 when no run is active.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, { now: { type: "boolean" } }, "stop");
  positionals(p, [], "stop");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const holder = runHolder(dir);
  if (!holder) throw new UserError("stop: no `longrun run` is active in this repo (see `longrun status`)");
  const now = !!p.values.now;
  await requestStop(dir, now);
  out.data({ stop: { now }, run: holder.runId, pid: holder.pid });
  out.line(
    `stop requested: run ${holder.runId ?? `(pid ${holder.pid})`} ends ${now ? "now (its session is stopped)" : "after its current iteration"}`,
  );
  return 0;
}
