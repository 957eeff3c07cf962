/** Words and sentences the generator of bench/status draws from: a software project's everyday tasks. */
export const VERBS = [
  "Add retries to",
  "Refactor",
  "Document",
  "Add tests for",
  "Fix the race in",
  "Profile",
  "Split",
  "Harden",
  "Migrate",
  "Remove dead code from",
  "Add metrics to",
  "Validate the input of",
  "Cache the results of",
  "Stream the output of",
  "Tighten the types of",
  "Add logging to",
];
export const PARTS = [
  "upload client",
  "config loader",
  "session store",
  "billing export",
  "search index",
  "auth middleware",
  "CLI parser",
  "report renderer",
  "cache layer",
  "webhook handler",
  "migration runner",
  "rate limiter",
  "log shipper",
  "metrics exporter",
  "PDF renderer",
  "email queue",
  "feature flags",
  "admin dashboard",
  "API gateway",
  "job scheduler",
  "import wizard",
  "audit trail",
];
export const AREAS = [
  "the v2 API",
  "large tenants",
  "the nightly batch",
  "offline mode",
  "the EU region",
  "mobile clients",
  "the public SDK",
  "slow disks",
  "the staging cluster",
  "first-time users",
  "the CSV import",
  "retries",
];
export const WHY = [
  "it fails under load and nobody sees why",
  "it is the slowest step of the request",
  "it behaves differently on staging",
  "errors are swallowed and callers retry forever",
  "the module mixes parsing with side effects",
  "the incident review asked for it",
  "a flaky test here blocks unrelated merges",
];
export const CRITERIA = [
  "existing callers keep working",
  "a test covers the new behaviour",
  "p95 latency stays under 200 ms",
  "errors name the file and line",
  "the changelog describes it",
  "no new lint or type warnings",
  "memory stays flat in a soak run",
];
export const CHECKS = [
  "npm test -- {slug}",
  "npm run lint",
  "npm run check",
  "node scripts/smoke.mjs {slug}",
  "test -s docs/{slug}.md",
];
export const NOTES = [
  "Keep the public interface unchanged.",
  "Reuse the helpers in src/lib.",
  "Measure before and after on one machine.",
  "Land behind a feature flag first.",
  "Prefer small commits that pass the fast loop.",
];
export const DONE_NOTES = [
  "done; verified with the fast loop",
  "complete after two attempts, the first broke the import tests",
  "merged; follow-up filed for the docs",
];
export const FAIL_NOTES = [
  "failed 3 attempts: the test harness times out on CI only",
  "blocked on a schema change owned by another team",
];
export const COMMENTS = [
  "# ana: needs a design review before anyone starts on it",
  "# TODO(bo): split into two tasks once the API settles",
  "# kept on purpose, see the incident review of March",
  "# do not reorder: the migration tasks below depend on this one",
  "# checked by hand on 2026-03-02, looks right",
];
export const TRAILING = ["# flaky on CI", "# ask ana", "# see run-log", "# revisit after the release"];
export const MILESTONES = ["storage", "API", "CLI", "billing", "search", "docs", "hardening", "rollout"];

/** plan.md of the generated run: every section `longrun check` asks for, filled in briefly. */
export const PLAN_SECTIONS = [
  ["Purpose", "Bring the service to the v2 API without downtime; the customers of the public SDK benefit."],
  ["Context and orientation", "Code lives in src/, tests in test/; read docs/architecture.md first."],
  ["Scope", "- Goal: every endpoint served by the v2 stack.\n- Non-goals: a new UI."],
  ["Acceptance criteria", "`npm test` and `node scripts/smoke.mjs all` pass on the staging cluster."],
  ["Constraints and invariants", "Public APIs keep their shape; p95 latency stays under 200 ms."],
  [
    "Plan of work",
    "Milestones follow the sections of checklist.yaml.\n1. Milestone 1: storage\n2. Milestone 2: API",
  ],
  ["Implementation map", "src/storage for milestone 1, src/api for milestone 2; src/ui stays untouched."],
  [
    "Verification",
    "- Fast loop: `npm run check`, `npm test`.\n- Full suite: adds `node scripts/smoke.mjs all`.\n- Evidence: in .longrun/artifacts/.",
  ],
  ["Rollout and rollback", "Behind the `v2` flag; turning it off rolls back."],
  ["Idempotence and recovery", "Every migration step can be rerun; the run log says where to resume."],
  ["Interfaces and dependencies", "Node 22+, Postgres 16."],
  ["Skills and tools", "scripts/smoke.mjs for end-to-end checks."],
  ["Golden examples", "src/storage/blob-store.ts shows the wanted shape."],
  ["Open questions", "None yet."],
];
