/** plan.md: the sections a plan needs, and a check that they are there. */
import type { Diagnostic } from "./diagnostic.ts";

/** Required sections, in template order. A heading matches when it starts with the name (any case). */
export const PLAN_SECTIONS = [
  "Purpose",
  "Context and orientation",
  "Scope",
  "Acceptance criteria",
  "Constraints and invariants",
  "Plan of work",
  "Implementation map",
  "Verification",
  "Rollout and rollback",
  "Idempotence and recovery",
  "Interfaces and dependencies",
  "Skills and tools",
  "Golden examples",
  "Open questions",
] as const;

export interface PlanCheck {
  sections: { name: string; line: number | null }[];
  diagnostics: Diagnostic[];
}

export function checkPlan(text: string, file = "plan.md"): PlanCheck {
  const lines = text.split("\n");
  // Headings outside fenced code blocks.
  let fenced = false;
  const headings: { title: string; line: number }[] = [];
  for (const [i, raw] of lines.entries()) {
    const l = raw.replace(/\r$/, "");
    if (/^\s*(```|~~~)/.test(l)) fenced = !fenced;
    const title = fenced ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l)?.[1];
    if (title !== undefined) headings.push({ title, line: i + 1 });
  }
  const diagnostics: Diagnostic[] = [];
  if (text.trim() === "")
    diagnostics.push({
      file,
      line: 1,
      col: 1,
      severity: "error",
      code: "empty-file",
      message: "plan.md is empty",
      hint: "run `longrun init` in an empty folder for a template",
    });
  const sections = PLAN_SECTIONS.map((name) => {
    const want = normal(name);
    const h = headings.find((x) => normal(x.title) === want || normal(x.title).startsWith(`${want} `));
    return { name, line: h ? h.line : null };
  });
  if (text.trim() !== "")
    for (const s of sections)
      if (s.line === null)
        diagnostics.push({
          file,
          line: 1,
          col: 1,
          severity: "warning",
          code: "missing-section",
          message: `plan.md has no \`${s.name}\` section`,
          hint: `add a \`## ${s.name}\` heading, even if it only says "none"`,
        });
  return { sections, diagnostics };
}

function normal(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z]+/g, " ")
    .trim();
}
