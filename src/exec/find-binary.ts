/** Find a CLI the way a shell would (PATH), then in the project's node_modules/.bin; ask its version. */
import { execFile } from "node:child_process";
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";

export function findBinary(
  name: string,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dirs = [
    ...(env.PATH ?? "").split(path.delimiter).filter(Boolean),
    path.join(projectDir, "node_modules", ".bin"),
  ];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * First line of `bin --version`, cached per binary (path, size, mtime) in the user's cache folder: asking
 * costs 0.2-1 s for some CLIs, which every session would otherwise pay.
 */
export async function binaryVersion(bin: string, timeoutMs = 10_000): Promise<string | null> {
  let key: string;
  try {
    const real = realpathSync(bin);
    const st = statSync(real);
    key = `${real}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
  const file = path.join(
    process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"),
    "longrun",
    "versions.json",
  );
  let cache: Record<string, string | null> = {};
  try {
    cache = JSON.parse(readFileSync(file, "utf8")) as Record<string, string | null>;
  } catch {
    // no cache yet
  }
  if (key in cache) return cache[key] ?? null;
  const version = await askVersion(bin, timeoutMs);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ ...cache, [key]: version }));
    renameSync(tmp, file);
  } catch {
    // a cache we cannot write only costs time
  }
  return version;
}

/** Run `bin --version` with a scratch HOME so that no CLI writes into the user's home. */
function askVersion(bin: string, timeoutMs: number): Promise<string | null> {
  const home = mkdtempSync(path.join(tmpdir(), "longrun-version-"));
  const env = {
    ...process.env,
    HOME: home,
    CODEX_HOME: path.join(home, ".codex"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
  };
  return new Promise((resolve) => {
    execFile(
      bin,
      ["--version"],
      { env, timeout: timeoutMs, killSignal: "SIGKILL" },
      (err, stdout, stderr) => {
        rmSync(home, { recursive: true, force: true });
        // Some CLIs (pi) print their version on stderr.
        const line = (String(stdout).trim() || String(stderr).trim()).split("\n")[0]?.trim();
        resolve(err && !line ? null : line || null);
      },
    );
  });
}

/** Where `name` is installed and its version, or undefined when it is not. */
export async function installedBinary(
  name: string,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ path: string; version: string | null } | undefined> {
  const p = findBinary(name, projectDir, env);
  return p ? { path: p, version: await binaryVersion(p) } : undefined;
}
