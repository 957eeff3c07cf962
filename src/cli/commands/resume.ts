/** `longrun resume`: a paused supervised run continues. */
import { isPaused, setPaused } from "../../store/control.ts";
import { runHolder } from "../../store/run-lock.ts";
import { parse, positionals, repoDir } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun resume [--dir D] [--json]
  Continue a run paused by \`longrun pause\`. (A run a crash cut short is resumed by \`longrun run\`.)`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "resume");
  positionals(p, [], "resume");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const was = isPaused(dir);
  await setPaused(dir, false);
  const holder = runHolder(dir);
  out.data({ paused: false, was, run: holder?.runId ?? null });
  out.line(was ? (holder ? `run ${holder.runId} continues` : "no longer paused") : "not paused");
  return 0;
}
