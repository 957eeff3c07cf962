/** `longrun agents`: which agent CLIs are installed, their versions, and what each needs. */
import { listAgents } from "../../harness/registry.ts";
import { parse, positionals } from "../args.ts";
import { makeOut } from "../output.ts";

export const help = `longrun agents [--json]
  The agent CLIs longrun knows (codex, claude, opencode, pi, and command): installed or not (PATH,
  then this project's node_modules/.bin), version, and what it needs to run.`;

export async function run(argv: string[]): Promise<number> {
  const p = parse(argv, {}, "agents");
  positionals(p, [], "agents");
  const out = makeOut(!!p.values.json);
  const agents = await listAgents(process.cwd());
  out.data({ agents });
  for (const a of agents) {
    const where = a.installed
      ? `${a.installed.version ?? "version unknown"} (${a.installed.path})`
      : `not installed: ${a.install}`;
    out.line(`${a.name.padEnd(9)} ${where}`);
    out.line(`${"".padEnd(9)} needs ${a.needs}`);
  }
  return 0;
}
