/**
 * What `status --watch` polls: a stamp of each input of `status` taken from stat alone (never the
 * bytes), so a repo where nothing moves costs a few stat calls per tick, and each part of the view is
 * rebuilt only when its own inputs changed.
 *
 * File times are coarse (a few ms on Linux), so two writes of the same size close together can leave
 * the same stat. As git does with a "racy" index entry, a file changed in the last RACY_MS is not trusted:
 * its stamp differs on every call until it has been still that long, so the view is loaded once more.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { FILES, STATE_DIR } from "./paths.ts";

/** How long a file must be still before its stat is trusted to show its next change. */
const RACY_MS = 100;

export type StatusStamps = {
  checklist: string;
  runLog: string;
  config: string;
  /** `.longrun/control/`: steering queue, pause, stop. */
  control: string;
  /** `.longrun/runs/`: each run's run.json and journal. */
  runs: string;
  /** The run lock and whether its holder is alive (a crashed run changes no file). */
  lock: string;
};

/**
 * A stamp function for repo `dir`: each stamp is identity, size and times of a file (or why it cannot be
 * stat'ed). It keeps the run lock's holder between calls, to read the lock only when it changed.
 */
let racy = 0;

/**
 * The stamp of one file (or folder): identity, size and times, or why it cannot be stat'ed. A file
 * changed in the last RACY_MS gets a new stamp on every call (see above). For every poller of files.
 */
export function fileStamp(file: string, now = Date.now()): string {
  try {
    const s = statSync(file);
    const changed = Math.max(s.mtimeMs, s.ctimeMs);
    const still = Math.abs(now - changed) >= RACY_MS;
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}${still ? "" : `:racy${++racy}`}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? "error";
  }
}

export function statusInputs(dir: string): () => StatusStamps {
  const state = path.join(dir, STATE_DIR);
  const lockFile = path.join(state, "locks", "run.json");
  let lockSeen = "";
  let pid: number | null = null;
  return () => {
    const now = Date.now();
    const statOf = (file: string) => fileStamp(file, now);
    const lock = statOf(lockFile);
    if (lock !== lockSeen) {
      lockSeen = lock;
      pid = holderPid(lockFile);
    }
    return {
      checklist: statOf(path.join(dir, FILES.checklist)),
      runLog: statOf(path.join(dir, FILES.runLog)),
      config: statOf(path.join(dir, FILES.config)),
      control: folder(path.join(state, "control"), (d, name) => statOf(path.join(d, name))),
      runs: folder(
        path.join(state, "runs"),
        (d, id) => `${statOf(path.join(d, id, "run.json"))},${statOf(path.join(d, id, "events.jsonl"))}`,
      ),
      lock: `${lock}:${pid !== null && alive(pid)}`,
    };
  };
}

/** Each entry of folder `d` (sorted) with its stamp, or why the folder cannot be listed. */
function folder(d: string, each: (d: string, name: string) => string): string {
  let names: string[];
  try {
    names = readdirSync(d).sort();
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? "error";
  }
  return names.map((n) => `${n}=${each(d, n)}`).join(";");
}

function holderPid(file: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(file, "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
