#!/usr/bin/env node
// Chromium for the browser tests and bench/dash: Debian's package (a browser download cannot work
// here). When /usr/bin/chromium is missing it is installed with apt-get, as root, saying so; without
// root it stops with what to run. Safe to call from several processes at once (one installs, the
// others wait). Prints nothing when Chromium is there already.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CHROMIUM = process.env.LONGRUN_CHROMIUM || "/usr/bin/chromium";

/** Launch flags for a headless Chromium on a machine with no network (and as root). */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

const LOCK = path.join(os.tmpdir(), "longrun-chromium-install.lock");

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0)
    throw new Error(
      `${CHROMIUM} is missing and this is not root: install Debian's chromium (sudo apt-get install -y chromium) or set LONGRUN_CHROMIUM`,
    );
  // One installer at a time: the others wait for it (a lock older than 10 minutes is stale).
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(CHROMIUM)) return CHROMIUM;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 600_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {}
      sleep(500);
    }
  }
  try {
    if (existsSync(CHROMIUM)) return CHROMIUM;
    process.stderr.write(
      "longrun tests: installing Debian's chromium for the browser tests (apt-get, as root)\n",
    );
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const run = (args) => execFileSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    run(["update", "-q"]);
    run(["install", "-y", "-q", "--no-install-recommends", "chromium"]);
    if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is not there`);
    process.stderr.write(
      `longrun tests: ${execFileSync(CHROMIUM, ["--version"], { encoding: "utf8" }).trim()}\n`,
    );
    return CHROMIUM;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureChromium());
  } catch (err) {
    console.error(`ensure-chromium: ${err.message}`);
    process.exit(1);
  }
}
