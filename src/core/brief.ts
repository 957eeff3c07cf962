/**
 * The brief of one iteration: a stable prefix (the rules, how to use the memory files, the repo's
 * guidelines and plan) that is byte-identical across iterations so the model's prompt cache stays warm,
 * then the task, its criteria and notes, the last failure's tail and any steering messages.
 */
import { createHash } from "node:crypto";
import type { Task } from "./checklist-schema.ts";
import { criterionCheck, criterionText } from "./criterion.ts";
import type { FailureInfo, IterationKind, SecretFinding } from "./loop-events.ts";

/** plan.md beyond this many characters is cut in the brief (the agent reads the file itself). */
export const PLAN_LIMIT = 48_000;

export interface PrefixInput {
  plan: string | null;
  instructions: string | string[] | null | undefined;
  guidelines: string | string[] | null | undefined;
}

export interface BodyInput {
  task: Task;
  kind: IterationKind;
  /** Failed attempts before this one, and the limit before the loop breaker. */
  attempts: number;
  maxAttempts: number;
  failure: FailureInfo | null;
  findings: SecretFinding[];
  steering: { id: string; text: string }[];
}

export interface Brief {
  prefix: string;
  body: string;
  text: string;
  /** sha256 of the prefix, hex. */
  prefixHash: string;
}

const RULES = `# longrun brief

You are a coding agent working in this repository under longrun, a supervisor. longrun picked one task
for you (below). Do that task, and only that task, then stop. longrun decides whether it is done by
running its checks; your word is not evidence.

## The memory files
- plan.md: the blueprint of the work. Read it first; keep it true (you may add to Open questions).
- checklist.yaml: the task state machine. Each task has acceptance criteria; a criterion with a
  \`check\` is a shell command longrun runs (exit 0 = met), and \`verify\` lists more commands.
- run-log.md: the human log. Append events under \`## Events (append-only)\` as
  \`- YYYY-MM-DD HH:MM tag: text\` (tags: decision, evidence, failure, fix, note), or run
  \`longrun log add --tag note "text"\`. Never rewrite an earlier line.

## Rules
1. Statuses are longrun's. Do not set any task's status: longrun marks your task complete when its
   checks pass, and failed after repeated failures. A status you write is reverted and logged.
2. Acceptance criteria, \`check\` and \`verify\` commands, and the verification loop belong to the human.
   Do not edit them; an edit is reverted and logged. Never delete a task.
3. You may append new tasks at the end of checklist.yaml (status not_started) for work you find that
   is out of scope, and you may add to a task's \`note\`.
4. Do not commit, push or rewrite git history. longrun commits a checkpoint when the checks pass.
5. Never write secrets (keys, tokens, passwords) into files: a change holding one is not committed.
6. Keep the change small and make the checks pass; run them yourself before you stop.
`;

const lines = (v: string | string[] | null | undefined): string[] =>
  Array.isArray(v) ? v.filter((x) => x.trim() !== "") : v?.trim() ? [v.trim()] : [];

/** The part of the brief that stays byte-identical while plan.md and the guidelines do not change. */
export function stablePrefix(input: PrefixInput): string {
  const out = [RULES];
  const instructions = lines(input.instructions);
  if (instructions.length) out.push(`## Instructions of this repo\n${instructions.join("\n")}\n`);
  const guidelines = lines(input.guidelines);
  if (guidelines.length)
    out.push(`## Guidelines of this repo\n${guidelines.map((g) => `- ${g}`).join("\n")}\n`);
  if (input.plan?.trim()) {
    const plan = input.plan.replace(/\r\n/g, "\n").trim();
    const cut =
      plan.length > PLAN_LIMIT
        ? `${plan.slice(0, PLAN_LIMIT)}\n\n[plan.md continues: read the file for the rest]`
        : plan;
    out.push(`## plan.md (as of this run)\n\n${cut}\n`);
  }
  out.push("---\n");
  return out.join("\n");
}

/** The part that changes: the task, what went wrong before, and the human's steering. */
export function briefBody(b: BodyInput): string {
  const t = b.task;
  const out = [`## Your task: ${t.task_id} ${t.title}`];
  if (t.description?.trim()) out.push(t.description.trim());
  const criteria = t.acceptance_criteria ?? [];
  if (criteria.length) {
    out.push("\n### Acceptance criteria");
    for (const c of criteria) {
      const check = criterionCheck(c);
      out.push(`- ${criterionText(c)}${check ? ` (longrun runs: \`${check}\`)` : ""}`);
    }
  }
  if (t.verify?.length) out.push(`\n### Also verified by\n${t.verify.map((v) => `- \`${v}\``).join("\n")}`);
  const notes = lines(t.implementation_notes);
  if (notes.length) out.push(`\n### Implementation notes\n${notes.join("\n")}`);
  if (t.note?.trim()) out.push(`\n### Notes so far\n${t.note.trim()}`);
  if (b.kind === "fix_secret" && b.findings.length) {
    out.push(
      "\n### The checks passed, but your change holds a secret and was not committed",
      ...b.findings.map((f) => `- ${f.file}:${f.line}: ${f.message} (${f.rule})`),
      "Remove the secret (read it from the environment instead), keep the checks passing, then stop.",
    );
  }
  if (b.failure) {
    out.push(
      `\n### The last attempt failed (${b.attempts} of ${b.maxAttempts} attempts used)`,
      b.failure.summary,
      `Full output: ${b.failure.output}`,
      "```",
      b.failure.tail.replace(/```/g, "'''"),
      "```",
    );
  } else if (b.attempts > 0) {
    out.push(`\n### Earlier attempts failed (${b.attempts} of ${b.maxAttempts}): see run-log.md`);
  }
  if (b.kind === "diagnose")
    out.push(
      "\n### Stop and rethink",
      `This task failed ${b.attempts} times. Before you change code, write a diagnosis: why did the earlier`,
      "attempts fail? Append it to run-log.md as a `note` event. Then try a different strategy from the",
      "one that failed. This is the last attempt before the task is marked failed.",
    );
  if (b.steering.length)
    out.push(
      "\n### Steering from the human (follow it)",
      ...b.steering.map((s) => `- ${s.text.replace(/\n/g, "\n  ")}`),
    );
  return `${out.join("\n")}\n`;
}

export function buildBrief(prefix: PrefixInput, body: BodyInput): Brief {
  const p = stablePrefix(prefix);
  const b = briefBody(body);
  return { prefix: p, body: b, text: p + b, prefixHash: createHash("sha256").update(p).digest("hex") };
}
