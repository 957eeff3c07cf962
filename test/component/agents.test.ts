// `longrun agents`: which agent CLIs are installed, their versions, and what each needs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cleanup, longrunAsync, ROOT, tempDir } from "./cli.ts";

afterAll(cleanup);

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};

describe.concurrent("longrun agents", () => {
  test("in the longrun repo: the four pinned CLIs are found in node_modules/.bin with their versions", async () => {
    const r = await longrunAsync(["agents", "--json"], { cwd: ROOT, env: { PATH: "/usr/bin:/bin" } });
    expect(r.code, r.stderr).toBe(0);
    const { agents } = JSON.parse(r.stdout) as {
      agents: { name: string; installed: { path: string; version: string } | null; install: string }[];
    };
    expect(agents.map((a) => a.name)).toEqual(["codex", "claude", "opencode", "pi", "command"]);
    const version = (name: string) => agents.find((a) => a.name === name)?.installed?.version ?? "";
    expect(version("codex")).toContain(pkg.devDependencies["@openai/codex"]);
    expect(version("claude")).toContain(pkg.devDependencies["@anthropic-ai/claude-code"]);
    expect(version("opencode")).toContain(pkg.devDependencies["opencode-ai"]);
    expect(version("pi")).toContain(pkg.devDependencies["@mariozechner/pi-coding-agent"]);
    for (const a of agents.slice(0, 4))
      expect(a.installed?.path).toBe(path.join(ROOT, "node_modules", ".bin", a.name));
  });

  test("elsewhere, with nothing on PATH: each CLI says how to install it", async () => {
    const r = await longrunAsync(["agents"], { cwd: tempDir(), env: { PATH: "/nonexistent" } });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toContain("codex     not installed: npm install -g @openai/codex");
    expect(lines).toContain("opencode  not installed: npm install -g opencode-ai");
    expect(lines).toContain("pi        not installed: npm install -g @mariozechner/pi-coding-agent");
    expect(lines.filter((l) => l.trimStart().startsWith("needs "))).toHaveLength(5);
  });

  test("a stray argument: exit 2, one line", async () => {
    const r = await longrunAsync(["agents", "extra"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
