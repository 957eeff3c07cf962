/** A repo as `longrun dash` reads it, with no git: checklist.yaml, run-log.md and one run's folder. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checklistYaml, RUN_ID, runInfo } from "./events.mjs";

const RUN_LOG = `# Run log

## Context
A run of bench/dash. Times below are UTC.

## Events (append-only)
- 2026-11-26 09:00 note: run log created by bench/dash

## Follow-ups
- none
`;

/** Lays out `dir` and returns the journal's path (not created). `tasks`: how many the checklist lists. */
export function makeRepo(dir, { tasks = 40, startedAt = new Date().toISOString() } = {}) {
  const run = path.join(dir, ".longrun", "runs", RUN_ID);
  mkdirSync(run, { recursive: true });
  writeFileSync(path.join(dir, "checklist.yaml"), checklistYaml(tasks));
  writeFileSync(path.join(dir, "run-log.md"), RUN_LOG);
  writeFileSync(path.join(run, "run.json"), `${JSON.stringify(runInfo(startedAt), null, 2)}\n`);
  return path.join(run, "events.jsonl");
}
