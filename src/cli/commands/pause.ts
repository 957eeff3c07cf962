/** `longrun pause`: the supervised run waits after its current iteration, until `longrun resume`. */
import { isPaused, setPaused } from "../../store/control.ts";
import { runHolder } from "../../store/run-lock.ts";
import { parse, positionals, repoDir } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun pause [--dir D] [--json]
  Pause the supervised run after its current iteration (the session in flight finishes and is verified).
  It keeps its lock and waits; \`longrun resume\` continues it, \`longrun stop\` ends it. Without a running
  run, the next \`longrun run\` starts paused.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "pause");
  positionals(p, [], "pause");
  const out = makeOut(!!p.values.json);
  const dir = repoDir(p.values);
  const already = isPaused(dir);
  await setPaused(dir, true);
  const holder = runHolder(dir);
  out.data({ paused: true, already, run: holder?.runId ?? null });
  out.line(
    already
      ? "already paused"
      : holder
        ? `run ${holder.runId} pauses after its current iteration (\`longrun resume\` continues it)`
        : "paused: no run is active; the next `longrun run` waits for `longrun resume`",
  );
  return 0;
}
