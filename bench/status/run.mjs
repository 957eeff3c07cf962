#!/usr/bin/env node
/**
 * bench/status: `longrun status`, `longrun task list` and a one-task edit (`longrun task note`) against
 * Task Master's `task-master list` (and `set-status` for the edit), on the same 1k and 10k tasks, in one run.
 * Prints a short table of medians and ratios (Task Master time / longrun time); full results go to
 * bench/results/status-<date>.json and every command's output to the .log beside it.
 *
 *   npm run bench:status            (builds longrun first)
 *   node bench/status/run.mjs [--sizes 1000,10000] [--runs 5] [--tm-runs N] [--quick] [--keep]
 *                             [--no-peer-edit] [--network host]
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkEdit } from "./edit-check.mjs";
import { generate } from "./generate.mjs";
import { interleave, median, timeOnce } from "./measure.mjs";
import {
  ensureTaskMaster,
  installedVersion,
  taskMasterBin,
  taskMasterCounts,
  taskMasterEnv,
} from "./peer.mjs";
import { goals, printTable, ratio } from "./report.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const NOTE = "bench note";

function options(argv) {
  const has = (f) => argv.includes(`--${f}`);
  const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
  const quick = has("quick");
  const sizes = val("sizes", "1000,10000").split(",").map(Number);
  return {
    sizes,
    runs: Number(val("runs", quick ? 3 : 5)),
    tmRuns: (n) => Number(val("tm-runs", quick ? 1 : n <= 2000 ? 5 : 3)),
    editSize: Number(val("edit-size", Math.max(...sizes))),
    editRuns: Number(val("edit-runs", quick ? 3 : 5)),
    peerEditRuns: Number(val("peer-edit-runs", quick ? 1 : 2)),
    peerEdit: !has("no-peer-edit"),
    keep: has("keep"),
    network: val("network", "none"),
    out: path.resolve(val("out", path.join(repo, "bench", "results"))),
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

/** The environment every measured command gets: our Node first on PATH, a scratch HOME, no keys. */
function baseEnv(home) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/(_API_KEY|_TOKEN|_SECRET)$|^LONGRUN_/.test(k)) delete env[k];
  return {
    ...env,
    PATH: `${path.join(repo, "node_modules", ".bin")}${path.delimiter}${env.PATH ?? ""}`,
    HOME: home,
  };
}

function main() {
  const o = options(process.argv.slice(2));
  const loadStart = os.loadavg();
  const node = path.join(repo, "node_modules", ".bin", "node");
  const built = path.join(repo, "dist", "cli", "main.js");
  if (!existsSync(node)) throw new Error(`${node} is missing: run \`npm install\` in ${repo}`);
  if (!existsSync(built))
    throw new Error(`${built} is missing: run \`npm run build\` (or \`npm run bench:status\`)`);
  const stamp = new Date().toISOString().slice(0, 16).replace(":", "");
  mkdirSync(o.out, { recursive: true });
  const log = path.join(o.out, `status-${stamp}.log`);
  const work = mkdtempSync(path.join(os.tmpdir(), "longrun-bench-status-"));
  // The generated data (~100 MB at 10k) goes away however the run ends, unless --keep.
  if (!o.keep) process.on("exit", () => rmSync(work, { recursive: true, force: true }));
  const home = path.join(work, "home");
  mkdirSync(home);
  const env = baseEnv(home);
  writeFileSync(log, `bench/status ${new Date().toISOString()} work=${work}\n`);
  const cli = snapshotLongrun(work, node, env);
  ensureTaskMaster(repo, env, log);
  const { prefix, network } = offlinePrefix(o.network);
  const lr = (args) => [...prefix, node, cli, ...args];
  const tm = (args) => [...prefix, node, taskMasterBin(repo), ...args];
  const tmEnv = taskMasterEnv(env);
  const say = (s) => process.stderr.write(`${s}\n`);
  const results = { sizes: [], edit: undefined };

  for (const n of o.sizes) {
    const g = generate({ tasks: n, out: path.join(work, String(n)) });
    const cache = path.join(g.longrunDir, ".longrun", "cache");
    const emptyCache = () => rmSync(cache, { recursive: true, force: true });
    const spec = (label, argv, extra = {}) => ({
      label: `${n} ${label}`,
      argv,
      cwd: work,
      env,
      log,
      ...extra,
    });
    const cacheFilled = () => existsSync(cache) && readdirSync(cache).length > 0;
    // stale: the cache holds the file as it was before someone edited one task's note by hand.
    const checklistFile = path.join(g.longrunDir, "checklist.yaml");
    const original = readFileSync(checklistFile, "utf8");
    const edited = handEdit(original, `T${String(Math.round(n / 4)).padStart(5, "0")}`);
    const staleCache = path.join(work, `cache-${n}`);
    const makeStale = () => {
      writeFileSync(checklistFile, original);
      emptyCache();
      if (!existsSync(staleCache)) {
        timeOnce(spec("status prime for stale", lr(["status", "--dir", g.longrunDir])));
        cpSync(cache, staleCache, { recursive: true });
      } else cpSync(staleCache, cache, { recursive: true });
      writeFileSync(checklistFile, edited);
    };
    const specs = [];
    for (const [key, args] of [
      ["status", ["status", "--dir", g.longrunDir]],
      ["taskList", ["task", "list", "--dir", g.longrunDir]],
    ]) {
      const name = args.slice(0, -2).join(" ");
      const prime = spec(`${name} prime`, lr(args));
      specs.push(
        { key: `${key}.cold`, runs: o.runs, ...spec(`${name} cold`, lr(args), { before: emptyCache }) },
        ...(key === "status"
          ? [{ key: `${key}.stale`, runs: o.runs, ...spec(`${name} stale`, lr(args), { before: makeStale }) }]
          : []),
        {
          key: `${key}.nocache`,
          runs: o.runs,
          ...spec(`${name} no-cache`, lr(args), {
            env: { ...env, LONGRUN_NO_CACHE: "1" },
            before: emptyCache,
          }),
        },
        {
          key: `${key}.warm`,
          runs: o.runs,
          ...spec(`${name} warm`, lr(args), { before: () => cacheFilled() || timeOnce(prime) }),
        },
      );
    }
    specs.push({
      key: "tm.list",
      runs: o.tmRuns(n),
      label: `${n} task-master list`,
      argv: tm(["list"]),
      cwd: g.taskmasterDir,
      env: tmEnv,
      log,
    });
    // The same listing without the table Task Master draws: its start-up cost alone, for context.
    specs.push({
      key: "tm.listJson",
      runs: o.tmRuns(n),
      label: `${n} task-master list --format json`,
      argv: tm(["list", "--format", "json"]),
      cwd: g.taskmasterDir,
      env: tmEnv,
      log,
    });
    say(
      `${n} tasks: longrun status and task list (${o.runs} runs each mode), task-master list and list --format json (${o.tmRuns(n)} runs), interleaved`,
    );
    const m = interleave(specs);
    writeFileSync(checklistFile, original);
    emptyCache();
    const modes = (key) =>
      Object.fromEntries(
        ["cold", "stale", "nocache", "warm"]
          .filter((k) => m[`${key}.${k}`])
          .map((k) => [k, m[`${key}.${k}`]]),
      );
    const status = modes("status");
    const list = modes("taskList");
    const tmList = m["tm.list"];
    const lrCounts = JSON.parse(
      timeOnce(spec("status --json", lr(["status", "--json", "--dir", g.longrunDir]))).stdout,
    ).counts;
    const tmCounts = taskMasterCounts(tmList.last.stdout);
    const sameTasks =
      tmCounts.done === lrCounts.complete &&
      tmCounts.cancelled === lrCounts.archived &&
      tmCounts.inProgress === lrCounts.in_progress &&
      tmCounts.pending === lrCounts.not_started &&
      tmCounts.blocked === lrCounts.failed;
    const strip = ({ last, ...t }) => t;
    const stripModes = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, strip(v)]));
    results.sizes.push({
      tasks: n,
      checklistBytes: g.checklistBytes,
      tasksJsonBytes: g.tasksJsonBytes,
      longrun: { status: stripModes(status), taskList: stripModes(list) },
      taskMaster: { list: strip(tmList), listJson: strip(m["tm.listJson"]) },
      ratios: {
        status: Object.fromEntries(
          Object.entries(status).map(([k, v]) => [k, ratio(tmList.median, v.median)]),
        ),
        taskList: Object.fromEntries(
          Object.entries(list).map(([k, v]) => [k, ratio(tmList.median, v.median)]),
        ),
        statusVsListJson: Object.fromEntries(
          Object.entries(status).map(([k, v]) => [k, ratio(m["tm.listJson"].median, v.median)]),
        ),
      },
      counts: { longrun: lrCounts, taskMaster: tmCounts, sameTasks },
    });
    if (n === o.editSize) results.edit = measureEdit({ o, g, work, env, tmEnv, log, lr, tm, say });
  }

  const report = {
    benchmark: "bench/status",
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
    longrun: {
      cli: "dist/cli/main.js (snapshot taken at start)",
      commit: git(["rev-parse", "HEAD"]),
      dirty: git(["status", "--porcelain"]) !== "",
    },
    peer: {
      name: "task-master-ai",
      version: installedVersion(repo),
      command: "task-master list",
      env: { TASKMASTER_SKIP_AUTO_UPDATE: "1" },
    },
    runs: {
      longrun: o.runs,
      edit: o.editRuns,
      taskMaster: Object.fromEntries(o.sizes.map((n) => [n, o.tmRuns(n)])),
    },
    ...results,
  };
  report.goals = goals(report);
  const json = path.join(o.out, `status-${stamp}.json`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  printTable(report, json, log, o.keep ? work : undefined);
}

/** The checklist with one task's note changed, as a person or an agent editing the file by hand would. */
function handEdit(text, taskId) {
  const at = text.indexOf(`- task_id: ${taskId}\n`);
  const noteAt = text.indexOf("\n    note: ", at);
  const end = text.indexOf("\n", noteAt + 1);
  if (at === -1 || noteAt === -1) throw new Error(`generated checklist has no note for ${taskId}`);
  return `${text.slice(0, noteAt)}\n    note: edited by hand${text.slice(end)}`;
}

/**
 * A copy of dist/ taken at the start, so that a rebuild during the run (a developer at work) cannot mix
 * two builds in one result; node_modules is linked so the copy resolves the repo's dependencies.
 */
function snapshotLongrun(work, node, env) {
  const snap = path.join(work, "longrun-build");
  cpSync(path.join(repo, "dist"), path.join(snap, "dist"), { recursive: true });
  cpSync(path.join(repo, "package.json"), path.join(snap, "package.json"));
  symlinkSync(path.join(repo, "node_modules"), path.join(snap, "node_modules"), "dir");
  const cli = path.join(snap, "dist", "cli", "main.js");
  const r = spawnSync(node, [cli, "--help"], { env, encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`dist/ does not run (exit ${r.status}): rebuild with \`npm run build\``);
  return cli;
}

function measureEdit({ o, g, work, env, tmEnv, log, lr, tm, say }) {
  const id = g.editedTaskId;
  const checklist = path.join(g.longrunDir, "checklist.yaml");
  const before = readFileSync(checklist, "utf8");
  let k = 0;
  const fresh = (src, withCache) => {
    const dst = path.join(work, `edit-${++k}`);
    const cache = path.join(src, ".longrun", "cache");
    cpSync(src, dst, { recursive: true, filter: (f) => withCache || f !== cache });
    return dst;
  };
  const checks = [];
  const one = (label, withCache) => {
    const dir = fresh(g.longrunDir, withCache);
    const argv = lr(["task", "note", id, NOTE, "--dir", dir]);
    const r = timeOnce({ label: `${g.tasks} task note ${label}`, argv, cwd: work, env, log });
    if (r.status !== 0) throw new Error(`longrun task note exited ${r.status ?? r.error}; see ${log}`);
    const afterFile = path.join(dir, "checklist.yaml");
    const after = readFileSync(afterFile, "utf8");
    checks.push(checkEdit({ before, after, beforeFile: checklist, afterFile, taskId: id, note: NOTE }));
    rmSync(dir, { recursive: true, force: true });
    return r.seconds;
  };
  const peerEdit = () => {
    const dir = fresh(g.taskmasterDir, true);
    const num = Number(id.slice(1));
    const argv = tm(["set-status", "--id", String(num), "--status", "review"]);
    const r = timeOnce({ label: `${g.tasks} task-master set-status`, argv, cwd: dir, env: tmEnv, log });
    const tasksJson = path.join(dir, ".taskmaster", "tasks", "tasks.json");
    const t = JSON.parse(readFileSync(tasksJson, "utf8")).master.tasks.find((x) => Number(x.id) === num);
    if (r.status !== 0 || t?.status !== "review")
      throw new Error(`task-master set-status did not apply (exit ${r.status}); see ${log}`);
    rmSync(dir, { recursive: true, force: true });
    return r.seconds;
  };
  const peerRuns = o.peerEdit ? o.peerEditRuns : 0;
  say(
    `${g.tasks} tasks: longrun task note ${id} cold and warm (${o.editRuns} runs, fresh copy each)` +
      (peerRuns ? `, task-master set-status (${peerRuns} runs), interleaved` : ""),
  );
  timeOnce({
    label: "prime cache for edit",
    argv: lr(["status", "--dir", g.longrunDir]),
    cwd: work,
    env,
    log,
  });
  const cold = [];
  const warm = [];
  const samples = [];
  for (let r = 0; r < o.editRuns; r++) {
    cold.push(one("cold", false));
    warm.push(one("warm", true));
    if (Math.floor(((r + 1) * peerRuns) / o.editRuns) > Math.floor((r * peerRuns) / o.editRuns))
      samples.push(peerEdit());
  }
  const peer = peerRuns
    ? { command: "task-master set-status --status review", samples, median: median(samples) }
    : undefined;
  const first = checks[0];
  return {
    tasks: g.tasks,
    taskId: id,
    command: `longrun task note ${id} "${NOTE}"`,
    cold: { median: median(cold), samples: cold },
    warm: { median: median(warm), samples: warm },
    taskMaster: peer,
    ratio: peer ? ratio(peer.median, median(cold)) : undefined,
    allRunsOk: checks.every((c) => c.onlyTaskChanged && c.commentsKept && c.noteApplied),
    check: { ...first, hunks: first.hunks.slice(0, 20) },
  };
}

function git(args) {
  const r = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

try {
  main();
} catch (err) {
  console.error(`bench/status: ${err.message}`);
  process.exit(1);
}
