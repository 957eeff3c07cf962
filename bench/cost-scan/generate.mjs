#!/usr/bin/env node
/**
 * Deterministic generator of agent logs for `bench/cost-scan`: a Claude Code config dir (`projects/...`) or a
 * Codex home (`sessions/YYYY/MM/DD/rollout-*.jsonl`) of about N MB, many projects and sessions over six
 * months, several models, with every case a usage scanner must get right (see claude-log.mjs and
 * codex-log.mjs). Same size, seed and kind give byte-identical files. Files are streamed to disk in 1 MB
 * chunks, so 2 GB needs no more memory than 1 MB.
 *
 *   node bench/cost-scan/generate.mjs --from claude --mb 100 --out /tmp/claude100 [--seed 42]
 *   node bench/cost-scan/generate.mjs --from both --mb 10 --out /tmp/logs     (writes /tmp/logs/{claude,codex})
 *
 * `--gateway` adds Claude sessions without requestId (as behind a proxy that sends no request-id header).
 *
 * Beside the logs, `bench-manifest.json` holds the truth: the token totals a correct scanner reports (each
 * API request once; input without cache reads or writes; output with reasoning), per model, and counts of
 * files, lines, requests and of each tricky case. Point CLAUDE_CONFIG_DIR or CODEX_HOME (or `longrun cost
 * scan --path`) at the output directory.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeClaude } from "./claude-log.mjs";
import { writeCodex } from "./codex-log.mjs";
import { ledger } from "./ledger.mjs";
import { rng } from "./rng.mjs";
import { textPools } from "./text.mjs";

/** The clock of the generated logs: sessions start between these days (UTC), so output depends only on the inputs. */
const START = Date.UTC(2025, 8, 1);
const DAYS = 181;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const SOURCES = [
  "generate.mjs",
  "ledger.mjs",
  "rng.mjs",
  "text.mjs",
  "claude-log.mjs",
  "claude-tools.mjs",
  "codex-log.mjs",
];
export const MANIFEST = "bench-manifest.json";

/** A short hash of the generator's own source: generated data cached under it is stale when it changes. */
export function generatorHash() {
  const h = createHash("sha256");
  for (const f of SOURCES) h.update(readFileSync(path.join(HERE, f)));
  return h.digest("hex").slice(0, 10);
}

/**
 * Write `from` ("claude" or "codex") logs of about `mb` MB into `out`; returns the manifest (also written
 * to `out/bench-manifest.json`, last, so its presence means the data is complete) and the time it took.
 */
export function generate({ from, mb, out, seed = 42, gateway = false }) {
  if (from !== "claude" && from !== "codex") throw new Error(`--from must be claude or codex (got ${from})`);
  const t0 = performance.now();
  const led = ledger();
  const pools = textPools(rng(seed ^ 0x9e3779b9));
  const r = rng(seed + (from === "claude" ? 1 : 2));
  const write = from === "claude" ? writeClaude : writeCodex;
  write({ r, pools, led, root: out, targetBytes: mb * 1e6, start: START, days: DAYS, mb, gateway });
  const days = [...led.days].sort();
  const manifest = {
    generator: "bench/cost-scan/generate.mjs",
    generatorHash: generatorHash(),
    from,
    seed,
    mb,
    options: { gateway },
    bytes: led.counts.bytes,
    files: led.counts.files,
    lines: led.counts.lines,
    requests: led.counts.requests,
    days: { count: days.length, first: days[0], last: days.at(-1) },
    totals: led.totals,
    byModel: led.byModel,
    cases: Object.fromEntries(Object.entries(led.cases).sort(([a], [b]) => a.localeCompare(b))),
    semantics:
      "input = uncached input (Claude input_tokens; Codex input_tokens - cached - cache writes); cachedInput = cache reads; cacheWrite = cache writes (Claude: cache_creation_input_tokens = its 5m + 1h parts); output includes reasoning; reasoning = Codex reasoning_output_tokens (Claude has no separate count: 0). Each API request once.",
  };
  writeFileSync(path.join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const seconds = (performance.now() - t0) / 1000;
  return { manifest, seconds, mbPerSecond: led.counts.bytes / 1e6 / seconds };
}

function main(argv) {
  const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
  const from = val("from", "both");
  const mb = Number(val("mb", "10"));
  const seed = Number(val("seed", "42"));
  const out = val("out");
  const gateway = argv.includes("--gateway");
  if (!out || !(mb > 0))
    throw new Error("usage: generate.mjs --from claude|codex|both --mb N --out DIR [--seed S] [--gateway]");
  for (const kind of from === "both" ? ["claude", "codex"] : [from]) {
    const dir = from === "both" ? path.join(out, kind) : out;
    const g = generate({ from: kind, mb, out: dir, seed, gateway });
    const m = g.manifest;
    console.log(
      `${kind}: ${(m.bytes / 1e6).toFixed(1)} MB, ${m.files} files, ${m.lines} lines, ${m.requests} requests over ${m.days.count} days in ${g.seconds.toFixed(1)} s (${g.mbPerSecond.toFixed(0)} MB/s) -> ${dir}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`generate.mjs: ${err.message}`);
    process.exit(2);
  }
}
