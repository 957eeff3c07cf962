/** The `.longrun/` folder of a repo: created on demand with a .gitignore for what must not be committed. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { STATE_DIR } from "./paths.ts";

export const STATE_GITIGNORE = `# longrun's machine-local state; config.yaml is meant to be committed.
cache/
locks/
artifacts/
homes/
`;

/** Path of `.longrun/`, creating it (and its .gitignore) when missing. */
export function ensureStateDir(dir: string): string {
  const state = path.join(dir, STATE_DIR);
  if (!existsSync(state)) mkdirSync(state, { recursive: true });
  const ignore = path.join(state, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, STATE_GITIGNORE);
  return state;
}
