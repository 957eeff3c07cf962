#!/usr/bin/env node
/**
 * bench/cost-scan: `longrun cost scan` against ccusage (its pinned release, a devDependency) on the same
 * generated Claude Code and Codex logs of 100 MB, 500 MB and 2 GB, in one run. For each size and kind: one
 * untimed warm-up of each tool (fills the OS file cache, gives the totals), then N timed runs alternating
 * the two tools. Prints the medians, peak RSS and the ratio (ccusage time / longrun time), whether the token
 * totals agree (with each other and with the generator's truth); full results go to
 * bench/results/cost-scan-<date>.json and every command's output to the .log beside it.
 *
 *   npm run bench:cost-scan            (builds longrun first)
 *   node bench/cost-scan/run.mjs [--sizes 100,500,2000] [--runs 5] [--keep] [--out DIR] [--data DIR]
 *                                [--seed 42] [--from claude,codex] [--network host] [--cli PATH/main.js]
 *
 * --data: where generated logs are cached (default $TMPDIR/longrun-bench-cost-scan; about 2.6x the sizes
 * summed, both kinds); --keep leaves them there for the next run, which reuses them. --cli: another build's
 * dist/cli/main.js to measure instead of a snapshot of this repo's dist/.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate, generatorHash, MANIFEST } from "./generate.mjs";
import { measureOnce, rssMethod, summarize } from "./measure.mjs";
import { goals, printTable, ratio } from "./report.mjs";
import { compare, fromCcusage, fromLongrun, parseJson } from "./totals.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const say = (s) => process.stderr.write(`${s}\n`);

function options(argv) {
  const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
  return {
    sizes: val("sizes", "100,500,2000").split(",").map(Number),
    kinds: val("from", "claude,codex").split(","),
    runs: Number(val("runs", "5")),
    seed: Number(val("seed", "42")),
    keep: argv.includes("--keep"),
    network: val("network", "none"),
    out: path.resolve(val("out", path.join(repo, "bench", "results"))),
    data: path.resolve(val("data", path.join(os.tmpdir(), "longrun-bench-cost-scan"))),
    cli: val("cli") && path.resolve(val("cli")),
  };
}

/** A prefix that runs a command with no network at all, when this machine allows it. */
function offlinePrefix(wanted) {
  if (wanted === "host") return { prefix: [], network: "host" };
  for (const p of [
    ["unshare", "-n"],
    ["unshare", "-rn"],
  ])
    if (spawnSync(p[0], [...p.slice(1), "true"], { stdio: "ignore" }).status === 0)
      return { prefix: p, network: `none (${p.join(" ")})` };
  return { prefix: [], network: "host (unshare unavailable)" };
}

/** ccusage's native binary, run directly (its npm bin is a Node wrapper that spawns it), and its version. */
function ccusage() {
  const require = createRequire(path.join(repo, "package.json"));
  const version = JSON.parse(readFileSync(require.resolve("ccusage/package.json"), "utf8")).version;
  const pkg = `@ccusage/ccusage-${process.platform}-${process.arch}`;
  try {
    const bin = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "bin", "ccusage");
    if (existsSync(bin)) return { bin, version, how: `${pkg}/bin/ccusage (native, no Node wrapper)` };
  } catch {}
  return {
    bin: path.join(repo, "node_modules", ".bin", "ccusage"),
    version,
    how: "node_modules/.bin/ccusage (Node wrapper + native)",
  };
}

/**
 * A copy of dist/ taken at the start, so that a rebuild during the run cannot mix two builds in one result;
 * node_modules is linked so the copy resolves the repo's dependencies.
 */
function snapshotLongrun(work) {
  const snap = path.join(work, "longrun-build");
  cpSync(path.join(repo, "dist"), path.join(snap, "dist"), { recursive: true });
  cpSync(path.join(repo, "package.json"), path.join(snap, "package.json"));
  cpSync(path.join(repo, "prices"), path.join(snap, "prices"), { recursive: true }); // the price table dist/ reads
  symlinkSync(path.join(repo, "node_modules"), path.join(snap, "node_modules"), "dir");
  return path.join(snap, "dist", "cli", "main.js");
}

/** Generated logs for (kind, size, seed), reused when a complete copy from the same generator exists. */
function ensureData(o, kind, mb) {
  const hash = generatorHash();
  const dir = path.join(o.data, `${kind}-${mb}mb-seed${o.seed}-${hash}`);
  const manifestFile = path.join(dir, MANIFEST);
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    say(`${mb} MB ${kind}: reusing ${dir}`);
    return { dir, manifest, generated: null };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
  if (free < mb * 1.1e6)
    throw new Error(`${dir}: ${(free / 1e9).toFixed(1)} GB free, ${mb} MB needed (use --data DIR)`);
  say(`${mb} MB ${kind}: generating into ${dir} ...`);
  const g = generate({ from: kind, mb, out: dir, seed: o.seed });
  say(
    `${mb} MB ${kind}: ${(g.manifest.bytes / 1e6).toFixed(0)} MB, ${g.manifest.files} files in ${g.seconds.toFixed(1)} s (${g.mbPerSecond.toFixed(0)} MB/s)`,
  );
  return { dir, manifest: g.manifest, generated: { seconds: g.seconds, mbPerSecond: g.mbPerSecond } };
}

/** Whether this build has `cost scan`; the reason when it has not (or when it fails on real logs). */
function longrunProbe(run, dir, kind) {
  const r = run(["cost", "scan", "--from", kind, "--path", dir, "--by", "day", "--json"]);
  if (r.status === 0 && fromLongrun(parseJson(r.stdout))) return null;
  const text = `${r.stdout}\n${r.stderr}`;
  if (/unknown command/i.test(text))
    return "`longrun cost scan` is not in this build (unknown command): only ccusage was measured";
  const first = (parseJson(r.stdout)?.error?.message ?? r.stderr.trim().split("\n")[0]) || `exit ${r.status}`;
  return `\`longrun cost scan\` failed (exit ${r.status}): ${first}`;
}

function main() {
  const o = options(process.argv.slice(2));
  const loadStart = os.loadavg();
  const node = path.join(repo, "node_modules", ".bin", "node");
  if (!existsSync(node)) throw new Error(`${node} is missing: run \`npm install\` in ${repo}`);
  if (!o.cli && !existsSync(path.join(repo, "dist", "cli", "main.js")))
    throw new Error("dist/cli/main.js is missing: run `npm run build` (or `npm run bench:cost-scan`)");
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "");
  mkdirSync(o.out, { recursive: true });
  const log = path.join(o.out, `cost-scan-${stamp}.log`);
  const work = mkdtempSync(path.join(os.tmpdir(), "longrun-bench-cost-scan-run-"));
  process.on("exit", () => rmSync(work, { recursive: true, force: true }));
  const home = path.join(work, "home");
  mkdirSync(home);
  writeFileSync(log, `bench/cost-scan ${new Date().toISOString()} work=${work}\n`);
  const cli = o.cli ?? snapshotLongrun(work);
  const peer = ccusage();
  const method = rssMethod();
  const { prefix, network } = offlinePrefix(o.network);
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (/(_API_KEY|_TOKEN|_SECRET)$|^LONGRUN_|^CLAUDE_|^CODEX_/.test(k)) delete env[k];
  Object.assign(env, { HOME: home, TZ: "UTC", NO_COLOR: "1" });
  const used = [];
  const sizes = [];
  let unavailable;

  for (const mb of o.sizes)
    for (const kind of o.kinds) {
      const data = ensureData(o, kind, mb);
      used.push(data.dir);
      // Both tools get the same environment; ccusage finds the logs through it, longrun through --path.
      const runEnv = { ...env, [kind === "claude" ? "CLAUDE_CONFIG_DIR" : "CODEX_HOME"]: data.dir };
      const spec = (tool, args) => ({
        argv: [...prefix, ...args],
        env: runEnv,
        cwd: work,
        log,
        method,
        label: `${mb} MB ${kind} ${tool}`,
      });
      const lrArgs = [node, cli, "cost", "scan", "--from", kind, "--path", data.dir, "--by", "day", "--json"];
      const ccArgs = [peer.bin, kind, "daily", "--json", "--offline"];
      const lrRun = (args) => measureOnce(spec("longrun warm-up", [node, cli, ...args]));
      // Warm-up, untimed: the first read of the files comes from disk for whichever tool goes first.
      say(`${mb} MB ${kind}: warm-up, then ${o.runs} runs of each tool, alternating`);
      const ccWarm = measureOnce(spec("ccusage warm-up", ccArgs));
      if (ccWarm.status !== 0) throw new Error(`ccusage exited ${ccWarm.status ?? ccWarm.error}; see ${log}`);
      const why = longrunProbe(lrRun, data.dir, kind);
      unavailable ??= why ?? undefined;
      const lrOn = why === null;
      const lrSamples = [];
      const ccSamples = [];
      let lrLast = null;
      for (let i = 0; i < o.runs; i++) {
        const order = i % 2 === 0 ? ["lr", "cc"] : ["cc", "lr"];
        for (const t of order) {
          if (t === "lr" && !lrOn) continue;
          const x = measureOnce(
            spec(`${t === "lr" ? "longrun" : "ccusage"} #${i + 1}`, t === "lr" ? lrArgs : ccArgs),
          );
          if (x.status !== 0)
            throw new Error(
              `${t === "lr" ? "longrun" : "ccusage"} exited ${x.status ?? x.error}; see ${log}`,
            );
          (t === "lr" ? lrSamples : ccSamples).push(x);
          if (t === "lr") lrLast = x;
        }
      }
      const ccJson = parseJson(ccWarm.stdout);
      const ccTotals = fromCcusage(ccJson, kind);
      const lrJson = lrLast ? parseJson(lrLast.stdout) : null;
      const lrTotals = fromLongrun(lrJson);
      const truth = data.manifest.totals;
      const lr = summarize(lrSamples);
      const cc = summarize(ccSamples);
      sizes.push({
        mb,
        from: kind,
        data: {
          dir: data.dir,
          bytes: data.manifest.bytes,
          files: data.manifest.files,
          lines: data.manifest.lines,
          requests: data.manifest.requests,
          days: data.manifest.days,
          cases: data.manifest.cases,
          generated: data.generated,
        },
        longrun: lrOn
          ? { ...lr, counts: lrJson && pick(lrJson, ["files", "entries", "duplicates", "badLines"]) }
          : { runs: 0, error: why },
        ccusage: cc,
        ratio: lrOn ? ratio(cc.seconds?.median, lr.seconds?.median) : undefined,
        rssRatio: lrOn ? ratio(cc.maxRssMiB?.max, lr.maxRssMiB?.max) : undefined,
        totals: {
          truth,
          longrun: lrTotals,
          ccusage: ccTotals,
          longrunVsCcusage: compare(lrTotals, ccTotals),
          longrunVsTruth: compare(lrTotals, truth),
          ccusageVsTruth: compare(ccTotals, truth),
        },
      });
    }

  const report = {
    benchmark: "bench/cost-scan",
    date: new Date().toISOString(),
    machine: {
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGB: Math.round(os.totalmem() / 2 ** 30),
      loadavgStart: loadStart,
      loadavgEnd: os.loadavg(),
    },
    node: spawnSync(node, ["-v"], { encoding: "utf8" }).stdout.trim(),
    network,
    rssMethod: method,
    runs: o.runs,
    seed: o.seed,
    generatorHash: generatorHash(),
    longrun: {
      command: "node dist/cli/main.js cost scan --from K --path DIR --by day --json",
      cli: o.cli ?? "dist/cli/main.js (snapshot taken at start)",
      commit: git(["rev-parse", "HEAD"]),
      dirty: git(["status", "--porcelain"]) !== "",
      available: unavailable === undefined,
      unavailable,
    },
    peer: {
      name: "ccusage",
      version: peer.version,
      binary: peer.how,
      command: "ccusage claude|codex daily --json --offline (CLAUDE_CONFIG_DIR / CODEX_HOME = DIR, TZ=UTC)",
    },
    sizes,
    keptData: o.keep ? o.data : undefined,
  };
  report.goals = goals(report);
  const json = path.join(o.out, `cost-scan-${stamp}.json`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  if (!o.keep) for (const d of used) rmSync(d, { recursive: true, force: true });
  printTable(report, json, log);
}

const pick = (obj, keys) => Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]));

function git(args) {
  const r = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

try {
  main();
} catch (err) {
  console.error(`bench/cost-scan: ${err.message}`);
  process.exit(1);
}
