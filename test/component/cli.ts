/**
 * The component tier's one way to run longrun: the real built CLI (`dist/cli/main.js`) as a child
 * process, in a temp folder, with a temp HOME, a minimal environment and node_modules/.bin first on PATH.
 */
import { type SpawnOptions, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The `bin` of package.json. */
export const BIN = path.join(ROOT, "dist", "cli", "main.js");
export const BIN_DIR = path.join(ROOT, "node_modules", ".bin");
/** Node 24 from the `node` devDependency, never the system one. */
export const NODE = path.join(BIN_DIR, "node");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the whole child process. */
  ms: number;
}

export interface RunOptions {
  /** Working folder of the child (default: the temp root, so `--dir` decides the repo). */
  cwd?: string;
  /** Extra variables (undefined removes one). */
  env?: Record<string, string | undefined>;
  /** Run as this user (and its group, `gid` or the same number); needs root. */
  uid?: number;
  gid?: number;
  /** Kill the child after this long (a hang fails the test instead of blocking the suite). */
  timeoutMs?: number;
}

let root: string | undefined;

/** Per-process folder holding every temp repo and the temp HOME; world-readable for the `nobody` case. */
export function tempRoot(): string {
  if (!root) {
    root = mkdtempSync(path.join(os.tmpdir(), "longrun-ct-"));
    chmodSync(root, 0o755);
  }
  return root;
}

/** A fresh empty folder of its own. */
export function tempDir(prefix = "repo-"): string {
  const dir = mkdtempSync(path.join(tempRoot(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

let home: string | undefined;

/** The hermetic environment: no keys, no LONGRUN_* from the caller, a temp HOME. */
export function testEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  home ??= tempDir("home-");
  const env: NodeJS.ProcessEnv = {
    PATH: [BIN_DIR, process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"].join(path.delimiter),
    HOME: home,
    TMPDIR: os.tmpdir(),
    LANG: "C.UTF-8",
    TZ: "UTC",
    NO_COLOR: "1",
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function spawnOptions(opts: RunOptions): SpawnOptions {
  return {
    cwd: opts.cwd ?? tempRoot(),
    env: testEnv(opts.env),
    stdio: ["ignore", "pipe", "pipe"],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  };
}

/** Run `longrun ...args` and wait for it. */
export function longrun(args: readonly string[], opts: RunOptions = {}): Run {
  const started = Date.now();
  const r = spawnSync(NODE, [BIN, ...args], {
    ...spawnOptions(opts),
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && !r.signal) throw r.error;
  return {
    code: r.status ?? (r.signal ? 128 + (os.constants.signals[r.signal] ?? 0) : -1),
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    ms: Date.now() - started,
  };
}

/** Run `longrun ...args` without blocking, so that several can run at once. */
export function longrunAsync(args: readonly string[], opts: RunOptions = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], spawnOptions(opts));
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr?.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const sig = signal ? 128 + (os.constants.signals[signal] ?? 0) : -1;
      resolve({ code: code ?? sig, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A fresh temp folder after `longrun init` (which must succeed). */
export function initRepo(): string {
  const dir = tempDir();
  const r = longrun(["init", "--dir", dir]);
  if (r.code !== 0) throw new Error(`longrun init failed (${r.code}): ${r.stderr}`);
  return dir;
}

let template: string | undefined;

/**
 * A copy of a repo made by one real `longrun init` in this process: for tests that need many repos
 * and test something else than init (each spawn costs ~0.2 s of CPU).
 */
export function freshRepo(): string {
  template ??= initRepo();
  const dir = tempDir();
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** longrun's machine-local state, which commands may create or refresh without touching user files. */
const STATE = /^\.longrun\/(cache|locks|artifacts)(\/|$)/;

/** sha1 of every user file under `dir` (relative path -> hash), machine-local state excluded. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (STATE.test(r)) continue;
      const st = statSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else
        out[r] = createHash("sha1")
          .update(readFileSync(path.join(dir, r)))
          .digest("hex");
    }
  };
  walk("");
  return out;
}

/** Lines of stderr, without the final empty one. */
export function stderrLines(r: Run): string[] {
  return r.stderr === "" ? [] : r.stderr.replace(/\n$/, "").split("\n");
}

/** Remove every temp folder of this process (call from afterAll). */
export function cleanup(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
  home = undefined;
  template = undefined;
}

/** Whether the CLI can run as an unprivileged user here, and how; or why not. */
export function unprivileged(): { ok: true; uid?: number } | { ok: false; reason: string } {
  if (process.platform === "win32") return { ok: false, reason: "no POSIX permissions on Windows" };
  if (process.getuid?.() !== 0) return { ok: true }; // an ordinary user is already bound by the mode bits
  const probe = spawnSync(NODE, [BIN, "--version"], { uid: 65534, gid: 65534, encoding: "utf8", cwd: "/" });
  if (probe.error) return { ok: false, reason: `cannot run as nobody (${probe.error.message})` };
  if (probe.status !== 0)
    return {
      ok: false,
      reason: `nobody cannot run the CLI from ${path.dirname(BIN)} (${probe.stderr.trim()})`,
    };
  return { ok: true, uid: 65534 };
}
