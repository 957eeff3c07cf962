/** An inter-process lock per memory file, with stale-lock recovery (a crashed holder never blocks for long). */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/user-error.ts";
import { display } from "./paths.ts";
import { ensureStateDir } from "./state-dir.ts";

/** A lock not refreshed for this long is taken as left by a crashed process. */
const STALE_MS = 4_000;

/**
 * Run `fn` while holding the lock of `file` (a folder under `.longrun/locks/`). Waits for other
 * holders up to ~30 s; a lock left by a dead process is taken over once it is stale.
 */
export async function withFileLock<T>(dir: string, file: string, fn: () => Promise<T>): Promise<T> {
  let lockDir = path.join(dir, ".longrun", "locks");
  try {
    lockDir = path.join(ensureStateDir(dir), "locks");
    mkdirSync(lockDir, { recursive: true });
  } catch (err) {
    throw new UserError(
      `${display(lockDir)}: cannot create the lock folder (${(err as NodeJS.ErrnoException).code}; fix the folder's permissions)`,
    );
  }
  const lockPath = path.join(lockDir, `${path.basename(file)}.lock`);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  // Loaded on the first lock: with graceful-fs it is ~8 MiB that read-only commands and an idle dash never need.
  const { default: lockfile } = await import("proper-lockfile");
  try {
    release = await lockfile.lock(file, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      update: STALE_MS / 4,
      retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 200, randomize: true },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOCKED")
      throw new UserError(
        `${display(file)}: another longrun process holds its lock (${display(lockPath)}); wait for it, or remove the lock if no longrun runs`,
      );
    throw new UserError(`${display(lockPath)}: cannot take the lock (${code ?? String(err)})`);
  }
  try {
    const out = await fn();
    if (compromised)
      throw new UserError(
        `${display(file)}: the lock was lost during the edit (${compromised.message}); rerun the command`,
      );
    return out;
  } finally {
    await release().catch(() => undefined);
  }
}
