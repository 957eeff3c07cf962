// bench/cost-scan/record.ts: record one real session of Claude Code and of Codex (the pinned devDependencies)
// against the scripted model server, and copy their session logs to DIR (CLAUDE_CONFIG_DIR-like DIR/claude,
// CODEX_HOME-like DIR/codex), so the generator's line shapes can be checked against what the CLIs really
// write, and ccusage run on them. Not part of the timed bench; the generator was modelled on its output.
// Run: node_modules/.bin/node bench/cost-scan/record.ts DIR   (Node 24 runs the .ts directly)
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findBinary } from "../../src/exec/find-binary.ts";
import { claudeAdapter } from "../../src/harness/claude.ts";
import { codexAdapter } from "../../src/harness/codex.ts";
import type { Adapter } from "../../src/harness/types.ts";
import { shellCall, startModelServer, type Turn } from "../../test/kit/model-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const out = path.resolve(process.argv[2] ?? "cost-scan-recorded");
const work = mkdtempSync(path.join(tmpdir(), "longrun-cost-record-"));
process.env.HOME = work;
// The adapters find the CLIs on PATH (npm scripts put node_modules/.bin there).
process.env.PATH = `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`;

/**
 * Text + a shell call with long multi-byte output; then (Claude) a subagent through the Agent tool, whose
 * own request is the next one, or (Codex) a second shell call; then thinking + a text answer.
 */
const script = (cli: "claude" | "codex"): Turn[] => [
  {
    ...shellCall(cli, "printf 'héllo 世界 🚀\\n%.0s' $(seq 1 200)"),
    text: "Let me look first. 先看一下。",
    usage: { input: 1200, cachedInput: 300, cacheWrite: 700, output: 45, reasoning: 12 },
  },
  cli === "claude"
    ? {
        toolCall: {
          name: "Agent",
          arguments: {
            description: "List files",
            prompt: "List the files with ls",
            subagent_type: "general-purpose",
          },
        },
        usage: { input: 90, cachedInput: 2000, cacheWrite: 150, output: 30 },
      }
    : { ...shellCall(cli, "ls -la"), usage: { input: 90, cachedInput: 2000, cacheWrite: 150, output: 30 } },
  ...(cli === "claude"
    ? [
        {
          text: "Subagent: 2 files. 完了 ✅",
          usage: { input: 300, cachedInput: 0, cacheWrite: 0, output: 15 },
        },
      ]
    : []),
  {
    text: "Done: the output has 200 lines of 世界 and 🚀.",
    reasoning: "The command worked.",
    usage: { input: 40, cachedInput: 2200, output: 60, reasoning: 20 },
  },
];

for (const [cli, adapter] of [
  ["claude", claudeAdapter],
  ["codex", codexAdapter],
] as ["claude" | "codex", Adapter][]) {
  if (!findBinary(cli, ROOT)) {
    console.log(`${cli}: not installed, skipped`);
    continue;
  }
  const server = await startModelServer(script(cli));
  const cwd = mkdtempSync(path.join(work, `${cli}-repo-`));
  const run = adapter.start({
    cwd,
    prompt: "Print some text, then list the files. 日本語で答えて",
    model: cli === "claude" ? "claude-sonnet-4-5-20250929" : "gpt-5.2-codex",
    baseUrl: server.url,
    timeoutMs: 120_000,
    idleTimeoutMs: 60_000,
    artifactsDir: path.join(cwd, "art"),
    retries: 0,
  });
  for await (const _ of run) {
    // drain
  }
  const end = await run.result();
  await server.close();
  const home = path.join(cwd, ".longrun", "homes", cli);
  const sub = cli === "claude" ? "projects" : "sessions";
  mkdirSync(path.join(out, cli), { recursive: true });
  cpSync(path.join(home, sub), path.join(out, cli, sub), { recursive: true });
  console.log(
    `${cli}: ${end.status}, usage ${JSON.stringify(end.usage)}; logs in ${path.join(out, cli, sub)}`,
  );
}
