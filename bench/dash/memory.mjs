/**
 * bench/dash, memory: `longrun dash` started on a repo whose run journal is ~1 GB (generate.mjs). Notes the
 * time until /api/state first answers and until the fold has read the whole journal (`journal.ready`),
 * the dash's RSS and peak RSS (VmHWM, /proc) while it reads and after, then with a page connected while
 * 100 lines/s are appended (the page's latency too). Checks the state against the generator's manifest.
 * Peers on the same file, each under GNU time (its %M: peak RSS): `tail -n 400`, and Node folds of the
 * tokens: a read stream split on "\n", node:readline, and readFileSync + split (peer.mjs).
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, rmSync, truncateSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  cpuSeconds,
  expectedRows,
  figuresOf,
  firstArrivals,
  firstLine,
  longTasks,
  memory,
  observer,
  openPage,
  pageBatches,
  pageFigures,
  startDash,
  stop,
  waitForRow,
} from "./latency.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** A command under GNU time: wall seconds, peak RSS (MiB), exit code, the first line of stderr. */
export function timed(cmd, args, env) {
  const r = spawnSync("/usr/bin/time", ["-f", "__time %e %M", cmd, ...args], {
    env,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const m = /__time ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  const err = (r.stderr ?? "")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("__time") && !l.startsWith("Command exited"))
    .find((l) => /Error|error/.test(l));
  return {
    seconds: m ? Number(m[1]) : Number.NaN,
    peakMiB: m ? Number(m[2]) / 1024 : Number.NaN,
    code: r.status,
    error: r.status === 0 ? null : (err?.trim() ?? `exit ${r.status}`),
    stdout: r.stdout ?? "",
  };
}

/** The dash on the big journal, then with a page and live lines. `data`: {dir, manifest, file}. */
export async function memoryRun(ctx, browser, data, { liveSeconds, log }) {
  const { manifest } = data;
  const dash = await startDash(ctx, data.dir, log);
  const pid = dash.child.pid;
  const base = `http://127.0.0.1:${dash.info.port}`;
  const api = `${base}/api/state?token=${dash.info.token}`;
  const timeline = [];
  const sampler = setInterval(() => {
    timeline.push({ ms: Math.round(performance.now() - dash.t0), ...memory(pid) });
  }, 100);
  let firstStateMs = null;
  let state = null;
  try {
    for (;;) {
      state = await getJson(api);
      firstStateMs ??= performance.now() - dash.t0;
      if (state.run?.journal.ready) break;
      // Not more often: each state costs the server a snapshot (what a page asks for about as often).
      await sleep(500);
    }
    const readyMs = performance.now() - dash.t0;
    const atReady = memory(pid);
    const cpuToReady = cpuSeconds(pid);
    const checks = {
      lines: state.run.journal.lines === manifest.lines,
      badLines: state.run.journal.badLines === 0,
      tokens: state.spend.tokens === manifest.tokens,
      read: state.run.journal.read === manifest.bytes,
    };
    await sleep(3000);
    const idle = memory(pid);

    // A page connects; then live lines at 100/s, measured at the page and at a plain SSE client.
    const t = performance.now();
    const page = await openPage(browser, dash.info.url);
    const pageOpenMs = performance.now() - t;
    const withPage = memory(pid);
    const sseOut = path.join(os.tmpdir(), `longrun-bench-dash-sse-${process.pid}.json`);
    const sse = observer(ctx, "sse", `${base}/api/stream?token=${dash.info.token}`, sseOut);
    await sse.ready;
    const writer = spawn(
      ctx.node,
      [
        path.join(here, "writer.mjs"),
        "--file",
        data.file,
        "--rate",
        "100",
        "--seconds",
        String(liveSeconds),
        "--from",
        "1",
      ],
      { env: ctx.env, stdio: ["ignore", "pipe", "inherit"] },
    );
    const wrote = JSON.parse(await firstLine(writer, "writer"));
    const appended = readFileSync(data.file).subarray(manifest.bytes).toString("utf8");
    const want = await expectedRows(ctx, appended, manifest.lines);
    await waitForRow(page, want.last, 15_000);
    await sleep(300);
    await stop(sse.child);
    const live = {
      writer: wrote,
      rows: want.rows.length,
      sse: figuresOf(want, firstArrivals(JSON.parse(readFileSync(sseOut, "utf8")))),
      ...pageFigures(want, await pageBatches(page)),
      pageLongTasks: await longTasks(page),
    };
    rmSync(sseOut, { force: true });
    const afterLive = memory(pid);
    await page.close();
    clearInterval(sampler);
    return {
      journal: { bytes: manifest.bytes, lines: manifest.lines, longest: manifest.longest },
      printedUrlMs: dash.printedMs,
      firstStateMs,
      readyMs,
      cpuToReady,
      mbPerSecond: manifest.bytes / 1e6 / (readyMs / 1000),
      checks,
      mib: {
        atReady,
        idle,
        withPage,
        afterLive,
        peak: Math.max(afterLive.hwm, ...timeline.map((x) => x.hwm).filter(Number.isFinite)),
      },
      pageOpenMs,
      live,
      timeline,
    };
  } finally {
    clearInterval(sampler);
    await stop(dash.child);
    // The cached journal goes back to what the generator wrote.
    truncateSync(data.file, manifest.bytes);
  }
}

/** The peers on the same file; the Node folds' totals are checked against the manifest. */
export function peers(ctx, data) {
  const peer = path.join(here, "peer.mjs");
  const fold = (mode) => {
    const r = timed(ctx.node, [peer, mode, data.file], ctx.env);
    const { stdout, ...rest } = r;
    if (r.error) return rest;
    const got = JSON.parse(stdout);
    const same = got.lines === data.manifest.lines && got.tokens === data.manifest.tokens;
    return { ...rest, error: same ? null : `wrong totals: ${stdout.trim()}` };
  };
  const { stdout: _, ...tail } = timed("tail", ["-n", "400", data.file], ctx.env);
  return { tail, split: fold("split"), readline: fold("readline"), naive: fold("naive") };
}
