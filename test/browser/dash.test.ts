// `longrun dash` in a real browser (Debian's Chromium driven by playwright-core) against a real
// `longrun run` of a temp repo whose agent is a fake (a shell script the test releases step by step).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
// @ts-expect-error: a plain ES module of the repo's scripts (no types)
import { CHROMIUM_ARGS, ensureChromium } from "../../scripts/ensure-chromium.mjs";
import { cleanup, ROOT } from "../component/cli.ts";
import { type DashProcess, startDash } from "../component/dash-kit.ts";
import { brief, loopRepo, run } from "../component/loop-kit.ts";

const SHOTS = path.join(ROOT, "test-results", "dash");
let browser: Browser;

beforeAll(async () => {
  const executablePath = ensureChromium() as string;
  browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP rebound.example 127.0.0.1"],
  });
  mkdirSync(SHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  cleanup();
});

const usage = (input: number, cached: number, output: number) =>
  `echo '{"type":"usage","scope":"request","usage":{"input":${input},"cachedInput":${cached},"cacheWrite":0,"output":${output},"reasoning":0,"model":"gpt-5.2"}}'`;

/** Each task waits for $AGENT_HOME/go-<task> before it does its work, so the test decides when. */
const AGENT = `
echo '{"type":"message","text":"starting '$LONGRUN_TASK_ID'"}'
echo '{"type":"tool_start","id":"t1","name":"shell","input":{"command":"ls -la"}}'
i=0; while [ ! -f "$AGENT_HOME/go-$LONGRUN_TASK_ID" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
echo '{"type":"tool_end","id":"t1","name":"shell","ok":true,"output":"total 0"}'
${usage(12000, 48000, 900)}
touch "out-$LONGRUN_TASK_ID"
echo '{"type":"message","text":"done with '$LONGRUN_TASK_ID'"}'
`;

const TASKS = ["T001", "T002", "T003"]
  .map(
    (id, i) => `  - task_id: ${id}
    title: Task number ${i + 1}
    status: not_started
${i ? `    depends_on: [T00${i}]\n` : ""}    acceptance_criteria:
      - text: out-${id} exists
        check: test -f out-${id}
      - the code reads well
`,
  )
  .join("");

const row = (page: Page, id: string) => page.locator(`#tasks tr[data-task="${id}"]`);

describe("the dashboard in Chromium, on a live run", () => {
  let dash: DashProcess;
  let repo: { dir: string; home: string };
  let runDone: ReturnType<typeof run>;

  beforeAll(async () => {
    repo = loopRepo({ tasks: TASKS, agent: AGENT, harness: "  idle_timeout: 90s\n" });
    dash = await startDash(repo.dir);
    runDone = run(repo.dir, [], { timeoutMs: 120_000 });
  });

  afterAll(async () => {
    for (const id of ["T001", "T002", "T003"]) writeFileSync(path.join(repo.home, `go-${id}`), "");
    await runDone;
    await dash?.stop();
  });

  test("tasks update without a reload; steering from the page reaches the next brief; pause and resume", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => d.accept());
    let navigations = 0;
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await page.goto(dash.url);
    await expectState(page, "running");
    await row(page, "T001").and(page.locator(".active")).waitFor();
    // The agent's activity streams in.
    await page.locator("#feed li", { hasText: "starting T001" }).waitFor();
    await page.locator("#feed li[data-kind=tool]", { hasText: "ls -la" }).waitFor();

    // Steer from the page: queued, shown, and noted in the run log within a second.
    await page.fill("#steer-text", "prefer small pure functions over classes");
    const t0 = Date.now();
    await page.click("#steer-send");
    await page.locator("#steering li", { hasText: "prefer small pure functions" }).waitFor({ timeout: 1000 });
    await page.locator("#log li", { hasText: "dashboard: steering queued" }).waitFor({ timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);

    // Pause: the run finishes T001 and waits.
    await page.click("#pause");
    await expectState(page, "paused", 1000);
    writeFileSync(path.join(repo.home, "go-T001"), "");
    await row(page, "T001").and(page.locator("[data-status=complete]")).waitFor({ timeout: 20_000 });
    expect(await row(page, "T001").locator(".criteria li.pass").count()).toBe(1);
    expect(await row(page, "T001").locator("a.mono").count()).toBe(1); // the checkpoint commit
    await page.screenshot({ path: path.join(SHOTS, "dash-paused.png"), fullPage: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.locator("#iteration").textContent()).toMatch(/^iteration 1\b/);
    expect(await page.locator("#steering li", { hasText: "prefer small pure functions" }).count()).toBe(1);

    // Resume: T002 starts, and its brief carries the message sent from the page.
    await page.click("#resume");
    await expectState(page, "running", 1000);
    await row(page, "T002").and(page.locator(".active")).waitFor({ timeout: 20_000 });
    expect(brief(repo.dir, 2)).toContain("prefer small pure functions over classes");
    await page.locator("#steering li", { hasText: "nothing queued" }).waitFor({ timeout: 3000 });

    // The rest of the run, watched to its end, with spend on the chart.
    writeFileSync(path.join(repo.home, "go-T002"), "");
    writeFileSync(path.join(repo.home, "go-T003"), "");
    await expectState(page, "finished", 30_000);
    for (const id of ["T001", "T002", "T003"])
      expect(await row(page, id).getAttribute("data-status")).toBe("complete");
    expect(await page.locator("#chart polyline[data-model='gpt-5.2']").count()).toBe(1);
    expect(await page.locator("#spend-total").textContent()).toMatch(/\$\d+\.\d+ · 182,700 tokens/);
    expect(await page.locator("#task-costs tr").count()).toBe(3);

    // An artifact opens in the viewer, a page at a time.
    await page.locator("#artifacts a", { hasText: "brief.md" }).first().click();
    await page.locator("#viewer-text").waitFor();
    expect(await page.locator("#viewer-text").textContent()).toMatch(/T00\d/);
    await page.screenshot({ path: path.join(SHOTS, "dash-viewer.png") });
    await page.click("#viewer-close");
    await page.screenshot({ path: path.join(SHOTS, "dash.png"), fullPage: true });

    expect(navigations).toBe(1); // everything above came without a reload
    expect(errors).toEqual([]);
    expect((await runDone).code).toBe(0);
    await page.close();
  }, 120_000);

  test("without the token the page is refused (401)", async () => {
    const page = await browser.newPage();
    const r = await page.goto(`http://127.0.0.1:${dash.port}/`);
    expect(r?.status()).toBe(401);
    expect(await page.textContent("body")).toMatch(/missing or wrong token/);
    await page.close();
  });

  test("a foreign Host header is refused, token or not (DNS rebinding)", async () => {
    const page = await browser.newPage();
    // Chromium resolves rebound.example to 127.0.0.1 (as a rebinding attack would), and sends its own Host.
    const r = await page.goto(`http://rebound.example:${dash.port}/?token=${dash.token}`);
    expect(r?.status()).toBe(403);
    expect(await page.textContent("body")).toMatch(/Host `rebound\.example:\d+` refused/);
    await page.close();
  });
});

async function expectState(page: Page, state: string, timeout = 10_000): Promise<void> {
  await page.locator(`#state[data-state="${state}"]`).waitFor({ timeout });
}
