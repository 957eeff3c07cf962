import { describe, expect, test } from "vitest";
import { checkPlan, PLAN_SECTIONS } from "../../src/core/plan.ts";
import { planTemplate } from "../../src/core/templates/plan.ts";

const planWith = (sections: readonly string[]) =>
  `# Plan\n\n${sections.map((s) => `## ${s}\nText.\n`).join("\n")}`;

describe("checkPlan", () => {
  test("the init template has every section", () => {
    const c = checkPlan(planTemplate());
    expect(c.diagnostics).toEqual([]);
    expect(c.sections.every((s) => s.line !== null)).toBe(true);
  });

  test("each section's line is found", () => {
    const c = checkPlan(planWith(PLAN_SECTIONS));
    expect(c.diagnostics).toEqual([]);
    expect(c.sections.slice(0, 3)).toEqual([
      { name: "Purpose", line: 3 },
      { name: "Context and orientation", line: 6 },
      { name: "Scope", line: 9 },
    ]);
  });

  test("a missing section is a warning naming it", () => {
    const c = checkPlan(
      planWith(PLAN_SECTIONS.filter((s) => s !== "Verification" && s !== "Open questions")),
    );
    expect(c.diagnostics.map((d) => [d.line, d.col, d.severity, d.code, d.message])).toEqual([
      [1, 1, "warning", "missing-section", "plan.md has no `Verification` section"],
      [1, 1, "warning", "missing-section", "plan.md has no `Open questions` section"],
    ]);
    expect(c.diagnostics[0]?.hint).toContain("## Verification");
    expect(c.sections.find((s) => s.name === "Verification")?.line).toBeNull();
  });

  test.each([
    ["any level and case", "### SCOPE"],
    ["a longer heading that starts with the name", "## Scope and non-goals"],
    ["punctuation and closing hashes", "## Scope: what is in ##"],
    ["a CRLF line", "## Scope\r"],
  ])("a heading matches by its start: %s", (_name, heading) => {
    const c = checkPlan(`# Plan\n${heading}\n`);
    expect(c.sections.find((s) => s.name === "Scope")?.line).toBe(2);
  });

  test.each([
    ["no space after the hashes", "##Scope"],
    ["not at the line start", " ## Scope"],
    ["a different word", "## Scape"],
    ["the name inside, not at the start", "## Our scope"],
  ])("not a match: %s", (_name, heading) => {
    const c = checkPlan(`# Plan\n${heading}\n`);
    expect(c.sections.find((s) => s.name === "Scope")?.line).toBeNull();
  });

  test("an empty plan is one error, not fourteen warnings", () => {
    const c = checkPlan("  \n", "docs/plan.md");
    expect(c.diagnostics).toEqual([
      expect.objectContaining({
        file: "docs/plan.md",
        line: 1,
        col: 1,
        severity: "error",
        code: "empty-file",
      }),
    ]);
  });

  test("the sections, in template order", () => {
    expect(PLAN_SECTIONS).toHaveLength(14);
    expect(PLAN_SECTIONS[0]).toBe("Purpose");
    expect(PLAN_SECTIONS.at(-1)).toBe("Open questions");
  });
});

describe("checkPlan headings", () => {
  test("a heading inside a fenced code block does not count", () => {
    const others = PLAN_SECTIONS.filter((s) => s !== "Purpose");
    const c = checkPlan(`${planWith(others)}\n\`\`\`md\n## Purpose\n\`\`\`\n`);
    expect(c.sections.find((s) => s.name === "Purpose")?.line).toBeNull();
    expect(c.diagnostics.map((d) => d.code)).toEqual(["missing-section"]);
  });

  test("a longer word does not match a section name (Scoped is not Scope)", () => {
    const others = PLAN_SECTIONS.filter((s) => s !== "Scope");
    const c = checkPlan(`${planWith(others)}\n## Scoped tasks\n`);
    expect(c.sections.find((s) => s.name === "Scope")?.line).toBeNull();
    expect(
      checkPlan(`${planWith(others)}\n## Scope, goal and non-goals\n`).sections.find(
        (s) => s.name === "Scope",
      )?.line,
    ).not.toBeNull();
  });
});
