#!/usr/bin/env node
/**
 * Deterministic generator of a long run's files for `bench/status`: a realistic checklist.yaml of N tasks
 * (~450 bytes a task, human comments here and there) with plan.md, run-log.md and .longrun/, and the SAME
 * tasks in Task Master's own format (.taskmaster/tasks/tasks.json with the config and state files that
 * `task-master list` reads). Same seed and size give byte-identical files.
 *
 *   node bench/status/generate.mjs --tasks 10000 --out /tmp/tasks10k [--seed 42]
 *
 * Writes <out>/longrun/{checklist.yaml,plan.md,run-log.md,.longrun/config.yaml} and
 * <out>/taskmaster/.taskmaster/{config.json,state.json,tasks/tasks.json}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { TM_CONFIG, TM_STATE, taskMasterJson } from "./taskmaster-format.mjs";
import {
  AREAS,
  CHECKS,
  COMMENTS,
  CRITERIA,
  DONE_NOTES,
  FAIL_NOTES,
  MILESTONES,
  NOTES,
  PARTS,
  PLAN_SECTIONS,
  TRAILING,
  VERBS,
  WHY,
} from "./vocab.mjs";

/** The fixed clock of the generated files, so that output depends only on size and seed. */
const STAMP = "2026-03-14 09:30";

/** mulberry32: a small seeded PRNG, [0, 1). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const id = (n) => `T${String(n).padStart(5, "0")}`;
const slugOf = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** A YAML scalar: plain when that is safe, else double-quoted (JSON strings are valid YAML). */
function scalar(s) {
  return /^[A-Za-z][^:#"'\n]*$/.test(s) && !/\s$/.test(s) && !/^(yes|no|true|false|null|on|off)$/i.test(s)
    ? s
    : JSON.stringify(s);
}

/** Word-wrap `text` to lines of at most `width` characters. */
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const w of text.split(" ")) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** The status of task `n` of `total` in a run that is about 60% through. */
function statusOf(n, total, r) {
  const active = Math.round(total * 0.6);
  if (n === active) return "in_progress";
  const x = r();
  if (n < active) return x < 0.9 ? "complete" : x < 0.96 ? "archived" : "failed";
  return x < 0.97 ? "not_started" : "archived";
}

/** The tasks as plain data, shared by both output formats. */
export function makeTasks(total, seed = 42) {
  const r = rng(seed);
  const tasks = [];
  for (let n = 1; n <= total; n++) {
    const verb = pick(r, VERBS);
    const part = pick(r, PARTS);
    const title = `${verb} the ${part} for ${pick(r, AREAS)}`;
    const slug = slugOf(part);
    const why = pick(r, WHY);
    const why2 = pick(r, WHY);
    const description = `${verb} the ${part}: ${why}.${r() < 0.2 && why2 !== why ? ` ${why2.replace(/^./, (c) => c.toUpperCase())}.` : ""}`;
    const criteria = [];
    const nCrit = 1 + Math.floor(r() * 2);
    for (let k = 0; k < nCrit; k++)
      criteria.push(
        r() < 0.5
          ? pick(r, CRITERIA)
          : { text: pick(r, CRITERIA), check: pick(r, CHECKS).replace("{slug}", slug) },
      );
    const notes = r() < 0.15 ? [pick(r, NOTES), pick(r, NOTES)] : pick(r, NOTES);
    const deps = [];
    if (n > 1 && r() < 0.7) deps.push(id(n - 1));
    if (n > 10 && r() < 0.3) deps.push(id(n - 2 - Math.floor(r() * 8)));
    const status = statusOf(n, total, r);
    const note =
      status === "complete"
        ? r() < 0.3
          ? pick(r, DONE_NOTES)
          : ""
        : status === "failed"
          ? pick(r, FAIL_NOTES)
          : status === "archived"
            ? "superseded by a later task"
            : "";
    const task = { n, task_id: id(n), title, description, criteria, notes, deps, status, note, slug };
    if (r() < 0.05) task.verify = [`npm test -- ${slug}`];
    if (n % 250 === 0) task.milestone = true;
    if (status === "failed") task.attempts = 3;
    // Human comments: a line above about one task in ten, a trailing one on about one status in twenty.
    // The task the benchmark edits always has both, so the edit proves it keeps them.
    const edited = n === Math.round(total / 2);
    if (edited || r() < 0.1) task.comment = pick(r, COMMENTS);
    if (edited || r() < 0.05) task.trailing = pick(r, TRAILING);
    tasks.push(task);
  }
  // Nobody keeps a live task waiting on an archived one: drop those edges, as a person tidying the list would.
  const archived = new Set(tasks.filter((t) => t.status === "archived").map((t) => t.task_id));
  for (const t of tasks) if (t.status !== "archived") t.deps = t.deps.filter((d) => !archived.has(d));
  return tasks;
}

function taskYaml(t) {
  const out = [];
  if ((t.n - 1) % 500 === 0)
    out.push(
      `  # --- Milestone ${Math.floor((t.n - 1) / 500) + 1}: ${MILESTONES[Math.floor((t.n - 1) / 500) % MILESTONES.length]} ---`,
    );
  if (t.comment) out.push(`  ${t.comment}`);
  out.push(`  - task_id: ${t.task_id}`, `    title: ${scalar(t.title)}`);
  if (t.description.length > 80)
    out.push("    description: >-", ...wrap(t.description, 76).map((l) => `      ${l}`));
  else out.push(`    description: ${scalar(t.description)}`);
  out.push("    acceptance_criteria:");
  for (const c of t.criteria)
    if (typeof c === "string") out.push(`      - ${scalar(c)}`);
    else out.push(`      - text: ${scalar(c.text)}`, `        check: ${scalar(c.check)}`);
  if (Array.isArray(t.notes))
    out.push("    implementation_notes:", ...t.notes.map((x) => `      - ${scalar(x)}`));
  else out.push(`    implementation_notes: ${scalar(t.notes)}`);
  if (t.verify) out.push("    verify:", ...t.verify.map((v) => `      - ${scalar(v)}`));
  if (t.milestone) out.push("    milestone: true");
  out.push(`    depends_on: [${t.deps.join(", ")}]`);
  out.push(`    status: ${t.status}${t.trailing ? `   ${t.trailing}` : ""}`);
  if (t.attempts) out.push(`    attempts: ${t.attempts}`);
  out.push(`    note: ${t.note ? scalar(t.note) : '""'}`);
  return out.join("\n");
}

export function checklistYaml(tasks) {
  const active = tasks.find((t) => t.status === "in_progress");
  const head = `# checklist.yaml: the task state machine of this long run. longrun and agents edit it in place;
# comments and layout are kept. Statuses: not_started -> in_progress -> complete | failed | archived.
# Generated by bench/status/generate.mjs (${tasks.length} tasks).

summary:
  last_updated: "${STAMP}"
  active_task_id: ${active ? active.task_id : "null"}   # the task in progress, if any
  status: in_progress
  blockers:
    - CI runner for the EU region is down; two tasks wait on it   # ana, 03-13
  next_actions:
    - finish ${active ? active.task_id : "the active task"} and run the full loop
    - triage the failed tasks before the next milestone
  verification_loop:
    fast: ["npm run check", "npm test"]
    full:
      - npm run check
      - npm test
      - node scripts/smoke.mjs all

instructions: |
  Work one task at a time, in order; a task is ready when every task in its depends_on is complete.
  Set a task in_progress before working on it. It is complete only when every acceptance criterion
  holds: longrun runs each criterion's \`check\` and the task's \`verify\` commands to decide.
  After a compaction or a restart, reread plan.md, this file and run-log.md before doing anything.

guidelines:
  - Keep every change small enough to verify on its own.
  - Record decisions, evidence and failures in run-log.md as they happen.
  - Never delete a task that has started; archive it with a note instead.

tasks:
`;
  return `${head}${tasks.map(taskYaml).join("\n")}\n`;
}

export function planMd() {
  return `# Plan\n\n${PLAN_SECTIONS.map(([h, body]) => `## ${h}\n${body}\n`).join("\n")}`;
}

export function runLogMd(tasks) {
  const done = tasks.filter((t) => t.status === "complete").slice(-5);
  const events = [
    `- ${STAMP.slice(0, 10)} 08:00 note: run log created by longrun init`,
    ...done.map(
      (t, i) =>
        `- ${STAMP.slice(0, 10)} 08:${String(10 + i * 7).padStart(2, "0")} evidence: ${t.task_id} complete, fast loop green`,
    ),
    `- ${STAMP} decision: keep the v1 endpoints until the SDK release`,
  ];
  return `# Run log

## Context
What this run is, who started it and where the plan lives (plan.md). Times below are UTC.
Events are appended, never rewritten: \`- YYYY-MM-DD HH:MM tag: text\` with tag one of
decision, evidence, failure, fix, note (\`longrun log add --tag note "text"\`).
Generated by bench/status/generate.mjs.

## Events (append-only)
${events.join("\n")}

## Follow-ups
- What is still unverified, and what would verify it?
- Which decisions should a reviewer double-check, and why?
- What is the next piece of work after this run, and what does it need?
`;
}

const LONGRUN_CONFIG = `# longrun configuration for this repo. Commit it. Command-line flags override these values.
harness:
  name: codex
  model: null
  timeout: 2h
  idle_timeout: 10m
verify:
  fast: []
  full: []
loop:
  max_attempts: 3
  max_iterations: 200
  session: fresh
budgets:
  max_cost_usd: null
`;

/** Write both trees under `out`; returns their paths and sizes. */
export function generate({ tasks: total, out, seed = 42 }) {
  const tasks = makeTasks(total, seed);
  const lr = path.join(out, "longrun");
  const tm = path.join(out, "taskmaster");
  mkdirSync(path.join(lr, ".longrun"), { recursive: true });
  mkdirSync(path.join(tm, ".taskmaster", "tasks"), { recursive: true });
  const checklist = checklistYaml(tasks);
  writeFileSync(path.join(lr, "checklist.yaml"), checklist);
  writeFileSync(path.join(lr, "plan.md"), planMd());
  writeFileSync(path.join(lr, "run-log.md"), runLogMd(tasks));
  writeFileSync(path.join(lr, ".longrun", "config.yaml"), LONGRUN_CONFIG);
  writeFileSync(path.join(lr, ".longrun", ".gitignore"), "cache/\nlocks/\nartifacts/\n");
  const tmJson = taskMasterJson(tasks);
  writeFileSync(path.join(tm, ".taskmaster", "tasks", "tasks.json"), tmJson);
  writeFileSync(path.join(tm, ".taskmaster", "config.json"), `${JSON.stringify(TM_CONFIG, null, 2)}\n`);
  writeFileSync(path.join(tm, ".taskmaster", "state.json"), `${JSON.stringify(TM_STATE, null, 2)}\n`);
  return {
    tasks: total,
    seed,
    longrunDir: lr,
    taskmasterDir: tm,
    checklistBytes: Buffer.byteLength(checklist),
    tasksJsonBytes: Buffer.byteLength(tmJson),
    editedTaskId: id(Math.round(total / 2)),
  };
}

function main(argv) {
  const arg = (name, def) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? def : argv[i + 1];
  };
  const total = Number(arg("tasks", "1000"));
  const out = arg("out");
  if (!out || !Number.isInteger(total) || total < 1) {
    console.error("usage: node bench/status/generate.mjs --tasks N --out DIR [--seed S]");
    process.exit(2);
  }
  const r = generate({ tasks: total, out: path.resolve(out), seed: Number(arg("seed", "42")) });
  console.log(
    `${r.tasks} tasks: ${r.longrunDir}/checklist.yaml (${(r.checklistBytes / 1e6).toFixed(2)} MB), ${r.taskmasterDir}/.taskmaster/tasks/tasks.json (${(r.tasksJsonBytes / 1e6).toFixed(2)} MB)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
