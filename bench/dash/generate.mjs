#!/usr/bin/env node
/**
 * A large run journal for bench/dash's memory test, seeded and byte-identical for a size and seed: a repo
 * (checklist.yaml, run-log.md, run.json) whose run's events.jsonl holds ~`mb` MB of `runLines` (a few
 * hundred iterations across tasks, ~2/3 of the bytes tool output), with one tool output of 10 MB (a `cat`
 * of a big log) at 60% of the file. The run's clock starts at 2026-11-20T09:00Z and moves by each line's
 * `dt`. Writes bench-manifest.json beside the journal: bytes, lines, the longest line, tokens (what the
 * dash's spend meter must show), iterations and tasks completed.
 *
 *   node bench/dash/generate.mjs --mb 1024 --out /tmp/dash1g [--seed 42]
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runLines } from "./events.mjs";
import { makeRepo } from "./repo.mjs";

export const MANIFEST = "bench-manifest.json";
const START = Date.parse("2026-11-20T09:00:00.000Z");
const HUGE_CHARS = 10 << 20;

/** A hash of this generator's sources (and the cost-scan pools it draws from), for cache folder names. */
export function generatorHash() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const h = createHash("sha256");
  for (const f of ["generate.mjs", "events.mjs", "repo.mjs", "../cost-scan/rng.mjs", "../cost-scan/text.mjs"])
    h.update(readFileSync(path.join(here, f)));
  return h.digest("hex").slice(0, 10);
}

/** Writes the repo into `out` (which must exist or be creatable) and returns its manifest. */
export function generate({ mb, out, seed = 42 }) {
  const t0 = performance.now();
  const target = Math.round(mb * 1e6);
  // About 300 iterations at 1 GB: sessions get longer with the size.
  const rounds = Math.max(10, Math.round(target / 300 / 7500));
  const file = makeRepo(out, { tasks: 250, startedAt: new Date(START).toISOString() });
  const fd = openSync(file, "w");
  const m = { bytes: 0, lines: 0, longest: 0, tokens: 0, iterations: 0, completed: 0, huge: null };
  let buf = [];
  let pending = 0;
  const flush = () => {
    writeSync(fd, buf.join(""));
    buf = [];
    pending = 0;
  };
  let clock = START;
  try {
    for (const { line, dt } of runLines(seed, { rounds })) {
      clock += dt;
      line.ts = new Date(clock).toISOString();
      if (!m.huge && line.type === "tool_end" && m.bytes > target * 0.6) {
        line.output = `${line.output}\n`
          .repeat(Math.ceil(HUGE_CHARS / (line.output.length + 1)))
          .slice(0, HUGE_CHARS);
        m.huge = { line: m.lines, at: m.bytes };
      }
      const text = `${JSON.stringify(line)}\n`;
      const bytes = Buffer.byteLength(text);
      if (line.type === "usage") {
        const u = line.usage;
        m.tokens += u.input + u.cachedInput + u.cacheWrite + u.output;
      } else if (line.step === "iteration") m.iterations++;
      else if (line.step === "complete") m.completed++;
      m.lines++;
      m.bytes += bytes;
      m.longest = Math.max(m.longest, bytes);
      buf.push(text);
      pending += bytes;
      if (pending > 4 << 20) flush();
      // Stop at the end of an iteration once the size is reached, so the run is in a clean state.
      if (m.bytes >= target && line.step === "iteration_end") break;
    }
    flush();
  } finally {
    closeSync(fd);
  }
  const manifest = {
    mb,
    seed,
    rounds,
    journal: path.relative(out, file),
    ...m,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(path.join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
  const out = val("out");
  if (!out) {
    process.stderr.write("usage: node bench/dash/generate.mjs --mb 1024 --out DIR [--seed 42]\n");
    process.exit(2);
  }
  const m = generate({
    mb: Number(val("mb", "1024")),
    out: path.resolve(out),
    seed: Number(val("seed", "42")),
  });
  process.stdout.write(
    `${out}: ${(m.bytes / 1e6).toFixed(0)} MB, ${m.lines} lines, ${m.iterations} iterations, ${m.seconds.toFixed(1)} s\n`,
  );
}
