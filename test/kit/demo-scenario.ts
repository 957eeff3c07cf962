/**
 * The demo's scenario (`npm run demo`, and the end-to-end test of `longrun run` with the real Codex
 * CLI): a small repo with three tasks that have real checks, and a scripted model that does the work
 * through Codex's shell tool, except once: its first answer on T002 claims the work is done without
 * doing it. The check fails, the retry (whose brief carries the failure) does the work.
 */
import { lastEntryKind, lastUserText, type RecordedRequest, shellCall, type Turn } from "./model-server.ts";

export const DEMO_PLAN = `# Plan

## Purpose
A tiny command-line toolkit: a greeting script and an adder, documented.

## Scope
- Goal: \`greet.sh\` and \`add.js\` work and the README says how to use them.
- Non-goals: packaging, tests beyond the checks below.

## Acceptance criteria
Each task's checks in checklist.yaml pass; the full loop (both tools together) passes at the end.

## Constraints and invariants
POSIX sh and Node.js only; no dependencies.
`;

export const DEMO_CHECKLIST = `summary:
  active_task_id: null
  status: not_started
  verification_loop:
    fast: []
    full: ["sh greet.sh >/dev/null && node add.js 1 1 >/dev/null"]
guidelines:
  - Keep each script to a few lines.
tasks:
  - task_id: T001
    title: Greet
    description: greet.sh prints "hello, world".
    acceptance_criteria:
      - text: greet.sh prints hello, world
        check: sh greet.sh | grep -qx 'hello, world'
    status: not_started
  - task_id: T002
    title: Add two numbers
    description: add.js prints the sum of its two arguments.
    acceptance_criteria:
      - text: node add.js 2 3 prints 5
        check: node add.js 2 3 | grep -qx 5
    status: not_started
  - task_id: T003
    title: Document usage
    depends_on: [T001, T002]
    acceptance_criteria:
      - text: the README has a Usage section
        check: grep -q '^## Usage' README.md
    status: not_started
`;

/** What the scripted model does for each task, as Codex shell commands. */
const WORK: Record<string, string> = {
  T001: `printf '%s\\n' '#!/bin/sh' 'echo "hello, world"' > greet.sh`,
  T002: `printf '%s\\n' 'const [a, b] = process.argv.slice(2).map(Number);' 'console.log(a + b);' > add.js`,
  T003: `printf '%s\\n' '# Toolkit' '' '## Usage' '' '    sh greet.sh' '    node add.js 2 3' > README.md`,
};

export const LIE = "T002 is done: add.js prints the sum, and all the checks pass.";

export interface DemoHooks {
  /** Called (synchronously, before the answer) on the first model request of the run. */
  onFirstRequest?: () => void;
}

/** The model's script: one shell call per task, then "Done."; the lie on T002's first attempt. */
export function demoScript(hooks: DemoHooks = {}): (req: RecordedRequest, index: number) => Turn {
  let first = true;
  return (req) => {
    if (first) {
      first = false;
      hooks.onFirstRequest?.();
    }
    if (lastEntryKind(req) === "toolResult") return { text: "Done. The check passes now." };
    const brief = lastUserText(req);
    const id = /## Your task: (T\d{3})/.exec(brief)?.[1] ?? "";
    if (id === "T002" && !brief.includes("The last attempt failed")) return { text: LIE };
    const work = WORK[id];
    return work ? shellCall("codex", work) : { text: "I have nothing to do." };
  };
}
