// The checklist guard: what an agent may change in checklist.yaml, and what is set back.
import { describe, expect, test } from "vitest";
import type { ChecklistDoc } from "../../src/core/checklist-doc.ts";
import { guardChecklist } from "../../src/core/checklist-guard.ts";
import { indexChecklist } from "../../src/core/checklist-index.ts";
import { validateChecklist } from "../../src/core/checklist-validate.ts";
import { readYaml } from "../../src/core/yaml-read.ts";

function docOf(text: string): ChecklistDoc {
  const r = readYaml(text);
  if (!r.ok) throw new Error(r.message);
  const v = validateChecklist(r.data);
  if (!v.value) throw new Error(JSON.stringify(v.diagnostics));
  return { text, data: v.value, index: indexChecklist(text, r.events) };
}

const BEFORE = `summary:
  active_task_id: T002
  verification_loop:
    fast: ["npm test"]
tasks:
  # the first task
  - task_id: T001
    title: One
    acceptance_criteria:
      - text: it builds
        check: npm run build
    status: complete
  - task_id: T002
    title: Two
    acceptance_criteria:
      - it is documented
    verify: ["npm run lint"]
    status: in_progress
    note: ""
  - task_id: T003
    title: Three
    status: not_started
`;
const before = docOf(BEFORE).data;
const guard = (after: string) => guardChecklist(before, docOf(after));

describe("guardChecklist", () => {
  test("an untouched file passes unchanged", () => {
    const g = guard(BEFORE);
    expect(g.violations).toEqual([]);
    expect(g.doc.text).toBe(BEFORE);
  });

  test("notes, descriptions, comments and appended not_started tasks are the agent's to write", () => {
    const after = `${BEFORE.replace('note: ""', 'note: "tried X; Y next"').replace("title: Three", "title: Three\n    description: more words")}  # appended by the agent
  - task_id: T004
    title: Follow-up found while working
    status: not_started
`;
    const g = guard(after);
    expect(g.violations).toEqual([]);
    expect(g.doc.text).toBe(after);
  });

  test("a deleted task comes back, at the end, with everything it had", () => {
    const after = BEFORE.replace(/ {2}- task_id: T001[\s\S]*?status: complete\n/, "");
    const g = guard(after);
    expect(g.violations).toEqual([expect.objectContaining({ kind: "deleted", taskId: "T001" })]);
    expect(g.doc.data.tasks?.map((t) => t.task_id)).toEqual(["T002", "T003", "T001"]);
    expect(g.doc.data.tasks?.[2]).toEqual(before.tasks?.[0]);
  });

  test("edited criteria, checks and verify commands are set back; the rest of the agent's edit stays", () => {
    const after = BEFORE.replace("check: npm run build", 'check: "true"')
      .replace('verify: ["npm run lint"]', "verify: []")
      .replace('note: ""', "note: kept");
    const g = guard(after);
    expect(g.violations.map((v) => `${v.taskId}:${v.kind}`)).toEqual(["T001:criteria", "T002:verify"]);
    expect(g.doc.data.tasks?.[0]?.acceptance_criteria).toEqual(before.tasks?.[0]?.acceptance_criteria);
    expect(g.doc.data.tasks?.[1]?.verify).toEqual(["npm run lint"]);
    expect(g.doc.data.tasks?.[1]?.note).toBe("kept");
    expect(g.doc.text).toContain("# the first task");
  });

  test("a status the agent sets is a claim: set back, logged", () => {
    const after = BEFORE.replace("status: in_progress", "status: complete").replace(
      "    status: not_started\n",
      "    status: archived\n",
    );
    const g = guard(after);
    expect(g.violations.map((v) => `${v.taskId}:${v.kind}`)).toEqual(["T002:status", "T003:status"]);
    expect(g.violations[0]?.text).toMatch(/T002 was set to complete by the agent; set back to in_progress/);
    expect(g.doc.data.tasks?.map((t) => t.status)).toEqual(["complete", "in_progress", "not_started"]);
  });

  test("attempts are longrun's", () => {
    const g = guard(BEFORE.replace("status: in_progress", "status: in_progress\n    attempts: 0"));
    expect(g.violations.map((v) => v.kind)).toEqual(["attempts"]);
    expect(g.doc.data.tasks?.[1]?.attempts ?? null).toBeNull();
  });

  test("an appended task claimed complete is kept as not_started", () => {
    const g = guard(`${BEFORE}  - task_id: T009\n    title: Sneaky\n    status: complete\n    attempts: 2\n`);
    expect(g.violations.map((v) => `${v.taskId}:${v.kind}`)).toEqual(["T009:new_status"]);
    expect(g.doc.data.tasks?.[3]).toMatchObject({ task_id: "T009", status: "not_started" });
  });

  test("the active task and the verification loop are set back", () => {
    const after = BEFORE.replace("active_task_id: T002", "active_task_id: T003").replace(
      'fast: ["npm test"]',
      "fast: []",
    );
    const g = guard(after);
    expect(g.violations.map((v) => v.kind)).toEqual(["summary"]);
    expect(g.doc.data.summary?.active_task_id).toBe("T002");
    expect(g.doc.data.summary?.verification_loop?.fast).toEqual(["npm test"]);
  });

  test("everything at once: one violation per change, the result validates", () => {
    const after = BEFORE.replace(/ {2}- task_id: T003[\s\S]*$/, "")
      .replace("status: in_progress", "status: complete")
      .replace("- it is documented", "- it is vaguely documented");
    const g = guard(after);
    expect(g.violations.map((v) => `${v.taskId}:${v.kind}`).sort()).toEqual(
      ["T002:criteria", "T002:status", "T003:deleted"].sort(),
    );
    expect(
      validateChecklist(readYaml(g.doc.text).ok ? (readYaml(g.doc.text) as { data: unknown }).data : null)
        .value,
    ).toBeTruthy();
    // applying the guard to its own result finds nothing more
    expect(guardChecklist(before, docOf(g.doc.text)).violations).toEqual([]);
  });
});
