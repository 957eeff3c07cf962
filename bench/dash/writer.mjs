#!/usr/bin/env node
/**
 * Appends a run's journal lines (`runLines`) to a file at a steady rate, each stamped with the time of
 * its write (`ts`, ISO with ms), one write(2) per line as longrun's journal does. Runs as its own process
 * so that the readers' work cannot delay the writes. Prints one JSON line at the end: lines, bytes, and
 * how late the writes were against the schedule.
 *
 *   node bench/dash/writer.mjs --file F --rate 100 --seconds 25 [--seed 7] [--from N] [--rounds 30]
 *
 * --from N: line N of the stream is the first written (lines before it are drawn but not written), so a
 * journal that already holds N lines of the same seed goes on as one run.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { runLines } from "./events.mjs";

const argv = process.argv.slice(2);
const val = (f, d) => (argv.indexOf(`--${f}`) === -1 ? d : argv[argv.indexOf(`--${f}`) + 1]);
const file = val("file");
const rate = Number(val("rate", "100"));
const seconds = Number(val("seconds", "25"));
const from = Number(val("from", "0"));
const total = Math.round(rate * seconds);
const lines = runLines(Number(val("seed", "7")), { rounds: Number(val("rounds", "30")) });
for (let i = 0; i < from; i++) lines.next();
// Draw the first line now: the generator builds its text pools on the first draw (~0.2 s).
let next = lines.next().value.line;

const fd = openSync(file, "a");
const late = [];
let written = 0;
let bytes = 0;
const t0 = Date.now() + 20;

function tick() {
  const now = Date.now();
  // Every line that is due, each its own write.
  while (written < total && t0 + (written * 1000) / rate <= now) {
    const line = next;
    const at = Date.now();
    line.ts = new Date(at).toISOString();
    const text = `${JSON.stringify(line)}\n`;
    writeSync(fd, text);
    late.push(at - (t0 + (written * 1000) / rate));
    bytes += Buffer.byteLength(text);
    written++;
    next = lines.next().value.line;
  }
  if (written < total) setTimeout(tick, Math.max(0, t0 + (written * 1000) / rate - Date.now()));
  else {
    closeSync(fd);
    late.sort((a, b) => a - b);
    const q = (p) => late[Math.min(late.length - 1, Math.floor(p * late.length))];
    process.stdout.write(
      `${JSON.stringify({ lines: written, bytes, seconds: (Date.now() - t0) / 1000, lateMs: { p50: q(0.5), p99: q(0.99), max: late.at(-1) } })}\n`,
    );
  }
}
setTimeout(tick, 20);
