/** Find a CLI the way a shell would (PATH), then in the project's node_modules/.bin; ask its version. */
import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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

/** First line of `bin --version`, run with a scratch HOME so that no CLI writes into the user's home. */
export function binaryVersion(bin: string, timeoutMs = 10_000): Promise<string | null> {
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
