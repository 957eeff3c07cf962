#!/usr/bin/env node
/**
 * bench/run: the supervisor's own cost per iteration of `longrun run`, with an instant fake agent (`touch`)
 * and instant checks (`test -f`), so that every millisecond measured is longrun's; broken down by step from
 * the journal's timestamps. The peer, in the same run: a bare "Ralph loop" in sh doing the same work per
 * task (run the agent, run the check, `git add -A && git commit`), with no guard, journal, brief or scan.
 * Then the brief's stable prefix: its share of each of the 20 briefs, and that it is the same bytes in all.
 *
 *   npm run bench:run                 (builds longrun first)
 *   node bench/run/run.mjs [--tasks 20] [--runs 3] [--plan filled|template] [--keep]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { planText } from "./plan.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = path.join(repo, "dist", "cli", "main.js");
const argv = process.argv.slice(2);
const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
const TASKS = Number(val("tasks", 20));
const RUNS = Number(val("runs", 3));
const keep = argv.includes("--keep");
/** `--plan template`: keep `longrun init`'s unfilled plan.md instead of the filled-in one. */
const templatePlan = val("plan", "filled") === "template";
const env = {
  PATH: `${path.join(repo, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
  HOME: mkdtempSync(path.join(os.tmpdir(), "longrun-bench-home-")),
  LANG: "C.UTF-8",
  TZ: "UTC",
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function sh(cwd, cmd) {
  const r = spawnSync("sh", ["-c", cmd], { cwd, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
}

/** A committed repo with TASKS tasks, each with one instant check, and the command harness as its agent. */
function makeRepo() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "longrun-bench-run-"));
  const r = spawnSync("node", [bin, "init", "--dir", dir], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const tasks = Array.from(
    { length: TASKS },
    (_, i) => `  - task_id: T${String(i + 1).padStart(3, "0")}
    title: Make file ${i + 1}
    description: Create the file f${i + 1}.
    acceptance_criteria:
      - text: f${i + 1} exists
        check: test -f f${i + 1}
    status: not_started
`,
  ).join("");
  writeFileSync(
    path.join(dir, "checklist.yaml"),
    `summary:\n  active_task_id: null\n  status: not_started\nguidelines:\n  - Keep every change small.\n  - Log decisions in run-log.md.\ntasks:\n${tasks}`,
  );
  if (!templatePlan) writeFileSync(path.join(dir, "plan.md"), planText());
  writeFileSync(
    path.join(dir, ".longrun", "config.yaml"),
    `harness:\n  name: command\n  command: touch "f$(echo $LONGRUN_TASK_ID | sed 's/^T0*//')"\nloop:\n  max_iterations: ${TASKS + 5}\n`,
  );
  sh(dir, "git init -q -b main && git add -A && git -c user.name=b -c user.email=b@b commit -qm start");
  return dir;
}

/** One `longrun run`: wall time, and per-iteration step durations from the journal. */
function longrunOnce() {
  const dir = makeRepo();
  const t0 = process.hrtime.bigint();
  const r = spawnSync("node", [bin, "run", "--dir", dir], { env, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`longrun run exited ${r.status}: ${r.stderr}${r.stdout}`);
  const runId = readdirSync(path.join(dir, ".longrun", "runs"))[0];
  const runDir = path.join(dir, ".longrun", "runs", runId);
  const lines = readFileSync(path.join(runDir, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const loop = lines.filter((l) => l.type === "loop");
  const at = (l) => Date.parse(l.ts);
  // Each iteration: from the step before `iteration` (pick: the previous iteration's end) to its end.
  const parts = {};
  const add = (k, ms) => {
    parts[k] ??= [];
    parts[k].push(ms);
  };
  const totals = [];
  for (let i = 0; i < loop.length; i++) {
    if (loop[i].step !== "iteration") continue;
    const prev = loop[i - 1];
    const pickFrom = prev.step === "start_task" ? loop[i - 2] : prev;
    const seq = [];
    for (let k = i; k < loop.length && loop[k].step !== "iteration_end"; k++) seq.push(loop[k]);
    const end = loop[i + seq.length];
    const step = (name) => seq.find((s) => s.step === name);
    add("pick + start the task", at(loop[i]) - at(pickFrom));
    add("brief (memory copies, brief file)", at(step("brief")) - at(loop[i]));
    add("agent session (spawn to exit)", at(step("session_end")) - at(step("brief")));
    add("guard of the memory files", at(step("guard")) - at(step("session_end")));
    add("verify (check, output files)", at(step("verify")) - at(step("guard")));
    add("secret scan of the change", at(step("secrets")) - at(step("verify")));
    add("checkpoint commit", at(step("committed")) - at(step("secrets")));
    add("complete (checklist, log)", at(end) - at(step("committed")));
    totals.push(at(end) - at(pickFrom));
  }
  const briefs = loop.filter((l) => l.step === "brief");
  const texts = briefs.map((b) => readFileSync(path.join(dir, b.file), "utf8"));
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return { wallMs, iterations: totals.length, perIteration: totals, parts, briefs, texts };
}

/** The bare loop: for each task, the same agent command, the same check, and a commit. */
function peerOnce() {
  const dir = makeRepo();
  const script = `for i in $(seq 1 ${TASKS}); do
  LONGRUN_TASK_ID=T$(printf %03d $i) sh -c 'touch "f$(echo $LONGRUN_TASK_ID | sed "s/^T0*//")"'
  test -f f$i || exit 1
  git add -A && git -c user.name=b -c user.email=b@b commit -qm "task $i"
done`;
  const t0 = process.hrtime.bigint();
  sh(dir, script);
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(dir, { recursive: true, force: true });
  return wallMs / TASKS;
}

/** Length of the common prefix of all strings. */
function commonPrefix(texts) {
  let n = texts[0].length;
  for (const t of texts.slice(1)) {
    let i = 0;
    while (i < n && i < t.length && t[i] === texts[0][i]) i++;
    n = i;
  }
  return n;
}

const load0 = os.loadavg()[0];
const results = [];
const peers = [];
for (let i = 0; i < RUNS; i++) {
  results.push(longrunOnce());
  peers.push(peerOnce());
}
const perIt = median(results.map((r) => median(r.perIteration)));
const wallPerIt = median(results.map((r) => r.wallMs / r.iterations));
const peer = median(peers);
const last = results.at(-1);
const rows = Object.entries(last.parts).map(([k]) => [k, median(results.map((r) => median(r.parts[k])))]);

const out = [];
out.push(
  `bench/run: ${TASKS} tasks, instant agent and checks, ${RUNS} runs, Node ${process.version}, ${os.cpus().length} CPUs`,
);
if (load0 > os.cpus().length * 0.75)
  out.push(
    `note: the load average before the run was ${load0.toFixed(2)} on ${os.cpus().length} CPUs: other work may share the machine; compare the ratio, not the ms`,
  );
out.push("");
out.push("per iteration (median)                     ms");
for (const [k, ms] of rows) out.push(`  ${k.padEnd(38)} ${ms.toFixed(0).padStart(5)}`);
out.push(`  ${"= one iteration, from the journal".padEnd(38)} ${perIt.toFixed(0).padStart(5)}`);
out.push(`  ${"whole run / iterations (start-up incl.)".padEnd(38)} ${wallPerIt.toFixed(0).padStart(5)}`);
out.push(`  ${"peer: bare sh loop (agent, check, commit)".padEnd(38)} ${peer.toFixed(0).padStart(5)}`);
out.push(
  `  ratio longrun / bare loop: ${(perIt / peer).toFixed(1)}x   goal: under 100 ms an iteration: ${perIt < 100 ? "met" : "missed"}`,
);

// The stable prefix over the briefs of one run.
const hashes = new Set(last.briefs.map((b) => b.prefixHash));
const prefixBytes = last.briefs[0].prefixBytes;
const shares = last.briefs.map((b) => b.prefixBytes / b.bytes);
const lcp = commonPrefix(last.texts);
out.push("");
out.push(
  `stable prefix over ${last.briefs.length} briefs: ${hashes.size === 1 ? "byte-identical (one hash)" : `${hashes.size} different hashes`}`,
);
out.push(
  `  prefix ${prefixBytes} bytes (~${Math.round(prefixBytes / 4)} tokens at 4 bytes a token); briefs ${Math.min(...last.briefs.map((b) => b.bytes))}-${Math.max(...last.briefs.map((b) => b.bytes))} bytes`,
);
out.push(
  `  share of each brief: min ${(100 * Math.min(...shares)).toFixed(1)}%, mean ${((100 * shares.reduce((a, b) => a + b, 0)) / shares.length).toFixed(1)}%`,
);
out.push(
  `  longest prefix common to all ${last.texts.length} briefs: ${lcp} bytes   goal: at least 95%: ${Math.min(...shares) >= 0.95 ? "met" : "missed"}`,
);
out.push(
  templatePlan
    ? "  (plan.md: `longrun init`'s template, unfilled)"
    : `  (plan.md ${Buffer.byteLength(planText())} bytes, the template's sections filled in)`,
);
process.stdout.write(`${out.join("\n")}\n`);
rmSync(env.HOME, { recursive: true, force: true });
