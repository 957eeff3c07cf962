/** An acceptance criterion's text and check command (zod-free, so readers of tasks need not load the schema). */
import type { Criterion } from "./checklist-schema.ts";

export function criterionText(c: Criterion): string {
  return typeof c === "string" ? c : c.text;
}

export function criterionCheck(c: Criterion): string | undefined {
  return typeof c === "string" ? undefined : c.check;
}
