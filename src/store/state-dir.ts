/** The `.longrun/` folder of a repo: created on demand with a .gitignore for what must not be committed. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { STATE_DIR } from "./paths.ts";

export const STATE_GITIGNORE = `# longrun's machine-local state; config.yaml is meant to be committed.
cache/
locks/
artifacts/
homes/
runs/
control/
`;

/**
 * Path of `.longrun/`, creating it (and its .gitignore) when missing. A .gitignore an older longrun
 * wrote (it starts with our header) gets the lines added since; one the user wrote is left alone.
 */
export function ensureStateDir(dir: string): string {
  const state = path.join(dir, STATE_DIR);
  if (!existsSync(state)) mkdirSync(state, { recursive: true });
  const ignore = path.join(state, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, STATE_GITIGNORE);
  else {
    const text = readFileSync(ignore, "utf8");
    const header = STATE_GITIGNORE.split("\n")[0] ?? "";
    if (text.startsWith(header)) {
      const have = new Set(text.split("\n"));
      const missing = STATE_GITIGNORE.split("\n").filter((l) => l && !have.has(l));
      if (missing.length) appendFileSync(ignore, `${text.endsWith("\n") ? "" : "\n"}${missing.join("\n")}\n`);
    }
  }
  return state;
}
