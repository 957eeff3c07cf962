/** Finding log files: recursive, sorted, symlinks not followed (a loop or a link out of the tree is not read). */
import path from "node:path";
import { UserError } from "../../core/user-error.ts";
import { builtin } from "../../store/builtin.ts";

const { existsSync, readdirSync, statSync } = builtin("node:fs");
const os = builtin("node:os");

/**
 * Files under `dir` whose names end with `ext`, sorted by path. Synchronous: a folder per day of
 * logs made hundreds of round trips to the thread pool.
 */
export async function filesUnder(dir: string, ext: string): Promise<string[]> {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw new UserError(`cost scan: cannot read ${d}: ${(err as Error).message}`);
    }
    // d is normalized and a name has no separator: joined without path.join's normalizing
    const base = d.endsWith(path.sep) ? d : d + path.sep;
    for (const e of entries) {
      const p = base + e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** `file`'s path relative to `base`, a folder it was found under (path.relative, without its work). */
export function under(base: string, file: string): string {
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  return file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(base, file);
}

/** `~` and `~/x` expanded; a comma-separated list split and trimmed. */
export function pathList(value: string, env: NodeJS.ProcessEnv): string[] {
  return value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) =>
      p === "~" ? home(env) : p.startsWith("~/") ? path.join(home(env), p.slice(2)) : path.resolve(p),
    );
}

export const home = (env: NodeJS.ProcessEnv) => env.HOME || os.homedir();

export const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** A --path that must exist and be a folder. */
export function existingFolder(p: string, what: string): string {
  const abs = path.resolve(p);
  if (!existsSync(abs)) throw new UserError(`cost scan: --path ${abs}: no such folder (${what})`);
  if (!isDir(abs)) throw new UserError(`cost scan: --path ${abs}: not a folder (${what})`);
  return abs;
}
