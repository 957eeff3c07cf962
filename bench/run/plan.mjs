/**
 * The bench repo's plan.md: `longrun init`'s sections filled in as a real plan would be (about 6 KB),
 * since the plan is most of the brief's stable prefix.
 */
export function planText() {
  const section = (title, lines) => `## ${title}\n${lines.join("\n")}\n`;
  return `# Plan

${section("Purpose", [
  "Give the fetcher a retry policy with jitter so that nightly imports survive the upstream API's brief",
  "outages, without hiding real failures. The data team loses about two imports a week today.",
])}
${section("Context and orientation", [
  "- src/fetch/ holds the HTTP client (client.ts), the import job (job.ts) and its scheduler (cron.ts).",
  "- Errors are classified in src/fetch/errors.ts; only `Transient` errors may be retried.",
  "- Tests: `npm test` (vitest), fixtures in test/fixtures/upstream/*.json recorded from the real API.",
  "- The upstream API rate-limits at 50 requests a second and sends Retry-After on 429 and 503.",
  "- Prior work: PR #412 added timeouts; its discussion explains why retries were left out then.",
])}
${section("Scope", [
  "- Goal: an import that meets up to three transient failures in a row completes, and the log says so.",
  "- Non-goals: a circuit breaker, caching, changing the job's schedule, retrying non-idempotent calls.",
])}
${section("Acceptance criteria", [
  "1. `npm test -- retry` passes: backoff grows, jitter stays within its bounds, Retry-After wins.",
  "2. A recorded outage fixture (test/fixtures/upstream/outage.json) imports fully with retries on.",
  "3. A 4xx other than 429 fails at once, with one log line naming the status and the request id.",
  "4. The retry policy is documented in docs/fetching.md, with its defaults and how to change them.",
])}
${section("Constraints and invariants", [
  "- Public API of src/fetch/client.ts stays as it is; retries are an option with a safe default.",
  "- No new runtime dependency; the jitter uses the existing seeded random source in tests.",
  "- Total time of one import may not grow by more than 10% on the happy path (bench/fetch).",
  "- Every retry is logged at debug level with the attempt number and the delay chosen.",
])}
${section("Plan of work", [
  "1. Milestone 1: the policy as a pure function (attempt -> delay), fully unit-tested.",
  "2. Milestone 2: the client uses it for Transient errors and honours Retry-After.",
  "3. Milestone 3: the job reports retries in its summary line; the outage fixture passes.",
  "4. Milestone 4: documentation and the benchmark figure in docs/fetching.md.",
])}
${section("Implementation map", [
  "- src/fetch/retry.ts (new): the policy. src/fetch/client.ts: the loop around `send`.",
  "- src/fetch/job.ts: count and report retries. docs/fetching.md: the section on retries.",
  "- Untouched: cron.ts, the storage layer, the CLI.",
])}
${section("Verification", [
  "- Fast loop: `npm test -- fetch` after every change.",
  "- Full suite: `npm run ci` (lint, types, all tests, bench/fetch in check mode) at milestones.",
  "- Evidence: check outputs in .longrun/runs/<id>/artifacts; a reviewer should read retry.ts first.",
])}
${section("Rollout and rollback", [
  "Ships behind `fetch.retries` (default 3). Rollback: set it to 0; no data migration is involved.",
])}
${section("Idempotence and recovery", [
  "Imports are idempotent by batch id; a retried request may be sent twice and the upsert absorbs it.",
])}
${section("Interfaces and dependencies", [
  "Upstream API v2 (documented at docs/upstream.md); Node 22; undici's fetch. No version changes.",
])}
${section("Skills and tools", [
  "Use the recorded fixtures instead of the network; `npm run record` refreshes them (needs a key).",
])}
${section("Golden examples", [
  "src/fetch/timeout.ts and its tests show the wanted shape: a pure core, a thin wrapper, table tests.",
])}
${section("Open questions", [
  "- Should Retry-After above 60 s abort the import instead of waiting? Assumed: cap at 60 s and log.",
])}`;
}
