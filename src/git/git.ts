/**
 * Git, through one module: what the supervisor reads (HEAD, dirty files, the change since a checkpoint)
 * and what it does (commit a checkpoint, put the tree back to one). It never moves a branch other than by
 * committing on the checked-out one, never rewrites history, never pushes.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The variable every git longrun starts carries: the pid of the longrun that started it. */
export const GIT_MARKER = "LONGRUN_GIT_OF";

/** Stage the whole work tree: new, changed and deleted files (ignored ones left out). */
const ADD_ALL = ["add", "-A", "--", "."];

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run git in `dir` (or several git commands in a row, each only if the one before succeeded: one
 * process start instead of several); never throws (a missing git is code 127). While another git
 * process holds the index lock (a git that outlived a crashed longrun finishing its write), wait for
 * it, up to ~3 s.
 */
export async function git(
  dir: string,
  args: string[] | string[][],
  env: NodeJS.ProcessEnv = {},
): Promise<GitResult> {
  const cmds = Array.isArray(args[0]) ? (args as string[][]) : [args as string[]];
  for (let i = 0; ; i++) {
    const r = await gitOnce(dir, cmds, env);
    if (r.code === 0 || i >= 30 || !/index\.lock': File exists/.test(r.stderr)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

function gitOnce(dir: string, cmds: string[][], env: NodeJS.ProcessEnv): Promise<GitResult> {
  const [file, argv] =
    cmds.length === 1
      ? ["git", ["-c", "core.quotePath=false", ...cmds[0]!]]
      : [
          "sh",
          [
            "-c",
            cmds.map((c) => ["git", "-c", "core.quotePath=false", ...c].map(quote).join(" ")).join(" && "),
          ],
        ];
  return new Promise((resolve) => {
    execFile(
      file,
      argv,
      // GIT_MARKER names the longrun process a git belongs to: after a crash, its gits are waited for.
      {
        cwd: dir,
        env: { ...process.env, ...env, [GIT_MARKER]: String(process.pid) },
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
        resolve({ code, stdout, stderr: stderr || (err && !stderr ? err.message : "") });
      },
    );
  });
}

async function ok(dir: string, args: string[] | string[][], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await git(dir, args, env);
  const name = Array.isArray(args[0]) ? (args as string[][]).map((a) => a[0]).join(" + ") : args[0];
  if (r.code !== 0) throw new Error(`git ${name} failed: ${r.stderr.trim().split("\n").pop() ?? r.code}`);
  return r.stdout;
}

/** Whether `dir` is inside a git work tree. */
export async function isWorkTree(dir: string): Promise<boolean> {
  const r = await git(dir, ["rev-parse", "--is-inside-work-tree"]);
  return r.code === 0 && r.stdout.trim() === "true";
}

/** The commit HEAD points at, or null in a repo without commits. */
export async function headCommit(dir: string): Promise<string | null> {
  const r = await git(dir, ["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** Paths (relative to `dir`) with uncommitted changes, untracked files included, minus `ignore`. */
export async function dirtyFiles(dir: string, ignore: readonly string[] = []): Promise<string[]> {
  const out = await ok(dir, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."]);
  const prefix = (await ok(dir, ["rev-parse", "--show-prefix"])).trim();
  const files: string[] = [];
  const parts = out.split("\0");
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length < 4) continue;
    if (p[0] === "R" || p[0] === "C") i++; // the source path of a rename follows
    const rel = p.slice(3).startsWith(prefix) ? p.slice(3 + prefix.length) : p.slice(3);
    if (!ignore.includes(rel)) files.push(rel);
  }
  return files;
}

/** The full message of HEAD ("" without commits). */
export async function headMessage(dir: string): Promise<string> {
  const r = await git(dir, ["log", "-1", "--format=%B"]);
  return r.code === 0 ? r.stdout : "";
}

/** What does not change while longrun runs in a repo, asked of git once per process. */
const facts = new Map<string, Promise<string>>();
function fact(dir: string, key: string, ask: () => Promise<string>): Promise<string> {
  const k = `${dir}\0${key}`;
  let v = facts.get(k);
  if (!v) {
    v = ask();
    facts.set(k, v);
  }
  return v;
}

/** Stage everything and commit (empty allowed: a checkpoint per task); returns the new commit. */
export async function commitAll(dir: string, message: string): Promise<string> {
  const email = await fact(dir, "email", async () =>
    (await git(dir, ["config", "user.email"])).stdout.trim(),
  );
  const who = email ? [] : ["-c", "user.name=longrun", "-c", "user.email=longrun@localhost"];
  await ok(dir, [
    ADD_ALL,
    [...who, "commit", "--allow-empty", "--no-verify", "-q", "--cleanup=verbatim", "-m", message],
  ]);
  return (await readHead(dir)) ?? (await headCommit(dir))!;
}

/**
 * Wait (up to ~3 s) while another git process holds the index lock: a git started by a longrun that
 * crashed may still be finishing a commit, which must be seen before deciding to commit again.
 */
export async function waitForIndex(dir: string): Promise<void> {
  const dirs = await fact(dir, "dirs", async () =>
    (await ok(dir, ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"])).trim(),
  );
  const lock = path.join(dirs.split("\n")[0]!, "index.lock");
  for (let i = 0; i < 30 && existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
}

/** HEAD's commit read from the ref file itself (no git process), or null when it is not a plain loose ref. */
async function readHead(dir: string): Promise<string | null> {
  try {
    const dirs = await fact(dir, "dirs", async () =>
      (await ok(dir, ["rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir"])).trim(),
    );
    const [gitDir, common] = dirs.split("\n");
    const head = readFileSync(path.join(gitDir!, "HEAD"), "utf8").trim();
    const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
    const sha = ref ? readFileSync(path.join(common!, ref), "utf8").trim() : head;
    return /^[0-9a-f]{40}$/.test(sha) ? sha : null;
  } catch {
    return null; // a packed ref, a reftable: ask git
  }
}

/**
 * Run `fn` with a throwaway index (a copy of the user's, so that `add` is fast), in which the caller
 * stages the whole work tree (untracked files included, ignored ones not) to read the change since a
 * commit without touching the user's index.
 */
async function withTreeIndex<T>(dir: string, fn: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "longrun-index-"));
  const index = path.join(tmp, "index");
  try {
    const real = await fact(dir, "index", async () =>
      (await ok(dir, ["rev-parse", "--path-format=absolute", "--git-path", "index"])).trim(),
    );
    if (existsSync(real)) copyFileSync(real, index); // its stat cache makes `add` fast
    return await fn({ GIT_INDEX_FILE: index });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const excludes = (paths: readonly string[]) => paths.map((p) => `:(exclude)${p}`);

/** The work tree's change since `base` as a binary patch (paths in `exclude` left out). */
export function patchSince(dir: string, base: string, exclude: readonly string[] = []): Promise<string> {
  return withTreeIndex(dir, (env) =>
    ok(
      dir,
      [ADD_ALL, ["diff", "--cached", "--binary", "--no-color", base, "--", ".", ...excludes(exclude)]],
      env,
    ),
  );
}

/** Lines added since `base`, by file (relative to the repo root), from a zero-context diff; binary files skipped. */
export function addedLines(dir: string, base: string): Promise<Map<string, number[]>> {
  return withTreeIndex(dir, async (env) => {
    const diff = await ok(
      dir,
      [ADD_ALL, ["diff", "--cached", "-U0", "--no-color", "--no-renames", "--no-ext-diff", base, "--", "."]],
      env,
    );
    const out = new Map<string, number[]>();
    let file: string | null = null;
    for (const l of diff.split("\n")) {
      if (l.startsWith("+++ ")) {
        file =
          l === "+++ /dev/null"
            ? null
            : l
                .slice(4)
                .replace(/^"?b\//, "")
                .replace(/"$/, "");
        if (file && !out.has(file)) out.set(file, []);
        continue;
      }
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(l);
      if (m && file) {
        const start = Number(m[1]);
        const count = m[2] === undefined ? 1 : Number(m[2]);
        for (let i = 0; i < count; i++) out.get(file)!.push(start + i);
      }
    }
    for (const [f, lines] of out) if (!lines.length) out.delete(f);
    return out;
  });
}

/** The repo's root folder. */
export function topLevel(dir: string): Promise<string> {
  return fact(dir, "top", async () => (await ok(dir, ["rev-parse", "--show-toplevel"])).trim());
}

/**
 * Put the work tree and index back to `commit` (HEAD and the branch stay where they are) and remove
 * untracked files, except the paths in `keep` (relative to `dir`), which are left as they are.
 */
export async function restoreTree(dir: string, commit: string, keep: readonly string[]): Promise<void> {
  await ok(dir, ["read-tree", "--reset", "-u", commit]);
  await ok(dir, ["clean", "-fdq", ...keep.flatMap((k) => ["-e", k]), "--", "."]);
}
