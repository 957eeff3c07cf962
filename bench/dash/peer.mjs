#!/usr/bin/env node
/**
 * The peers of the memory test: what a plain Node program does to total a run journal's tokens.
 *
 *   node bench/dash/peer.mjs split FILE     a read stream split on "\n" (bytes), JSON.parse of every line
 *   node bench/dash/peer.mjs readline FILE  node:readline over a read stream, JSON.parse of every line
 *   node bench/dash/peer.mjs naive FILE     readFileSync(FILE, "utf8").split("\n"), JSON.parse of every line
 *
 * Prints {"lines", "tokens"}. readline also ends a line at U+2028 and U+2029, which JSON strings may hold
 * raw (tool output does): it fails on such a line. The naive one cannot read a file past V8's longest
 * string (~512 MB): it fails too. The bench reports both failures as they are.
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const [mode, file] = process.argv.slice(2);
let lines = 0;
let tokens = 0;
const take = (l) => {
  if (!l) return;
  lines++;
  const o = JSON.parse(l);
  if (o.type === "usage") tokens += o.usage.input + o.usage.cachedInput + o.usage.cacheWrite + o.usage.output;
};
if (mode === "split") {
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let at = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, at)) {
      take(buf.toString("utf8", at, nl));
      at = nl + 1;
    }
    rest = buf.subarray(at);
  }
  take(rest.toString("utf8"));
} else if (mode === "readline") {
  for await (const l of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) take(l);
} else if (mode === "naive") {
  for (const l of readFileSync(file, "utf8").split("\n")) take(l);
} else {
  process.stderr.write("usage: peer.mjs split|readline|naive FILE\n");
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ lines, tokens })}\n`);
