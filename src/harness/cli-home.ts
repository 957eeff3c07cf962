/** The private home of an agent CLI for sessions pointed at --base-url: .longrun/homes/<cli> in the repo. */
import { mkdirSync } from "node:fs";
import path from "node:path";

export function cliHome(repo: string, cli: string): string {
  const dir = path.join(repo, ".longrun", "homes", cli);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
