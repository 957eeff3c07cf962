/** plan.md as `longrun init` writes it: every required section, each with a line on what goes there. */
export function planTemplate(): string {
  return `# Plan

<!-- The blueprint of this long run. Agents reread it after every restart; keep it true. -->

## Purpose
What this work is for, in two or three sentences, and who benefits.

## Context and orientation
Where things are in this repo, what a newcomer must know first, links to prior work.

## Scope
- Goal: the one outcome that makes this run a success.
- Non-goals: what this run must not attempt.

## Acceptance criteria
Observable results that prove the goal is met; each one a command where possible.

## Constraints and invariants
What must stay true throughout: public APIs, performance budgets, data formats, style rules.

## Plan of work
Milestones in order; each one ends in a state that builds and passes its checks.
1. Milestone 1:
2. Milestone 2:

## Implementation map
Which files and modules change for each milestone, and what stays untouched.

## Verification
- Fast loop: the commands run after every change (also in \`checklist.yaml\` under \`summary.verification_loop.fast\`).
- Full suite: the commands run at milestones and before the run ends.
- Evidence: where check outputs and artifacts are kept, and what a reviewer should look at.

## Rollout and rollback
How the change ships, and how to undo it.

## Idempotence and recovery
How to resume after a crash or a restart without redoing or losing work.

## Interfaces and dependencies
APIs, services, packages and versions this work relies on or changes.

## Skills and tools
Agent skills, scripts and tools to use, and when.

## Golden examples
Files or commits in this repo that show the wanted style and shape.

## Open questions
Questions a human must answer; the agent records its assumptions here until then.
`;
}
