/** run-log.md as `longrun init` writes it. */
import { EVENTS_HEADING, FOLLOW_UPS_HEADING } from "../run-log.ts";

export function runLogTemplate(stamp: string): string {
  return `# Run log

## Context
What this run is, who started it and where the plan lives (plan.md). Times below are UTC.
Events are appended, never rewritten: \`- YYYY-MM-DD HH:MM tag: text\` with tag one of
decision, evidence, failure, fix, note (\`longrun log add --tag note "text"\`).

${EVENTS_HEADING}
- ${stamp} note: run log created by longrun init

${FOLLOW_UPS_HEADING}
- What is still unverified, and what would verify it?
- Which decisions should a reviewer double-check, and why?
- Which failures recurred, and what guideline, skill or check would prevent them next time?
- What should change in AGENTS.md, plan.md or the checklist before the next run?
- What is the next piece of work after this run, and what does it need?
`;
}
