/**
 * Wall time and peak memory of one process: spawn to exit, stdout read through a pipe. Peak RSS comes from
 * GNU time (`/usr/bin/time -f "%M %U %S"`: the kernel's ru_maxrss of the child, in KiB, and its user and
 * system CPU seconds); without it the RSS is reported as unknown (null).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const TIME = "/usr/bin/time";

/** How peak RSS is measured on this machine: "/usr/bin/time -f %M" when GNU time works, else "none". */
export function rssMethod() {
  if (!existsSync(TIME)) return "none";
  const dir = mkdtempSync(path.join(os.tmpdir(), "longrun-time-"));
  const out = path.join(dir, "t");
  const r = spawnSync(TIME, ["-f", "%M", "-o", out, "true"], { stdio: "ignore" });
  const ok = r.status === 0 && /^\d+\s*$/.test(readFileSync(out, "utf8"));
  rmSync(dir, { recursive: true, force: true });
  return ok ? "/usr/bin/time -f %M" : "none";
}

/**
 * Run `argv` once and measure it. Returns seconds (wall), maxRssMiB (or null), cpuSeconds (user + system,
 * or null), the exit status and the output. The command line, stderr and the head of stdout go to `log`.
 */
export function measureOnce({ argv, env, cwd, log, label, method }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "longrun-time-"));
  const out = path.join(dir, "t");
  const full = method === "none" ? argv : [TIME, "-f", "%M %U %S", "-o", out, ...argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 512 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let maxRssMiB = null;
  let cpuSeconds = null;
  if (method !== "none" && existsSync(out)) {
    // GNU time writes "Command exited with non-zero status N" first when the command fails.
    const last = readFileSync(out, "utf8").trim().split("\n").at(-1) ?? "";
    const [kib, user, sys] = last.split(" ").map(Number);
    if (Number.isFinite(kib)) maxRssMiB = kib / 1024;
    if (Number.isFinite(user) && Number.isFinite(sys)) cpuSeconds = user + sys;
  }
  rmSync(dir, { recursive: true, force: true });
  const stdout = r.stdout?.toString("utf8") ?? "";
  const stderr = r.stderr?.toString("utf8") ?? "";
  if (log)
    appendFileSync(
      log,
      `\n### ${label} (${seconds.toFixed(3)} s, ${maxRssMiB?.toFixed(0) ?? "?"} MiB, exit ${r.status ?? r.signal ?? r.error?.message})\n$ ${argv.join(" ")}\n` +
        `--- stdout (${stdout.length} chars; first 1500) ---\n${stdout.slice(0, 1500)}\n--- stderr ---\n${stderr.slice(0, 4000)}\n`,
    );
  return { seconds, maxRssMiB, cpuSeconds, status: r.status, error: r.error?.message, stdout, stderr };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median, min and max of each measure over `samples` (nulls ignored). */
export function summarize(samples) {
  const of = (k) => samples.map((s) => s[k]).filter((x) => x !== null && x !== undefined);
  const stats = (xs) =>
    xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null;
  return {
    runs: samples.length,
    seconds: stats(of("seconds")),
    maxRssMiB: stats(of("maxRssMiB")),
    cpuSeconds: stats(of("cpuSeconds")),
    samples: samples.map(({ seconds, maxRssMiB, cpuSeconds }) => ({ seconds, maxRssMiB, cpuSeconds })),
  };
}
