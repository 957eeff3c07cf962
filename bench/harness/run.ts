// bench/harness: (1) normalizing a ~100 MB recorded event stream of each agent CLI, beside JSON.parse of
// the same lines; (2) longrun's start-up overhead per session against the bare CLI on the same script.
// Run: `npm run bench:harness` (or `node bench/harness/run.ts --mb 20 --runs 3`). Needs the CLIs that
// are devDependencies; writes bench/results/harness-<date>.json.
import { execFile, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { findBinary } from "../../src/exec/find-binary.ts";
import { claudeAdapter, claudeArgs, claudeEnv } from "../../src/harness/claude.ts";
import { codexAdapter } from "../../src/harness/codex.ts";
import { opencodeAdapter, opencodeInvocation } from "../../src/harness/opencode.ts";
import { piAdapter } from "../../src/harness/pi.ts";
import type { Adapter } from "../../src/harness/types.ts";
import { shellCall, startModelServer, type Turn } from "../../test/kit/model-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const { values } = parseArgs({
  options: { mb: { type: "string", default: "100" }, runs: { type: "string", default: "5" } },
});
const targetBytes = Number(values.mb) * 1e6;
const runs = Number(values.runs);
const NODE = path.join(ROOT, "node_modules", ".bin", "node");
const ADAPTERS: Record<string, Adapter> = {
  codex: codexAdapter,
  claude: claudeAdapter,
  opencode: opencodeAdapter,
  pi: piAdapter,
};
const installed = Object.keys(ADAPTERS).filter((c) => findBinary(c, ROOT));
const work = mkdtempSync(path.join(tmpdir(), "longrun-bench-harness-"));
process.env.HOME = work; // the CLIs write under HOME

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const long = "The change keeps the public API and adds a retry with jitter. ".repeat(20);

/** One real session of `cli` against the scripted server; its raw stdout is the recording. */
async function record(cli: string): Promise<string> {
  const turns: Turn[] = [
    {
      ...shellCall(cli as "codex", "echo one > a.txt"),
      usage: { input: 900, cachedInput: 300, output: 40, reasoning: 10 },
    },
    { ...shellCall(cli as "codex", "cat a.txt"), usage: { input: 950, cachedInput: 900, output: 30 } },
    { text: long, usage: { input: 1000, cachedInput: 950, output: 400 } },
  ];
  const server = await startModelServer(turns);
  const cwd = mkdtempSync(path.join(work, `${cli}-rec-`));
  const run = ADAPTERS[cli]!.start({
    cwd,
    prompt: "do it",
    model: "mock-model",
    baseUrl: server.url,
    timeoutMs: 120_000,
    idleTimeoutMs: 60_000,
    artifactsDir: path.join(cwd, "art"),
    retries: 0,
  });
  for await (const _ of run) {
    // drain
  }
  await run.result();
  await server.close();
  const out = readdirSync(path.join(cwd, "art")).find((f) => f.endsWith(".stdout.log"))!;
  return readFileSync(path.join(cwd, "art", out), "utf8");
}

function inflate(cli: string, session: string): string {
  const file = path.join(work, `${cli}-stream.jsonl`);
  writeFileSync(file, "");
  let size = 0;
  const block = session.repeat(Math.max(1, Math.floor(1e6 / session.length)));
  while (size < targetBytes) {
    appendFileSync(file, block);
    size += Buffer.byteLength(block);
  }
  return file;
}

function measure(
  cli: string,
  file: string,
  mode: string,
): Promise<{ seconds: number; mbPerSecond: number; maxRssMiB: number; events: number; lines: number }> {
  return new Promise((resolve, reject) =>
    execFile(
      NODE,
      [path.join(ROOT, "bench/harness/normalize.ts"), cli, file, mode],
      { maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    ),
  );
}

/** Wall time of one process that runs to completion (stdin closed). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { cwd, env, stdio: ["ignore", "ignore", "ignore"] });
    c.on("error", reject);
    c.on("close", (code) =>
      code === 0 ? resolve(performance.now() - t) : reject(new Error(`${cmd} exited ${code}`)),
    );
  });
}

async function overhead(cli: string) {
  const server = await startModelServer(() => ({ text: "ok", usage: { input: 10, output: 2 } }));
  const repo = mkdtempSync(path.join(work, `${cli}-repo-`));
  const env = {
    ...process.env,
    PATH: `${path.join(ROOT, "node_modules", ".bin")}:${process.env.PATH}`,
    LONGRUN_API_KEY: "none",
  };
  const viaLongrun = [
    "dist/cli/main.js",
    "exec",
    "--dir",
    repo,
    "--harness",
    cli,
    "--model",
    "mock-model",
    "--base-url",
    server.url,
    "say ok",
  ].map((a) => (a.startsWith("dist/") ? path.join(ROOT, a) : a));
  await timed(NODE, viaLongrun, env, repo); // writes the private home the bare runs reuse
  const home = path.join(repo, ".longrun", "homes", cli);
  const bin = findBinary(cli, ROOT)!;
  const spec = {
    cwd: repo,
    prompt: "say ok",
    model: "mock-model",
    baseUrl: server.url,
    timeoutMs: 60_000,
    idleTimeoutMs: 60_000,
    artifactsDir: repo,
  };
  const bare =
    cli === "codex"
      ? {
          args: [
            "exec",
            "--json",
            "--dangerously-bypass-approvals-and-sandbox",
            "--skip-git-repo-check",
            "-C",
            repo,
            "--disable",
            "unbounded_connection_retries",
            "-m",
            "mock-model",
            "say ok",
          ],
          env: { ...env, CODEX_HOME: home },
        }
      : cli === "claude"
        ? { args: claudeArgs(spec), env: claudeEnv(spec, env) }
        : cli === "opencode"
          ? opencodeInvocation(spec, env)
          : {
              args: ["-p", "--mode", "json", "--provider", "longrun", "--model", "mock-model", "say ok"],
              env: { ...env, PI_CODING_AGENT_DIR: home, PI_OFFLINE: "1" },
            };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(await timed(bin, bare.args, bare.env, repo));
    a.push(await timed(NODE, viaLongrun, env, repo));
  }
  await server.close();
  return { longrunMs: median(a), bareMs: median(b), overheadMs: median(a) - median(b) };
}

const results: Record<string, unknown> = {};
console.log(
  `bench/harness: ${values.mb} MB streams, ${runs} runs each; CLIs: ${installed.join(", ") || "none installed"}`,
);
console.log(
  "cli      normalize MB/s  peak MiB | JSON.parse MB/s  peak MiB | ratio | longrun exec  bare CLI  overhead",
);
for (const cli of installed) {
  const file = inflate(cli, await record(cli));
  const norm = [];
  const json = [];
  for (let i = 0; i < 3; i++) {
    norm.push(await measure(cli, file, "normalize"));
    json.push(await measure(cli, file, "json"));
  }
  const n = norm.sort((x, y) => x.seconds - y.seconds)[1]!;
  const j = json.sort((x, y) => x.seconds - y.seconds)[1]!;
  const o = await overhead(cli);
  results[cli] = { normalize: n, jsonParse: j, startup: o };
  console.log(
    `${cli.padEnd(8)} ${n.mbPerSecond.toFixed(0).padStart(14)}  ${n.maxRssMiB.toFixed(0).padStart(8)} | ${j.mbPerSecond.toFixed(0).padStart(15)}  ${j.maxRssMiB.toFixed(0).padStart(8)} | ${(n.mbPerSecond / j.mbPerSecond).toFixed(2)}x | ${o.longrunMs.toFixed(0).padStart(9)} ms ${o.bareMs.toFixed(0).padStart(6)} ms ${o.overheadMs.toFixed(0).padStart(6)} ms`,
  );
}
mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
const out = path.join(
  ROOT,
  "bench",
  "results",
  `harness-${new Date().toISOString().slice(0, 16).replace(/[:]/g, "")}.json`,
);
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), mb: Number(values.mb), runs, results }, null, 2)}\n`,
);
console.log(`goal: start-up overhead under 100 ms per session. results: ${path.relative(ROOT, out)}`);
