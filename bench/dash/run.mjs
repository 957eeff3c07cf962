#!/usr/bin/env node
/**
 * bench/dash: `longrun dash`, the live page (issue 7). Latency: a writer process appends agent events at
 * 100 and 500 lines/s; each line's time from its write to the page in headless Chromium, to a plain SSE
 * client, and to `tail -F` (the peer), all in the same run. Memory: the dash on a ~1 GB journal (time to
 * its first state and to having read it all, peak RSS), against `tail -n 400` and plain Node folds of the
 * same file. Goals: p95 under 250 ms at 100 events/s; peak RSS under 100 MiB at 1 GB.
 *
 *   npm run bench:dash                     (builds longrun first; ~1.5 minutes, ~45 s more to generate 1 GB once)
 *   node bench/dash/run.mjs --quick        (8 s a rate, a 256 MB journal; under a minute)
 *   node bench/dash/run.mjs [--rates 100,500] [--seconds 25] [--mb 1024] [--live-seconds 10] [--seed 42]
 *                           [--only latency|memory] [--keep] [--data DIR] [--out DIR] [--cli PATH]
 *
 * --data: where the generated journal is cached ($TMPDIR/longrun-bench-dash); --keep leaves it there for
 * the next run, which reuses it. --cli: another build's dist/cli/main.js (its ../dash-ui beside it).
 */
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, ensureChromium } from "../../scripts/ensure-chromium.mjs";
import { generate, generatorHash, MANIFEST } from "./generate.mjs";
import { latencyRun } from "./latency.mjs";
import { memoryRun, peers } from "./memory.mjs";
import { goalLines, latencyLines, memoryLines } from "./report.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const say = (s) => process.stderr.write(`${s}\n`);

function options(argv) {
  const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
  const quick = argv.includes("--quick");
  return {
    rates: val("rates", "100,500").split(",").map(Number),
    seconds: Number(val("seconds", quick ? "8" : "25")),
    mb: Number(val("mb", quick ? "256" : "1024")),
    liveSeconds: Number(val("live-seconds", quick ? "5" : "10")),
    seed: Number(val("seed", "42")),
    only: val("only", "all"),
    keep: argv.includes("--keep"),
    quick,
    out: path.resolve(val("out", path.join(repo, "bench", "results"))),
    data: path.resolve(val("data", path.join(os.tmpdir(), "longrun-bench-dash"))),
    cli: val("cli") && path.resolve(val("cli")),
  };
}

/** A copy of dist/ (and the files it reads) taken at the start, so a rebuild during the run cannot mix builds. */
function snapshotLongrun(work) {
  const snap = path.join(work, "longrun-build");
  for (const d of ["dist", "prices", "dash-ui"])
    cpSync(path.join(repo, d), path.join(snap, d), { recursive: true });
  cpSync(path.join(repo, "package.json"), path.join(snap, "package.json"));
  symlinkSync(path.join(repo, "node_modules"), path.join(snap, "node_modules"), "dir");
  return path.join(snap, "dist", "cli", "main.js");
}

/** The generated repo for (size, seed), reused when a complete copy from the same generator exists. */
function ensureData(o) {
  const dir = path.join(o.data, `journal-${o.mb}mb-seed${o.seed}-${generatorHash()}`);
  const manifestFile = path.join(dir, MANIFEST);
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const file = path.join(dir, manifest.journal);
    // A run cut short during its live part leaves extra lines: the bench cuts them off again.
    if (existsSync(file) && statSync(file).size >= manifest.bytes) {
      say(`${o.mb} MB journal: reusing ${dir}`);
      return { dir, manifest, file, generated: null };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < o.mb * 1.2e6)
    throw new Error(`${dir}: ${(free / 1e9).toFixed(1)} GB free, ${o.mb} MB needed (use --data DIR)`);
  say(`${o.mb} MB journal: generating into ${dir} ...`);
  const manifest = generate({ mb: o.mb, out: dir, seed: o.seed });
  say(`${o.mb} MB journal: ${manifest.lines} lines in ${manifest.seconds.toFixed(1)} s`);
  return { dir, manifest, file: path.join(dir, manifest.journal), generated: manifest.seconds };
}

function commitOf() {
  try {
    const sha = execFileSync("git", ["-C", repo, "rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync("git", ["-C", repo, "status", "--porcelain", "--", "src", "dash-ui"], {
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return null;
  }
}

const o = options(process.argv.slice(2));
mkdirSync(o.out, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
const logFile = path.join(o.out, `dash-${stamp}.log`);
const log = (s) => appendFileSync(logFile, s.endsWith("\n") ? s : `${s}\n`);
const work = mkdtempSync(path.join(os.tmpdir(), "longrun-bench-dash-work-"));
const nodeBin = path.join(repo, "node_modules", ".bin", "node");
const ctx = {
  node: existsSync(nodeBin) ? nodeBin : process.execPath,
  cli: o.cli ?? snapshotLongrun(work),
  env: { PATH: process.env.PATH, HOME: path.join(work, "home"), LANG: "C.UTF-8", TZ: "UTC" },
};
ctx.feedModule = path.join(path.dirname(ctx.cli), "..", "dash", "feed.js");
mkdirSync(ctx.env.HOME);
const nodeVersion = execFileSync(ctx.node, ["--version"], { encoding: "utf8" }).trim();
const load = [os.loadavg()];
const results = {
  started: new Date().toISOString(),
  commit: o.cli ? `--cli ${o.cli}` : commitOf(),
  options: o,
  node: nodeVersion,
};
results.machine = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model,
  memMiB: Math.round(os.totalmem() / 2 ** 20),
};

let browser;
try {
  const data = o.only !== "latency" ? ensureData(o) : null;
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  results.chromium = browser.version();
  results.latency = [];
  if (o.only !== "memory")
    for (const rate of o.rates) {
      say(`latency: ${rate} lines/s for ${o.seconds} s ...`);
      results.latency.push(await latencyRun(ctx, browser, { rate, seconds: o.seconds, log }));
      load.push(os.loadavg());
    }
  if (data) {
    say(`memory: the dash on ${(data.manifest.bytes / 1e6).toFixed(0)} MB ...`);
    results.memory = await memoryRun(ctx, browser, data, { liveSeconds: o.liveSeconds, log });
    load.push(os.loadavg());
    say("memory: the peers ...");
    results.peers = peers(ctx, data);
    load.push(os.loadavg());
    results.data = { dir: data.dir, generatedSeconds: data.generated, manifest: data.manifest };
    if (!o.keep) rmSync(data.dir, { recursive: true, force: true });
  }
} finally {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
}
results.load = load;

const out = [];
const l1 = load.map((x) => x[0]);
out.push(
  `bench/dash at ${results.commit}: Node ${nodeVersion}, Chromium ${results.chromium}, ${results.machine.cpus} CPUs, load (1 min) ${Math.min(...l1).toFixed(1)}-${Math.max(...l1).toFixed(1)}`,
);
if (Math.max(...l1) > results.machine.cpus)
  out.push(`note: the load average passed the CPU count: other work shares the machine; tails are noisy`);
out.push("");
if (results.latency.length) out.push(...latencyLines(results.latency), "");
if (results.memory) out.push(...memoryLines(results.memory, results.peers), "");
out.push(...goalLines(results.latency, results.memory));
const jsonFile = path.join(o.out, `dash-${stamp}.json`);
writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
out.push(`full results: ${path.relative(process.cwd(), jsonFile)}`);
process.stdout.write(`${out.join("\n")}\n`);
