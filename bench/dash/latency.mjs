/**
 * bench/dash, latency: a writer process appends journal lines at a fixed rate while three readers note
 * when each line reached them: the page in headless Chromium (its `longrun:rows` event, and the next
 * animation frame after it), a plain HTTP client on the dash's /api/stream (the server's delivery alone),
 * and `tail -F` (the peer: what any reader of the file gets). Latency = arrival − the line's `ts`, the
 * writer's clock at the write (one machine, one clock).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeRepo } from "./repo.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Collects, in the page, when each batch of rows was rendered and the next frame after it, and the page's
 * long tasks (over 50 ms of its main thread: what delays the rows behind them).
 */
const COLLECTOR = `
window.__benchRows = [];
window.__benchLong = [];
document.addEventListener("longrun:rows", (e) => {
  const rec = { t: Date.now(), f: 0, ns: e.detail.map((r) => r.n) };
  window.__benchRows.push(rec);
  requestAnimationFrame(() => { rec.f = Date.now(); });
});
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__benchLong.push(Math.round(e.duration));
}).observe({ type: "longtask" });`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the first line of a child's stdout. */
export function firstLine(child, what) {
  return new Promise((resolve, reject) => {
    let buf = "";
    const onData = (d) => {
      buf += d;
      const at = buf.indexOf("\n");
      if (at === -1) return;
      child.stdout.off("data", onData);
      resolve(buf.slice(0, at));
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${what} exited ${code} before it printed a line`)));
  });
}

/** `longrun dash --dir DIR --json`: the child and its {url, port, token}. */
export async function startDash(ctx, dir, log) {
  const child = spawn(ctx.node, [ctx.cli, "dash", "--dir", dir, "--json"], {
    env: ctx.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.on("data", (d) => log(`dash stderr: ${d}`));
  const t0 = performance.now();
  const info = JSON.parse(await firstLine(child, "longrun dash"));
  return { child, info, printedMs: performance.now() - t0, t0 };
}

/** Ends a child we started and waits for it. */
export async function stop(child, signal = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await Promise.race([done, sleep(5000).then(() => child.kill("SIGKILL"))]);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (peak) of a process in MiB, from /proc. */
export function memory(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? Number.NaN);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return { rss: Number.NaN, hwm: Number.NaN };
  }
}

export function observer(ctx, kind, target, out) {
  const child = spawn(ctx.node, [path.join(here, "observe.mjs"), kind, target, out], {
    env: ctx.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return { child, ready: firstLine(child, `observe ${kind}`) };
}

/** The page, opened on the dash and connected to its stream. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  await page.addInitScript(COLLECTOR);
  await page.goto(url);
  await page.waitForFunction(
    () => document.body.dataset.runState && document.getElementById("live").classList.contains("on"),
    null,
    { timeout: 30_000 },
  );
  return page;
}

/** Per row number, the first arrival, from a list of [n, ms]. */
export function firstArrivals(pairs) {
  const at = new Map();
  let dup = 0;
  for (const [n, ms] of pairs) {
    if (at.has(n)) dup++;
    else at.set(n, ms);
  }
  return { at, dup };
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] : Number.NaN);
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) ?? Number.NaN };
}

/**
 * The lines of `text` (journal lines numbered from `first`) that make an activity row, with their `ts`
 * in ms: what the dash must deliver. Uses the built dash's own feedItem.
 */
export async function expectedRows(ctx, text, first) {
  const { feedItem } = await import(ctx.feedModule);
  const lines = text.split("\n").filter(Boolean);
  const rows = [];
  const ts = new Map();
  lines.forEach((l, i) => {
    const o = JSON.parse(l);
    if (!feedItem(o, first + i)) return;
    rows.push(first + i);
    ts.set(first + i, Date.parse(o.ts));
  });
  return { lines: lines.length, rows, ts, last: rows.at(-1) ?? -1 };
}

/** Waits (at most `ms`) until the page has shown row `n`. */
export async function waitForRow(page, n, ms = 5000) {
  for (let waited = 0; waited < ms; waited += 100) {
    const max = await page.evaluate(() => Math.max(-1, ...window.__benchRows.flatMap((r) => r.ns)));
    if (max >= n) return;
    await sleep(100);
  }
}

export const pageBatches = (page) => page.evaluate(() => window.__benchRows);

/** The page's long tasks so far: how many, their total and longest ms. */
export async function longTasks(page) {
  const d = await page.evaluate(() => window.__benchLong);
  return { count: d.length, totalMs: d.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...d) };
}

/** Latency figures of one reader over the wanted rows. */
export function figuresOf(want, r) {
  const lat = want.rows
    .filter((n) => !Number.isNaN(r.at.get(n) ?? Number.NaN))
    .map((n) => r.at.get(n) - want.ts.get(n));
  return { ...stats(lat), lost: want.rows.length - lat.length, duplicates: r.dup };
}

/** The page's figures: at its `longrun:rows` event and at the next animation frame. */
export function pageFigures(want, batches) {
  return {
    page: figuresOf(want, firstArrivals(batches.flatMap((b) => b.ns.map((n) => [n, b.t])))),
    frame: figuresOf(want, firstArrivals(batches.flatMap((b) => b.ns.map((n) => [n, b.f || Number.NaN])))),
  };
}

/**
 * One latency row: a fresh repo and dash, the readers, `rate` lines/s for `seconds`. Returns the figures
 * per reader (over the lines that make an activity row), the writer's report, the dash's CPU and memory.
 */
export async function latencyRun(ctx, browser, { rate, seconds, log }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "longrun-bench-dash-"));
  const journal = makeRepo(dir, { tasks: 40 });
  writeFileSync(journal, "");
  const dash = await startDash(ctx, dir, log);
  const sseOut = path.join(dir, "sse.json");
  const tailOut = path.join(dir, "tail.json");
  const sse = observer(
    ctx,
    "sse",
    `http://127.0.0.1:${dash.info.port}/api/stream?token=${dash.info.token}`,
    sseOut,
  );
  const tail = observer(ctx, "tail", journal, tailOut);
  await Promise.all([sse.ready, tail.ready]);
  const page = await openPage(browser, dash.info.url);
  await sleep(500);

  const pid = dash.child.pid;
  const cpu0 = cpuSeconds(pid);
  let peak = memory(pid).hwm;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memory(pid).hwm);
  }, 200);
  const writer = spawn(
    ctx.node,
    [path.join(here, "writer.mjs"), "--file", journal, "--rate", String(rate), "--seconds", String(seconds)],
    { env: ctx.env, stdio: ["ignore", "pipe", "inherit"] },
  );
  const wrote = JSON.parse(await firstLine(writer, "writer"));
  const wall0 = performance.now();

  // What the dash should show: the lines that make a row (feedItem of the built dash).
  const want = await expectedRows(ctx, readFileSync(journal, "utf8"), 0);
  await waitForRow(page, want.last);
  await sleep(300);
  const cpu = (cpuSeconds(pid) - cpu0) / (wrote.seconds + (performance.now() - wall0) / 1000);
  clearInterval(sampler);
  peak = Math.max(peak, memory(pid).hwm);
  const batches = await pageBatches(page);
  const long = await longTasks(page);
  await page.close();
  await Promise.all([stop(sse.child), stop(tail.child)]);
  await stop(dash.child);

  const figures = {
    tail: figuresOf(want, firstArrivals(JSON.parse(readFileSync(tailOut, "utf8")))),
    sse: figuresOf(want, firstArrivals(JSON.parse(readFileSync(sseOut, "utf8")))),
    ...pageFigures(want, batches),
  };
  const batchSizes = batches.map((b) => b.ns.length);
  rmSync(dir, { recursive: true, force: true });
  return {
    rate,
    seconds,
    writer: wrote,
    lines: want.lines,
    rows: want.rows.length,
    figures,
    pageLongTasks: long,
    pageBatches: {
      count: batches.length,
      meanRows: batchSizes.reduce((a, b) => a + b, 0) / Math.max(1, batches.length),
    },
    dash: { cpuShare: cpu, peakMiB: peak, printedUrlMs: dash.printedMs },
  };
}
