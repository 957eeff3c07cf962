// The dash's page in a real browser (Debian's Chromium via playwright-core): while the run writes, the page
// gets a state every 200 ms; the task table and the log are drawn again only when they change.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pricesFor } from "../../src/cost/price-table.ts";
import { type Dash, startDash } from "../../src/dash/server.ts";

const chromiumScript = pathToFileURL(
  path.resolve(import.meta.dirname, "../../scripts/ensure-chromium.mjs"),
).href;
const RUN = "20261126T090000000Z-test";
const task = (id: string, status: string) => `  - task_id: ${id}
    title: Task ${id}
    description: Do ${id}.
    acceptance_criteria:
      - text: ${id} is done
        check: test -f ${id}
    status: ${status}
`;
const checklist = (first: string) =>
  `summary:\n  active_task_id: null\n  status: in_progress\ntasks:\n${task("T001", first)}${task("T002", "not_started")}`;

let dir: string;
let journal: string;
let dash: Dash;
let browser: Browser;
let seq = 0;
const line = (body: Record<string, unknown>) =>
  appendFileSync(
    journal,
    `${JSON.stringify({ ...body, v: 1, runId: "s1", seq: seq++, ts: new Date().toISOString(), taskId: "T001" })}\n`,
  );

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "longrun-dash-page-"));
  const run = path.join(dir, ".longrun", "runs", RUN);
  mkdirSync(run, { recursive: true });
  writeFileSync(path.join(dir, "checklist.yaml"), checklist("in_progress"));
  writeFileSync(
    path.join(dir, "run-log.md"),
    "# Run log\n\n## Events (append-only)\n- 2026-11-26 09:00 note: created\n\n## Follow-ups\n- none\n",
  );
  writeFileSync(
    path.join(run, "run.json"),
    JSON.stringify({
      id: RUN,
      kind: "run",
      harness: "command",
      model: null,
      ownLogin: false,
      startedAt: new Date().toISOString(),
    }),
  );
  journal = path.join(run, "events.jsonl");
  writeFileSync(journal, "");
  line({
    type: "run_start",
    harness: "command",
    model: "claude-sonnet-4-6",
    cwd: dir,
    version: null,
    sessionId: null,
  });
  dash = await startDash({ dir, port: 0, prices: pricesFor(undefined) });
  const { ensureChromium, CHROMIUM_ARGS } = (await import(chromiumScript)) as {
    ensureChromium: () => string;
    CHROMIUM_ARGS: string[];
  };
  browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
}, 600_000); // on a fresh machine ensureChromium installs Debian's chromium first (or waits for another file doing it)

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Page code as strings: this project's TypeScript has no DOM types.
/** Counts changes of the children of `selector`'s element from now on, in `window.__changes[name]`. */
const watch = (page: Page, name: string, selector: string) =>
  page.evaluate(`(() => {
    window.__changes ??= {};
    window.__changes[${JSON.stringify(name)}] = 0;
    new MutationObserver((list) => { window.__changes[${JSON.stringify(name)}] += list.length; })
      .observe(document.querySelector(${JSON.stringify(selector)}), { childList: true, subtree: true });
  })()`);
/** Waits until `expr` is true in the page (the page's CSP refuses waitForFunction's eval). */
async function until(page: Page, expr: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (await page.evaluate(expr)) return;
  throw new Error(`the page: ${expr} still false after ${ms} ms`);
}
const changes = (page: Page) => page.evaluate("window.__changes") as Promise<Record<string, number>>;

describe("dash page", () => {
  test("spend moves on every state; the task table and the log are drawn again only when they change", async () => {
    const page = await browser.newPage();
    await page.goto(dash.url);
    await until(page, 'document.querySelectorAll("#tasks tbody tr[data-task]").length === 2');
    await watch(page, "tasks", "#tasks tbody");
    await watch(page, "log", "#log");
    let tokens = 0;
    for (let i = 0; i < 8; i++) {
      const usage = {
        input: 100,
        cachedInput: 1000,
        cacheWrite: 0,
        output: 50 + i,
        reasoning: 0,
        model: "claude-sonnet-4-6",
      };
      tokens += 1150 + i;
      line({ type: "usage", scope: "request", usage });
      await new Promise((r) => setTimeout(r, 250));
    }
    const want = `${tokens.toLocaleString("en-US")} tokens`;
    await until(page, `document.getElementById("spend-total").textContent.includes(${JSON.stringify(want)})`);
    expect(await changes(page)).toEqual({ tasks: 0, log: 0 });

    writeFileSync(path.join(dir, "checklist.yaml"), checklist("complete"));
    await until(page, `document.querySelector('#tasks tr[data-task="T001"]').dataset.status === "complete"`);
    expect((await changes(page)).tasks).toBeGreaterThan(0);
    await page.close();
  });
});
